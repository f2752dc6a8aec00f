"""The daily deadline check: units hear of a task 3 days before it falls due, and again when it becomes overdue.

    notify_deadlines(today)   run once a day (flask --app app notify-deadlines); safe to run again

Each notification carries the event's key (assignment, event, due date), so a second run the same day, or the
next day, tells nobody twice; a monthly task is announced again for its next month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain.notifications import link_to, notify_units
from domain.plans.lateness import CLOSED, Lateness
from domain.plans.tracking import plan_named, running_plans
from domain.text.vietnamese import short_date
from extensions import db
from models.choices import NOTE_DEADLINE_SOON, NOTE_OVERDUE
from models.core import audit
from models.plans import Assignment, PlanTask, PlanTracking

SOON_DAYS = 3
TASK_TEXT_SHOWN = 120


@dataclass
class DeadlineNotices:
    soon: int = 0  # notifications sent
    overdue: int = 0
    units_without_reporter: int = 0  # events no one could be told of (the unit has no reporting account)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TASK_TEXT_SHOWN else text[:TASK_TEXT_SHOWN - 1].rstrip() + "…"


def notify_deadlines(today: date, soon_days: int = SOON_DAYS) -> DeadlineNotices:
    """Tell each unit of its open tasks due within `soon_days` days, and of those that became overdue."""
    plans = {d.id: d for d in running_plans()}
    result = DeadlineNotices()
    if not plans:
        return result
    starts = dict(db.session.execute(select(PlanTracking.document_id, PlanTracking.starts_on)
                                     .where(PlanTracking.document_id.in_(plans))).all())
    tasks = list(db.session.scalars(select(PlanTask).where(PlanTask.document_id.in_(plans))))
    lateness = Lateness([(t, starts.get(t.document_id)) for t in tasks], today)
    by_id = {t.id: t for t in tasks}
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.task_id.in_(by_id), Assignment.status.notin_(CLOSED))
        .order_by(Assignment.id).options(selectinload(Assignment.task))).all()
    for assignment in assignments:
        task = by_id[assignment.task_id]
        late, due = lateness.of(assignment, task.id)
        named = plan_named(plans[task.document_id])
        if late:
            missed = lateness.rule[task.id][1]
            kind, field = NOTE_OVERDUE, "overdue"
            message = (f"Quá hạn: “{_short(task.text)}” (Kế hoạch {named}, hạn {short_date(missed)}). "
                       "Vui lòng cập nhật tiến độ.")
        elif due is not None and 0 <= (due - today).days <= soon_days:
            missed, kind, field = due, NOTE_DEADLINE_SOON, "soon"
            days = (due - today).days
            when = "hôm nay" if days == 0 else f"còn {days} ngày"
            message = f"Sắp đến hạn ({when}, {short_date(due)}): “{_short(task.text)}” (Kế hoạch {named})."
        else:
            continue
        sent, unreached = notify_units([assignment.unit_id], None, message, link_to(kind, assignment.id),
                                       kind=kind, key=f"{kind}:assignment:{assignment.id}:{missed.isoformat()}")
        setattr(result, field, getattr(result, field) + sent)
        result.units_without_reporter += len(unreached)
    if result.soon or result.overdue:
        audit("notify_deadlines", None, summary=f"Nhắc hạn nhiệm vụ: {result.soon} sắp đến hạn, "
                                                f"{result.overdue} quá hạn", object_type="assignment",
              after={"soon": result.soon, "overdue": result.overdue, "today": today.isoformat()})
    return result
