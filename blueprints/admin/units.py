"""The unit tree: create, edit, move or deactivate a unit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints import render
from blueprints.admin import bp
from blueprints.admin.forms import UnitForm, clean_line
from blueprints.forms import choices
from blueprints.params import query_int
from domain.text.vietnamese import slugify
from extensions import db
from models import Unit, User
from models.core import audit


def unit_choices(exclude: Unit | None = None, blank: str | None = None) -> list:
    """Units in tree order, indented, for select boxes."""
    pairs = [(0, blank)] if blank else []
    for unit, depth in unit_tree():
        if exclude is not None and (unit.id == exclude.id or exclude in unit.ancestors()):
            continue
        pairs.append((unit.id, "— " * depth + unit.name))
    return choices(pairs)


def unit_tree(include_inactive: bool = True) -> list[tuple[Unit, int]]:
    """All units as (unit, depth), parents before children, siblings by sort order."""
    units = db.session.scalars(select(Unit).order_by(Unit.sort_order, Unit.name)).all()
    by_parent: dict[int | None, list[Unit]] = {}
    for u in units:
        if include_inactive or u.active:
            by_parent.setdefault(u.parent_id, []).append(u)
    out: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for u in by_parent.get(parent_id, []):
            out.append((u, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


@bp.get("/units")
def units():
    """Show the unit tree."""
    return render("admin/units.html", "unit_tree", tree=unit_tree())


def _validate_unit(form: UnitForm, unit: Unit | None) -> bool:
    ok = form.validate_on_submit()
    if not form.is_submitted():
        return False
    name = clean_line(form.name.data)
    if not name:
        form.name.errors.append("Trường này không được để trống.")
        ok = False
    slug = clean_line(form.slug.data) or slugify(name)
    if not slug:
        form.slug.errors.append("Không tạo được mã từ tên đơn vị; hãy nhập mã.")
        ok = False
    clash = db.session.scalar(select(Unit).where(Unit.slug == slug))
    if clash is not None and clash is not unit:
        form.slug.errors.append(f"Mã “{slug}” đã được dùng cho đơn vị “{clash.name}”.")
        ok = False
    parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
    if form.parent_id.data and parent is None:
        form.parent_id.errors.append("Đơn vị cấp trên không tồn tại.")
        ok = False
    if unit is not None and unit.would_be_own_ancestor(parent):
        form.parent_id.errors.append("Không thể đặt một đơn vị làm cấp dưới của chính nó hoặc của đơn vị con của nó.")
        ok = False
    return ok


def _fill_unit(unit: Unit, form: UnitForm) -> None:
    unit.name = clean_line(form.name.data)
    unit.recipient_name = clean_line(form.recipient_name.data) or unit.name
    unit.slug = clean_line(form.slug.data) or slugify(unit.name)
    unit.kind = form.kind.data
    unit.parent_id = form.parent_id.data or None
    unit.is_group = form.is_group.data
    unit.sort_order = form.sort_order.data or 0
    unit.active = form.active.data


@bp.route("/units/new", methods=["GET", "POST"])
def unit_new():
    """Create a unit."""
    form = UnitForm()
    if request.method == "GET" and (parent := query_int("parent")):
        form.parent_id.data = parent
    form.parent_id.choices = unit_choices(blank="(Cấp cao nhất)")
    if _validate_unit(form, None):
        unit = Unit()
        _fill_unit(unit, form)
        db.session.add(unit)
        db.session.flush()
        audit("unit_create", unit, user=current_user, summary=f"Tạo đơn vị {unit.name}", after=unit.summary())
        db.session.commit()
        flash(f"Đã tạo đơn vị “{unit.name}”.", "success")
        return redirect(url_for("admin.units"), code=303)
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    """Edit a unit, move it in the tree, or deactivate it (units with history are never deleted)."""
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit) if request.method == "GET" else UnitForm()
    if request.method == "GET":
        form.parent_id.data = unit.parent_id or 0
    form.parent_id.choices = unit_choices(exclude=unit, blank="(Cấp cao nhất)")
    if request.method == "POST":
        # The choice list excludes the unit's own subtree; accept any existing id so the cycle check speaks.
        form.parent_id.choices = unit_choices(blank="(Cấp cao nhất)")
    if _validate_unit(form, unit):
        before = unit.summary()
        _fill_unit(unit, form)
        audit("unit_update", unit, user=current_user, summary=f"Sửa đơn vị {unit.name}", before=before,
              after=unit.summary())
        db.session.commit()
        flash(f"Đã lưu đơn vị “{unit.name}”.", "success")
        return redirect(url_for("admin.units"), code=303)
    members = db.session.scalars(select(User).where(User.unit_id == unit.id).order_by(User.username)).all()
    return render_template("admin/unit_form.html", form=form, unit=unit, members=members)


@bp.post("/units/<int:unit_id>/move/<direction>")
def unit_move(unit_id: int, direction: str):
    """Move a unit one place up or down among its siblings."""
    if direction not in ("up", "down"):
        abort(404)
    unit = db.get_or_404(Unit, unit_id)
    siblings = db.session.scalars(
        select(Unit).where(Unit.parent_id.is_(None) if unit.parent_id is None else Unit.parent_id == unit.parent_id)
        .order_by(Unit.sort_order, Unit.name)
    ).all()
    index = siblings.index(unit)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.sort_order = (position + 1) * 10
        audit("unit_reorder", unit, user=current_user, summary=f"Đổi thứ tự đơn vị {unit.name}")
        db.session.commit()
    return render("admin/units.html", "unit_tree", tree=unit_tree())
