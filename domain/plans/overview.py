"""The overview across every plan followed up: late and due-this-week assignments, completion per unit, and one
unit's assignments. A fixed number of queries whatever the number of plans, units and tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from domain.plans.assignments import DONE, status_of
from domain.plans.followup import assignment_columns, unit_order
from domain.plans.lateness import Lateness
from domain.plans.tracking import STOPPED_STATUSES
from extensions import db
from models.choices import Choice
from models.core import Unit
from models.documents import Document
from models.plans import Assignment, PlanTask, PlanTracking

CHART_MAX_UNITS = 25
SOON_DAYS = 7


@dataclass
class Item:
    assignment_id: int
    document_id: int
    document_title: str
    document_number: int | None
    task: PlanTask
    unit_id: int
    unit_name: str
    status: Choice
    due: date | None
    overdue: bool


@dataclass
class UnitBar:
    unit_id: int
    name: str
    done: int
    total: int
    overdue: int

    @property
    def ratio(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.ratio)


@dataclass
class Overview:
    overdue: list[Item] = field(default_factory=list)
    due_soon: list[Item] = field(default_factory=list)
    bars: list[UnitBar] = field(default_factory=list)
    bars_truncated: bool = False
    plans: int = 0
    assignments: int = 0
    done: int = 0


def _items(where, today: date) -> list[Item]:
    """Assignments of every plan followed up (narrowed by `where`), with their lateness, in two queries."""
    running = (select(PlanTask, PlanTracking.starts_on).join(Document, Document.id == PlanTask.document_id)
               .join(PlanTracking, PlanTracking.document_id == Document.id)
               .where(Document.status.notin_(STOPPED_STATUSES)))
    tasks = {task.id: (task, starts_on) for task, starts_on in db.session.execute(running).all()}
    stmt = (select(*assignment_columns(), Unit.name.label("unit_name"), Document.id.label("doc_id"),
                   Document.title.label("doc_title"), Document.number.label("doc_number"))
            .join(PlanTask, PlanTask.id == Assignment.task_id)
            .join(Document, Document.id == PlanTask.document_id)
            .join(PlanTracking, PlanTracking.document_id == Document.id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(Document.status.notin_(STOPPED_STATUSES), *where))
    lateness = Lateness(list(tasks.values()), today)
    items = []
    for r in db.session.execute(stmt).all():
        late, due = lateness.of(r, r.task_id)
        items.append(Item(r.id, r.doc_id, r.doc_title, r.doc_number, tasks[r.task_id][0], r.unit_id, r.unit_name,
                          status_of(r.status), due, late))
    return items


def office_overview(today: date, limit: int = 12) -> Overview:
    """Late and due-this-week assignments across every plan followed up, and completion per unit."""
    items = _items([], today)
    order = unit_order()
    overview = Overview(plans=len({i.document_id for i in items}), assignments=len(items),
                        done=sum(i.status.code == DONE for i in items))
    late = sorted((i for i in items if i.overdue), key=lambda i: (i.due or date.max, order.get(i.unit_id, (0, ""))))
    soon = sorted((i for i in items if not i.overdue and i.due and today <= i.due <= today + timedelta(days=SOON_DAYS)),
                  key=lambda i: (i.due, order.get(i.unit_id, (0, ""))))
    overview.overdue, overview.due_soon = late, soon
    bars: dict[int, UnitBar] = {}
    for i in items:
        bar = bars.setdefault(i.unit_id, UnitBar(i.unit_id, i.unit_name, 0, 0, 0))
        bar.total += 1
        bar.done += i.status.code == DONE
        bar.overdue += i.overdue
    ordered = sorted(bars.values(), key=lambda b: order.get(b.unit_id, (10**9, b.name)))
    if len(ordered) > CHART_MAX_UNITS:  # many units: show the ones that need attention
        overview.bars_truncated = True
        ordered = sorted(ordered, key=lambda b: (b.ratio, -b.overdue, b.name))[:CHART_MAX_UNITS]
    overview.bars = ordered
    return overview


def unit_items(unit_id: int, today: date) -> list[Item]:
    """A unit's assignments across the plans being followed up: late first, then by the next due date."""
    items = _items([Assignment.unit_id == unit_id], today)
    return sorted(items, key=lambda i: (not i.overdue, i.status.closed, i.due or date.max, i.document_id,
                                        i.task.position))
