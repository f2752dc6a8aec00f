"""The morning's work, as one job of the background queue that keeps itself scheduled:

    run_daily(today)            the deadline check, the daily digests, then any letter still waiting
    schedule_next(now)          the next morning's job at DAILY_AT (office time), once per day, whoever asks

Nothing has to be started by hand: every worker, when it starts, asks for the next morning's job, and each
morning's job asks for the following one before it does its work (so a morning that fails still leaves tomorrow's).
The day is the job's once_key: however many workers start, on however many machines, a day has one job (the
database refuses a second row), and the claim runs it once. Should the check still run twice in a day (the
`notify-deadlines` command by hand as well), nobody is told twice: each notification has its event key, unique per
person, and a digest letter takes only the notifications not yet sent. The job row carries its time (run_after),
so a restarted worker finds it again.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain import jobs
from domain.jobs.queue import send_after_commit
from domain.mail.outbox import deliver_pending, send_digests
from domain.office import office_today, office_zone
from domain.plans.deadline_notices import notify_deadlines
from extensions import begin_write, db
from models.choices import JOB_DAILY_NOTICES, QUEUED
from models.core import utcnow
from models.jobs import Job

DAILY_AT = time(6, 30)  # before the working day: the reporters find their reminders when they sign in


def run_daily(today) -> dict:
    notices = notify_deadlines(today)
    db.session.commit()  # the new notifications' letters are asked for; the digests below include them
    digests = send_digests(current_app.secret_key)
    waiting = deliver_pending(current_app.secret_key)
    return {"soon": notices.soon, "overdue": notices.overdue, "digest_letters_sent": digests.sent,
            "letters_sent": waiting.sent, "letters_waiting": waiting.waiting}


@jobs.task(JOB_DAILY_NOTICES, attempts=3, backoff_seconds=300, timeout_seconds=600)  # the check, digests, letters
def daily_job(job) -> dict:
    schedule_next(utcnow())
    db.session.commit()  # tomorrow's job stands even if this morning's work fails
    return run_daily(office_today())


def schedule_at_worker_start(app) -> None:
    """A worker that starts asks for the next morning's job (nothing if it is there already)."""
    job = schedule_next(utcnow())
    db.session.commit()
    app.logger.info("daily notices: job %s at %s UTC", job.id, job.run_after)


jobs.on_worker_start(schedule_at_worker_start)


def next_run(now: datetime) -> datetime:
    """The next DAILY_AT in the office's time zone after `now` (naive UTC), as naive UTC."""
    zone = office_zone()
    local = now.replace(tzinfo=UTC).astimezone(zone)
    day = local.date() if local.time() < DAILY_AT else local.date() + timedelta(days=1)
    return datetime.combine(day, DAILY_AT, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def day_key(at: datetime) -> str:
    """The once_key of the morning job due at `at` (naive UTC): its day in the office's calendar."""
    return f"{JOB_DAILY_NOTICES}:{at.replace(tzinfo=UTC).astimezone(office_zone()).date().isoformat()}"


def _job_of(key: str) -> Job | None:
    return db.session.scalar(select(Job).where(Job.once_key == key))


def schedule_next(now: datetime) -> Job:
    """Tomorrow's (or this morning's) job, asked for once: the day is its key. Sent when the caller commits."""
    at = next_run(now)
    key = day_key(at)
    job = _job_of(key)
    if job is not None:
        return job
    job = Job(kind=JOB_DAILY_NOTICES, subject="daily", params_json="{}", dedupe_key=key, once_key=key,
              state=QUEUED, max_attempts=jobs.KINDS[JOB_DAILY_NOTICES].attempts, run_after=at)
    begin_write()  # SQLite: the savepoint must not be lost to the upgrade of a read transaction at its insert
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:  # another worker asked at this very moment and committed first: its job is the day's
        return _job_of(key)
    send_after_commit(db.session(), job.id, at)
    return job
