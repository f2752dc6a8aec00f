"""Time limits of background jobs: every kind has one; a handler's slow calls (LibreOffice, Tesseract, the warm
LibreOffice's XML-RPC) get what is left of it and stop themselves; a job still running past it and a grace is ended
by the sweep (queued again or failed, "Quá thời gian cho phép"), the other jobs run meanwhile, and a stuck thread that
finishes late changes nothing. The limits here are 1-2 s, set through the configuration as an operator would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from jobs_worker_app import ECHO, SLOW
from PIL import Image
from sqlalchemy import func, select
from test_jobs import WorkerProcess, _row, _until, ask, fresh, run_now, shared_instance  # noqa: F401

from docgen import office, previews
from domain import jobs
from domain.jobs import limits, queue, runner
from domain.register import ocr
from extensions import db
from models.choices import (
    DONE,
    FAILED,
    JOB_DAILY_NOTICES,
    JOB_FORMAT_CHECK_PAGES,
    JOB_KINDS,
    JOB_ONBOARDING,
    JOB_PDF_PREVIEW,
    JOB_READ_SCAN,
    JOB_SEND_MAIL,
    JOB_SIGNING_PDF,
    JOB_VERIFY_SIGNATURES,
    QUEUED,
    RUNNING,
)
from models.core import AuditEvent

OCR_PAGES = "test_ocr_pages"


@jobs.task(OCR_PAGES, attempts=1)
def read_pages(job):
    """Tesseract's reading of the PDF named in params, as the scan-reading job does it."""
    reading = ocr.read_pdf(Path(job.params["pdf"]).read_bytes())
    return {"pages": reading.pages_read, "note": reading.note}


def timed_out(seconds: str) -> str:
    return f"Quá thời gian cho phép ({seconds} giây): việc đã bị dừng."


@pytest.fixture
def memory_app(app, monkeypatch):
    """Jobs sent to an in-memory queue and run by the test (runner.run, as a worker thread does), under the name of
    no worker (the sweep leaves such jobs to their time limit)."""
    app.config.update(JOBS_QUEUE=queue.MEMORY, JOBS_RETRY_BACKOFF_SECONDS=0, JOBS_TIMEOUT_GRACE_SECONDS=0.5)
    queue.configure(app)
    monkeypatch.setattr(queue.runtime, "worker_name", "")
    return app


def _gone(pid: int) -> bool:
    """The process has ended (a zombie not yet reaped counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(") ", 1)[1].split()[0] == "Z"


def _stand_in(folder: Path, name: str) -> Path:
    """An executable `name` that records its pid and hangs (a stuck LibreOffice, a Tesseract on a bad page)."""
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\necho $$ >> {folder / (name + '.pids')}\nexec sleep 60\n")
    script.chmod(0o755)
    return script


def _pids(folder: Path, name: str) -> list[int]:
    path = folder / f"{name}.pids"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


# ---- the limits ------------------------------------------------------------------------------------------

def test_every_kind_has_its_own_time_limit_and_the_configuration_can_change_one(app):
    expected = {JOB_PDF_PREVIEW: 120, JOB_SIGNING_PDF: 120, JOB_FORMAT_CHECK_PAGES: 180, JOB_VERIFY_SIGNATURES: 120,
                JOB_SEND_MAIL: 300, JOB_DAILY_NOTICES: 600, JOB_READ_SCAN: ocr.MAX_PAGES * ocr.PAGE_BUDGET_SECONDS,
                JOB_ONBOARDING: 30 * 60}  # hashing one-time passwords for a province's 2,000 accounts
    assert set(expected) == set(JOB_KINDS), "a kind of job without a limit chosen for it"
    with app.app_context():
        assert {kind: limits.limit_of(kind) for kind in expected} == expected
        app.config["JOBS_TIMEOUT_SECONDS"] = {JOB_PDF_PREVIEW: 1.5}
        assert (limits.limit_of(JOB_PDF_PREVIEW), limits.limit_of(JOB_SIGNING_PDF)) == (1.5, 120)


def test_outside_a_job_a_slow_call_gets_its_own_timeout(app):
    with app.app_context():
        assert jobs.time_left(60) == 60


# ---- the sweep ends a job stuck past its limit; the worker goes on; a late finish changes nothing ------------

def _stuck_attempt(app, tmp_path, max_attempts: int):
    """A SLOW job whose first attempt hangs in a thread of its own (a worker thread), past its 1 s limit."""
    app.config["JOBS_TIMEOUT_SECONDS"] = {SLOW: 1}
    marks = tmp_path / "marks"
    marks.mkdir()
    with app.app_context():
        job = jobs.enqueue(SLOW, params={"dir": str(marks), "stuck": [1]})
        job.max_attempts = max_attempts
        db.session.commit()
        job_id = job.id
    stuck = threading.Thread(target=runner.run, args=(job_id, app), daemon=True)
    stuck.start()
    _until(lambda: (marks / "started-1").exists(), "the first attempt to start")
    return job_id, marks, stuck


def _swept_once_over(app, job_id):
    """Sweep as the heartbeat does until the job is no longer running; how long that took from its start."""
    with app.app_context():
        started = fresh(job_id).started_at
        assert jobs.sweep() == [] and fresh(job_id).state == RUNNING, "within its limit, a job is left alone"
        _until(lambda: jobs.sweep() or fresh(job_id).state != RUNNING, "the sweep to end the job", seconds=10)
        job = fresh(job_id)
        return job, (job.finished_at or job.run_after) - started


def test_a_job_stuck_past_its_limit_at_its_last_attempt_fails_and_its_late_finish_changes_nothing(memory_app,
                                                                                                 tmp_path):
    job_id, marks, stuck = _stuck_attempt(memory_app, tmp_path, max_attempts=1)
    job, after = _swept_once_over(memory_app, job_id)
    assert (job.state, job.attempts, job.error, job.worker) == (FAILED, 1, timed_out("1"), "")
    assert 1.5 <= after.total_seconds() < 5, "its limit (1 s) and the grace (0.5 s)"
    with memory_app.app_context():
        other = ask(ECHO, n=1)
        run_now(other.id)
        assert fresh(other.id).state == DONE, "another job runs while the stuck thread still hangs"
    assert stuck.is_alive()

    (marks / "release").touch()
    stuck.join(10)
    assert (marks / "finished").read_text() == "1\n", "the stuck attempt did finish, late"
    with memory_app.app_context():
        job = fresh(job_id)
        assert (job.state, job.error, job.result) == (FAILED, timed_out("1"), None)
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "test_slow")) == 0, \
            "the late attempt's writes went with its result"


def test_a_job_stuck_past_its_limit_with_attempts_left_runs_again_and_keeps_the_new_attempts_result(memory_app,
                                                                                                   tmp_path):
    job_id, marks, stuck = _stuck_attempt(memory_app, tmp_path, max_attempts=2)
    job, _after = _swept_once_over(memory_app, job_id)
    assert (job.state, job.attempts, job.error) == (QUEUED, 1, timed_out("1"))
    with memory_app.app_context():
        run_now(job_id)  # the message the sweep sent, taken by another worker thread
        assert (fresh(job_id).state, fresh(job_id).result) == (DONE, {"attempt": 2})

    (marks / "release").touch()
    stuck.join(10)
    assert (marks / "finished").read_text() == "2\n1\n"
    with memory_app.app_context():
        job = fresh(job_id)
        assert (job.state, job.attempts, job.result, job.error) == (DONE, 2, {"attempt": 2}, "")
        summaries = db.session.scalars(select(AuditEvent.summary).where(AuditEvent.action == "test_slow")).all()
        assert summaries == [f"job {job_id} attempt 2"]


# ---- the handler's own slow calls stop at the time left -----------------------------------------------------

def test_a_stuck_libreoffice_is_stopped_at_the_time_left_and_the_job_retried_then_failed(memory_app, tmp_path,
                                                                                       monkeypatch):
    bin_dir = tmp_path / "bin"
    _stand_in(bin_dir, "soffice")
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    memory_app.config["JOBS_TIMEOUT_SECONDS"] = {JOB_PDF_PREVIEW: 1.5}
    with memory_app.app_context():
        job = previews.request_preview(b"docx bytes", subject="document:1", user=None)
        db.session.commit()
        for attempt, state in ((1, QUEUED), (2, FAILED)):
            started = time.monotonic()
            run_now(job.id)
            took = time.monotonic() - started
            again = fresh(job.id)
            assert (again.state, again.attempts, again.error) == (state, attempt, timed_out("1,5"))
            assert 1.4 <= took < 4, f"attempt {attempt} took {took:.1f} s"
    pids = _pids(bin_dir, "soffice")
    assert len(pids) == 2 and all(_gone(pid) for pid in pids), "each stuck LibreOffice was killed"


def _scanned_pdf(path: Path, pages: int) -> Path:
    page = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi: pdfimages finds one picture per page
    page.save(path, "PDF", resolution=150, save_all=True, append_images=[page.copy() for _ in range(pages - 1)])
    return path


def test_a_stuck_tesseract_page_is_stopped_at_the_jobs_budget_and_no_page_is_started_after_it(memory_app, tmp_path,
                                                                                            monkeypatch):
    tesseract = _stand_in(tmp_path / "bin", "tesseract")
    monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd", str(tesseract))
    monkeypatch.setattr(ocr, "available", lambda: True)
    memory_app.config["JOBS_TIMEOUT_SECONDS"] = {OCR_PAGES: 1.5}
    with memory_app.app_context():
        job = jobs.enqueue(OCR_PAGES, params={"pdf": str(_scanned_pdf(tmp_path / "scan.pdf", pages=3))})
        db.session.commit()
        started = time.monotonic()
        run_now(job.id)
        took = time.monotonic() - started
        job = fresh(job.id)
        assert (job.state, job.error) == (FAILED, timed_out("1,5"))
    assert 1.4 <= took < 5
    pids = _pids(tmp_path / "bin", "tesseract")
    assert len(pids) == 1 and _gone(pids[0]), "page 1's Tesseract was stopped, pages 2 and 3 never started"


@pytest.fixture
def hung_warm_office(tmp_path):
    """A warm LibreOffice that takes the conversion and never answers: a listening port that reads nothing, and a
    process standing in for unoserver (in its own group, as the real one)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    warm = office.WarmOffice()
    warm.port = listener.getsockname()[1]
    warm.process = subprocess.Popen(["sleep", "60"], start_new_session=True)
    warm.work_dir = tmp_path / "warm-profile"
    warm.work_dir.mkdir()
    yield warm
    warm.stop()
    listener.close()


def test_the_warm_libreoffice_is_given_the_time_left_and_stopped_when_it_overruns(hung_warm_office):
    server = hung_warm_office.process
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        hung_warm_office.convert(b"docx bytes", timeout=1)
    assert 0.9 <= time.monotonic() - started < 3
    assert server.poll() == -signal.SIGKILL and not hung_warm_office.running(), "the hung one is stopped"


def test_a_preview_whose_warm_libreoffice_hangs_ends_at_its_limit_without_a_cold_start(memory_app, tmp_path,
                                                                                     monkeypatch, hung_warm_office):
    bin_dir = tmp_path / "bin"
    _stand_in(bin_dir, "soffice")
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setattr(previews, "_warm", hung_warm_office)
    memory_app.config["JOBS_TIMEOUT_SECONDS"] = {JOB_PDF_PREVIEW: 1}
    with memory_app.app_context():
        job = previews.request_preview(b"docx bytes", subject="document:1", user=None)
        db.session.commit()
        started = time.monotonic()
        run_now(job.id)
        assert time.monotonic() - started < 3
        job = fresh(job.id)
        assert (job.state, job.attempts, job.error) == (QUEUED, 1, timed_out("1"))
    assert _pids(bin_dir, "soffice") == [], "no time was left for a cold LibreOffice"


# ---- the real worker: two threads, one stuck --------------------------------------------------------------

def test_the_worker_ends_a_stuck_job_runs_it_again_and_goes_on_with_the_queue(shared_instance):  # noqa: F811
    app, instance, workers = shared_instance
    (instance / "config.py").write_text(f"JOBS_TIMEOUT_SECONDS = {{{SLOW!r}: 1}}\nJOBS_TIMEOUT_GRACE_SECONDS = 0.5\n"
                                        "JOBS_BEAT_SECONDS = 0.5\n")
    marks = instance / "marks"
    marks.mkdir()
    workers.append(worker := WorkerProcess(instance, threads=2))
    _until(lambda: _row(instance, "SELECT count(*) FROM job_worker")[0], "the worker to start")
    with app.app_context():
        slow = jobs.enqueue(SLOW, params={"dir": str(marks), "stuck": [1]}).id
        db.session.commit()
    _until(lambda: (marks / "started-1").exists(), "the first attempt to start")
    _until(lambda: _row(instance, "SELECT state FROM job WHERE id = ?", slow) == (DONE,),
           "the heartbeat to end the stuck attempt and the other thread to run the job again", seconds=15)
    assert _row(instance, "SELECT attempts, result_json FROM job WHERE id = ?", slow) == (2, '{"attempt": 2}')
    with app.app_context():
        echo = jobs.enqueue(ECHO, params={"n": 4}).id
        db.session.commit()
    _until(lambda: _row(instance, "SELECT state FROM job WHERE id = ?", echo) == (DONE,), "another job to run")
    assert (marks / "finished").read_text() == "2\n", "the stuck attempt still hangs meanwhile"

    (marks / "release").touch()
    _until(lambda: "its result is dropped" in worker.log_text(), "the stuck attempt to come back")
    assert _row(instance, "SELECT state, attempts, result_json FROM job WHERE id = ?", slow) == \
        (DONE, 2, '{"attempt": 2}')
    assert _row(instance, "SELECT count(*) FROM audit_event WHERE action = 'test_slow'") == (1,)
    assert "ran past its limit of 1 s" in worker.log_text()
