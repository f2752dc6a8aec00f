"""How fast the tracking page and the dashboard render for a plan of 200 units x 15 tasks, and how many queries.

    .venv/bin/python bench/bench_tracking.py [--units 200] [--tasks 15] [--runs 30]

In-process (Flask test client, SQLite file in a temporary folder), signed in as the clerk. Targets: median
under 150 ms for each page, and the same number of SQL queries as for 10 units.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import conftest  # noqa: E402,F401  (cheap password hashing, the CSRF-aware client)
from plans_fixtures import big_plan  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from extensions import db  # noqa: E402
from models import Organization, Unit, User  # noqa: E402
from models.choices import CLERK  # noqa: E402

PASSWORD = "mat-khau-do-hieu-nang"


def build(folder: Path, units: int, tasks: int):
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.sqlite3'}",
                      "FILES_DIR": str(folder / "files"), "CACHE_DIR": str(folder / "cache")})
    app.test_client_class = conftest.CsrfClient
    with app.app_context():
        db.create_all()
        Organization.current()
        office = Unit(name="Ban Thường trực", recipient_name="Ban Thường trực", slug="office", kind="office")
        db.session.add(office)
        db.session.flush()
        clerk = User(username="clerk", full_name="Chuyên viên", unit_id=office.id, password_hash="")
        clerk.set_password(PASSWORD)
        clerk.set_roles({CLERK})
        db.session.add(clerk)
        db.session.flush()
        small = big_plan(10, tasks, title="Kế hoạch 10 đơn vị").id
        large = big_plan(units, tasks, title=f"Kế hoạch {units} đơn vị").id
        db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"username": "clerk", "password": PASSWORD}).status_code == 303
    return app, client, small, large


def measure(app, client, url: str, runs: int) -> tuple[float, float, int, int]:
    """(median wall ms, median CPU ms, SQL queries, response bytes) of GET url.

    CPU time is this process's own: on a machine shared with other work it is the steadier figure."""
    with app.app_context():
        engine = db.engine
    client.get(url)  # warm up
    statements: list[str] = []

    def count(_c, _cur, statement, *_a):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    response = client.get(url)
    event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.status_code)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), len(statements), len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=15)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app, client, small, large = build(Path(folder), args.units, args.tasks)
        rows = [
            ("tracking page, 10 units", f"/plans/{small}"),
            (f"tracking page, {args.units} units", f"/plans/{large}"),
            (f"tracking page filtered (done), {args.units} units", f"/plans/{large}?status=done"),
            (f"dashboard (both plans: {10 * args.tasks + args.units * args.tasks} assignments)", "/"),
        ]
        print(f"{'page':<58} {'wall ms':>8} {'CPU ms':>8} {'queries':>8} {'KB':>6}")
        for label, url in rows:
            wall, cpu, queries, size = measure(app, client, url, args.runs)
            print(f"{label:<58} {wall:>8.1f} {cpu:>8.1f} {queries:>8} {size / 1024:>6.0f}")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
