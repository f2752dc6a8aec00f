"""The morning's work, as one job of the background queue that keeps itself scheduled:

    run_daily(today)            the deadline check, the daily digests, then any letter still waiting
    schedule_next(now)          tomorrow's job at DAILY_AT (office time), once, surviving worker restarts

`flask --app app notify-deadlines` runs the check at once and makes sure tomorrow's job is there; from then on the
worker runs it every morning. The job row carries its time (run_after), so a restarted worker finds it again.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from domain import jobs
from domain.jobs.queue import send_after_commit
from domain.mail.outbox import deliver_pending, send_digests
from domain.office import office_today, office_zone
from domain.plans.deadline_notices import notify_deadlines
from extensions import db
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
    result = run_daily(office_today())
    schedule_next(utcnow())
    return result


def next_run(now: datetime) -> datetime:
    """The next DAILY_AT in the office's time zone after `now` (naive UTC), as naive UTC."""
    zone = office_zone()
    local = now.replace(tzinfo=UTC).astimezone(zone)
    day = local.date() if local.time() < DAILY_AT else local.date() + timedelta(days=1)
    return datetime.combine(day, DAILY_AT, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def schedule_next(now: datetime) -> Job:
    """Tomorrow's (or this morning's) job, asked for once: the day is its key."""
    at = next_run(now)
    key = f"{JOB_DAILY_NOTICES}:{at.replace(tzinfo=UTC).astimezone(office_zone()).date().isoformat()}"
    job = db.session.scalar(select(Job).where(Job.kind == JOB_DAILY_NOTICES, Job.dedupe_key == key))
    if job is None:
        job = Job(kind=JOB_DAILY_NOTICES, subject="daily", params_json="{}", dedupe_key=key, state=QUEUED,
                  max_attempts=jobs.KINDS[JOB_DAILY_NOTICES].attempts, run_after=at)
        db.session.add(job)
        db.session.flush()
        send_after_commit(db.session(), job.id, at)
    return job
