"""How long aggregating a report round takes, and how much memory, as the number of units grows.

    .venv/bin/python bench/bench_reports.py            # 100, 1,000 and 5,000 units x 20 indicators
    .venv/bin/python bench/bench_reports.py 1000 2000  # other sizes

Two measures per size, each in a fresh process (so the peak resident memory is that size's own):
- "pure": the aggregation (domain.reports.text.aggregate) and the .docx with the full annex table (build_docx);
- "full": what the button and `flask aggregate-report` do on a SQLite database holding the round: read the
  units and their frozen submissions, draft the Báo cáo Document, and write the .docx with the annex.
Target: 1,000 units x 20 indicators under 3 s and 300 MB; time growing linearly (ms per unit about constant).

Found here (docgen, not changed by the reports work): docgen builds the annex table as a separate tree, fills
every cell, then moves it into the document (`sect_pr.addprevious`). lxml's move of a filled table grows
quadratically: 0.09 s for 1,000 rows, 0.31 s for 2,000, 1.29 s for 4,000, 4.7 s for 8,000 (22 cells a row); moving
the empty table first and filling it in place stays linear. It is why CPU ms/unit rises from 1,000 to 5,000 units.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

INDICATORS = 20
SIZES = (100, 1000, 5000)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- pure: plain data in, .docx out -----------------------------------------------------------------------------


def pure(n_units: int) -> dict:
    from docgen_fixtures import NINH_BINH

    from blueprints.reports.rendering import annex_table
    from docgen import DocumentData, Signature, build_docx
    from domain.reports.rules import LATE, MISSING, ON_TIME, IndicatorSpec
    from domain.reports.text import RoundFacts, TaskSpec, UnitReport, aggregate

    rng = random.Random(7)
    indicators = tuple(IndicatorSpec(i, f"Chỉ tiêu số {i}", "lượt" if i % 5 else "%", "integer" if i % 5 else "decimal")
                       for i in range(1, INDICATORS + 1))
    tasks = [TaskSpec(1, "Tuyên truyền Chỉ thị số 07", indicators[:10]), TaskSpec(2, "Vận động", indicators[10:])]
    units = []
    for u in range(n_units):
        state = MISSING if u % 10 == 9 else LATE if u % 10 == 8 else ON_TIME
        units.append(UnitReport(u, f"Xã số {u + 1}", state,
                                figures={i.id: Decimal(rng.randint(0, 5000)) for i in indicators},
                                narratives={1: "Tổ chức tuyên truyền ở các thôn, xóm. " * 3},
                                answers=["Thiếu kinh phí.", "Đề nghị hỗ trợ tài liệu."]))
    facts = RoundFacts("Kế hoạch số 05/KH-MTTQ-BTT ngày 01/5/2026", "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh",
                       f"{n_units} đơn vị", date(2026, 6, 30), date(2026, 7, 5), tasks, units,
                       ["Khó khăn, vướng mắc", "Đề xuất, kiến nghị"])
    base = _rss_mb()
    cpu = time.process_time()
    started = time.perf_counter()
    result = aggregate(facts)
    aggregated = time.perf_counter()
    data = DocumentData(kind="BC", issuer=NINH_BINH, title="Kết quả", body=result.body, references=[],
                        signature=Signature("TM. BAN THƯỜNG TRỰC", "", "PHÓ CHỦ TỊCH", ""), recipients=[],
                        year=2026, annexes=[annex_table(result.annex)])
    docx = build_docx(data)
    done = time.perf_counter()
    return {"aggregate_s": aggregated - started, "docx_s": done - aggregated, "total_s": done - started,
            "cpu_s": time.process_time() - cpu, "rss_mb": _rss_mb(), "rss_before_mb": base, "docx_kb": len(docx) / 1024, "rows": len(result.annex["rows"])}


# ---- full: a round in SQLite, drafted through the verbs ----------------------------------------------------------


def full(n_units: int) -> dict:
    from app import create_app
    from blueprints.reports.rendering import report_docx
    from domain.reports.drafts import draft_report
    from extensions import db
    from models import Document, Organization, Unit, User
    from models.choices import CLERK, UNIT_OFFICE, UNIT_SUBORDINATE
    from models.plans import Indicator, PlanTask
    from models.reports import ReportRound, RoundUnit, Submission

    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'b.db'}",
                      "FILES_DIR": str(tmp / "files"), "CACHE_DIR": str(tmp / "cache")})
    rng = random.Random(7)
    with app.app_context():
        db.create_all()
        Organization.current()
        office = Unit(name="Ban Thường trực", recipient_name="Ban Thường trực", slug="office", kind=UNIT_OFFICE)
        db.session.add(office)
        clerk = User(username="clerk", full_name="Chuyên viên", password_hash="x")
        clerk.set_roles({CLERK})
        db.session.add(clerk)
        plan = Document(kind="KH", title="Tuyên truyền Chỉ thị số 07", status="issued", number=5,
                        issued_on=date(2026, 5, 1), year=2026)
        db.session.add(plan)
        db.session.flush()
        task = PlanTask(document_id=plan.id, text="Tuyên truyền Chỉ thị số 07", position=1)
        task.indicators = [Indicator(name=f"Chỉ tiêu số {i}", unit_of_measure="lượt", value_type="integer", position=i)
                           for i in range(INDICATORS)]
        db.session.add(task)
        db.session.flush()
        units = [{"name": f"Xã số {u + 1}", "recipient_name": f"Xã số {u + 1}", "slug": f"xa-{u + 1}",
                  "kind": UNIT_SUBORDINATE, "sort_order": u, "is_group": False, "active": True,
                  "created_at": datetime(2026, 1, 1)} for u in range(n_units)]
        db.session.execute(db.insert(Unit), units)
        unit_ids = db.session.scalars(db.select(Unit.id).where(Unit.kind == UNIT_SUBORDINATE).order_by(Unit.id)).all()
        rnd = ReportRound(document_id=plan.id, title="Kết quả tuyên truyền", cutoff_on=date(2026, 6, 30),
                          due_on=date(2026, 7, 5), created_by_id=clerk.id)
        rnd.task_ids = [task.id]
        rnd.questions = ["Khó khăn, vướng mắc", "Đề xuất, kiến nghị"]
        db.session.add(rnd)
        db.session.flush()
        db.session.execute(db.insert(RoundUnit), [{"round_id": rnd.id, "unit_id": u, "added_at": datetime(2026, 6, 1)}
                                                  for u in unit_ids])
        indicator_ids = [i.id for i in task.indicators]
        subs = []
        for k, u in enumerate(unit_ids):
            if k % 10 == 9:
                continue  # one unit in ten has not reported
            sent = datetime(2026, 7, 5 if k % 10 != 8 else 6, 3)
            subs.append({"round_id": rnd.id, "unit_id": u, "status": "submitted", "first_submitted_at": sent,
                         "submitted_at": sent, "version": 1, "updated_at": sent, "lock_version": 1,
                         "narratives_json": json.dumps({str(task.id): "Tổ chức tuyên truyền ở các thôn, xóm."}),
                         "answers_json": json.dumps(["Thiếu kinh phí.", "Đề nghị hỗ trợ tài liệu."]),
                         "figures_json": json.dumps({str(i): str(rng.randint(0, 5000)) for i in indicator_ids}),
                         "return_comment": ""})
        db.session.execute(db.insert(Submission), subs)
        db.session.commit()
        round_id, clerk_id = rnd.id, clerk.id
        db.session.remove()

        base = _rss_mb()
        cpu = time.process_time()
        started = time.perf_counter()
        rnd = db.session.get(ReportRound, round_id)
        drafted = draft_report(rnd, db.session.get(User, clerk_id))
        db.session.commit()
        drafted_at = time.perf_counter()
        docx, _name = report_docx(drafted.document, Organization.current())
        done = time.perf_counter()
        cpu = time.process_time() - cpu
        rows = len(drafted.result.reporting)
    return {"draft_s": drafted_at - started, "docx_s": done - drafted_at, "total_s": done - started, "cpu_s": cpu,
            "rss_mb": _rss_mb(), "rss_before_mb": base, "docx_kb": len(docx) / 1024, "rows": rows}


def _child(kind: str, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(n)], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    print(f"Report round aggregation, {INDICATORS} indicators per unit (each size in a fresh process)\n")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time suffers under load; CPU time less)\n")
    print(f"{'units':>6} {'kind':>5} {'wall s':>7} {'CPU s':>6} {'CPU ms/unit':>12} {'steps, wall (s)':>26} "
          f"{'peak RSS MB':>12} {'(+work)':>8} {'.docx KB':>9}")
    for n in sizes:
        for kind in ("pure", "full"):
            r = _child(kind, n)
            steps = (f"agg {r['aggregate_s']:.2f} + docx {r['docx_s']:.2f}" if kind == "pure"
                     else f"draft {r['draft_s']:.2f} + docx {r['docx_s']:.2f}")
            print(f"{n:>6} {kind:>5} {r['total_s']:>7.2f} {r['cpu_s']:>6.2f} {r['cpu_s'] / n * 1000:>12.2f} {steps:>26} "
                  f"{r['rss_mb']:>12.0f} {r['rss_mb'] - r['rss_before_mb']:>+8.0f} {r['docx_kb']:>9.0f}")
    print("\nTarget: 1,000 units under 3 s and 300 MB; ms/unit about constant from 100 to 5,000 (linear growth).")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        result = (pure if sys.argv[2] == "pure" else full)(int(sys.argv[3]))
        print(json.dumps(result))
    else:
        main([int(a) for a in sys.argv[1:]] or list(SIZES))
