"""Loading the signed-in user, and what every template can use (navigation, labels, filters)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask_login import current_user
from sqlalchemy import func, select

from blueprints.shared import document_url
from domain.access import can
from domain.office import office_zone
from extensions import db, login_manager
from models import Notification, User, choices
from models.choices import ADMIN, APPROVER, CLERK, RECORDS, UNIT_REPORTER

login_manager.login_view = "auth.login"
login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Sessions carry "id:version"; a bumped version (logout elsewhere, password change) ends them."""
    try:
        uid, version = (int(x) for x in user_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


# (endpoint, label, roles allowed to see it); None = everyone signed in.
NAVIGATION: list[tuple[str, str, tuple[str, ...] | None]] = [
    ("main.dashboard", "Tổng quan", None),
    ("documents.index", "Văn bản", None),
    ("plans.index", "Kế hoạch", (CLERK, APPROVER, RECORDS, ADMIN)),
    ("plans.my_tasks", "Nhiệm vụ của đơn vị", (UNIT_REPORTER,)),
    ("reports.index", "Báo cáo", (CLERK, APPROVER, RECORDS, ADMIN, UNIT_REPORTER)),
    ("register.index", "Sổ văn bản đi", (RECORDS, CLERK, APPROVER, ADMIN)),
    ("archive.index", "Lưu trữ", None),
    ("format_check.index", "Kiểm tra thể thức", (CLERK, APPROVER, RECORDS, ADMIN)),
    ("admin.users", "Người dùng", (ADMIN,)),
    ("admin.units", "Đơn vị", (ADMIN,)),
    ("admin.organization", "Thông tin cơ quan", (ADMIN,)),
    ("admin.audit_log", "Nhật ký", (ADMIN,)),
]


def local_time(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """Stored times are UTC without tzinfo; people read them in the office's time zone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(office_zone()).strftime(fmt)


def vn_date(value, fmt: str = "%d/%m/%Y") -> str:
    return value.strftime(fmt) if value else ""


def register_context(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.globals["C"] = choices  # the vocabulary: C.ISSUED, C.MONTHLY (never a bare code in a template)
    app.jinja_env.globals["document_url"] = document_url
    # The one gate (domain.access.can), for the signed-in user: a template shows what the view would allow.
    app.jinja_env.globals["can"] = lambda action, obj=None: can(current_user, action, obj)

    @app.context_processor
    def inject():
        nav = []
        unread = 0
        if current_user.is_authenticated:
            nav = [(endpoint, label) for endpoint, label, roles in NAVIGATION
                   if roles is None or current_user.has_role(*roles)]
            unread = db.session.scalar(
                select(func.count(Notification.id)).where(
                    Notification.user_id == current_user.id, Notification.read_at.is_(None)
                )
            )
        return {
            "navigation": nav,
            "unread_notifications": unread,
        }
