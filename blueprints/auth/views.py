"""Sign in, sign out, change one's own password."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import bp
from blueprints.auth.forms import LoginForm, PasswordForm
from blueprints.shared import safe_next
from domain.accounts import (
    LOCKED_OUT,
    LOGIN_FAILED,
    locked_until,
    password_matches,
    record_sign_in,
    validate_new_password,
)
from domain.text.vietnamese import clean_text
from extensions import db
from models.core import audit, utcnow


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        username = clean_text(form.username.data, multiline=False).strip()
        max_failures = current_app.config["LOGIN_MAX_FAILURES"]
        window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
        until = locked_until(username, max_failures, window)  # a locked name costs no password hashing
        if until is None:
            user_id = password_matches(username, form.password.data)
            user, until = record_sign_in(username, user_id, max_failures, window, request.remote_addr or "")
            db.session.commit()
            if user is not None:
                # The session is set only once the sign-in (attempt and audit row) is committed.
                session.clear()  # a fresh session: nothing from before sign-in carries over
                login_user(user, remember=form.remember.data)
                return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")), code=303)
        if until is not None:
            minutes = max(1, math.ceil((until - utcnow()).total_seconds() / 60))
            error = LOCKED_OUT.format(minutes=minutes)
        else:
            error = LOGIN_FAILED
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/logout")
@login_required
def logout():
    """Sign out here and end this user's other sessions."""
    user = current_user._get_current_object()
    user.end_other_sessions()
    audit("logout", user, user=user, summary=f"Đăng xuất: {user.username}")
    db.session.commit()
    logout_user()
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Let the signed-in user change their own password."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current.data):
            form.current.errors.append("Mật khẩu hiện tại không đúng.")
        elif problem := validate_new_password(form.new.data, user.username):
            form.new.errors.append(problem)
        elif form.new.data == form.current.data:
            form.new.errors.append("Mật khẩu mới phải khác mật khẩu hiện tại.")
        else:
            user.set_password(form.new.data)
            user.must_change_password = False  # the one-time password is spent
            user.end_other_sessions()
            audit("password_change", user, user=user, summary="Đổi mật khẩu")
            db.session.commit()
            login_user(user)  # keep this session alive with the new session version
            flash("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.", "success")
            return redirect(url_for("main.dashboard"), code=303)
    return render_template("auth/password.html", form=form)
