"""Users: the list, creating and editing one (unit, roles, status), setting a new password."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from blueprints import render
from blueprints.admin import bp
from blueprints.admin.forms import ResetPasswordForm, UserForm, clean_line
from blueprints.admin.units import unit_choices
from blueprints.params import query_text
from domain.accounts import validate_new_password
from extensions import db
from models import Unit, User
from models.choices import ADMIN
from models.core import audit


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
    user.username = clean_line(form.username.data).lower()
    user.full_name = clean_line(form.full_name.data)
    user.position_title = clean_line(form.position_title.data).upper()
    user.unit_id = form.unit_id.data or None
    user.active = form.active.data
    user.set_roles(form.roles.data or [])


def _validate_user(form: UserForm, user: User | None) -> bool:
    ok = form.validate_on_submit()
    if not form.is_submitted():
        return False
    username = clean_line(form.username.data).lower()
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
    form.unit_id.choices = unit_choices(blank="(Chưa chọn)")
    if _validate_user(form, None):
        user = User(password_hash="")
        _fill_user(user, form)
        user.set_password(form.password.data)
        # The administrator chose this password, so it is a one-time password, as onboarding's and a reset's are:
        # every page leads to the password change until the person sets their own.
        user.must_change_password = True
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
    form.unit_id.choices = unit_choices(blank="(Chưa chọn)")
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
        # A password the administrator knows is a one-time password: the person sets their own at next sign-in.
        user.must_change_password = user.id != current_user.id
        user.end_other_sessions()
        audit("user_password_reset", user, user=current_user, summary=f"Đặt lại mật khẩu cho {user.username}")
        db.session.commit()
        flash(f"Đã đặt lại mật khẩu cho {user.username}.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
