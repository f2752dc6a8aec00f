"""Demonstration data for plan tracking: the Chỉ thị 07 plan's five tasks, fanned out, with a few real reports.

Runs after the documents, workflow and register steps (the plan may already be issued, which started tracking).
The tasks come from the plan's own section III through the same extraction the clerk uses; the reports go
through report_progress, so history, figures and lateness are what the application itself computes.
Idempotent: nothing is changed once any unit has reported on the plan.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from demo.documents import the_plan
from demo.organization import CLERK_USERNAME, DISTRICTS_GROUP, OFFICE, person
from domain.office import office_today
from domain.plans.lateness import remind_late_units
from domain.plans.progress import Report, report_progress
from domain.plans.task_form import IndicatorInput, TaskInput, save_task
from domain.plans.tasks import plan_tasks, propose_from_document
from domain.plans.tracking import start_tracking
from extensions import db
from models import Document, Unit, User
from models.choices import (
    CANCELLED,
    DONE,
    FAILED,
    IN_PROGRESS,
    MONTHLY,
    NO_DEADLINE,
    ONE_DATE,
    QUARTERLY,
    RECALLED,
    WHOLE_NUMBER,
)
from models.plans import Assignment, AssignmentUpdate, PlanTask

DISTRICT_INDICATORS = [("Số buổi tuyên truyền", "buổi", WHOLE_NUMBER),
                       ("Số lượt người tham dự", "lượt người", WHOLE_NUMBER), ("Số tin, bài", "tin, bài", WHOLE_NUMBER)]

# (district slug, status, days before today it was done, sessions, attendees, articles, narrative)
DISTRICT_REPORTS = [
    ("thanh-pho-ninh-binh", DONE, 3, 12, 1450, 9,
     "Ban hành Kế hoạch số 15/KH-MTTQ; tổ chức hội nghị quán triệt cho cán bộ Mặt trận 14 phường, xã; "
     "đăng tin trên trang thông tin điện tử thành phố."),
    ("huyen-kim-son", DONE, 2, 9, 1120, 6,
     "Lồng ghép tuyên truyền Chỉ thị số 07 trong sinh hoạt Ban Công tác Mặt trận ở 27 khu dân cư ven biển."),
    ("huyen-yen-khanh", DONE, 1, 7, 860, 5,
     "Phối hợp Ban Tuyên giáo Huyện ủy tổ chức 7 buổi tuyên truyền; phát 12 lượt trên đài truyền thanh xã."),
    ("thanh-pho-tam-diep", IN_PROGRESS, None, 4, 390, 2,
     "Đã xây dựng kế hoạch; đang tổ chức tuyên truyền ở các phường, còn 3 xã chưa tổ chức."),
    ("huyen-gia-vien", IN_PROGRESS, None, 3, 275, 1,
     "Đã quán triệt tại hội nghị Ban Thường trực mở rộng; đang chuẩn bị tài liệu cho khu dân cư."),
    ("huyen-hoa-lu", FAILED, None, None, None, None, None),
]
FAILURE = "Tháng này địa phương tập trung phòng, chống lụt bão; xin lùi việc tổ chức tuyên truyền sang kỳ sau."
MONTHLY_REPORTS = ["thanh-pho-ninh-binh", "huyen-kim-son", "huyen-yen-mo"]


def _configure(document: Document, clerk: User, units: dict, today: date) -> list[PlanTask]:
    """Deadlines and indicators the clerk would set on the five tasks."""
    tasks = plan_tasks(document)
    office, districts = units.get(OFFICE), units.get(DISTRICTS_GROUP)
    settings = {
        0: (ONE_DATE, today + timedelta(days=4), None, "trong tuần này"),
        1: (NO_DEADLINE, None, None, "thường xuyên"),
        2: (QUARTERLY, None, None, "hằng quý"),
        3: (ONE_DATE, today - timedelta(days=1), None, "trước khi sơ kết đợt tuyên truyền"),
        4: (MONTHLY, None, 15, "trước ngày 15 hằng tháng"),
    }
    for index, task in enumerate(tasks[:5]):
        kind, due, day, text = settings[index]
        unit = task.unit_id or (office.id if index < 3 and office else districts.id if districts else None)
        indicators = [IndicatorInput(i.id, i.name, i.unit_of_measure, i.value_type) for i in task.indicators]
        if index == 3 and not indicators:
            indicators = [IndicatorInput(None, *spec) for spec in DISTRICT_INDICATORS]
        save_task(document, task, TaskInput(
            text=task.text, unit_id=unit, lead_unit_id=task.lead_unit_id or unit,
            coordinating_ids=[u.id for u in task.coordinating_units] or
            ([units["ban-tuyen-giao"].id] if index == 3 and "ban-tuyen-giao" in units else []),
            deadline_kind=kind, due_on=due, day_of_month=day, deadline_text=text, indicators=indicators,
        ), clerk)  # fmt: skip
    return plan_tasks(document)


def _report(task: PlanTask, unit: Unit | None, today: date, **fields) -> None:
    if unit is None:
        return
    assignment = db.session.scalar(select(Assignment).where(Assignment.task_id == task.id,
                                                            Assignment.unit_id == unit.id))
    reporter = db.session.scalar(select(User).where(User.unit_id == unit.id, User.active.is_(True)).order_by(User.id))
    if assignment is None or reporter is None:
        return
    report_progress(assignment, reporter, Report(**fields), today=today, max_file_bytes=1)


def seed_plan_tracking(units: dict) -> None:
    document, clerk = the_plan(), person(CLERK_USERNAME)
    if document is None or clerk is None or document.status in (CANCELLED, RECALLED):
        return
    reported = db.session.scalar(select(func.count(AssignmentUpdate.id)).join(Assignment).join(PlanTask)
                                 .where(PlanTask.document_id == document.id))
    if reported:
        return
    today = office_today()
    if not plan_tasks(document):
        propose_from_document(document, clerk, today)
    tasks = _configure(document, clerk, units, today)
    start_tracking(document, clerk, today)
    db.session.flush()
    if len(tasks) < 5:
        return
    office, spreading, monthly = tasks[0], tasks[3], tasks[4]
    sessions, attendees, articles = (i.id for i in spreading.indicators[:3])
    for slug, status, days_ago, n_sessions, n_people, n_articles, narrative in DISTRICT_REPORTS:
        if status == FAILED:
            _report(spreading, units.get(slug), today, status=FAILED, failure_reason=FAILURE)
            continue
        values = {sessions: str(n_sessions), attendees: str(n_people), articles: str(n_articles)}
        _report(spreading, units.get(slug), today, status=status, narrative=narrative, values=values,
                done_on=today - timedelta(days=days_ago) if days_ago is not None else None)
    for slug in MONTHLY_REPORTS:
        _report(monthly, units.get(slug), today, status=IN_PROGRESS,
                narrative="Báo cáo tháng: đã tổng hợp kết quả tuyên truyền ở cơ sở, gửi kèm số liệu.")
    office_unit = units.get(OFFICE)
    assignment = db.session.scalar(select(Assignment).where(Assignment.task_id == office.id,
                                                            Assignment.unit_id == office_unit.id)) if office_unit else None
    if assignment is not None:
        report_progress(assignment, clerk, Report(
            status=IN_PROGRESS, narrative="Đã thống nhất lịch học tập quán triệt với Chi bộ cơ quan."),
            today=today, max_file_bytes=1)
    # The clerk has already reminded the districts that are late: they see it when they sign in.
    remind_late_units(document, clerk, today, "/my-tasks")
    db.session.flush()
