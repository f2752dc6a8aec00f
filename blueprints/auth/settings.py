"""A person's own settings (e-mail address, how notifications come by e-mail), the unsubscribe link of every
letter (no sign-in needed), and the rule that a one-time password is changed before anything else."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import PUBLIC_ENDPOINTS
from blueprints.auth import bp
from blueprints.auth.forms import MailSettingsForm
from domain.mail.letters import SETTINGS_PATH, UNSUBSCRIBE_PATH, user_id_from_token
from domain.mail.preferences import clean_email, set_mail_preferences, unsubscribe
from extensions import db
from models.core import User

# The letter's link works from any mail program, signed in or not: the token is the proof.
PUBLIC_ENDPOINTS.add("auth.unsubscribe")
# What a person with a one-time password may still reach: the change itself, signing out, the unsubscribe link.
FIRST_SIGN_IN_ENDPOINTS = {"auth.change_password", "auth.logout", "auth.unsubscribe", "static", "healthz"}


@bp.before_app_request
def one_time_password_first():
    """Until the administrator's one-time password is changed, every page leads to the password change."""
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in FIRST_SIGN_IN_ENDPOINTS and request.endpoint is not None):
        target = url_for("auth.change_password")
        if request.headers.get("HX-Request") == "true":
            return "", 204, {"HX-Redirect": target}
        return redirect(target, code=303)
    return None


@bp.route(SETTINGS_PATH, methods=["GET", "POST"])
def settings():
    """The signed-in person's e-mail address and how they want notifications by e-mail."""
    user = current_user._get_current_object()
    form = MailSettingsForm(email=user.email, mail_mode=user.mail_mode)
    if form.validate_on_submit():
        email, problem = clean_email(form.email.data)
        if problem:
            form.email.errors.append(problem)
        else:
            set_mail_preferences(user, email, form.mail_mode.data, user)
            db.session.commit()
            flash("Đã lưu cách nhận thông báo qua thư điện tử.", "success")
            return redirect(url_for("auth.settings"), code=303)
    return render_template("auth/settings.html", form=form)


@bp.route(UNSUBSCRIBE_PATH + "<token>", methods=["GET", "POST"], endpoint="unsubscribe")
def unsubscribe_link(token: str):
    """From a letter: GET asks to confirm (mail programs open links on their own), POST stops the e-mails."""
    user_id = user_id_from_token(current_app.secret_key, token)
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        abort(404)
    done = False
    if request.method == "POST":
        unsubscribe(user)
        db.session.commit()
        done = True
    return render_template("auth/unsubscribe.html", person=user, done=done, token=token)
