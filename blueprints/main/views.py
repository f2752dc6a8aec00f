"""The dashboard and the user's notifications."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints.main import bp
from blueprints.shared import DASHBOARD_PANELS
from domain.access import notification_for
from extensions import db
from models import Notification
from models.core import utcnow


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
    return render_template("main/notifications.html", items=items)


@bp.post("/notifications/<int:notification_id>/read")
def mark_read(notification_id: int):
    """Mark one of the user's notifications as read and follow its link."""
    item = notification_for(current_user, notification_id) or abort(404)
    if item.read_at is None:
        item.read_at = utcnow()
        db.session.commit()
    return redirect(item.link or url_for("main.notifications"), code=303)
