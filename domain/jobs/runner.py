"""Asking for a job and running one: each job is claimed once, runs in its own transaction, and is tried again after
a growing wait when it fails, until its last attempt.

The claim is one conditional UPDATE (queued -> running, only if still queued and due), so a message that arrives
twice (sent again by a sweep, or by a retry) runs the job once. The handler's writes and the "done" mark are one
transaction: a worker killed half-way leaves nothing of the job in the database, and the job is run again whole.
That "done" (like a failure's record) is written only while the job is still running by the same attempt: an attempt
ended by the sweep meanwhile (past its time limit, domain.jobs.limits) changes nothing when its thread comes back.
Effects outside the database (a file written, a letter sent) must be safe to repeat: a cache file by content hash,
a letter marked sent in the same transaction as "done".
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import or_, select, update

from domain.jobs import limits
from domain.jobs.queue import KINDS, JobKind, runtime, send_after_commit
from extensions import DEFERRED, IMMEDIATE, db
from models.choices import DONE, FAILED, QUEUED, RUNNING
from models.core import User, utcnow
from models.jobs import Job

log = logging.getLogger(__name__)

IMMEDIATE_WORKER = "immediate"  # the name on jobs run at commit by the asking process (tests)


class JobFailed(Exception):
    """The job cannot succeed however often it is tried (an unreadable file): failed at once, with this
    Vietnamese message for the page."""


def enqueue(kind: str, *, subject: str = "", params: dict[str, Any] | None = None, dedupe_key: str = "",
            user: User | None = None) -> Job:
    """Ask for a job of a registered kind; it is sent to the worker when the caller's transaction commits.
    With a dedupe_key, a job of the same kind and key that is still waiting or running is returned instead."""
    if kind not in KINDS:
        raise ValueError(f"no handler registered for job kind {kind!r}")
    if dedupe_key:
        existing = db.session.scalar(select(Job).where(Job.kind == kind, Job.dedupe_key == dedupe_key,
                                                       Job.state.in_((QUEUED, RUNNING))).order_by(Job.id.desc()))
        if existing is not None:
            return existing
    job = Job(kind=kind, subject=subject, params_json=json.dumps(params or {}, ensure_ascii=False),
              dedupe_key=dedupe_key, state=QUEUED, max_attempts=KINDS[kind].attempts,
              created_by_id=user.id if user is not None else None)
    db.session.add(job)
    db.session.flush()
    send_after_commit(db.session(), job.id)
    return job


def run(job_id: int, app=None) -> None:
    """Run one job, if it is still waiting and due, inside an app context of its own (its own DB session): of `app`,
    else of the app whose request asked (immediate mode), else of the worker's."""
    app = app or (current_app._get_current_object() if has_app_context() else runtime.app)
    with app.app_context():
        attempt = _claim(job_id)
        if attempt is not None:
            _execute(attempt)


def _claim(job_id: int) -> limits.Attempt | None:
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == QUEUED, or_(Job.run_after.is_(None), Job.run_after <= now))
        .values(state=RUNNING, worker=runtime.worker_name or IMMEDIATE_WORKER, started_at=now,
                attempts=Job.attempts + 1, progress="", run_after=None)
        .returning(Job.kind, Job.attempts)
    ).first()
    db.session.commit()
    return None if claimed is None else limits.start(job_id, claimed.attempts, now, claimed.kind)


def _this_attempt(attempt: limits.Attempt):
    """The job's row while it is still running by this attempt: not ended by the sweep (time limit, dead worker) nor
    claimed again since. A thread that comes back late finds nothing to change."""
    return update(Job).where(Job.id == attempt.job_id, Job.state == RUNNING, Job.attempts == attempt.number,
                             Job.started_at == attempt.started_at).execution_options(synchronize_session=False)


def _execute(attempt: limits.Attempt) -> None:
    token = limits.current.set(attempt)
    kind = None
    try:
        # Reads do not hold SQLite's write lock; the handler's first write takes it until the commit below.
        db.session.connection(execution_options={"sqlite_begin": DEFERRED})
        job = db.session.get(Job, attempt.job_id)
        kind = KINDS.get(job.kind)
        if kind is None:
            raise JobFailed("Ứng dụng không có bộ xử lý cho loại việc này.")
        result = kind.handler(job)
        done = db.session.execute(_this_attempt(attempt).values(
            state=DONE, finished_at=utcnow(), progress="", worker="", error="",
            result_json=json.dumps(result, ensure_ascii=False) if result is not None else "")).rowcount
        if done != 1:  # ended meanwhile by the sweep: its writes go with it (the next attempt does them again)
            db.session.rollback()
            log.warning("job %s: attempt %s came back after it was ended; its result is dropped",
                        attempt.job_id, attempt.number)
            return
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        log.warning("job %s failed: %r", attempt.job_id, exc,
                    exc_info=not isinstance(exc, JobFailed | limits.JobTimedOut))
        _record_failure(attempt, kind, exc)
    finally:
        limits.current.reset(token)


def _record_failure(attempt: limits.Attempt, kind: JobKind | None, exc: Exception) -> None:
    """The failed attempt's outcome: failed for good, or queued again after the kind's wait. A handler that fails
    once its time is up (its LibreOffice stopped by the time-left budget) failed for lack of time: it says so."""
    job = db.session.get(Job, attempt.job_id)
    timed_out = isinstance(exc, limits.JobTimedOut) or limits.out_of_time(attempt)
    values = {"worker": "", "error": limits.timeout_message(attempt.limit) if timed_out else failure_message(exc)}
    delay = None
    if isinstance(exc, JobFailed) or kind is None or job.attempts >= job.max_attempts:
        values.update(state=FAILED, finished_at=utcnow())
    else:
        delay = retry_delay(kind, job.attempts)
        values.update(state=QUEUED, run_after=utcnow() + timedelta(seconds=delay))
    if db.session.execute(_this_attempt(attempt).values(**values)).rowcount == 1 and delay is not None:
        send_after_commit(db.session(), job.id, values["run_after"] if delay else None)
    db.session.commit()


def retry_delay(kind: JobKind, attempts_made: int) -> float:
    """The wait before the next attempt: the kind's backoff, doubled after each failed attempt. Immediate mode has no
    scheduler: a test that wants the retries to run sets JOBS_RETRY_BACKOFF_SECONDS to 0."""
    base = current_app.config.get("JOBS_RETRY_BACKOFF_SECONDS")
    base = kind.backoff_seconds if base is None else base
    return base * 2 ** (attempts_made - 1)


def failure_message(exc: Exception) -> str:
    if isinstance(exc, JobFailed):
        return str(exc)
    if isinstance(exc, OSError):
        return f"Lỗi đọc/ghi tệp: {exc.strerror or exc}."
    return f"Lỗi ngoài ý muốn ({type(exc).__name__}): {exc}"[:1000]


def report_progress(text: str) -> None:
    """Tell the job's page how far the running job is ("Đang chuyển sang PDF…"). Written at once in a short
    transaction of its own; skipped (the page keeps the last text) while the job itself holds SQLite's write lock,
    since that write would have to wait for the job."""
    attempt = limits.current.get()
    if attempt is None:
        return
    session = db.session()
    if (session.get_bind().dialect.name == "sqlite" and session.in_transaction()
            and session.connection().info.get("sqlite_txn") == IMMEDIATE):
        return
    try:
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == attempt.job_id, Job.state == RUNNING,
                                                 Job.attempts == attempt.number).values(progress=text[:300]))
    except Exception:  # progress is a courtesy: the job goes on
        log.warning("progress of job %s not recorded", attempt.job_id, exc_info=True)


runtime.run = run


def retry_failed(job_id: int) -> Job | None:
    """Put a failed job back in the queue for a fresh set of attempts (the operator's `jobs --retry`); sent at the
    commit. None if there is no such failed job."""
    job = db.session.get(Job, job_id)
    if job is None or job.state != FAILED:
        return None
    job.state, job.attempts, job.error, job.finished_at, job.run_after = QUEUED, 0, "", None, None
    send_after_commit(db.session(), job.id)
    return job
