"""The outbox: notifications waiting for their e-mail, sent off the request path and retried until they go.

    deliver_pending(secret_key)     every letter waiting to go alone, over one connection (the queue's job)
    send_digests(secret_key)        one letter per person choosing the daily digest (the daily job)
    forget_pending(user)            a person stopped e-mail: nothing waiting for them goes any more

A letter is claimed (state "sending", its attempt counted) and committed before it is sent, so two workers never
send the same one; one that fails waits again until MAX_ATTEMPTS, then is given up (the notification itself stays
in the application). The letters of a worker that died before recording them wait again after STALE_CLAIM: a
letter may go twice, never be lost. bench/bench_notification_mail.py counts them at an SMTP server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from domain.mail.letters import digest_letter, notification_letter
from domain.mail.smtp import MailFailed, connection, send
from extensions import DEFERRED, db
from models.choices import (
    MAIL_GAVE_UP,
    MAIL_IN_DIGEST,
    MAIL_NOT_WANTED,
    MAIL_PENDING,
    MAIL_SENDING,
    MAIL_SENT,
)
from models.core import Notification, Organization, User, utcnow
from models.mail import MailSettings

MAX_ATTEMPTS = 5
BATCH = 100
STALE_CLAIM = timedelta(minutes=15)  # far longer than a batch takes to send


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # attempts that failed this time (the letters wait for the next try, or are given up)
    given_up: int = 0
    waiting: int = 0  # still waiting after this run
    error: str = ""


def _reading() -> None:
    """Begin the next transaction as a read (SQLite): the write lock is taken only at the first write, so the
    letters are sent without holding it, and the requests that make notifications meanwhile do not wait."""
    db.session.connection(execution_options={"sqlite_begin": DEFERRED})


def _settings() -> MailSettings | None:
    settings = db.session.scalar(select(MailSettings).order_by(MailSettings.id).limit(1))
    return settings if settings is not None and settings.ready else None


def _release_stale() -> int:
    """Letters claimed by a worker that died before recording them go back to waiting (they may go twice)."""
    done = db.session.execute(update(Notification).where(
        Notification.mail_state == MAIL_SENDING, Notification.mailed_at < utcnow() - STALE_CLAIM)
        .values(mail_state=MAIL_PENDING)).rowcount
    db.session.commit()
    _reading()
    return done


def _claim(ids: list[int], state: str) -> list[int]:
    """Take the letters still waiting in `state` for this worker (state "sending", an attempt counted): one
    conditional UPDATE that answers the rows it changed, so of two workers asking for a letter only one gets it."""
    owned = list(db.session.scalars(
        update(Notification).where(Notification.id.in_(ids), Notification.mail_state == state)
        .values(mail_state=MAIL_SENDING, mail_attempts=Notification.mail_attempts + 1, mailed_at=utcnow())
        .returning(Notification.id)))
    db.session.commit()
    _reading()
    return owned


def _record(notes: list[Notification], sent: bool, result: Delivery, back_to: str) -> None:
    """After a try: sent; or waiting again in `back_to`; or, after the last attempt, given up."""
    now = utcnow()
    for note in notes:
        if sent:
            note.mail_state, note.mailed_at = MAIL_SENT, now
        elif note.mail_attempts >= MAX_ATTEMPTS:
            note.mail_state, note.mailed_at = MAIL_GAVE_UP, None
            result.given_up += 1
        else:
            note.mail_state, note.mailed_at = back_to, None
    if sent:
        result.sent += len(notes)
    else:
        result.failed += len(notes)


def _waiting(state: str) -> int:
    return db.session.scalar(select(db.func.count(Notification.id)).where(Notification.mail_state == state))


def deliver_pending(secret_key: str, limit: int | None = None) -> Delivery:
    """Send every letter waiting to go alone (up to `limit`), in batches over one SMTP connection each."""
    result = Delivery()
    db.session.commit()  # whatever the caller had open; from here each transaction begins as a read
    _reading()
    settings = _settings()
    if settings is None:
        result.waiting = _waiting(MAIL_PENDING)
        return result
    _release_stale()
    organization = Organization.current().full_name
    tried: set[int] = set()
    while limit is None or result.sent + result.failed < limit:
        size = BATCH if limit is None else min(BATCH, limit - result.sent - result.failed)
        ids = list(db.session.scalars(select(Notification.id).where(Notification.mail_state == MAIL_PENDING,
                                                                    Notification.id.notin_(tried))
                                      .order_by(Notification.id).limit(size)))
        if not ids:
            break
        tried.update(ids)
        owned = _claim(ids, MAIL_PENDING)
        notes = list(db.session.scalars(select(Notification).where(Notification.id.in_(owned))
                                        .order_by(Notification.id)))
        people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({n.user_id for n in notes})))}
        try:
            with connection(settings) as server:
                for note in notes:
                    person = people[note.user_id]
                    if not person.email or not person.active:
                        note.mail_state = MAIL_NOT_WANTED
                        continue
                    try:
                        send(server, notification_letter(settings, note, person, secret_key, organization))
                    except MailFailed as exc:
                        result.error = str(exc)
                        _record([note], False, result, MAIL_PENDING)
                    else:
                        _record([note], True, result, MAIL_PENDING)
        except MailFailed as exc:  # no connection: none of the batch went
            result.error = str(exc)
            _record([n for n in notes if n.mail_state == MAIL_SENDING], False, result, MAIL_PENDING)
            db.session.commit()
            break
        db.session.commit()
        _reading()
    result.waiting = _waiting(MAIL_PENDING)
    return result


def send_digests(secret_key: str) -> Delivery:
    """One letter per person with notifications waiting for the digest, listing them all."""
    result = Delivery()
    db.session.commit()
    _reading()
    settings = _settings()
    if settings is None:
        result.waiting = _waiting(MAIL_IN_DIGEST)
        return result
    organization = Organization.current().full_name
    user_ids = list(db.session.scalars(select(Notification.user_id).where(Notification.mail_state == MAIL_IN_DIGEST)
                                       .distinct().order_by(Notification.user_id)))
    try:
        with connection(settings) as server:
            for user_id in user_ids:
                ids = list(db.session.scalars(select(Notification.id).where(
                    Notification.user_id == user_id, Notification.mail_state == MAIL_IN_DIGEST)))
                owned = _claim(ids, MAIL_IN_DIGEST)
                notes = list(db.session.scalars(select(Notification).where(Notification.id.in_(owned))
                                                .order_by(Notification.created_at, Notification.id)))
                person = db.session.get(User, user_id)
                if not notes:
                    continue
                if not person.email or not person.active:
                    for note in notes:
                        note.mail_state = MAIL_NOT_WANTED
                else:
                    try:
                        send(server, digest_letter(settings, notes, person, secret_key, organization))
                    except MailFailed as exc:
                        result.error = str(exc)
                        _record(notes, False, result, MAIL_IN_DIGEST)
                    else:
                        _record(notes, True, result, MAIL_IN_DIGEST)
                db.session.commit()
                _reading()
    except MailFailed as exc:
        result.error = str(exc)
    result.waiting = _waiting(MAIL_IN_DIGEST)
    return result


def forget_pending(user: User) -> int:
    """Nothing waiting for this person goes any more (they stopped e-mail); how many letters were waiting."""
    return db.session.execute(update(Notification).where(Notification.user_id == user.id,
                                                         Notification.mail_state.in_((MAIL_PENDING, MAIL_IN_DIGEST)))
                              .values(mail_state=MAIL_NOT_WANTED)).rowcount


def move_waiting(user: User, to_state: str) -> int:
    """The person changed between immediate and digest: their waiting letters follow the new choice."""
    return db.session.execute(update(Notification).where(Notification.user_id == user.id,
                                                         Notification.mail_state.in_((MAIL_PENDING, MAIL_IN_DIGEST)))
                              .values(mail_state=to_state)).rowcount
