"""Time limits: every kind of job has one (`jobs.task(..., timeout_seconds=...)`), so that a handler that hangs (a stuck
LibreOffice, Tesseract on a pathological page) neither holds a worker thread nor shows "đang chạy" for ever.

Two lines of defence:

- the handler's own slow calls take their timeout from time_left(cap): what is left of the running job's limit, and
  no more than the call's own cap (all it gets outside a job). They stop themselves, the handler fails, and the
  runner records "Quá thời gian cho phép (… giây)". When nothing is left, time_left raises JobTimedOut rather than
  start another call.
- the sweep (domain.jobs.workers, with every beat) ends a job still running past its limit and a grace: put back in
  the queue if it has attempts left, else failed, with the same message. Its thread may still be stuck; if it ever
  returns, its "done" is written only while the job is still running by that same attempt, so it changes nothing.

JOBS_TIMEOUT_SECONDS ({kind: seconds}) overrides the limits a kind registered; JOBS_TIMEOUT_GRACE_SECONDS the grace.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from domain.jobs.queue import DEFAULT_TIMEOUT_SECONDS, KINDS, TIMEOUT_GRACE_SECONDS


class JobTimedOut(Exception):
    """The running job has used up its time limit: no slow call is started any more."""

    def __init__(self, limit: float):
        super().__init__(timeout_message(limit))
        self.limit = limit


@dataclass(frozen=True)
class Attempt:
    """The attempt this thread is running: which job, which claim (attempt number and start), until when."""

    job_id: int
    number: int
    started_at: datetime  # as claimed, in the database: the "done" of a late thread is matched against it
    limit: float  # seconds
    deadline: float  # time.monotonic()


# Less than this left, a slow call is not started: it could not finish.
MIN_CALL_SECONDS = 0.1
current: ContextVar[Attempt | None] = ContextVar("vanban_current_attempt", default=None)


def timeout_message(limit: float) -> str:
    seconds = f"{limit:g}".replace(".", ",")  # Vietnamese decimal comma: 1,5 giây
    return f"Quá thời gian cho phép ({seconds} giây): việc đã bị dừng."


def limit_of(kind: str) -> float:
    """A kind's time limit in seconds: the configuration's (JOBS_TIMEOUT_SECONDS), else what the kind registered."""
    configured = (current_app.config.get("JOBS_TIMEOUT_SECONDS") or {}).get(kind)
    if configured is not None:
        return float(configured)
    registered = KINDS.get(kind)
    return registered.timeout_seconds if registered is not None else DEFAULT_TIMEOUT_SECONDS


def grace_seconds() -> float:
    return float(current_app.config.get("JOBS_TIMEOUT_GRACE_SECONDS", TIMEOUT_GRACE_SECONDS))


def start(job_id: int, number: int, started_at: datetime, kind: str) -> Attempt:
    limit = limit_of(kind)
    return Attempt(job_id, number, started_at, limit, time.monotonic() + limit)


def time_left(cap: float) -> float:
    """The timeout to give a slow call (a LibreOffice run, a Tesseract page, an SMTP exchange): what is left of the
    running job's time limit, at most `cap`; `cap` outside a job. Raises JobTimedOut when (almost) nothing is left."""
    attempt = current.get()
    if attempt is None:
        return cap
    left = attempt.deadline - time.monotonic()
    if left < MIN_CALL_SECONDS:
        raise JobTimedOut(attempt.limit)
    return min(cap, left)


def out_of_time(attempt: Attempt) -> bool:
    return attempt.deadline - time.monotonic() < MIN_CALL_SECONDS
