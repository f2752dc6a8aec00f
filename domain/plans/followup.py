"""What the office looks at on a plan: the units x tasks matrix, and the plans' summaries (the overview across
plans is in domain.plans.overview).

Each function runs a fixed number of queries whatever the number of units and tasks (tests count them): rows
are fetched in one go and lateness is computed here, in Python, from the deadlines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from domain.plans.assignments import DONE, status_of
from domain.plans.lateness import Lateness
from extensions import db
from models.choices import Choice
from models.core import Unit
from models.documents import Document
from models.plans import Assignment, Indicator, IndicatorValue, PlanTask, PlanTracking


def assignment_columns():
    """An assignment as lists need it: one row each, no objects loaded."""
    return (Assignment.id, Assignment.task_id, Assignment.unit_id, Assignment.status, Assignment.done_on,
            Assignment.last_reported_on, Assignment.updated_at)


def unit_order() -> dict[int, tuple[int, str]]:
    """Unit id -> (position in the directory tree, name): parents before children, siblings in order."""
    units = db.session.execute(select(Unit.id, Unit.parent_id, Unit.name).order_by(Unit.sort_order, Unit.name)).all()
    children: dict[int | None, list] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    known = {u.id for u in units}
    order: dict[int, tuple[int, str]] = {}

    def walk(parent):
        for u in children.get(parent, []):
            if u.id not in order:
                order[u.id] = (len(order), u.name)
                walk(u.id)

    walk(None)
    for u in units:  # parents pointing outside the tree (never in practice) still get a place
        if u.id not in order and u.parent_id not in known:
            order[u.id] = (len(order), u.name)
    return order


# ------------------------------------------------------------------------------------------------ matrix


@dataclass(slots=True)
class Cell:
    assignment_id: int
    unit_id: int
    task_id: int
    status: Choice
    overdue: bool
    due: date | None
    done_on: date | None
    dim: bool = False


@dataclass
class Row:
    unit: Unit
    line: list[Cell | None]  # one place per task, in the order of the tasks (None: the unit has no share)
    cells: dict[int, Cell] = field(default_factory=dict)  # by task id
    done: int = 0
    overdue: int = 0
    html: str = ""  # the cells as the page shows them (filled in by the view)

    @property
    def total(self) -> int:
        return len(self.cells)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Matrix:
    tasks: list[PlanTask]
    rows: list[Row]
    counts: dict[str, int]
    units: list[Unit]  # every unit with an assignment, for the filter
    stamp: str
    totals: dict[int, dict[int, object]] = field(default_factory=dict)  # task id -> indicator id -> (sum, count)
    pairs: set[tuple[int, int]] = field(default_factory=set)  # (task id, unit id) of every assignment


def matrix_stamp(document: Document, today: date) -> str:
    """Changes whenever a cell could change: a report, a new assignment, a task edit, a new day."""
    a_count, a_last = db.session.execute(
        select(func.count(Assignment.id), func.max(Assignment.updated_at)).join(PlanTask)
        .where(PlanTask.document_id == document.id)).one()
    t_count, t_last = db.session.execute(
        select(func.count(PlanTask.id), func.max(PlanTask.updated_at)).where(PlanTask.document_id == document.id)).one()
    return _stamp(a_count, a_last, t_count, t_last, today)


def _stamp(a_count, a_last, t_count, t_last, today: date) -> str:
    def iso(value):
        return value.isoformat() if value else "-"

    return f"{today.isoformat()}.{a_count}.{iso(a_last)}.{t_count}.{iso(t_last)}"


def tracking_matrix(document: Document, tasks: list[PlanTask], starts_on: date | None, today: date, *,
                    unit_id: int | None = None, status: str | None = None, overdue_only: bool = False) -> Matrix:
    """Units x tasks: each cell an assignment's status, late ones marked; rows filtered, counts for all."""
    column = {t.id: i for i, t in enumerate(tasks)}
    task_ids = list(column) or [0]
    rows = db.session.execute(select(*assignment_columns()).where(Assignment.task_id.in_(task_ids))).all()
    units = {u.id: u for u in db.session.scalars(select(Unit).where(
        Unit.id.in_(select(Assignment.unit_id).where(Assignment.task_id.in_(task_ids)))))}
    order = unit_order()
    lateness = Lateness([(t, starts_on) for t in tasks], today)
    counts: Counter[str] = Counter()
    table: dict[int, Row] = {}
    for r in rows:
        late, due = lateness.of(r, r.task_id)
        cell = Cell(r.id, r.unit_id, r.task_id, status_of(r.status), late, due, r.done_on)
        counts[r.status] += 1
        counts["overdue"] += late
        row = table.get(r.unit_id)
        if row is None:
            row = table[r.unit_id] = Row(units[r.unit_id], [None] * len(tasks))
        row.cells[r.task_id] = row.line[column[r.task_id]] = cell
        row.done += r.status == DONE
        row.overdue += late
    counts["total"] = len(rows)
    all_rows = sorted(table.values(), key=lambda row: order.get(row.unit.id, (10**9, row.unit.name)))
    shown = []
    for row in all_rows:
        if unit_id and row.unit.id != unit_id:
            continue
        if status or overdue_only:
            for cell in row.cells.values():
                cell.dim = bool((status and cell.status.code != status) or (overdue_only and not cell.overdue))
            if all(c.dim for c in row.cells.values()):
                continue
        shown.append(row)
    t_last = max((t.updated_at for t in tasks), default=None)
    a_last = max((r.updated_at for r in rows), default=None)
    return Matrix(tasks=tasks, rows=shown, counts=dict(counts), units=[row.unit for row in all_rows],
                  stamp=_stamp(len(rows), a_last, len(tasks), t_last, today), totals=indicator_totals(list(column)),
                  pairs={(r.task_id, r.unit_id) for r in rows})


def indicator_totals(task_ids: list[int]) -> dict[int, dict[int, object]]:
    """Sum of the current figures of every indicator, per task: what the plan has achieved so far."""
    if not task_ids:
        return {}
    rows = db.session.execute(
        select(Indicator.task_id, Indicator.id, func.sum(IndicatorValue.value), func.count(IndicatorValue.id))
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(Indicator.task_id.in_(task_ids)).group_by(Indicator.task_id, Indicator.id)).all()
    totals: dict[int, dict[int, object]] = {}
    for task_id, indicator_id, total, count in rows:
        totals.setdefault(task_id, {})[indicator_id] = (total, count)
    return totals


# ------------------------------------------------------------------------------------------- summaries


@dataclass
class PlanSummary:
    tasks: int = 0
    tasks_without_unit: int = 0
    tracking: PlanTracking | None = None
    assignments: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def done(self) -> int:
        return self.by_status.get(DONE, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.assignments) if self.assignments else 0


def plan_summaries(document_ids: list[int], today: date) -> dict[int, PlanSummary]:
    """Tasks, tracking and assignment counts of several plans in three queries."""
    summaries = {i: PlanSummary() for i in document_ids}
    if not document_ids:
        return summaries
    tasks = {t.id: t for t in db.session.scalars(select(PlanTask).where(PlanTask.document_id.in_(document_ids)))}
    for t in tasks.values():
        summaries[t.document_id].tasks += 1
        summaries[t.document_id].tasks_without_unit += t.unit_id is None
    for tracking in db.session.scalars(select(PlanTracking).where(PlanTracking.document_id.in_(document_ids))):
        summaries[tracking.document_id].tracking = tracking
    rows = db.session.execute(select(*assignment_columns()).where(Assignment.task_id.in_(list(tasks) or [0]))).all()
    starts = {i: s.tracking.starts_on if s.tracking else None for i, s in summaries.items()}
    lateness = Lateness([(t, starts[t.document_id]) for t in tasks.values()], today)
    for r in rows:
        s = summaries[tasks[r.task_id].document_id]
        s.assignments += 1
        s.by_status[r.status] = s.by_status.get(r.status, 0) + 1
        s.overdue += lateness.of(r, r.task_id)[0]
    return summaries
