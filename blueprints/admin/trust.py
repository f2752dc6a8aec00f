"""The trust list for digital signatures: the administrator adds the root and intermediate certificates of the
certification services the office accepts (none by default) and removes them; every change is audited."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.admin import bp
from domain.register.trust import (
    CertificateRefused,
    add_certificate,
    remove_certificate,
    trusted_certificates,
)
from extensions import db
from models.choices import TRUSTED_CERT_KINDS
from models.trust import TrustedCertificate


@bp.get("/trust")
def trust_list():
    return render_template("admin/trust.html", certificates=trusted_certificates(), kinds=TRUSTED_CERT_KINDS)


@bp.post("/trust")
def trust_add():
    upload = request.files.get("certificate")
    try:
        row = add_certificate(upload.read() if upload else b"", request.form.get("kind", ""), current_user)
        db.session.commit()
    except CertificateRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for("admin.trust_list"), code=303)
    flash(f"Đã thêm vào danh sách tin cậy: {row.subject}.", "success")
    return redirect(url_for("admin.trust_list"), code=303)


@bp.post("/trust/<int:certificate_id>/delete")
def trust_remove(certificate_id: int):
    row = db.get_or_404(TrustedCertificate, certificate_id)
    subject = row.subject
    remove_certificate(row, current_user)
    db.session.commit()
    flash(f"Đã bỏ khỏi danh sách tin cậy: {subject}.", "success")
    return redirect(url_for("admin.trust_list"), code=303)
