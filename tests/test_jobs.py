"""The background job queue: a job asked for in a transaction is sent when it commits, runs once in its own
transaction, records its progress for the page, is retried with a growing wait, and survives its worker being
killed. In-process tests run jobs "immediately" (at commit) or from memory; the last ones run the real worker."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import make_user
from jobs_worker_app import ECHO, FLAKY, HOLD
from pg import throwaway_database
from sqlalchemy import select

from app import create_app
from domain import jobs
from domain.jobs import queue, runner
from domain.jobs.access import DOCUMENT_SUBJECT, subject_of
from domain.jobs.workers import KEEP_FINISHED_DAYS, STOPPED_MESSAGE
from extensions import db
from models.choices import CLERK, DONE, FAILED, QUEUED, RUNNING
from models.core import AuditEvent, User, utcnow
from models.jobs import Job, JobWorker


def ask(kind, **params):
    job = jobs.enqueue(kind, params=params)
    db.session.commit()
    return fresh(job.id)


def run_now(job_id):
    """What the worker does with a message; the test's own session first ends its transaction, as a worker's
    thread has none open (outside a request, SQLite's transactions hold the write lock)."""
    db.session.commit()
    runner.run(job_id)


def fresh(job_id):
    db.session.expire_all()
    return db.session.get(Job, job_id)


# ---- immediate mode: the job runs when the asking transaction commits ------------------------------------

def test_a_job_runs_when_its_transaction_commits_and_its_writes_land_with_done(app):
    with app.app_context():
        job = jobs.enqueue(ECHO, params={"n": 1})
        assert job.state == QUEUED and queue.huey.immediate
        db.session.commit()
        job = fresh(job.id)
        assert (job.state, job.attempts, job.result["params"]) == (DONE, 1, {"n": 1})
        assert job.started_at and job.finished_at and job.worker == "" and job.error == ""
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "test_job")).summary == f"job {job.id}"


def test_a_job_asked_for_in_a_transaction_that_rolls_back_is_never_sent(app):
    with app.app_context():
        jobs.enqueue(ECHO, params={"n": 2})
        db.session.rollback()
        db.session.commit()
        assert db.session.scalar(select(Job)) is None
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "test_job")) is None


def test_progress_is_visible_to_other_connections_while_the_job_runs(app):
    with app.app_context():
        job = ask(ECHO)
        assert job.result["progress_seen"] == "Đang làm bước 1/2"
        assert job.progress == "", "a finished job shows its outcome, not its last step"


def test_a_failing_job_is_retried_until_it_succeeds(app):
    app.config["JOBS_RETRY_BACKOFF_SECONDS"] = 0
    with app.app_context():
        job = ask(FLAKY, succeed_at=3)
        assert (job.state, job.attempts, job.result) == (DONE, 3, {"attempt": 3})


def test_a_job_that_fails_every_attempt_ends_failed_with_the_last_error(app):
    app.config["JOBS_RETRY_BACKOFF_SECONDS"] = 0
    with app.app_context():
        job = ask(FLAKY, succeed_at=9)
        assert (job.state, job.attempts) == (FAILED, 3)
        assert job.error == "Lỗi ngoài ý muốn (RuntimeError): máy chủ thư chưa trả lời (lần 3)"


def test_a_job_that_cannot_succeed_fails_at_once_with_its_own_message(app):
    with app.app_context():
        job = ask(FLAKY, succeed_at=0)
        assert (job.state, job.attempts, job.error) == (FAILED, 1, "Tệp không đọc được.")


def test_a_retry_waits_the_kinds_backoff_doubled_after_each_failure(app):
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    with app.app_context():
        job = ask(FLAKY, succeed_at=2)
        run_now(job.id)
        job = fresh(job.id)
        assert (job.state, job.attempts) == (QUEUED, 1)
        assert 29 <= (job.run_after - job.started_at).total_seconds() <= 31
        run_now(job.id)  # a message that arrives early (sent again by a sweep) does not run it before its time
        assert fresh(job.id).attempts == 1
        assert [runner.retry_delay(queue.KINDS[FLAKY], n) for n in (1, 2, 3)] == [30, 60, 120]


def test_the_same_work_asked_twice_while_waiting_is_one_job(app):
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    with app.app_context():
        first = jobs.enqueue(ECHO, dedupe_key="sha-1")
        second = jobs.enqueue(ECHO, dedupe_key="sha-1")
        other = jobs.enqueue(ECHO, dedupe_key="sha-2")
        db.session.commit()
        assert first.id == second.id != other.id
        assert queue.pending_messages() == 2


def test_a_message_delivered_twice_runs_the_job_once(app):
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    with app.app_context():
        job = ask(ECHO)
        run_now(job.id)
        run_now(job.id)
        assert fresh(job.id).attempts == 1
        assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "test_job")).all()) == 1


def test_the_sweep_puts_back_the_running_jobs_of_a_dead_worker_and_fails_them_at_their_last_attempt(app):
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    with app.app_context():
        db.session.add(JobWorker(name="here:999999:dead", host=socket.gethostname(), pid=999999))
        again = Job(kind=HOLD, state=RUNNING, attempts=1, max_attempts=3, worker="here:999999:dead")
        last = Job(kind=HOLD, state=RUNNING, attempts=3, max_attempts=3, worker="here:999999:dead")
        db.session.add_all([again, last])
        db.session.commit()
        assert jobs.sweep() == [again.id]
        assert (fresh(again.id).state, fresh(again.id).error) == (QUEUED, STOPPED_MESSAGE)
        assert fresh(last.id).state == FAILED
        assert db.session.get(JobWorker, "here:999999:dead") is None
        assert queue.pending_messages() == 1


def test_the_sweep_removes_finished_jobs_after_a_month_and_keeps_the_rest(app):
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    with app.app_context():
        now = utcnow()
        old = Job(kind=ECHO, state=DONE, finished_at=now - timedelta(days=KEEP_FINISHED_DAYS + 1))
        recent = Job(kind=ECHO, state=FAILED, finished_at=now - timedelta(days=KEEP_FINISHED_DAYS - 1))
        waiting = Job(kind=ECHO, state=QUEUED, created_at=now - timedelta(days=90))
        db.session.add_all([old, recent, waiting])
        db.session.commit()
        jobs.sweep()
        assert set(db.session.scalars(select(Job.id))) == {recent.id, waiting.id}


@pytest.mark.postgres
def test_on_postgresql_a_job_runs_retries_progresses_and_is_swept_the_same(tmp_path):
    with throwaway_database() as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                          "JOBS_RETRY_BACKOFF_SECONDS": 0, "FILES_DIR": str(tmp_path / "files")})
        with app.app_context():
            db.create_all()
            assert ask(ECHO).result["progress_seen"] == "Đang làm bước 1/2"
            assert (ask(FLAKY, succeed_at=2).state, ask(FLAKY, succeed_at=9).attempts) == (DONE, 3)
            stranded = Job(kind=HOLD, state=RUNNING, attempts=3, max_attempts=3, worker="gone:1:x")
            db.session.add(stranded)
            db.session.commit()
            jobs.sweep(resend_waiting=True)
            assert fresh(stranded.id).state == FAILED
            db.session.remove()
            db.engine.dispose()


# ---- the page: a fragment that polls itself while the job waits or runs ----------------------------------

@pytest.fixture
def memory_queue(app, people):
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    with app.app_context():
        clerk = db.session.scalar(select(User).filter_by(username="clerk"))
        job = jobs.enqueue(ECHO, user=clerk, subject=subject_of(DOCUMENT_SUBJECT, 999))
        db.session.commit()
        return job.id


def test_a_waiting_job_says_so_and_that_no_worker_runs_and_polls_itself(client, login, memory_queue):
    login("clerk")
    page = client.get(f"/jobs/{memory_queue}?next=/documents/1/pdf", headers={"HX-Request": "true"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" not in html
    assert "Đang chờ" in html and "chưa có tiến trình xử lý nền nào chạy" in html
    assert 'hx-trigger="every 2s"' in html and f"/jobs/{memory_queue}?next=/documents/1/pdf" in html


def test_a_done_job_sends_the_poller_to_its_result_and_stops_polling(app, client, login, memory_queue):
    with app.app_context():
        run_now(memory_queue)
    login("clerk")
    polled = client.get(f"/jobs/{memory_queue}?next=/documents/1/pdf", headers={"HX-Request": "true"})
    assert polled.headers["HX-Redirect"] == "/documents/1/pdf"
    page = client.get(f"/jobs/{memory_queue}").get_data(as_text=True)
    assert "Đã xong" in page and "hx-trigger" not in page


def test_a_running_job_shows_its_progress_and_a_failed_one_its_error(app, client, login, memory_queue):
    with app.app_context():
        job = db.session.get(Job, memory_queue)
        job.state, job.progress = RUNNING, "Đang chuyển sang PDF"
        db.session.commit()
    login("clerk")
    assert "Đang chuyển sang PDF" in client.get(f"/jobs/{memory_queue}").get_data(as_text=True)
    with app.app_context():
        job = db.session.get(Job, memory_queue)
        job.state, job.error = FAILED, "Tệp không đọc được."
        db.session.commit()
    assert "Tệp không đọc được." in client.get(f"/jobs/{memory_queue}").get_data(as_text=True)


def test_only_who_asked_an_administrator_or_who_may_see_its_subject_follows_a_job(app, client, login, memory_queue):
    with app.app_context():
        make_user("clerk2", {CLERK})
        db.session.commit()
    login("clerk2")
    assert client.get(f"/jobs/{memory_queue}").status_code == 404  # document 999 does not exist
    login("admin")
    assert client.get(f"/jobs/{memory_queue}").status_code == 200


def test_next_is_only_ever_a_path_on_this_site(client, login, memory_queue, app):
    with app.app_context():
        run_now(memory_queue)
    login("clerk")
    for bad in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        polled = client.get(f"/jobs/{memory_queue}", query_string={"next": bad}, headers={"HX-Request": "true"})
        assert "HX-Redirect" not in polled.headers


def test_an_unknown_kind_is_refused_when_asked_for(app):
    with app.app_context(), pytest.raises(ValueError):
        jobs.enqueue("no_such_kind")


def test_the_worker_command_refuses_the_in_process_modes(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "JOBS_QUEUE": queue.IMMEDIATE,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'w.sqlite3'}"})
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code != 0 and "không cần tiến trình xử lý nền" in result.output


# ---- the real worker: `flask --app app worker`, killed with SIGKILL in the middle of a job ---------------

ROOT = Path(__file__).resolve().parent.parent
FLASK = ROOT / ".venv" / "bin" / "flask"


def _until(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for {what}")


class WorkerProcess:
    def __init__(self, instance: Path, threads: int = 1):
        env = {**os.environ, "INSTANCE_PATH": str(instance), "PYTHONPATH": f"{ROOT / 'tests'}:{ROOT}"}
        env.pop("DATABASE_URL", None)
        self.log_path = instance / f"worker-{time.monotonic_ns()}.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen([str(FLASK), "--app", "jobs_worker_app", "worker", "--threads", str(threads)],
                                        cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, signum) -> int:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signum)
        code = self.process.wait(timeout=30)
        self.log.close()
        return code


@pytest.fixture
def shared_instance(tmp_path):
    """A database and a huey queue file that this process and the worker processes share."""
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'vanban.sqlite3'}",
                      "JOBS_QUEUE": queue.SQLITE, "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite3"),
                      "FILES_DIR": str(tmp_path / "files")})
    with app.app_context():
        db.create_all()
        db.session.commit()
    workers = []
    yield app, tmp_path, workers
    for worker in workers:
        worker.stop(signal.SIGKILL)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _row(path: Path, sql: str, *args):
    with sqlite3.connect(path / "vanban.sqlite3", timeout=5) as conn:
        return conn.execute(sql, args).fetchone()


def test_a_job_whose_worker_is_killed_mid_run_is_run_again_whole_after_a_restart(shared_instance):
    app, instance, workers = shared_instance
    marks = instance / "marks"
    marks.mkdir()
    workers.append(first := WorkerProcess(instance))
    _until(lambda: _row(instance, "SELECT count(*) FROM job_worker")[0], "the first worker to start")
    with app.app_context():
        held = jobs.enqueue(HOLD, params={"dir": str(marks)}).id
        db.session.commit()
    _until(lambda: (marks / "started-1").exists(), "the job to start")
    assert first.stop(signal.SIGKILL) == -signal.SIGKILL
    assert _row(instance, "SELECT state, attempts FROM job WHERE id = ?", held) == (RUNNING, 1)

    with app.app_context():  # asked for while no worker runs: it waits
        waiting = jobs.enqueue(ECHO, params={"n": 3}).id
        db.session.commit()
    time.sleep(0.3)
    assert _row(instance, "SELECT state FROM job WHERE id = ?", waiting) == (QUEUED,)

    workers.append(second := WorkerProcess(instance))
    _until(lambda: (marks / "started-2").exists(), "the restarted worker to take the job up again")
    (marks / "release").touch()
    _until(lambda: _row(instance, "SELECT state FROM job WHERE id = ?", held) == (DONE,), "the job to finish")
    _until(lambda: _row(instance, "SELECT state FROM job WHERE id = ?", waiting) == (DONE,), "the waiting job")

    assert (marks / "finished").read_text() == f"2 {second.process.pid}\n", "completed once, by the new worker"
    assert (marks / "started-1").read_text() == str(first.process.pid)
    state, attempts, result = _row(instance, "SELECT state, attempts, result_json FROM job WHERE id = ?", held)
    assert (state, attempts, json.loads(result)) == (DONE, 2, {"pid": second.process.pid})

    assert second.stop(signal.SIGINT) == 0
    assert _row(instance, "SELECT count(*) FROM job_worker") == (0,), "a worker that stops removes its row"


def test_the_jobs_command_lists_jobs_and_sends_a_failed_one_again(app):
    with app.app_context():
        job = ask(FLAKY, succeed_at=0)
    runner_cli = app.test_cli_runner()
    listed = runner_cli.invoke(args=["jobs", "--state", FAILED])
    assert f"#{job.id}" in listed.output and "Tệp không đọc được." in listed.output
    assert "KHÔNG chạy (đang chờ)" in listed.output
    assert runner_cli.invoke(args=["jobs", "--retry", str(job.id)]).exit_code == 0
    with app.app_context():
        again = fresh(job.id)
        assert (again.state, again.attempts) == (FAILED, 1), "sent again, it ran (immediate mode) and failed anew"
    refused = runner_cli.invoke(args=["jobs", "--retry", "999"])
    assert refused.exit_code != 0 and "Không có việc #999" in refused.output


def test_a_worker_stopped_with_sigterm_puts_its_running_job_back_at_once(shared_instance):
    app, instance, workers = shared_instance
    marks = instance / "marks"
    marks.mkdir()
    workers.append(worker := WorkerProcess(instance))
    _until(lambda: _row(instance, "SELECT count(*) FROM job_worker")[0], "the worker to start")
    with app.app_context():
        held = jobs.enqueue(HOLD, params={"dir": str(marks)}).id
        db.session.commit()
    _until(lambda: (marks / "started-1").exists(), "the job to start")
    worker.stop(signal.SIGTERM)
    assert _row(instance, "SELECT state, error FROM job WHERE id = ?", held) == (QUEUED, STOPPED_MESSAGE)
    assert not (marks / "finished").exists()
