"""The outbox: notifications waiting for their e-mail, sent off the request path and retried until they go.

    deliver_pending(secret_key)     every letter waiting to go alone, over one connection (the queue's job)
    send_digests(secret_key)        one letter per person choosing the daily digest (the daily job)
    forget_pending(user)            a person stopped e-mail: nothing waiting for them goes any more

A letter is claimed (its attempt counted) and committed before it is sent, so two workers never send the same
one; one that fails stays waiting until MAX_ATTEMPTS, then is given up (the notification itself stays in the
application). A worker that dies between sending and recording may send a letter twice, never lose one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from domain.mail.letters import digest_letter, notification_letter
from domain.mail.smtp import MailFailed, connection, send
from extensions import db
from models.choices import MAIL_GAVE_UP, MAIL_IN_DIGEST, MAIL_NOT_WANTED, MAIL_PENDING, MAIL_SENT
from models.core import Notification, Organization, User, utcnow
from models.mail import MailSettings

MAX_ATTEMPTS = 5
BATCH = 100


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # attempts that failed this time (the letters wait for the next try, or are given up)
    given_up: int = 0
    waiting: int = 0  # still waiting after this run
    error: str = ""


def _settings() -> MailSettings | None:
    settings = db.session.scalar(select(MailSettings).order_by(MailSettings.id).limit(1))
    return settings if settings is not None and settings.ready else None


def _claim(ids: list[int], state: str) -> list[int]:
    """Count an attempt on each letter still waiting; the ids this worker now owns."""
    owned = []
    for note_id, attempts in db.session.execute(select(Notification.id, Notification.mail_attempts)
                                                .where(Notification.id.in_(ids), Notification.mail_state == state)):
        done = db.session.execute(update(Notification).where(Notification.id == note_id,
                                                             Notification.mail_state == state,
                                                             Notification.mail_attempts == attempts)
                                  .values(mail_attempts=attempts + 1)).rowcount
        if done:
            owned.append(note_id)
    db.session.commit()
    return owned


def _record(notes: list[Notification], sent: bool, result: Delivery) -> None:
    now = utcnow()
    for note in notes:
        if sent:
            note.mail_state, note.mailed_at = MAIL_SENT, now
        elif note.mail_attempts >= MAX_ATTEMPTS:
            note.mail_state = MAIL_GAVE_UP
            result.given_up += 1
    if sent:
        result.sent += len(notes)
    else:
        result.failed += len(notes)


def _waiting(state: str) -> int:
    return db.session.scalar(select(db.func.count(Notification.id)).where(Notification.mail_state == state))


def deliver_pending(secret_key: str, limit: int | None = None) -> Delivery:
    """Send every letter waiting to go alone (up to `limit`), in batches over one SMTP connection each."""
    result = Delivery()
    settings = _settings()
    if settings is None:
        result.waiting = _waiting(MAIL_PENDING)
        return result
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
                        _record([note], False, result)
                    else:
                        _record([note], True, result)
        except MailFailed as exc:  # no connection: none of the batch went
            result.error = str(exc)
            _record([n for n in notes if n.mail_state == MAIL_PENDING], False, result)
            db.session.commit()
            break
        db.session.commit()
    result.waiting = _waiting(MAIL_PENDING)
    return result


def send_digests(secret_key: str) -> Delivery:
    """One letter per person with notifications waiting for the digest, listing them all."""
    result = Delivery()
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
                        _record(notes, False, result)
                    else:
                        _record(notes, True, result)
                db.session.commit()
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
