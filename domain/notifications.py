"""In-app notifications: one row per person told, shown in the header. Added to the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models.core import Notification, User

MESSAGE_MAX, LINK_MAX = 1000, 300


def notify_users(user_ids: list[int], sender: User | None, message: str, link: str = "", *,
                 unit_id: int | None = None) -> list[Notification]:
    """One notification per user; `unit_id` is the unit it concerns, when it concerns one."""
    notes = [Notification(user_id=user_id, unit_id=unit_id, sender_id=sender.id if sender else None,
                          message=message[:MESSAGE_MAX], link=link[:LINK_MAX]) for user_id in user_ids]
    db.session.add_all(notes)
    return notes


def notify_units(unit_ids: list[int], sender: User | None, message: str, link: str = "") -> tuple[int, list[int]]:
    """One notification per active user of each unit: (notifications, ids of the units that have no active user)."""
    people = db.session.scalars(select(User).where(User.unit_id.in_(unit_ids), User.active.is_(True))).all() \
        if unit_ids else []
    for person in people:
        notify_users([person.id], sender, message, link, unit_id=person.unit_id)
    reached = {person.unit_id for person in people}
    return len(people), [unit_id for unit_id in unit_ids if unit_id not in reached]
