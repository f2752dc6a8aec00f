"""Which worker processes are alive, and what becomes of the jobs of one that is not, or of a job that overran.

A worker writes its row at start and beats every BEAT_SECONDS. A job is "running" only while its worker beats: the
sweep (at a worker's start, then with every beat) puts the running jobs of a dead worker back in the queue, or fails
them when that was their last attempt. A worker on this machine whose process is gone is dead at once (a restart
after `kill -9` does not wait); one on another machine, when it has not beaten for STALE_SECONDS.

The same sweep ends a job still running past its kind's time limit and the grace (domain.jobs.limits), whichever
worker runs it: queued again after the kind's wait if it has attempts left, else failed, "Quá thời gian cho phép".
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import timedelta

from sqlalchemy import delete, select, update

from domain.jobs import limits
from domain.jobs.queue import KINDS, runtime, send_after_commit
from domain.jobs.runner import IMMEDIATE_WORKER, retry_delay
from extensions import db
from models.choices import FAILED, JOB_FINISHED, QUEUED, RUNNING
from models.core import utcnow
from models.jobs import Job, JobWorker

log = logging.getLogger(__name__)

BEAT_SECONDS = 10
STALE_SECONDS = 45
KEEP_FINISHED_DAYS = 30  # a finished job's row is kept this long (its page, its result), then removed by the sweep
STOPPED_MESSAGE = "Tiến trình xử lý nền đã dừng giữa chừng."


def start_worker() -> str:
    """Record this process as a worker; its name goes on the jobs it claims."""
    host = socket.gethostname()[:100]
    name = f"{host}:{os.getpid()}:{secrets.token_hex(4)}"
    db.session.add(JobWorker(name=name, host=host, pid=os.getpid()))
    db.session.commit()
    runtime.worker_name = name
    return name


def beat(name: str) -> None:
    worker = db.session.get(JobWorker, name)
    if worker is None:  # swept by another worker after a long pause: come back
        db.session.add(JobWorker(name=name, host=socket.gethostname()[:100], pid=os.getpid()))
    else:
        worker.beat_at = utcnow()
    db.session.commit()


def stop_worker(name: str) -> None:
    """A worker that stops puts back the jobs it was running (SIGTERM interrupts them) and removes its row."""
    db.session.execute(delete(JobWorker).where(JobWorker.name == name))
    db.session.commit()
    sweep()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def live_workers() -> set[str]:
    """Names of the workers that beat recently and, on this machine, whose process still exists."""
    horizon = utcnow() - timedelta(seconds=STALE_SECONDS)
    host = socket.gethostname()[:100]
    return {w.name for w in db.session.scalars(select(JobWorker).where(JobWorker.beat_at >= horizon))
            if w.host != host or _process_alive(w.pid)}


def any_worker_alive() -> bool:
    return bool(live_workers())


def sweep(resend_waiting: bool = False) -> list[int]:
    """Put back in the queue the running jobs of workers that are gone (failed if that was their last attempt), and
    end those past their time limit; with resend_waiting (a worker's start), send again every waiting job, in case
    its message was lost. Returns the ids of the jobs put back. A message sent twice is harmless: the claim runs a
    job once."""
    alive = live_workers()
    orphans = [job for job in db.session.scalars(select(Job).where(Job.state == RUNNING))
               if job.worker not in alive and job.worker != IMMEDIATE_WORKER]
    for job in orphans:
        job.worker, job.error = "", STOPPED_MESSAGE
        if job.attempts >= job.max_attempts:
            job.state, job.finished_at = FAILED, utcnow()
        else:
            job.state, job.run_after = QUEUED, None
            send_after_commit(db.session(), job.id)
    overran = _end_overrunning(db.session.scalars(select(Job).where(Job.state == RUNNING)).all())  # orphans flushed
    if resend_waiting:
        for job in db.session.scalars(select(Job).where(Job.state == QUEUED, Job.id.not_in([j.id for j in orphans]))):
            send_after_commit(db.session(), job.id, job.run_after)
    db.session.execute(delete(JobWorker).where(JobWorker.name.not_in(alive)))
    db.session.execute(delete(Job).where(Job.state.in_(JOB_FINISHED),
                                         Job.finished_at < utcnow() - timedelta(days=KEEP_FINISHED_DAYS)))
    db.session.commit()
    if orphans:
        log.warning("jobs of stopped workers put back: %s", [job.id for job in orphans])
    return [job.id for job in orphans if job.state == QUEUED] + overran


def _end_overrunning(running: list[Job]) -> list[int]:
    """End the jobs among `running` that are past their limit and the grace; the ids of those queued again. Each
    change is conditional on the same attempt still running (its thread may finish at this very moment)."""
    now, grace, queued = utcnow(), limits.grace_seconds(), []
    for job in running:
        limit = limits.limit_of(job.kind)
        if job.started_at is None or job.started_at + timedelta(seconds=limit + grace) > now:
            continue
        values, delay = {"worker": "", "error": limits.timeout_message(limit)}, 0.0
        kind = KINDS.get(job.kind)
        if kind is None or job.attempts >= job.max_attempts:
            values.update(state=FAILED, finished_at=now)
        else:
            delay = retry_delay(kind, job.attempts)
            values.update(state=QUEUED, run_after=now + timedelta(seconds=delay))
        ended = db.session.execute(
            update(Job).where(Job.id == job.id, Job.state == RUNNING, Job.attempts == job.attempts,
                              Job.started_at == job.started_at).values(**values)
            .execution_options(synchronize_session=False)).rowcount
        log.warning("job %s (%s) ran past its limit of %g s: %s", job.id, job.kind, limit,
                    values["state"] if ended else "finished meanwhile")
        if ended and values["state"] == QUEUED:
            send_after_commit(db.session(), job.id, values["run_after"] if delay else None)
            queued.append(job.id)
    return queued
