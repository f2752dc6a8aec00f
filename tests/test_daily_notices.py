"""The morning's notices need nobody to start them: a worker that starts asks for the next morning's job, two
workers starting at once ask for one, and a morning run twice tells and mails each person once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from mail_fixtures import SmtpServer, point_mail_at
from plans_fixtures import tracked_plan, user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import create_app
from domain.jobs import queue, runner
from domain.office import office_today
from domain.plans import daily_notices
from domain.plans.daily_notices import day_key, next_run, schedule_at_worker_start, schedule_next
from extensions import db
from models import Notification
from models.choices import DONE, JOB_DAILY_NOTICES, MAIL_DAILY, MAIL_IMMEDIATE, QUEUED
from models.core import utcnow
from models.jobs import Job

ROOT = Path(__file__).resolve().parent.parent
FLASK = ROOT / ".venv" / "bin" / "flask"
DIGEST, AT_ONCE = "thanh.la@yenmo.example.vn", "binh.ngo@kimson.example.vn"


def _daily_jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(select(Job).where(Job.kind == JOB_DAILY_NOTICES).order_by(Job.id)))


# ---- two real workers start: one job for the next morning ----------------------------------------------------

def _start_worker(instance: Path, number: int) -> tuple[subprocess.Popen, Path]:
    env = {**os.environ, "INSTANCE_PATH": str(instance), "PYTHONPATH": f"{ROOT / 'tests'}:{ROOT}"}
    env.pop("DATABASE_URL", None)
    log = instance / f"worker-{number}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(FLASK), "--app", "jobs_worker_app", "worker", "--threads", "1"], cwd=ROOT,
                                   env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return process, log


def _serving(log: Path) -> bool:
    """The worker has run its start steps and its queue consumer is up (a Ctrl+C now stops it cleanly)."""
    return "Huey consumer started" in log.read_text(errors="replace")


def _rows(instance: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(instance / "vanban.sqlite3", timeout=5) as conn:
        return conn.execute(sql).fetchall()


def test_workers_that_start_ask_for_the_next_mornings_job_once(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'vanban.sqlite3'}",
                      "JOBS_QUEUE": queue.SQLITE, "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite3"),
                      "FILES_DIR": str(tmp_path / "files")})
    with app.app_context():
        db.create_all()
        db.session.commit()
    expected = {next_run(utcnow()), next_run(utcnow() + timedelta(seconds=60))}  # the test may cross 06:30
    started = [_start_worker(tmp_path, n) for n in (1, 2)]  # at the same moment, as after a deployment
    workers = [process for process, _log in started]
    try:
        deadline = time.monotonic() + 60
        while not all(_serving(log) for _p, log in started) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_rows(tmp_path, "SELECT name FROM job_worker")) == 2, "both workers started"
        rows = _rows(tmp_path, f"SELECT state, run_after, once_key FROM job WHERE kind = '{JOB_DAILY_NOTICES}'")
        assert len(rows) == 1, rows
        [(state, run_after, once_key)] = rows
        with app.app_context():
            assert state == QUEUED and once_key in {day_key(at) for at in expected}
            assert any(run_after.startswith(at.isoformat(sep=" ")) for at in expected), run_after
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGINT)
        assert [worker.wait(timeout=30) for worker in workers] == [0, 0]
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_second_row_for_the_same_morning_is_refused_and_schedule_next_returns_the_first(app, monkeypatch):
    with app.app_context():
        first = schedule_next(utcnow())
        db.session.commit()
        schedule_at_worker_start(app)  # another worker starting: nothing new
        assert [job.id for job in _daily_jobs()] == [first.id]
        db.session.add(Job(kind=JOB_DAILY_NOTICES, once_key=first.once_key, state=QUEUED))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # Two workers on PostgreSQL both find no job and both insert: the one that commits second gets the first's.
        real, asked = daily_notices._job_of, []

        def not_committed_yet(key):  # the first look misses the other worker's row, as under READ COMMITTED
            asked.append(key)
            return None if len(asked) == 1 else real(key)

        monkeypatch.setattr(daily_notices, "_job_of", not_committed_yet)
        raced = schedule_next(utcnow())
        db.session.commit()
        assert raced.id == first.id and len(_daily_jobs()) == 1


# ---- a morning run twice: everybody told and mailed once -----------------------------------------------------

@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def test_the_morning_job_run_twice_in_a_day_tells_and_mails_each_person_once(app, people, smtp):
    with app.app_context():
        point_mail_at(smtp.port)
        user("reporter").email, user("reporter").mail_mode = DIGEST, MAIL_DAILY
        user("other_reporter").email, user("other_reporter").mail_mode = AT_ONCE, MAIL_IMMEDIATE
        tracked_plan(people, due_on=office_today() + timedelta(days=2))
        db.session.commit()  # "tasks assigned": mailed at once to one, kept for the digest of the other
        at_once_before = len(smtp.inbox.to(AT_ONCE))
        # This morning's job, already due (asked for by a worker that started two days ago, say).
        morning = schedule_next(utcnow() - timedelta(days=2))
        db.session.commit()  # sent, and run at once by the tests' queue
        [done, tomorrow] = _daily_jobs()
        assert (done.id, done.state) == (morning.id, DONE) and done.result["soon"] >= 1
        assert (tomorrow.state, tomorrow.run_after) == (QUEUED, next_run(utcnow())), "tomorrow's is asked first"
        notes = db.session.scalar(select(func.count(Notification.id)))
        letters = len(smtp.inbox.letters)
        [digest] = smtp.inbox.to(DIGEST)
        assert "[Sắp đến hạn]" in digest.get_body(preferencelist=("plain",)).get_content()
        assert len(smtp.inbox.to(AT_ONCE)) > at_once_before, "the deadline reached the other one at once"

        morning_id = morning.id
        again = db.session.get(Job, morning_id)  # the same morning run a second time
        again.state, again.attempts = QUEUED, 0
        db.session.commit()
        runner.run(morning_id)  # the worker's thread: the test holds no transaction (its ids are read before)
        db.session.expire_all()
        assert (db.session.get(Job, morning_id).state, db.session.get(Job, morning_id).attempts) == (DONE, 1)
        assert app.test_cli_runner().invoke(args=["notify-deadlines"]).exit_code == 0  # and by hand, too
        assert db.session.scalar(select(func.count(Notification.id))) == notes
        assert len(smtp.inbox.letters) == letters and len(smtp.inbox.to(DIGEST)) == 1
        assert len(_daily_jobs()) == 2, "still one job for tomorrow"
