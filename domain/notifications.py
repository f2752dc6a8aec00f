"""In-app notifications: one row per person told, shown under the bell. Added to the caller's transaction.

    notify_users(ids, sender, message, link, kind=, key=)   one notification per user (once per key)
    notify_units(unit ids, sender, message, link, kind=, key=)  one per reporting account of each unit
    register_link(kind, build) / link_to(kind, id)           links built by the blueprint that shows the page

A unit's notifications go to its active reporting accounts (role unit_reporter): those are the people who can
open the unit's pages. An office department has none, so it is "unreached" rather than told through a clerk who
would land on a page that is not theirs. Each notification records whether it is to be e-mailed (at once or in
the daily digest), from the person's own choice and the office's SMTP settings; domain.mail.outbox sends it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from domain.mail.jobs import ask_for_delivery
from extensions import db
from models.choices import (
    MAIL_DAILY,
    MAIL_IMMEDIATE,
    MAIL_IN_DIGEST,
    MAIL_NOT_WANTED,
    MAIL_PENDING,
    NOTE_GENERAL,
    UNIT_REPORTER,
)
from models.core import Notification, User, UserRole
from models.mail import MailSettings

MESSAGE_MAX, LINK_MAX, KEY_MAX = 1000, 300, 120
_READY_KEY = "vanban_mail_ready"
# What telling a person needs of them: rows, not User objects (whose roles would be loaded with each).
_PERSON = (User.id, User.unit_id, User.email, User.mail_mode, User.active)

# kind -> function(subject id) -> the page's path. The blueprints register them (the domain builds no URLs), so
# notifications made outside a view (the daily deadline check, the issuing hook) link to the same pages.
_LINKS: dict[str, Callable[[int], str]] = {}


def register_link(kind: str, build: Callable[[int], str]) -> None:
    _LINKS[kind] = build


def link_to(kind: str, subject_id: int) -> str:
    build = _LINKS.get(kind)
    return build(subject_id) if build else ""


def mail_ready() -> bool:
    """The office has a mail server set up and switched on (read only: no settings row is made here). Read once
    per database session: a fan-out to a province's reporters asks once."""
    info = db.session.info
    if _READY_KEY not in info:
        with db.session.no_autoflush:
            row = db.session.scalar(select(MailSettings).order_by(MailSettings.id).limit(1))
        info[_READY_KEY] = row is not None and row.ready
    return info[_READY_KEY]


def forget_mail_settings() -> None:
    """The settings changed: the next notification reads them again."""
    db.session.info.pop(_READY_KEY, None)


def mail_state_for(user, ready: bool) -> str:
    """What to do with this person's next notification by e-mail."""
    if not ready or not user.email or not user.active:
        return MAIL_NOT_WANTED
    return {MAIL_IMMEDIATE: MAIL_PENDING, MAIL_DAILY: MAIL_IN_DIGEST}.get(user.mail_mode, MAIL_NOT_WANTED)


def notify_users(user_ids: list[int], sender: User | None, message: str, link: str = "", *,
                 unit_id: int | None = None, kind: str = NOTE_GENERAL, key: str | None = None) -> list[Notification]:
    """One notification per user; `unit_id` is the unit it concerns, when it concerns one.

    With a `key` (the event: "deadline_soon:assignment:12:2026-12-09") a user already told of it is not told again.
    """
    wanted = list(dict.fromkeys(uid for uid in user_ids if uid))
    if not wanted:
        return []
    with db.session.no_autoflush:
        people = list(db.session.execute(select(*_PERSON).where(User.id.in_(wanted))))
    return _notify(people, sender, message, link, unit_id=unit_id, kind=kind, key=key)


def _notify(people: list, sender: User | None, message: str, link: str, *, unit_id: int | None, kind: str,
            key: str | None, per_unit: bool = False) -> list[Notification]:
    if key is not None and people:
        key = key[:KEY_MAX]
        told = set(db.session.scalars(select(Notification.user_id).where(  # autoflush: this transaction's too
            Notification.key == key, Notification.user_id.in_([p.id for p in people]))))
        people = [p for p in people if p.id not in told]
    if not people:
        return []
    ready = mail_ready()
    notes = [Notification(user_id=p.id, unit_id=p.unit_id if per_unit else unit_id,
                          sender_id=sender.id if sender else None, message=message[:MESSAGE_MAX],
                          link=link[:LINK_MAX], kind=kind, key=key, mail_state=mail_state_for(p, ready),
                          mail_attempts=0)
             for p in people]
    db.session.add_all(notes)
    if any(note.mail_state == MAIL_PENDING for note in notes):
        ask_for_delivery()  # the letters go after this transaction commits, from the worker
    return notes


def unit_reporters(unit_ids: list[int]) -> list:
    """The active reporting accounts of these units (id, unit, e-mail and mail choice of each)."""
    if not unit_ids:
        return []
    with db.session.no_autoflush:
        return list(db.session.execute(
            select(*_PERSON).join(UserRole, UserRole.user_id == User.id)
            .where(User.unit_id.in_(unit_ids), User.active.is_(True), UserRole.role == UNIT_REPORTER)
            .order_by(User.id)))


def notify_units(unit_ids: list[int], sender: User | None, message: str, link: str = "", *,
                 kind: str = NOTE_GENERAL, key: str | None = None) -> tuple[int, list[int]]:
    """One notification per reporting account of each unit: (notifications, ids of the units that have none)."""
    people = unit_reporters(unit_ids)
    sent = len(_notify(people, sender, message, link, unit_id=None, kind=kind, key=key, per_unit=True))
    reached = {person.unit_id for person in people}
    return sent, [unit_id for unit_id in unit_ids if unit_id not in reached]
