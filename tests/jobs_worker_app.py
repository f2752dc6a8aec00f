"""The application with four job kinds that tests drive: `flask --app jobs_worker_app worker` (PYTHONPATH=tests)
runs the real worker with them, and the in-process tests register the same ones.

Each handler leaves marks in the directory named by its job's params, so a test sees from outside what ran, how
often and in which process: "started-<attempt>" when an attempt begins, a line in "finished" when one completes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import text

from app import create_app as _create_app
from domain import jobs
from extensions import db
from models.core import audit

ECHO, FLAKY, HOLD, SLOW = "test_echo", "test_flaky", "test_hold", "test_slow"


@jobs.task(ECHO, attempts=1)
def echo(job):
    """Reports its progress, writes an audit row in the job's transaction, returns its params."""
    jobs.report_progress("Đang làm bước 1/2")
    with db.engine.connect() as other:  # what a page polling now would read
        seen = other.execute(text("SELECT progress FROM job WHERE id = :id"), {"id": job.id}).scalar()
    audit("test_job", None, summary=f"job {job.id}")
    return {"params": job.params, "progress_seen": seen}


@jobs.task(FLAKY, attempts=3, backoff_seconds=30)
def flaky(job):
    """Fails until its attempt number reaches params["succeed_at"]; never when that is 0 (then: a bad file)."""
    succeed_at = job.params["succeed_at"]
    if succeed_at == 0:
        raise jobs.JobFailed("Tệp không đọc được.")
    if job.attempts < succeed_at:
        raise RuntimeError(f"máy chủ thư chưa trả lời (lần {job.attempts})")
    return {"attempt": job.attempts}


@jobs.task(HOLD, attempts=3, backoff_seconds=0)
def hold(job):
    """Waits (at most 30 s) until the test creates "release" in its directory; a killed worker dies in here."""
    marks = Path(job.params["dir"])
    (marks / f"started-{job.attempts}").write_text(str(os.getpid()))
    deadline = time.monotonic() + 30
    while not (marks / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with (marks / "finished").open("a") as f:
        f.write(f"{job.attempts} {os.getpid()}\n")
    return {"pid": os.getpid()}


@jobs.task(SLOW, attempts=2, backoff_seconds=0)
def slow(job):
    """On the attempts listed in params["stuck"], hangs, heedless of its time limit, until the test creates "release"
    (at most 30 s); every attempt then writes an audit row (in the job's transaction) and a line in "finished"."""
    marks = Path(job.params["dir"])
    (marks / f"started-{job.attempts}").write_text(str(os.getpid()))
    if job.attempts in job.params.get("stuck", ()):
        deadline = time.monotonic() + 30
        while not (marks / "release").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    audit("test_slow", None, summary=f"job {job.id} attempt {job.attempts}")
    with (marks / "finished").open("a") as f:
        f.write(f"{job.attempts}\n")
    return {"attempt": job.attempts}


def create_app():
    return _create_app({"PDF_WARM_OFFICE": False})  # these workers render no PDF: no LibreOffice to start
