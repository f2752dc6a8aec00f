"""Helpers for the report-round tests: a tracked plan ready to be reported on, a round, submissions at given times."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from plans_fixtures import assignment_of, tracked_plan, user
from sqlalchemy import select

import domain.reports.rounds as rounds_module
import domain.reports.submissions as submissions_module
from domain.reports.rounds import RoundInput, create_round
from domain.reports.scope import round_tasks, task_specs, unit_task_ids
from domain.reports.submissions import Entry, save_submission
from extensions import db
from models import Unit
from models.choices import UNIT_EXTERNAL
from models.plans import IndicatorValue
from models.reports import ReportRound

DUE = date(2026, 7, 5)
CUTOFF = date(2026, 6, 30)
SUPERIOR = "Ban Tuyên giáo Tỉnh ủy Ninh Bình"

__all__ = ["DUE", "CUTOFF", "SUPERIOR", "report_plan", "open_round", "submit", "at_utc", "assignment_of", "user"]


def report_plan(people: dict):
    """The tracked plan of plans_fixtures, numbered 07 and signed by the approver, sent to an outside body and the
    districts: (plan, districts' task with three indicators, monthly task)."""
    plan, districts, monthly = tracked_plan(people)
    superior = db.session.scalar(select(Unit).where(Unit.name == SUPERIOR))
    if superior is None:
        superior = Unit(name=SUPERIOR, recipient_name=SUPERIOR, slug="btg-tinh-uy", kind=UNIT_EXTERNAL)
        db.session.add(superior)
        db.session.flush()
    approver = user("approver")
    plan.signer_id, plan.signer_title, plan.signing_authority = approver.id, "PHÓ CHỦ TỊCH", "TM. BAN THƯỜNG TRỰC"
    plan.set_recipients([(superior.id, ""), (people["group"], "")])
    db.session.flush()
    return plan, districts, monthly


def open_round(plan, people, *, due: date = DUE, questions: str = "Khó khăn, vướng mắc\nĐề xuất, kiến nghị",
               unit_ids: list[int] | None = None, task_ids: list[int] | None = None) -> ReportRound:
    from domain.plans.tasks import plan_tasks

    data = RoundInput(title="Kết quả tuyên truyền Chỉ thị số 07-CT/TW 6 tháng đầu năm 2026", cutoff_on=CUTOFF,
                      due_on=due, task_ids=task_ids or [t.id for t in plan_tasks(plan)],
                      unit_ids=unit_ids or [people["district"], people["other_district"]], questions=questions)
    return create_round(plan, user("clerk"), data, link_for=lambda r: f"/reports/{r.id}/my")


def at_utc(monkeypatch, when: datetime) -> None:
    """Make the report verbs (of rounds and of submissions) record `when` (naive UTC) as now."""
    for module in (rounds_module, submissions_module):
        monkeypatch.setattr(module, "utcnow", lambda: when)


def submit(rnd: ReportRound, unit_id: int, username: str, figures: dict[str, str] | None = None,
           narrative: str = "", answers: list[str] | None = None, *, send: bool = True):
    """Fill the unit's form (figures by indicator name) and save or send it."""
    tasks = [t for t in task_specs(round_tasks(rnd)) if t.id in unit_task_ids(rnd, [unit_id])[unit_id]]
    by_name = {i.name: i.id for t in tasks for i in t.indicators}
    entry = Entry(narratives={tasks[0].id: narrative} if narrative else {},
                  figures={by_name[k]: v for k, v in (figures or {}).items()}, answers=answers or [])
    return save_submission(rnd, unit_id, user(username), entry, submit=send, tasks=tasks, max_bytes=1024 * 1024)


def set_assignment_values(task, unit_id: int, values: dict[str, str], narrative: str = "") -> None:
    """What a unit reported on its task before the round (the form is prefilled from it)."""
    assignment = assignment_of(task, unit_id)
    by_name = {i.name: i.id for i in task.indicators}
    for name, value in values.items():
        db.session.add(IndicatorValue(assignment_id=assignment.id, indicator_id=by_name[name], value=Decimal(value)))
    assignment.narrative = narrative
    db.session.flush()


def security_round(people: dict) -> int:
    """A round asking both districts, the district's report sent (for the route x role table)."""
    plan, _districts, _monthly = report_plan(people)
    rnd = open_round(plan, people)
    submit(rnd, people["district"], "reporter", {"Số buổi tuyên truyền": "3"}, "Đã tổ chức 3 buổi.")
    return rnd.id
