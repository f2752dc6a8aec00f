"""Mixed load on a real server: gunicorn -w 4, district reporters posting progress, figures and evidence, clerks
reading, the văn thư issuing, all at once — at 20 and 50 concurrent users, on SQLite and on PostgreSQL.

    .venv/bin/python bench/bench_load.py [--seconds 30] [--users 20 50] [--sqlite-only | --pg-only]

Users: one văn thư, a quarter of the rest clerks, the others reporters of the eight districts (several per
district). Reporters wait 0.2–0.6 s between posts and clerks between pages, far busier than an office. Prints per
run the throughput, p50/p95 per endpoint, the 5xx and connection errors (target 0) and the integrity check
(every acknowledged write present once, every issued letter with its .docx, register gapless, no stray file).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from live_server import LiveServer, integrity_problems, run_mixed_load  # noqa: E402
from pg import PG_ADMIN_URL, pg_available  # noqa: E402


def one_run(database: str, users: int, seconds: float) -> None:
    clerks = max(1, (users - 1) // 4)
    reporters = users - 1 - clerks
    with tempfile.TemporaryDirectory() as tmp:
        if database == "postgresql":
            import uuid

            import psycopg

            name = f"vanban_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            url = f"postgresql://postgres@127.0.0.1:5432/{name}"
        else:
            name, url = None, None
        try:
            server = LiveServer(Path(tmp), database_url=url, letters=400).prepare().start()
            try:
                stats, acked = run_mixed_load(server, seconds=seconds, reporters=reporters, clerks=clerks,
                                              reporter_pause=0.4, clerk_pause=0.4)
            finally:
                server.stop()
            problems = integrity_problems(server, acked)
        finally:
            if name:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    total = stats.total()
    print(f"\n{database}, {users} users ({reporters} reporters, {clerks} clerks, 1 văn thư), {seconds:.0f} s, "
          f"gunicorn -w 4")
    print(f"  {total} requests, {total / seconds:.0f} req/s; acknowledged: {len(acked.reports)} reports "
          f"({len(acked.evidence)} with evidence), {len(acked.issued)} letters issued")
    print(f"  {'endpoint':<18} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'5xx':>5}")
    for endpoint, count, p50, p95, errors in stats.table():
        print(f"  {endpoint:<18} {count:>6} {p50:>8.1f} {p95:>8.1f} {errors:>5}")
    print(f"  errors 5xx / no answer: {len(stats.server_errors())}; integrity problems: {len(problems)}")
    for problem in problems[:10]:
        print(f"    {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--sqlite-only", action="store_true")
    group.add_argument("--pg-only", action="store_true")
    args = parser.parse_args()
    databases = ["sqlite"] if args.sqlite_only else ["postgresql"] if args.pg_only else ["sqlite", "postgresql"]
    if "postgresql" in databases and not pg_available():
        print("PostgreSQL at 127.0.0.1:5432 is not running: skipped")
        databases.remove("postgresql")
    for database in databases:
        for users in args.users:
            one_run(database, users, args.seconds)


if __name__ == "__main__":
    main()
