"""Sign-in rules: one message for unknown users and wrong passwords, and a lock-out after repeated failures."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from werkzeug.security import check_password_hash

from extensions import begin_write, db
from models.core import LoginAttempt, User, audit, utcnow

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


def password_matches(username: str, password: str) -> int | None:
    """The id of the active user with this password, or None. Reads only; hashing takes no lock.

    Hashing is deliberately slow (scrypt): the caller ends its transaction first so no database lock is held
    meanwhile, and records the outcome with ``record_sign_in``.
    """
    row = db.session.execute(
        select(User.id, User.password_hash, User.active).where(User.username == username)).first()
    db.session.commit()
    if row is None or not row.active or not row.password_hash:
        return None
    return row.id if check_password_hash(row.password_hash, password) else None


def _lock_username(username: str) -> None:
    """Serialize sign-ins of one username until commit, so failures are counted one at a time.

    SQLite: the transaction holds the database write lock (begin_write). PostgreSQL: a transaction-scoped
    advisory lock on the name (also for names that match no user, which have no row to lock).
    """
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": "login:" + username})


def record_sign_in(username: str, user_id: int | None, max_failures: int, window: timedelta,
                   remote_addr: str = "") -> tuple[User | None, datetime | None]:
    """Record one sign-in attempt whose password was checked: (user, None) on success, (None, locked until) when
    the name is locked out (nothing recorded), (None, None) for a failure. The caller commits.

    The lock-out is checked again under a lock on the name: of any number of simultaneous attempts, exactly
    `max_failures` failures are counted before the rest find the name locked; a right password does not get in
    while the name is locked either.
    """
    _lock_username(username)
    now = utcnow()
    until = locked_until(username, max_failures, window, now)
    if until is not None:
        return None, until
    user = db.session.get(User, user_id) if user_id is not None else None
    ok = user is not None and user.active
    db.session.add(LoginAttempt(username=username[:64], success=ok, remote_addr=remote_addr[:64], at=now))
    if not ok:
        return None, None
    user.last_login_at = now
    audit("login", user, user=user, summary=f"Đăng nhập: {user.username}")
    return user, None


def validate_new_password(password: str, username: str) -> str | None:
    """A Vietnamese reason why this password is not acceptable, or None."""
    if len(password) < 8:
        return "Mật khẩu phải có ít nhất 8 ký tự."
    if len(password) > 128:
        return "Mật khẩu không được dài quá 128 ký tự."
    if password.lower() == username.lower():
        return "Mật khẩu không được trùng với tên đăng nhập."
    return None
