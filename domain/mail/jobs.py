"""E-mail on the one background queue: the outbox is emptied by a job, off the request path, and tried again.

    ask_for_delivery()   a transaction that made letters to send asks for one job (sent when it commits)

The job sends every waiting letter (domain.mail.outbox); when some could not go (the server is down), it fails
and the queue tries again after a growing wait, up to ATTEMPTS times; each letter also counts its own attempts.
Two jobs at once never send a letter twice: each letter is claimed before it is sent.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from domain import jobs
from domain.mail.outbox import deliver_pending
from domain.mail.smtp import MailFailed
from extensions import db
from models.choices import JOB_SEND_MAIL

ATTEMPTS, BACKOFF_SECONDS = 6, 30.0
TIMEOUT_SECONDS = 300  # batches of 100 letters, each exchange at most 20 s (domain.mail.smtp)
_ASKED = "vanban_mail_job_asked"


@jobs.task(JOB_SEND_MAIL, attempts=ATTEMPTS, backoff_seconds=BACKOFF_SECONDS, timeout_seconds=TIMEOUT_SECONDS)
def send_waiting_mail(job) -> dict:
    result = deliver_pending(current_app.secret_key)
    if result.failed and result.waiting:
        raise MailFailed(result.error or "Máy chủ thư chưa nhận thư; sẽ thử lại.")
    return {"sent": result.sent, "not_sent": result.failed, "given_up": result.given_up, "waiting": result.waiting}


def ask_for_delivery() -> None:
    """One delivery job per transaction, however many letters it made."""
    session = db.session()
    if session.info.get(_ASKED):
        return
    jobs.enqueue(JOB_SEND_MAIL, subject="outbox")
    session.info[_ASKED] = True


@event.listens_for(Session, "after_commit")
def _asked_again_next_time(session) -> None:
    session.info.pop(_ASKED, None)


@event.listens_for(Session, "after_rollback")
def _asked_rolled_back(session) -> None:
    session.info.pop(_ASKED, None)
