"""Issuing numbers: 1,000 documents issued one after another, then from 8 concurrent worker processes.

    .venv/bin/python bench/bench_register.py [--documents 1000] [--workers 8] [--sqlite-only | --pg-only]

Each issue is what POST /documents/<id>/issue does inside its transaction: begin the write transaction, lock
the document, take the number from the locked counter row, write the register entry, the workflow event, the
audit row and the search keys, commit. (The .docx is built after the commit and is measured by bench_docgen.)
Workers are separate processes with their own connection pool, like gunicorn workers. Prints throughput and the
p50/p95 latency of one issue (waiting for the lock included), and checks the numbers run 1..N with no gap.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import delete, select, update  # noqa: E402

from app import create_app  # noqa: E402
from domain.documents import workflow  # noqa: E402
from domain.register import numbering as reg  # noqa: E402
from extensions import db  # noqa: E402
from models import (  # noqa: E402
    AuditEvent,
    Document,
    DocumentEvent,
    DocumentSearch,
    Organization,
    RegisterCounter,
    RegisterEntry,
    User,
)
from models.choices import RECORDS  # noqa: E402

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def make_app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "FILES_DIR": tempfile.mkdtemp(),
                       "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 2, "max_overflow": 2} if "postgresql" in url
                       else {}})


def prepare(url: str, n: int) -> tuple[int, list[int]]:
    """Fresh register, n approved documents; returns (records user id, document ids)."""
    app = make_app(url)
    with app.app_context():
        db.create_all()
        Organization.current()
        for model in (DocumentSearch, RegisterEntry, RegisterCounter, DocumentEvent, AuditEvent):
            db.session.execute(delete(model))
        db.session.execute(update(Document).values(status="archived"))  # earlier runs' documents: out of the way
        records = db.session.scalar(select(User).where(User.username == "bench-vanthu"))
        if records is None:
            records = User(username="bench-vanthu", full_name="Lê Thị Hồng Nhung", password_hash="-")
            records.set_roles({RECORDS})
            db.session.add(records)
        documents = [Document(kind=("KH", "CV", "BC", "TB")[i % 4], title=f"Văn bản thử số {i}", year=2026,
                              status=workflow.APPROVED, body="Nội dung ngắn của văn bản thử.") for i in range(n)]
        db.session.add_all(documents)
        reg.register_for("KH")
        db.session.commit()
        ids = [d.id for d in documents]
        user_id = records.id
        db.session.remove()
        db.engine.dispose()
    return user_id, ids


def worker(url: str, user_id: int, ids: list[int], barrier, queue) -> None:
    app = make_app(url)
    latencies = []
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.commit()
        barrier.wait()
        for document_id in ids:
            started = time.perf_counter()
            document = db.session.get(Document, document_id)
            reg.issue(document, user, NOW)
            db.session.commit()
            latencies.append((time.perf_counter() - started) * 1000)
        db.session.remove()
        db.engine.dispose()
    queue.put(latencies)


def run(url: str, label: str, n: int, workers: int) -> None:
    user_id, ids = prepare(url, n)
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(workers + 1), ctx.Queue()
    shares = [ids[i::workers] for i in range(workers)]
    processes = [ctx.Process(target=worker, args=(url, user_id, share, barrier, queue)) for share in shares]
    for p in processes:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    latencies = [x for _ in processes for x in queue.get()]
    elapsed = time.perf_counter() - started
    for p in processes:
        p.join()
    app = make_app(url)
    with app.app_context():
        numbers = sorted(db.session.scalars(select(RegisterEntry.number).where(RegisterEntry.year == 2026)))
        assert numbers == list(range(1, n + 1)), "duplicate or missing numbers"
        db.session.remove()
        db.engine.dispose()
    q = statistics.quantiles(latencies, n=100)
    print(f"{label:<12} {workers} worker{'s' if workers > 1 else ' '}: {n} issues in {elapsed:5.2f} s = "
          f"{n / elapsed:6.0f} issues/s; latency p50 {statistics.median(latencies):6.1f} ms, p95 {q[94]:6.1f} ms, "
          f"max {max(latencies):6.1f} ms; numbers 1..{n}, no gap, no duplicate")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--pg-only", action="store_true")
    args = parser.parse_args()
    if not args.pg_only:
        path = Path(tempfile.mkdtemp()) / "register-bench.sqlite3"
        for workers in (1, args.workers):
            run(f"sqlite:///{path}", "SQLite", args.documents, workers)
    if not args.sqlite_only:
        from pg import pg_available, throwaway_database

        if not pg_available():
            print("PostgreSQL at 127.0.0.1:5432 is not running: skipped")
            return
        with throwaway_database() as url:
            for workers in (1, args.workers):
                run(url, "PostgreSQL", args.documents, workers)


if __name__ == "__main__":
    main()
