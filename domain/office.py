"""The office's clock: its time zone, its today, and the calendar date of a stored time.

Stored times are naive UTC; the dates people read, and the deadlines they keep, are the office's. The zone is the
organization's setting (Organization.timezone), read once per database session: a list page that shows a time on
every row asks the database once. Outside the application (no database at hand) it is the default zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import has_app_context
from sqlalchemy import select

from extensions import db
from models.core import Organization

DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # the setting until an administrator changes it
_SESSION_KEY = "office_zone"


def office_zone() -> ZoneInfo:
    """The office's time zone, from the organization's settings."""
    if not has_app_context():
        return DEFAULT_ZONE
    info = db.session.info
    if _SESSION_KEY not in info:
        name = db.session.scalar(select(Organization.timezone).order_by(Organization.id).limit(1))
        info[_SESSION_KEY] = ZoneInfo(name) if name else DEFAULT_ZONE
    return info[_SESSION_KEY]


def office_today() -> date:
    """Today in the office (a report sent at 06:30 in Hà Nội is not yesterday's)."""
    return datetime.now(office_zone()).date()


def office_date(now: datetime) -> date:
    """The office's calendar date at `now` (aware, or naive UTC as stored)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(office_zone()).date()
