"""Who is late on a plan followed up, and reminding them.

    is_overdue(assignment, task, starts_on, today)   an open assignment past its deadline
    Lateness(tasks, today).of(assignment, task_id)  the same for thousands of assignments at once
    remind_late_units(document, user, today, link)  one in-app notification per user of each late unit
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from domain.notifications import notify_units
from domain.plans.assignments import STATUSES, status_of
from domain.plans.tasks import plan_tasks, task_deadline
from domain.plans.tracking import refuse_if_stopped, tracking_of
from extensions import db
from models.choices import ONE_DATE
from models.core import Unit, User, audit
from models.documents import Document
from models.plans import Assignment, PlanTask

CLOSED = frozenset(code for code, s in STATUSES.items() if s.closed)
# How Lateness judges a task: late after a due date, or late without a report since a period began.
_BY_DATE, _BY_PERIOD = "by_date", "by_period"


class Lateness:
    """The deadlines of many tasks worked out once for today, for lists of thousands of assignments.

    of(assignment) -> (late today?, next due date), the same answers as is_overdue and next_due.
    """

    def __init__(self, tasks: list[tuple[PlanTask, date | None]], today: date):
        self.today = today
        deadlines = {task.id: task_deadline(task, starts_on) for task, starts_on in tasks}
        self.upcoming = {i: d.due if d.kind == ONE_DATE else d.next_due(today) for i, d in deadlines.items()}
        # Per task: (_BY_DATE, due) late after due; (_BY_PERIOD, first) late with no report since first; None: never.
        self.rule: dict[int, tuple[str, date] | None] = {}
        for i, d in deadlines.items():
            if d.kind == ONE_DATE and d.due is not None:
                self.rule[i] = (_BY_DATE, d.due)
            elif (owed := d.owed_period(today)) is not None:
                self.rule[i] = (_BY_PERIOD, owed[0])
            else:
                self.rule[i] = None

    def of(self, assignment, task_id: int) -> tuple[bool, date | None]:
        if assignment.status in CLOSED or assignment.done_on is not None:
            return False, None if assignment.status in CLOSED else self.upcoming[task_id]
        rule = self.rule[task_id]
        if rule is None:
            late = False
        elif rule[0] == _BY_DATE:
            late = self.today > rule[1]
        else:
            late = assignment.last_reported_on is None or assignment.last_reported_on < rule[1]
        return late, self.upcoming[task_id]


def is_overdue(assignment: Assignment, task: PlanTask, starts_on: date | None, today: date) -> bool:
    """Late today: an open assignment past its deadline (recurring: no report in the last due period)."""
    if status_of(assignment.status).closed:
        return False
    return task_deadline(task, starts_on).is_overdue(today, assignment.done_on, assignment.last_reported_on)


def next_due(assignment: Assignment, task: PlanTask, starts_on: date | None, today: date) -> date | None:
    """The date the unit must next act by (for a late one-off task, the date it missed)."""
    if status_of(assignment.status).closed:
        return None
    deadline = task_deadline(task, starts_on)
    if deadline.kind == ONE_DATE:
        return deadline.due
    return deadline.next_due(today)


# ------------------------------------------------------------------------------------------------ reminders


@dataclass
class Reminded:
    units: list[Unit] = field(default_factory=list)
    notifications: int = 0
    units_without_users: list[Unit] = field(default_factory=list)


def late_assignments(document: Document, today: date) -> list[Assignment]:
    tracking = tracking_of(document)
    if tracking is None:
        return []
    rows = db.session.scalars(select(Assignment).join(PlanTask).where(PlanTask.document_id == document.id)).all()
    tasks = {t.id: t for t in plan_tasks(document)}
    return [a for a in rows if is_overdue(a, tasks[a.task_id], tracking.starts_on, today)]


def remind_late_units(document: Document, user: User, today: date, link: str) -> Reminded:
    """An in-app notification to every active user of each unit with a late assignment in this plan."""
    refuse_if_stopped(document)
    late = late_assignments(document, today)
    per_unit: dict[int, int] = {}
    for assignment in late:
        per_unit[assignment.unit_id] = per_unit.get(assignment.unit_id, 0) + 1
    result = Reminded()
    if not per_unit:
        return result
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(per_unit)))}
    title = document.title or "(chưa có trích yếu)"
    # A title that carries its own quotation marks is not wrapped in a second pair (“… mới””).
    named = title if any(q in title for q in "“”\"") else f"“{title}”"
    for unit_id, count in per_unit.items():
        message = (f"Nhắc việc: đơn vị còn {count} nhiệm vụ quá hạn trong Kế hoạch {named}. "
                   "Vui lòng cập nhật tiến độ.")
        sent, unreached = notify_units([unit_id], user, message, link)
        (result.units_without_users if unreached else result.units).append(units[unit_id])
        result.notifications += sent
    audit("plan.remind", document, user=user, summary=f"Nhắc {len(result.units)} đơn vị chậm tiến độ",
          after={"units": [u.name for u in result.units], "notifications": result.notifications})
    return result
