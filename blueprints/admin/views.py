"""Administration: users, the unit tree, organization settings, the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from blueprints import render, roles_required
from blueprints.admin.forms import OrganizationForm, ResetPasswordForm, UnitForm, UserForm
from blueprints.forms import choices
from blueprints.params import query_int, query_text
from domain.accounts import validate_new_password
from domain.text.vietnamese import clean_text, slugify
from extensions import db
from models import AuditEvent, Organization, Unit, User
from models.choices import ADMIN
from models.core import audit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(ADMIN)
def _admins_only():
    """Every page here is for administrators."""


def _clean(value: str | None) -> str:
    return clean_text(value or "", multiline=False).strip()


def _unit_choices(exclude: Unit | None = None, blank: str | None = None) -> list:
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


# ---- users -----------------------------------------------------------------------------------------------


@bp.get("/users")
def users():
    """List users with their unit and roles."""
    q = query_text("q")
    stmt = select(User).order_by(User.active.desc(), User.username)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(User.username.ilike(like) | User.full_name.ilike(like))
    return render("admin/users.html", "user_list", users=db.session.scalars(stmt).all(), q=q)


def _fill_user(user: User, form: UserForm) -> None:
    user.username = _clean(form.username.data).lower()
    user.full_name = _clean(form.full_name.data)
    user.position_title = _clean(form.position_title.data).upper()
    user.unit_id = form.unit_id.data or None
    user.active = form.active.data
    user.set_roles(form.roles.data or [])


def _validate_user(form: UserForm, user: User | None) -> bool:
    ok = form.validate_on_submit()
    if not form.is_submitted():
        return False
    username = _clean(form.username.data).lower()
    clash = db.session.scalar(select(User).where(func.lower(User.username) == username))
    if clash is not None and clash is not user:
        form.username.errors.append("Tên đăng nhập này đã có người dùng.")
        ok = False
    if form.unit_id.data and db.session.get(Unit, form.unit_id.data) is None:
        form.unit_id.errors.append("Đơn vị không tồn tại.")
        ok = False
    if user is None:
        if not form.password.data:
            form.password.errors.append("Vui lòng đặt mật khẩu ban đầu.")
            ok = False
        elif problem := validate_new_password(form.password.data, username):
            form.password.errors.append(problem)
            ok = False
    if user is not None and user.id == current_user.id and (ADMIN not in (form.roles.data or []) or not form.active.data):
        form.roles.errors.append("Bạn không thể tự bỏ quyền quản trị hoặc tự khóa tài khoản của mình.")
        ok = False
    return ok


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    """Create a user."""
    form = UserForm()
    form.unit_id.choices = _unit_choices(blank="(Chưa chọn)")
    if _validate_user(form, None):
        user = User(password_hash="")
        _fill_user(user, form)
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.flush()
        audit("user_create", user, user=current_user, summary=f"Tạo người dùng {user.username}", after=user.summary())
        db.session.commit()
        flash(f"Đã tạo người dùng {user.username}.", "success")
        return redirect(url_for("admin.users"), code=303)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    """Edit a user's name, unit, roles and status."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.unit_id.data = user.unit_id or 0
    form.unit_id.choices = _unit_choices(blank="(Chưa chọn)")
    if _validate_user(form, user):
        before = user.summary()
        was_active = user.active
        _fill_user(user, form)
        if was_active and not user.active:
            user.end_other_sessions()  # a deactivated user is signed out everywhere
        audit("user_update", user, user=current_user, summary=f"Sửa người dùng {user.username}",
              before=before, after=user.summary())
        db.session.commit()
        flash(f"Đã lưu người dùng {user.username}.", "success")
        return redirect(url_for("admin.users"), code=303)
    return render_template("admin/user_form.html", form=form, user=user, reset_form=ResetPasswordForm())


@bp.post("/users/<int:user_id>/password")
def user_reset_password(user_id: int):
    """Set a new password for a user and end their sessions."""
    user = db.get_or_404(User, user_id)
    form = ResetPasswordForm()
    problem = "Vui lòng nhập mật khẩu mới." if not form.validate_on_submit() else validate_new_password(
        form.password.data, user.username)
    if problem:
        flash(problem, "error")
    else:
        user.set_password(form.password.data)
        user.end_other_sessions()
        audit("user_password_reset", user, user=current_user, summary=f"Đặt lại mật khẩu cho {user.username}")
        db.session.commit()
        flash(f"Đã đặt lại mật khẩu cho {user.username}.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id), code=303)


# ---- units -----------------------------------------------------------------------------------------------


@bp.get("/units")
def units():
    """Show the unit tree."""
    return render("admin/units.html", "unit_tree", tree=unit_tree())


def _validate_unit(form: UnitForm, unit: Unit | None) -> bool:
    ok = form.validate_on_submit()
    if not form.is_submitted():
        return False
    name = _clean(form.name.data)
    if not name:
        form.name.errors.append("Trường này không được để trống.")
        ok = False
    slug = _clean(form.slug.data) or slugify(name)
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
    unit.name = _clean(form.name.data)
    unit.recipient_name = _clean(form.recipient_name.data) or unit.name
    unit.slug = _clean(form.slug.data) or slugify(unit.name)
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
    form.parent_id.choices = _unit_choices(blank="(Cấp cao nhất)")
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
    form.parent_id.choices = _unit_choices(exclude=unit, blank="(Cấp cao nhất)")
    if request.method == "POST":
        # The choice list excludes the unit's own subtree; accept any existing id so the cycle check speaks.
        form.parent_id.choices = _unit_choices(blank="(Cấp cao nhất)")
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


# ---- organization ----------------------------------------------------------------------------------------


@bp.route("/organization", methods=["GET", "POST"])
def organization():
    """Edit the issuing body's lines, place name, symbol suffix and drafting unit."""
    org = Organization.current()
    form = OrganizationForm(obj=org)
    if form.validate_on_submit():
        before = org.summary()
        org.parent_lines = clean_text(form.parent_lines.data).strip()
        org.name_lines = clean_text(form.name_lines.data).strip()
        org.full_name = _clean(form.full_name.data)
        org.place = _clean(form.place.data)
        org.symbol_suffix = _clean(form.symbol_suffix.data)
        org.archive_unit = _clean(form.archive_unit.data)
        org.forbid_self_approval = form.forbid_self_approval.data
        audit("organization_update", org, user=current_user, summary="Sửa thông tin cơ quan", before=before,
              after=org.summary())
        db.session.commit()
        flash("Đã lưu thông tin cơ quan.", "success")
        return redirect(url_for("admin.organization"), code=303)
    db.session.commit()  # Organization.current() may have created the row
    return render_template("admin/organization.html", form=form)


# ---- audit log -------------------------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


@bp.get("/audit")
def audit_log():
    """Browse the audit log, filtered by user, action, object and date."""
    args = request.args
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if user_id := query_int("user"):
        stmt = stmt.where(AuditEvent.user_id == user_id)
    if action := args.get("action", "").strip():
        stmt = stmt.where(AuditEvent.action == action)
    if object_type := args.get("object_type", "").strip():
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if object_id := query_int("object_id"):
        stmt = stmt.where(AuditEvent.object_id == object_id)
    errors = []
    for name, op in (("from", "ge"), ("to", "lt")):
        raw = args.get(name, "").strip()
        if not raw:
            continue
        try:
            day = datetime.strptime(raw, "%Y-%m-%d")
        except ValueError:
            errors.append("Ngày không hợp lệ; dùng định dạng ngày/tháng/năm của ô chọn ngày.")
            continue
        # Days are the office's days (UTC+7); stored times are UTC.
        bound = day - timedelta(hours=7) + (timedelta(days=1) if op == "lt" else timedelta())
        stmt = stmt.where(AuditEvent.at >= bound if op == "ge" else AuditEvent.at < bound)
    page = query_int("page", 1)
    events = db.session.scalars(stmt.limit(AUDIT_PAGE_SIZE + 1).offset((page - 1) * AUDIT_PAGE_SIZE)).all()
    has_next = len(events) > AUDIT_PAGE_SIZE
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    object_types = db.session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)).all()
    users_ = db.session.scalars(select(User).order_by(User.username)).all()
    return render("admin/audit.html", "audit_table", events=events[:AUDIT_PAGE_SIZE], page=page, has_next=has_next,
                  actions=actions, object_types=object_types, users=users_, args=args, errors=errors)
