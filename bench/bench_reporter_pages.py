"""What a district reporter's phone downloads and waits for: each of their pages with 50 open tasks.

    .venv/bin/python bench/bench_reporter_pages.py [--tasks 50] [--runs 20]

In-process (Flask test client, SQLite file in a temporary folder), signed in as the unit's reporter: a plan with
`tasks` tasks for a group of three districts, every one of the reporter's still open, and a report round asking for
all of them. Prints per page: the HTML's size (raw and gzip, as a phone on a slow line receives it), the median
time to answer (wall and this process's CPU), and the SQL queries.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import conftest  # noqa: E402,F401  (cheap password hashing, the CSRF-aware client)
from bench_tracking import measure as measure_page  # noqa: E402
from plans_fixtures import big_plan  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from domain.plans.tasks import plan_tasks  # noqa: E402
from domain.reports.rounds import RoundInput, create_round  # noqa: E402
from extensions import db  # noqa: E402
from models import Organization, Unit, User  # noqa: E402
from models.choices import CLERK, IN_PROGRESS, NOT_STARTED, UNIT_REPORTER  # noqa: E402
from models.plans import Assignment  # noqa: E402

PASSWORD = "mat-khau-do-hieu-nang"


def _user(username: str, unit: Unit, role: str) -> User:
    user = User(username=username, full_name=username.title(), unit_id=unit.id, password_hash="")
    user.set_password(PASSWORD)
    user.set_roles({role})
    db.session.add(user)
    db.session.flush()
    return user


def build(folder: Path, tasks: int):
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.sqlite3'}",
                      "FILES_DIR": str(folder / "files"), "CACHE_DIR": str(folder / "cache")})
    app.test_client_class = conftest.CsrfClient
    with app.app_context():
        db.create_all()
        Organization.current()
        office = Unit(name="Ban Thường trực", recipient_name="Ban Thường trực", slug="office", kind="office")
        db.session.add(office)
        db.session.flush()
        clerk = _user("clerk", office, CLERK)
        plan = big_plan(3, tasks, title="Kế hoạch tuyên truyền năm 2026")
        unit = db.session.scalar(select(Unit).where(Unit.name.like("Xã thử 000%")))
        _user("reporter", unit, UNIT_REPORTER)
        mine = db.session.scalars(select(Assignment).where(Assignment.unit_id == unit.id)).all()
        for n, assignment in enumerate(mine):  # every one of the reporter's tasks still open
            assignment.status, assignment.done_on = (NOT_STARTED, IN_PROGRESS)[n % 2], None
        today = date.today()
        rnd = create_round(plan, clerk, RoundInput(
            title="Kết quả 6 tháng đầu năm", cutoff_on=today, due_on=today + timedelta(days=7),
            task_ids=[t.id for t in plan_tasks(plan)], unit_ids=[unit.id], questions="Khó khăn, vướng mắc"),
            link_for=lambda r: f"/reports/{r.id}/my")
        db.session.commit()
        ids = {"assignment": mine[0].id, "round": rnd.id, "open": len(mine)}
    client = app.test_client()
    assert client.post("/login", data={"username": "reporter", "password": PASSWORD}).status_code == 303
    return app, client, ids


def measure(app, client, url: str, runs: int) -> tuple[float, float, int, int, int]:
    """bench_tracking.measure's figures of GET url, and the page's size once gzipped (what a phone downloads)."""
    wall, cpu, queries, size = measure_page(app, client, url, runs)
    return wall, cpu, queries, size, len(gzip.compress(client.get(url).data))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app, client, ids = build(Path(folder), args.tasks)
        rows = [
            ("dashboard", "/"),
            ("tasks with their update forms", "/my-tasks"),
            ("one task (history and form)", f"/assignments/{ids['assignment']}"),
            ("report rounds", "/reports"),
            (f"the round's report form ({args.tasks} tasks)", f"/reports/{ids['round']}/my"),
            ("notifications", "/notifications"),
            ("password change", "/account/password"),
        ]
        print(f"Reporter pages, {ids['open']} open tasks, median of {args.runs} runs")
        print(f"{'page':<40} {'KB':>6} {'KB gzip':>8} {'wall ms':>8} {'CPU ms':>8} {'queries':>8}")
        for label, url in rows:
            wall, cpu, queries, size, packed = measure(app, client, url, args.runs)
            print(f"{label:<40} {size / 1024:>6.0f} {packed / 1024:>8.1f} {wall:>8.1f} {cpu:>8.1f} {queries:>8}")
        client.post("/logout")
        wall, cpu, queries, size, packed = measure(app, client, "/login", args.runs)
        print(f"{'sign-in (signed out)':<40} {size / 1024:>6.0f} {packed / 1024:>8.1f} {wall:>8.1f} {cpu:>8.1f} {queries:>8}")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
