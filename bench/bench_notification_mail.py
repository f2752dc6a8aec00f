"""1,000 notification e-mails through the background queue to a local SMTP server (aiosmtpd): how long, and that
none is lost (counted at the server, recipient by recipient).

    .venv/bin/python bench/bench_notification_mail.py [LETTERS] [--down SECONDS]

The application asks for the letters as a plan's fan-out does (one notification per reporter, in transactions of
100, one send_mail job each, sent when the transaction commits); a real worker (`flask --app app worker`, its own
process) sends them. With --down, the SMTP server starts only SECONDS after the notifications: the jobs fail, wait
and are tried again, and still every letter arrives once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from flask_migrate import stamp  # noqa: E402
from mail_fixtures import SmtpServer, free_port, point_mail_at  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

import models.core  # noqa: E402
from app import create_app  # noqa: E402
from domain.notifications import notify_users  # noqa: E402
from extensions import db  # noqa: E402
from models import Notification, Organization, Unit, User  # noqa: E402
from models.choices import MAIL_IMMEDIATE, MAIL_SENT, UNIT_REPORTER, UNIT_SUBORDINATE  # noqa: E402

BATCH = 100
models.core.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # the people are made, not signed in: hashing is no part of it


def main(letters: int = 1000, down_seconds: float = 0.0) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    env = {**os.environ, "INSTANCE_PATH": str(work), "SECRET_KEY": "bench-secret", "JOBS_QUEUE": "sqlite",
           "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}", "JOBS_SQLITE_PATH": str(work / "jobs.sqlite3"),
           "PYTHONPATH": str(ROOT)}
    os.environ.update({k: env[k] for k in ("INSTANCE_PATH", "SECRET_KEY", "JOBS_QUEUE", "DATABASE_URL",
                                           "JOBS_SQLITE_PATH")})
    (work / "config.py").write_text("JOBS_RETRY_BACKOFF_SECONDS = 1\n")  # the worker's retries wait 1, 2, 4 … s
    app = create_app()
    port = free_port()
    server = None if down_seconds else SmtpServer(port).start()
    with app.app_context():
        db.create_all()
        stamp()
        Organization.current()
        point_mail_at(port)
        unit = Unit(name="Xã Thử", recipient_name="Xã Thử", slug="xa-thu", kind=UNIT_SUBORDINATE)
        db.session.add(unit)
        db.session.flush()
        people = []
        for n in range(letters):
            person = User(username=f"bc{n}", full_name=f"Cán bộ báo cáo số {n}", unit_id=unit.id, password_hash="x",
                          email=f"bc{n}@xa-thu.example.vn", mail_mode=MAIL_IMMEDIATE)
            person.set_roles({UNIT_REPORTER})
            people.append(person)
        db.session.add_all(people)
        db.session.commit()
        ids = [p.id for p in people]
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker", "--threads", "2"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)
    try:
        started = time.perf_counter()
        with app.app_context():
            for first in range(0, letters, BATCH):
                for uid in ids[first:first + BATCH]:
                    notify_users([uid], None, "Đơn vị được giao 3 nhiệm vụ trong Kế hoạch “Tuyên truyền Chỉ thị "
                                              "số 07-CT/TW”. Vui lòng xem và cập nhật tiến độ.", "/my-tasks")
                db.session.commit()  # one job per transaction, sent to the worker now
        asked = time.perf_counter() - started
        if down_seconds:
            time.sleep(down_seconds)
            server = SmtpServer(port).start()
        deadline = time.perf_counter() + 300
        while len(server.inbox.letters) < letters and time.perf_counter() < deadline:
            time.sleep(0.05)
        delivered = time.perf_counter() - started
        time.sleep(1.0)  # anything sent twice would arrive now
        received = [r for _f, rcpts, _l in server.inbox.letters for r in rcpts]
        with app.app_context():
            sent = db.session.scalar(select(func.count(Notification.id)).where(Notification.mail_state == MAIL_SENT))
        expected = {f"bc{n}@xa-thu.example.vn" for n in range(letters)}
        lost = len(expected - set(received))
        twice = len(received) - len(set(received))
        print(f"{letters} notifications asked in {asked:.2f} s ({letters // BATCH} transactions, one job each); "
              f"{len(received)} letters at the SMTP server after {delivered:.2f} s "
              f"({len(received) / delivered:.0f} letters/s{f', server down for the first {down_seconds:.0f} s' if down_seconds else ''}); "
              f"lost {lost}, received twice {twice}, marked sent {sent}")
        assert lost == 0 and sent == letters, "letters were lost"
    finally:
        os.killpg(worker.pid, signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        if server is not None:
            server.stop()


if __name__ == "__main__":
    args = sys.argv[1:]
    down = 0.0
    if "--down" in args:
        at = args.index("--down")
        down = float(args[at + 1])
        del args[at:at + 2]
    main(int(args[0]) if args else 1000, down)
