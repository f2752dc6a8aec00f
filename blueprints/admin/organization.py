"""The issuing body's settings: its lines, place name, symbol suffix and drafting unit."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from blueprints.admin import bp
from blueprints.admin.forms import OrganizationForm, clean_line
from domain.text.vietnamese import clean_text
from extensions import db
from models import Organization
from models.core import audit


@bp.route("/organization", methods=["GET", "POST"])
def organization():
    """Edit the issuing body's lines, place name, symbol suffix and drafting unit."""
    org = Organization.current()
    form = OrganizationForm(obj=org)
    if form.validate_on_submit():
        before = org.summary()
        org.parent_lines = clean_text(form.parent_lines.data).strip()
        org.name_lines = clean_text(form.name_lines.data).strip()
        org.full_name = clean_line(form.full_name.data)
        org.place = clean_line(form.place.data)
        org.symbol_suffix = clean_line(form.symbol_suffix.data)
        org.archive_unit = clean_line(form.archive_unit.data)
        org.address_block = "\n".join(clean_line(t) for t in (form.address_block.data or "").splitlines() if t.strip())
        org.forbid_self_approval = form.forbid_self_approval.data
        audit("organization_update", org, user=current_user, summary="Sửa thông tin cơ quan", before=before,
              after=org.summary())
        db.session.commit()
        flash("Đã lưu thông tin cơ quan.", "success")
        return redirect(url_for("admin.organization"), code=303)
    db.session.commit()  # Organization.current() may have created the row
    return render_template("admin/organization.html", form=form)
