"""The dashboard and the user's notifications."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select, update

from blueprints import is_partial_request, render
from blueprints.main import bp
from blueprints.shared import DASHBOARD_PANELS
from domain.access import notification_for
from extensions import db
from models import Notification
from models.choices import NOTIFICATION_KINDS, choice_of
from models.core import audit, utcnow


def _kind_label(code: str) -> str:
    return choice_of(NOTIFICATION_KINDS, code).label


# The dashboard's panels, in order: (template, function(user) -> its context, or None when it has nothing to show).
@bp.get("/")
def dashboard():
    """Show what the signed-in user has to do today."""
    panels = []
    for _place, template, build in DASHBOARD_PANELS:
        context = build(current_user)
        if context is not None:
            panels.append((template, context))
    notifications = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .order_by(Notification.created_at.desc())
        .limit(10)
    ).all()
    return render_template("main/dashboard.html", panels=panels, notifications=notifications)


@bp.get("/notifications")
def notifications():
    """List the user's notifications, newest first."""
    items = db.session.scalars(
        select(Notification).where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc()).limit(200)
    ).all()
    return render("main/notifications.html", "notification_list", items=items, kind_label=_kind_label)


@bp.post("/notifications/read")
def mark_all_read():
    """Mark every unread notification of the user as read (htmx: the list and the bell are redrawn)."""
    now = utcnow()
    marked = db.session.execute(update(Notification).where(Notification.user_id == current_user.id,
                                                           Notification.read_at.is_(None))
                                .values(read_at=now)).rowcount
    if marked:
        audit("notifications.read_all", current_user, user=current_user, object_type="user",
              summary=f"Đánh dấu {marked} thông báo là đã đọc")
    db.session.commit()
    if not is_partial_request():
        return redirect(url_for("main.notifications"), code=303)
    items = db.session.scalars(
        select(Notification).where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc()).limit(200)
    ).all()
    return render("main/notifications.html", "notification_list", items=items, kind_label=_kind_label, oob=True)


@bp.post("/notifications/<int:notification_id>/read")
def mark_read(notification_id: int):
    """Mark one of the user's notifications as read and follow its link."""
    item = notification_for(current_user, notification_id) or abort(404)
    if item.read_at is None:
        item.read_at = utcnow()
        db.session.commit()
    return redirect(item.link or url_for("main.notifications"), code=303)
