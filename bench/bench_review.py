"""The reviewer's screen on a long plan, and the dashboard queue with many documents waiting.

    .venv/bin/python bench/bench_review.py [--lines 600] [--waiting 200] [--runs 15]

Prints the median time of: the word-level difference of a plan of about --lines lines where every ninth line was
edited; GET /documents/<id>/review of that plan (second submission, so the differences are shown); GET / for the
approver with --waiting documents in the queue; one transition (submit) through domain.documents.workflow.perform.
Targets: review page under 300 ms, dashboard under 150 ms, a transition under 20 ms.
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

import models.core  # noqa: E402
from app import create_app  # noqa: E402
from domain.documents import workflow as wf  # noqa: E402
from domain.text.textdiff import diff_lines  # noqa: E402
from extensions import db  # noqa: E402
from models import Document, Organization, User  # noqa: E402
from models.choices import APPROVER, CLERK  # noqa: E402

PLAN = ROOT / "tests" / "fixtures" / "plans" / "ke-hoach-chi-thi-07.txt"
PASSWORD = "bench-password-1"


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def long_plan(lines: int) -> tuple[str, str]:
    base = [line for line in PLAN.read_text(encoding="utf-8").splitlines() if line.strip()]
    old = [base[i % len(base)] for i in range(lines)]
    new = [line.replace("và", "cùng với") if i % 9 == 0 else line for i, line in enumerate(old)]
    return "\n".join(old), "\n".join(new)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=600)
    parser.add_argument("--waiting", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    models.core.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    old, new = long_plan(args.lines)
    print(f"diff of {args.lines} lines: {median_ms(lambda: diff_lines(old, new), args.runs):.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db",
                          "FILES_DIR": f"{tmp}/files", "CACHE_DIR": f"{tmp}/cache", "WTF_CSRF_ENABLED": False})
        with app.app_context():
            db.create_all()
            Organization.current()
            clerk = User(username="clerk", full_name="Nguyễn Thị Thu Hà", password_hash="")
            approver = User(username="approver", full_name="Đinh Văn Thắng", password_hash="")
            for user, role in ((clerk, CLERK), (approver, APPROVER)):
                user.set_roles({role})
                user.set_password(PASSWORD)
                db.session.add(user)
            db.session.flush()
            plan = Document(kind="KH", title="Kế hoạch dài", body=old, year=2026, created_by_id=clerk.id)
            db.session.add(plan)
            db.session.flush()
            wf.perform(plan, "submit", clerk, expected_status="draft", approver_id=approver.id)
            wf.perform(plan, "return", approver, expected_status="submitted", comment="Sửa.")
            plan.body = new
            wf.perform(plan, "submit", clerk, expected_status="returned", approver_id=approver.id)
            for i in range(args.waiting):
                d = Document(kind="CV", title=f"Công văn số {i}", body="Nội dung.", year=2026, created_by_id=clerk.id)
                db.session.add(d)
                db.session.flush()
                wf.perform(d, "submit", clerk, expected_status="draft", approver_id=approver.id)
            spare = [Document(kind="CV", title=f"Dự thảo {i}", body="x", year=2026, created_by_id=clerk.id)
                     for i in range(args.runs)]
            db.session.add_all(spare)
            db.session.commit()
            plan_id, spare_ids, clerk_id, approver_id = plan.id, [d.id for d in spare], clerk.id, approver.id

        client = app.test_client()
        client.post("/login", data={"username": "approver", "password": PASSWORD})
        first = client.get(f"/documents/{plan_id}/review")  # templates compiled
        assert first.status_code == 200 and "<ins>cùng với</ins>" in first.get_data(as_text=True), first.status_code
        assert "Công văn số 199" in client.get("/").get_data(as_text=True)
        review = median_ms(lambda: client.get(f"/documents/{plan_id}/review"), args.runs)
        print(f"review page, {args.lines}-line plan, second submission: {review:.1f} ms")
        dashboard = median_ms(lambda: client.get("/"), args.runs)
        print(f"dashboard with {args.waiting} documents waiting: {dashboard:.1f} ms")

        with app.app_context():
            queue = iter(spare_ids)

            def one_submit():
                document = db.session.get(Document, next(queue))
                wf.perform(document, "submit", db.session.get(User, clerk_id), expected_status="draft",
                           approver_id=approver_id)
                db.session.commit()

            print(f"one transition (submit, revision, event, audit, commit): {median_ms(one_submit, args.runs):.1f} ms")


if __name__ == "__main__":
    main()
