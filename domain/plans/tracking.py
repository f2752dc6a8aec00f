"""Following a plan up: fan-out of tasks to assignments, who sees which assignment.

    start_tracking(document, user)        tasks -> one assignment per unit (a group: per active member)
    sync_assignments(document, user)      the same for units that joined a group since (idempotent)
    add_unit_to_running_plans(unit, user) one new unit, every plan being followed up
    visible_assignments(user)             staff see all; a unit reporter only their unit's ("not yours" = 404)

Who is late, and reminding them, is in domain.plans.lateness; progress reports in domain.plans.progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from domain.access import STAFF_ROLES, is_staff, visible_assignments  # noqa: F401
from domain.access import assignment_for as get_assignment  # noqa: F401
from domain.documents.workflow import AFTER_ISSUE
from domain.notifications import link_to, notify_units
from domain.office import office_today
from domain.plans.assignments import NOT_STARTED
from domain.plans.tasks import (
    TRACKABLE_NAMES,
    PlanError,
    add_proposed_tasks,
    plan_tasks,
    tasks_from_document,
)
from domain.plans.units import fan_out
from extensions import db, lock_row
from models.choices import CANCELLED, NOTE_TASKS_ASSIGNED, RECALLED, TRACKABLE_KINDS
from models.core import Unit, User, audit, utcnow
from models.documents import Document
from models.plans import Assignment, PlanTask, PlanTracking

# Plans in these document statuses are no longer followed up.
STOPPED_STATUSES = (CANCELLED, RECALLED)


def tracking_of(document: Document) -> PlanTracking | None:
    return db.session.scalar(select(PlanTracking).where(PlanTracking.document_id == document.id))


# ------------------------------------------------------------------------------------------------ fan-out


def group_members() -> dict[int, list[int]]:
    """Every group and its active members, in directory order: what domain.plans.units.fan_out expands."""
    units = db.session.execute(select(Unit.id, Unit.parent_id, Unit.is_group, Unit.active)
                               .order_by(Unit.sort_order, Unit.name)).all()
    groups: dict[int, list[int]] = {u.id: [] for u in units if u.is_group}
    for u in units:
        if u.parent_id in groups and u.active:
            groups[u.parent_id].append(u.id)
    return groups


@dataclass
class FanOut:
    created: list[Assignment] = field(default_factory=list)
    empty_groups: list[int] = field(default_factory=list)  # groups with no active member: nobody assigned
    without_unit: list[PlanTask] = field(default_factory=list)  # tasks still waiting for a unit


def _wanted(tasks: list[PlanTask], groups: dict[int, list[int]]) -> tuple[list[tuple[PlanTask, int]], FanOut]:
    result, wanted = FanOut(), []
    for task in tasks:
        if task.unit_id is None:
            result.without_unit.append(task)
            continue
        members = fan_out(task.unit_id, groups)
        if not members and task.unit_id not in result.empty_groups:
            result.empty_groups.append(task.unit_id)
        wanted += [(task, unit_id) for unit_id in members]
    return wanted, result


def _existing_pairs(task_ids: list[int]) -> set[tuple[int, int]]:
    if not task_ids:
        return set()
    return set(db.session.execute(select(Assignment.task_id, Assignment.unit_id)
                                  .where(Assignment.task_id.in_(task_ids))).all())


def missing_assignments(tasks: list[PlanTask], have: set[tuple[int, int]] | None = None,
                        groups: dict[int, list[int]] | None = None) -> list[tuple[PlanTask, int]]:
    """(task, unit id) pairs the fan-out wants today but that have no assignment yet.

    `have` (task id, unit id) and `groups` may be passed when the caller has already loaded them.
    """
    wanted, _ = _wanted(tasks, groups if groups is not None else group_members())
    have = have if have is not None else _existing_pairs([t.id for t in tasks])
    return [(task, unit_id) for task, unit_id in wanted if (task.id, unit_id) not in have]


def _create(pairs: list[tuple[PlanTask, int]], user: User | None = None) -> list[Assignment]:
    now = utcnow()
    created = [Assignment(task_id=task.id, unit_id=unit_id, status=NOT_STARTED, created_at=now, updated_at=now)
               for task, unit_id in pairs]
    db.session.add_all(created)
    db.session.flush()
    _tell_units(pairs, created, user)
    return created


def plan_named(document: Document) -> str:
    """The plan's title in quotation marks, unless it carries its own (“… mới”” would be wrong)."""
    title = document.title or "(chưa có trích yếu)"
    return title if any(q in title for q in "“”\"") else f"“{title}”"


def _tell_units(pairs: list[tuple[PlanTask, int]], created: list[Assignment], user: User | None) -> None:
    """Each unit given new tasks hears of it once per plan: how many, in which plan, and where to report."""
    batches: dict[tuple[int, int], list[Assignment]] = {}
    plans: dict[int, Document] = {}
    for (task, unit_id), assignment in zip(pairs, created, strict=True):
        batches.setdefault((task.document_id, unit_id), []).append(assignment)
        plans[task.document_id] = task.document
    for (document_id, unit_id), rows in batches.items():
        first = min(a.id for a in rows)
        notify_units([unit_id], user, f"Đơn vị được giao {len(rows)} nhiệm vụ trong Kế hoạch "
                                      f"{plan_named(plans[document_id])}. Vui lòng xem và cập nhật tiến độ.",
                     link_to(NOTE_TASKS_ASSIGNED, first), kind=NOTE_TASKS_ASSIGNED,
                     key=f"{NOTE_TASKS_ASSIGNED}:assignment:{first}")


def sync_assignments(document: Document, user: User | None) -> FanOut:
    """Give every unit the fan-out wants its assignment (idempotent); nothing existing is touched."""
    lock_row(document)  # two fan-outs of one plan at once: the second sees the first's assignments
    tasks = plan_tasks(document)
    wanted, result = _wanted(tasks, group_members())
    have = _existing_pairs([t.id for t in tasks])
    result.created = _create([(t, u) for t, u in wanted if (t.id, u) not in have], user)
    if result.created:
        audit("plan.assignments_add", document, user=user, summary=f"Giao thêm {len(result.created)} nhiệm vụ cho đơn vị",
              after={"assignments": [[a.task_id, a.unit_id] for a in result.created]})
    return result


STOPPED_MESSAGE = "Kế hoạch đã bị hủy hoặc thu hồi nên không còn theo dõi thực hiện: không nhắc việc, không giao thêm."


def refuse_if_stopped(document: Document) -> None:
    """A cancelled or recalled plan reaches no unit any more (no reminder, no new assignment)."""
    if document.status in STOPPED_STATUSES:
        raise PlanError(STOPPED_MESSAGE)


def start_tracking(document: Document, user: User | None, today: date | None = None) -> FanOut:
    """Begin following the plan up: mark it, and fan each task out to its units. Safe to call again."""
    if document.kind not in TRACKABLE_KINDS:
        raise PlanError(f"Chỉ {TRACKABLE_NAMES} mới được theo dõi thực hiện.")
    if document.status in STOPPED_STATUSES:
        raise PlanError("Kế hoạch đã bị hủy hoặc thu hồi nên không theo dõi thực hiện.")
    tasks = plan_tasks(document)
    if not any(t.unit_id for t in tasks):
        raise PlanError("Kế hoạch chưa có nhiệm vụ nào được giao cho đơn vị; hãy xác nhận các nhiệm vụ trước.")
    tracking = tracking_of(document)
    if tracking is None:
        tracking = PlanTracking(document_id=document.id, started_by_id=user.id if user else None,
                                starts_on=document.issued_on or today or office_today())
        db.session.add(tracking)
        db.session.flush()
        audit("plan.tracking_start", document, user=user, summary=f"Bắt đầu theo dõi kế hoạch: {document.title}"[:500])
    return sync_assignments(document, user)


def after_issue(document: Document) -> None:
    """Workflow hook: an issued plan is followed up at once (its tasks taken from section III if it has none)."""
    if document.kind not in TRACKABLE_KINDS:
        return
    if not plan_tasks(document):
        proposals = tasks_from_document(document, document.issued_on or office_today())
        if proposals:
            add_proposed_tasks(document, proposals, None)
    if any(t.unit_id for t in plan_tasks(document)):
        start_tracking(document, None)


def sync_task(task: PlanTask, user: User | None) -> None:
    """After a task's unit changed on a followed-up plan: drop assignments no one reported on, add the new ones."""
    if tracking_of(task.document) is None:
        return
    members = fan_out(task.unit_id, group_members()) if task.unit_id else []
    for assignment in list(task.assignments):
        if assignment.unit_id not in members and not assignment.updates:
            task.assignments.remove(assignment)
            db.session.delete(assignment)
    have = {a.unit_id for a in task.assignments}
    _create([(task, unit_id) for unit_id in members if unit_id not in have], user)


def running_plans() -> list[Document]:
    return list(db.session.scalars(select(Document).join(PlanTracking, PlanTracking.document_id == Document.id)
                                   .where(Document.status.notin_(STOPPED_STATUSES)).order_by(Document.id)))


def new_members_by_unit() -> dict[int, list[int]]:
    """Units that joined a group after plans were fanned out: unit id -> ids of the running plans missing it."""
    plans = running_plans()
    if not plans:
        return {}
    tasks = list(db.session.scalars(select(PlanTask).where(PlanTask.document_id.in_([d.id for d in plans]))))
    out: dict[int, list[int]] = {}
    for task, unit_id in missing_assignments(tasks):
        if task.document_id not in out.setdefault(unit_id, []):
            out[unit_id].append(task.document_id)
    return out


def add_unit_to_running_plans(unit: Unit, user: User) -> list[Assignment]:
    """A unit added to a group later gets its share of every plan being followed up."""
    plans = running_plans()
    tasks = list(db.session.scalars(select(PlanTask).where(PlanTask.document_id.in_([d.id for d in plans])))) \
        if plans else []
    created = _create([(t, u) for t, u in missing_assignments(tasks) if u == unit.id], user)
    if created:
        audit("plan.unit_join", unit, user=user, summary=f"Thêm {unit.name} vào {len(created)} nhiệm vụ đang theo dõi",
              after={"assignments": [[a.task_id, a.unit_id] for a in created]})
    return created


def _register_hook() -> None:
    """An issued plan is followed up at once: the workflow calls after_issue in the issuing transaction."""
    if after_issue not in AFTER_ISSUE:
        AFTER_ISSUE.append(after_issue)


_register_hook()
