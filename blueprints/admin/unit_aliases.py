"""Names remembered from plan imports (domain.plans.aliases): the administrator sees them and forgets a wrong one."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from blueprints.admin import bp
from domain.plans.aliases import delete_alias, listed_aliases
from extensions import db
from models.plans import UnitAlias


@bp.get("/units/aliases")
def unit_aliases():
    """Every name a clerk mapped to a unit while importing a plan."""
    return render_template("admin/unit_aliases.html", aliases=listed_aliases())


@bp.post("/units/aliases/<int:alias_id>/delete")
def unit_alias_delete(alias_id: int):
    """Forget a remembered name: the next import that writes it asks the clerk again."""
    alias = db.get_or_404(UnitAlias, alias_id)
    text = alias.text
    delete_alias(alias, current_user)
    db.session.commit()
    flash(f"Đã xóa tên đã ghi nhớ “{text}”. Lần nhập sau, tên này sẽ được hỏi lại.", "success")
    return redirect(url_for("admin.unit_aliases"), code=303)
