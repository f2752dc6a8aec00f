"""The office's mail server (SMTP) for notifications by e-mail, and a test letter to the administrator."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from blueprints.admin import bp
from blueprints.admin.forms import MailServerForm
from domain.mail.server import ServerInput, check_server, save_server, send_test_letter
from domain.mail.smtp import MailFailed
from extensions import db
from models.core import audit
from models.mail import MailSettings


@bp.route("/organization/mail", methods=["GET", "POST"])
def mail_server():
    """Edit the SMTP settings; the stored password is never shown, an empty box keeps it."""
    row = MailSettings.current()
    form = MailServerForm(obj=row)
    if form.is_submitted():
        valid = form.validate()  # every message at once: the form's own checks, then the settings' rules
        data = ServerInput(enabled=form.enabled.data, host=form.host.data, port=form.port.data or 0,
                           security=form.security.data, username=form.username.data,
                           password="" if form.clear_password.data else (form.password.data or None),
                           sender=form.sender.data, base_url=form.base_url.data)
        errors = check_server(data)
        for name, message in errors.items():
            field = getattr(form, name)
            field.errors = [*field.errors, message]
        if valid and not errors:
            save_server(row, data, current_user)
            db.session.commit()
            flash("Đã lưu cài đặt thư điện tử.", "success")
            return redirect(url_for("admin.mail_server"), code=303)
    db.session.commit()  # MailSettings.current() may have made the row
    return render_template("admin/mail_server.html", form=form, settings=row)


@bp.post("/organization/mail/test")
def mail_test():
    """Send a test letter to the administrator's own address, now, and say what the server answered."""
    row = MailSettings.current()
    if not row.ready:
        flash("Hãy bật gửi thư và nhập đủ máy chủ, người gửi, địa chỉ hệ thống trước khi gửi thư thử.", "error")
    elif not current_user.email:
        flash("Tài khoản của bạn chưa có địa chỉ thư; hãy nhập ở trang “Cài đặt của tôi”.", "error")
    else:
        try:
            send_test_letter(row, current_user)
        except MailFailed as exc:
            flash(f"Gửi thư thử không được: {exc}", "error")
        else:
            audit("mail_settings.test", row, user=current_user, summary=f"Gửi thư thử tới {current_user.email}")
            flash(f"Đã gửi thư thử tới {current_user.email}.", "success")
    db.session.commit()
    return redirect(url_for("admin.mail_server"), code=303)
