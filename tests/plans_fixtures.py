"""Helpers for the plan-tracking tests: plans, tasks and assignments made directly, the seed plan's text."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from sqlalchemy import select

from domain.plans.task_form import IndicatorInput, TaskInput, save_task
from domain.plans.tracking import start_tracking
from domain.text.vietnamese import slugify
from extensions import db
from models import Document, Unit, User
from models.plans import Assignment, PlanTask

FIXTURES = Path(__file__).parent / "fixtures"
SEED_FILE = FIXTURES / "plans" / "ke-hoach-chi-thi-07.txt"
SEED_BODY = (FIXTURES / "ke-hoach-chi-thi-07-body.txt").read_text(encoding="utf-8")
PLAN_DATE = date(2026, 3, 2)

# The smallest files of each kind that the content check accepts.
# A real one-pixel PNG: a photo of a report is read (its display copy made), so a PNG must be a readable image.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
       b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    import docx

    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Báo cáo kết quả tuyên truyền")
    document.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "wordprocessingml.document.main+xml")
        archive.writestr("word/document.xml", bytes(30 * 1024 * 1024))
    return out.getvalue()


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def make_plan(title: str = "Tuyên truyền thực hiện Chỉ thị số 07-CT/TW", body: str = SEED_BODY,
              status: str = "draft", issued_on: date | None = None) -> Document:
    document = Document(kind="KH", title=title, body=body, status=status, issued_on=issued_on, year=2026,
                        number=7 if issued_on else None)
    db.session.add(document)
    db.session.flush()
    return document


def make_task(document: Document, text: str, unit_id: int | None, *, deadline_kind: str = "none",
              due_on: date | None = None, day_of_month: int | None = None, deadline_text: str = "",
              indicators: list[tuple[str, str, str]] = ()) -> PlanTask:
    data = TaskInput(text=text, unit_id=unit_id, lead_unit_id=unit_id, deadline_kind=deadline_kind, due_on=due_on,
                     day_of_month=day_of_month, deadline_text=deadline_text,
                     indicators=[IndicatorInput(None, n, u, t) for n, u, t in indicators])
    return save_task(document, None, data, user("clerk"))


INDICATORS = [("Số buổi tuyên truyền", "buổi", "integer"), ("Số lượt người tham dự", "lượt người", "integer"),
              ("Kinh phí", "triệu đồng", "decimal")]


def tracked_plan(people: dict, *, due_on: date = date(2026, 4, 30)) -> tuple[Document, PlanTask, PlanTask]:
    """A plan issued on PLAN_DATE with a dated task for the districts' group and a monthly one for the office."""
    document = make_plan(status="issued", issued_on=PLAN_DATE)
    districts = make_task(document, "Tuyên truyền Chỉ thị số 07 bằng nhiều hình thức", people["group"],
                          deadline_kind="date", due_on=due_on, deadline_text="trước ngày 30/4/2026",
                          indicators=INDICATORS)
    monthly = make_task(document, "Báo cáo kết quả trước ngày 15 hằng tháng", people["group"],
                        deadline_kind="monthly", day_of_month=15, deadline_text="trước ngày 15 hằng tháng")
    start_tracking(document, user("clerk"))
    return document, districts, monthly


def assignment_of(task: PlanTask, unit_id: int) -> Assignment:
    return db.session.scalar(select(Assignment).where(Assignment.task_id == task.id, Assignment.unit_id == unit_id))


def add_districts(group_id: int, count: int, prefix: str = "Huyện thử") -> list[Unit]:
    units = []
    for n in range(count):
        name = f"{prefix} {n + 1}"
        unit = Unit(name=name, recipient_name=name, slug=slugify(name), kind="subordinate", parent_id=group_id,
                    sort_order=100 + n)
        db.session.add(unit)
        units.append(unit)
    db.session.flush()
    return units


# ---- the route x role table (tests/test_security.py) -----------------------------------------------------

SECURITY_TITLE = "Kế hoạch kiểm tra quyền"


def security_plan(people: dict) -> int:
    """A followed-up plan with one task for the districts: the same one for every placeholder of a test."""
    document = db.session.scalar(select(Document).where(Document.title == SECURITY_TITLE))
    if document is None:
        document = make_plan(title=SECURITY_TITLE, status="issued", issued_on=PLAN_DATE)
        make_task(document, "Tuyên truyền ở cơ sở", people["group"], indicators=INDICATORS[:1])
        start_tracking(document, user("clerk"))
    return document.id


def security_task(people: dict) -> str:
    """"<plan id>/tasks/<task id>"."""
    plan_id = security_plan(people)
    return f"{plan_id}/tasks/{db.session.scalar(select(PlanTask.id).where(PlanTask.document_id == plan_id))}"


def security_assignment(people: dict) -> int:
    """The reporter's own assignment (the district of the `reporter` user)."""
    plan_id = security_plan(people)
    return db.session.scalar(select(Assignment.id).join(PlanTask).where(
        PlanTask.document_id == plan_id, Assignment.unit_id == people["district"]))


# ---- large plans, for the query-count test and bench/bench_tracking.py ---------------------------------------


def big_plan(units: int, tasks: int = 15, *, title: str = "Kế hoạch lớn", today: date | None = None) -> Document:
    """A followed-up plan: `units` districts in one group, `tasks` tasks for the group, varied statuses and figures."""
    from datetime import timedelta
    from decimal import Decimal

    from models.core import utcnow
    from models.plans import AssignmentUpdate, IndicatorValue

    today = today or date.today()
    group = Unit(name=f"Nhóm {title}", recipient_name=f"Nhóm {title}", slug=slugify(f"nhom {title}"), kind="subordinate",
                 is_group=True)
    db.session.add(group)
    db.session.flush()
    members = [Unit(name=f"Xã thử {n:03d} ({title})", recipient_name=f"Xã thử {n:03d}", slug=slugify(f"xa {title} {n}"),
                    kind="subordinate", parent_id=group.id, sort_order=n) for n in range(units)]
    db.session.add_all(members)
    document = make_plan(title=title, status="issued", issued_on=today - timedelta(days=60))
    kinds = ["date", "monthly", "quarterly", "none"]
    for n in range(tasks):
        kind = kinds[n % 4]
        make_task(document, f"Nhiệm vụ thử số {n + 1}", group.id, deadline_kind=kind,
                  due_on=today + timedelta(days=(n % 7) - 3) if kind == "date" else None,
                  day_of_month=15 if kind == "monthly" else None, indicators=INDICATORS[: n % 3])
    start_tracking(document, None)
    assignments = db.session.scalars(select(Assignment).join(PlanTask).where(PlanTask.document_id == document.id)
                                     .order_by(Assignment.id)).all()
    indicators = {t.id: t.indicators for t in db.session.scalars(select(PlanTask).where(PlanTask.document_id == document.id))}
    now = utcnow()
    for n, a in enumerate(assignments):
        status = ("not_started", "in_progress", "done", "failed", "in_progress")[n % 5]
        if status == "not_started":
            continue
        a.status, a.last_reported_on, a.updated_at = status, today - timedelta(days=n % 40), now
        a.done_on = today - timedelta(days=1) if status == "done" else None
        a.failure_reason = "Thiếu kinh phí" if status == "failed" else ""
        db.session.add(AssignmentUpdate(assignment_id=a.id, user_id=None, at=now, reported_on=a.last_reported_on,
                                        from_status="not_started", status=status, done_on=a.done_on,
                                        narrative="Báo cáo thử", failure_reason=a.failure_reason))
        for ind in indicators[a.task_id]:
            db.session.add(IndicatorValue(assignment_id=a.id, indicator_id=ind.id, value=Decimal(n % 17)))
    db.session.flush()
    return document


def security_other_assignment(people: dict) -> int:
    """Another district's assignment: the reporter must get 404 on it, as if it did not exist."""
    plan_id = security_plan(people)
    return db.session.scalar(select(Assignment.id).join(PlanTask).where(
        PlanTask.document_id == plan_id, Assignment.unit_id == people["other_district"]))
