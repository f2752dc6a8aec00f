"""The one background queue: a huey instance that carries job ids, and the registry of what each kind of job does.

Huey moves a message ("run job 12") from the process that asks to the worker process; the job itself (its kind,
parameters, state, attempts) is a row of the `job` table. A message is sent only once the row is committed, so a
worker never looks for a job that is not there yet; a message lost on the way (a worker killed after taking it)
costs nothing, since the worker's start-up sweep sends again every job the database still has waiting.

Storage: huey's SQLite file in the instance folder by default (JOBS_SQLITE_PATH to put it on a shared disk),
Redis when JOBS_REDIS_URL is set, memory or "immediate" (run at commit, in the asking process) for tests.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

SQLITE, REDIS, MEMORY, IMMEDIATE = "sqlite", "redis", "memory", "immediate"
QUEUE_NAME = "vanban"
RUN_JOB = "vanban.run_job"  # the one huey task; its argument is a job id
DEFAULT_TIMEOUT_SECONDS = 300.0  # a kind's time limit when it names none
TIMEOUT_GRACE_SECONDS = 30.0  # beyond its limit, what a running job gets before the sweep ends it

# results=False: a job's outcome is written to its row, not to huey's result store.
huey = Huey(QUEUE_NAME, results=False, storage_class=MemoryStorage)
# The app whose context the worker's jobs run in, and the name the worker records on the jobs it claims.
runtime = SimpleNamespace(app=None, worker_name="", run=None)


@dataclass(frozen=True)
class JobKind:
    """What a kind of job does and how often it is tried. `handler(job)` returns what is stored as its result."""

    code: str
    handler: Callable[[Any], Any]
    attempts: int = 3
    backoff_seconds: float = 10.0  # the wait before the second attempt; doubled before each one after
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS  # the time one attempt may take (domain.jobs.limits)


KINDS: dict[str, JobKind] = {}
# What a feature starts in the worker process beside the jobs and stops with it (a warm LibreOffice): fn(app).
WORKER_STARTS: list[Callable[[Any], None]] = []
WORKER_STOPS: list[Callable[[Any], None]] = []


def task(code: str, *, attempts: int = 3, backoff_seconds: float = 10.0,
         timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS):
    """Register the function that does jobs of kind `code` (a JOB_KINDS constant). The feature that owns the
    work decorates its handler with this, in a module the app imports, so the worker knows every kind.
    timeout_seconds: how long one attempt may run before it is stopped (domain.jobs.limits)."""

    def decorator(handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
        KINDS[code] = JobKind(code, handler, attempts, backoff_seconds, timeout_seconds)
        return handler

    return decorator


def on_worker_start(start: Callable[[Any], None], stop: Callable[[Any], None] | None = None) -> None:
    """Have the worker call start(app) when it starts and stop(app), if given, when it stops (in its main thread)."""
    WORKER_STARTS.append(start)
    if stop is not None:
        WORKER_STOPS.append(stop)


def settings(instance_path: str) -> dict[str, Any]:
    """The queue's configuration defaults, from the environment."""
    redis_url = os.environ.get("JOBS_REDIS_URL", "")
    return {
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", REDIS if redis_url else SQLITE),
        "JOBS_SQLITE_PATH": os.environ.get("JOBS_SQLITE_PATH", str(Path(instance_path) / "jobs.sqlite3")),
        "JOBS_REDIS_URL": redis_url,
        "JOBS_RETRY_BACKOFF_SECONDS": None,  # None: each kind's own; a number (0 in tests) overrides them all
        "JOBS_TIMEOUT_SECONDS": {},  # {kind: seconds}: a kind's time limit instead of the one it registered
        "JOBS_TIMEOUT_GRACE_SECONDS": TIMEOUT_GRACE_SECONDS,  # past its limit and this, a running job is ended by the sweep
    }


def configure(app) -> None:
    """Bind the queue to this app's storage. Called by create_app; the worker's app is the one jobs run in."""
    mode = app.config["JOBS_QUEUE"]
    huey.immediate = mode == IMMEDIATE
    if mode == SQLITE:
        huey.storage = SqliteStorage(QUEUE_NAME, filename=app.config["JOBS_SQLITE_PATH"])
    elif mode == REDIS:
        huey.storage = RedisStorage(QUEUE_NAME, url=app.config["JOBS_REDIS_URL"])
    else:
        huey.storage = MemoryStorage(QUEUE_NAME)
    runtime.app = app


@huey.task(name=RUN_JOB)
def _run_job_message(job_id: int) -> None:
    runtime.run(job_id)


def send(job_id: int, eta: datetime | None = None) -> None:
    """Put "run job `job_id`" on the queue now (or for `eta`, naive UTC). Prefer send_after_commit."""
    if eta is None:
        _run_job_message(job_id)
    else:
        _run_job_message.schedule(args=(job_id,), eta=eta.replace(tzinfo=UTC))  # huey reads naive as local


def send_after_commit(session, job_id: int, eta: datetime | None = None) -> None:
    """Send the message when this session's transaction commits; nothing is sent if it rolls back."""
    session.info.setdefault("jobs_to_send", []).append((job_id, eta))


@event.listens_for(Session, "after_commit")
def _send_committed(session) -> None:
    waiting = session.info.pop("jobs_to_send", None)
    for job_id, eta in waiting or ():
        try:
            send(job_id, eta)
        except Exception:  # the row is committed: the worker's start-up sweep sends it again
            log.exception("job %s could not be put on the queue", job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop("jobs_to_send", None)


def pending_messages() -> int:
    """How many messages wait in the queue storage (scheduled retries not counted)."""
    return huey.pending_count()
