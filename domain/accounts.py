"""Sign-in rules: one message for unknown users and wrong passwords, and a lock-out after repeated failures."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from extensions import db
from models.core import LoginAttempt, User, utcnow

LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED_OUT = "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút."


def locked_until(username: str, max_failures: int, window: timedelta, now: datetime | None = None) -> datetime | None:
    """When the lock-out on this username ends, or None if it may try now.

    Failures count only since the last successful sign-in and within the window; the lock lasts one window
    from the failure that reached the limit.
    """
    now = now or utcnow()
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.username == username, LoginAttempt.success.is_(True))
    )
    since = max(now - window, last_success) if last_success else now - window
    failures = db.session.scalars(
        select(LoginAttempt.at)
        .where(LoginAttempt.username == username, LoginAttempt.success.is_(False), LoginAttempt.at > since)
        .order_by(LoginAttempt.at)
    ).all()
    if len(failures) < max_failures:
        return None
    until = failures[max_failures - 1] + window
    return until if until > now else None


def authenticate(username: str, password: str, remote_addr: str = "") -> User | None:
    """The active user with these credentials, or None. Records the attempt either way."""
    user = db.session.scalar(select(User).where(User.username == username))
    ok = user is not None and user.active and user.check_password(password)
    db.session.add(LoginAttempt(username=username[:64], success=ok, remote_addr=remote_addr[:64]))
    if ok:
        user.last_login_at = utcnow()
        return user
    return None


def validate_new_password(password: str, username: str) -> str | None:
    """A Vietnamese reason why this password is not acceptable, or None."""
    if len(password) < 8:
        return "Mật khẩu phải có ít nhất 8 ký tự."
    if len(password) > 128:
        return "Mật khẩu không được dài quá 128 ký tự."
    if password.lower() == username.lower():
        return "Mật khẩu không được trùng với tên đăng nhập."
    return None
