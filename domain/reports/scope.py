"""What a round asks, and of whom: the units that may be asked, the plan's tasks each unit is asked about, and
the tasks as the report form and the Báo cáo see them. Read-only.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain.plans.tasks import plan_tasks
from domain.reports import rules as R
from domain.reports.text import TaskSpec
from extensions import db
from models.choices import UNIT_DEPARTMENT, UNIT_REPORTER, UNIT_SUBORDINATE
from models.core import Unit, User, UserRole
from models.documents import Document
from models.plans import Assignment, PlanTask
from models.reports import ReportRound


def assigned_units(plan: Document) -> dict[int, set[int]]:
    """unit id -> ids of the plan's tasks it has an assignment for."""
    rows = db.session.execute(select(Assignment.unit_id, Assignment.task_id).join(PlanTask)
                              .where(PlanTask.document_id == plan.id)).all()
    out: dict[int, set[int]] = {}
    for unit_id, task_id in rows:
        out.setdefault(unit_id, set()).add(task_id)
    return out


def reporting_unit_ids() -> set[int]:
    """Units that have someone to answer: an active user with the unit reporter's role in that unit."""
    return set(db.session.scalars(select(User.unit_id).join(UserRole, UserRole.user_id == User.id)
                                  .where(User.active.is_(True), User.unit_id.is_not(None),
                                         UserRole.role == UNIT_REPORTER).distinct()))


def _assigned_subordinates(plan: Document) -> list[Unit]:
    """The committees below with assignments in the plan, in directory order. The office's own departments are
    never asked by default: they report inside the office, not through a round."""
    ids = set(assigned_units(plan))
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids), Unit.active.is_(True),
                                                      Unit.kind == UNIT_SUBORDINATE)
                                   .order_by(Unit.sort_order, Unit.name)))


def default_unit_ids(plan: Document) -> list[int]:
    """The units a new round asks by default: committees assigned in the plan that have an active reporting
    account (a unit nobody can sign in for would only ever show as "Chưa nộp")."""
    reporting = reporting_unit_ids()
    return [u.id for u in _assigned_subordinates(plan) if u.id in reporting]


def units_without_account(plan: Document) -> list[Unit]:
    """Committees assigned in the plan but left out by default because no active account reports for them; the
    clerk may still tick them (they are told why they are unticked)."""
    reporting = reporting_unit_ids()
    return [u for u in _assigned_subordinates(plan) if u.id not in reporting]


def default_task_ids(plan: Document, unit_ids: list[int]) -> list[int]:
    """The plan's tasks assigned to any of these units (all tasks when none is)."""
    by_unit = assigned_units(plan)
    wanted = set().union(*(by_unit.get(u, set()) for u in unit_ids)) if unit_ids else set()
    tasks = plan_tasks(plan)
    return [t.id for t in tasks if t.id in wanted] or [t.id for t in tasks]


def candidate_units() -> list[Unit]:
    """Units that may be asked for a report: active, not the office, not an outside body."""
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True), Unit.is_group.is_(False),
                                                      Unit.kind.in_((UNIT_SUBORDINATE, UNIT_DEPARTMENT)))
                                   .order_by(Unit.sort_order, Unit.name)))


def round_tasks(rnd: ReportRound) -> list[PlanTask]:
    """The tasks asked, in the round's order (a task deleted from the plan since is left out)."""
    ids = rnd.task_ids
    found = {t.id: t for t in db.session.scalars(select(PlanTask).where(PlanTask.id.in_(ids))
                                                 .options(selectinload(PlanTask.indicators)))} if ids else {}
    return [found[i] for i in ids if i in found]


def task_specs(tasks: list[PlanTask]) -> list[TaskSpec]:
    return [TaskSpec(t.id, t.text, tuple(R.IndicatorSpec(i.id, i.name, i.unit_of_measure or "", i.value_type)
                                         for i in t.indicators)) for t in tasks]


def unit_task_ids(rnd: ReportRound, unit_ids: list[int] | None = None) -> dict[int, frozenset[int]]:
    """unit id -> the round's tasks asked of it: those it is assigned; all of them for a unit assigned none."""
    asked = set(rnd.task_ids)
    by_unit = assigned_units(rnd.plan)
    ids = unit_ids if unit_ids is not None else [ru.unit_id for ru in rnd.units]
    return {u: frozenset(by_unit.get(u, set()) & asked) or frozenset(asked) for u in ids}
