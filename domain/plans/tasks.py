"""A plan's tasks as the clerk keeps them: proposed from section III, then edited (the task form is in
domain.plans.task_form), split, merged, reordered.

Rules that keep the follow-up honest: a task a unit has already reported on may be reworded, given a new
deadline or new indicators, but it is not deleted, split, merged or given to another unit (its reports would
lose their meaning); an indicator that already holds figures is not deleted. When the plan is already being
followed up, every change of a task's unit is fanned out at once (domain.plans.tracking.sync_task).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from domain.errors import DomainError
from domain.plans.aliases import alias_map
from domain.plans.extraction import extract_tasks
from domain.plans.units import UnitRef, match_unit
from domain.text.deadlines import Deadline, parse_deadline
from domain.text.outline import parse
from domain.text.vietnamese import clean_text
from extensions import db
from models.choices import KINDS, NO_DEADLINE, ONE_DATE, TRACKABLE_KINDS
from models.core import Unit, User, audit
from models.documents import Document
from models.plans import Assignment, AssignmentUpdate, PlanTask

# "kế hoạch, hướng dẫn hoặc chương trình": the kinds whose tasks are followed up, as messages name them.
_TRACKABLE = [KINDS[k].name.lower() for k in sorted(TRACKABLE_KINDS, key=list(KINDS).index)]
TRACKABLE_NAMES = " hoặc ".join([", ".join(_TRACKABLE[:-1]), _TRACKABLE[-1]] if len(_TRACKABLE) > 1 else _TRACKABLE)
TEXT_MAX = 2000


class PlanError(DomainError, ValueError):
    """A request about a plan that cannot be carried out; `message` is Vietnamese, `field` names the culprit."""


# ---------------------------------------------------------------------------------------------- proposal


def unit_directory(include_inactive: bool = False) -> list[UnitRef]:
    """The unit directory as the matcher sees it (the Nơi nhận spelling doubles as a short name)."""
    stmt = select(Unit).order_by(Unit.sort_order, Unit.name)
    if not include_inactive:
        stmt = stmt.where(Unit.active.is_(True))
    return [UnitRef(u.id, u.name, u.recipient_name, u.slug, u.is_group) for u in db.session.scalars(stmt)]


@dataclass
class ProposedTask:
    text: str
    unit_text: str
    unit_id: int | None
    lead_unit_id: int | None
    coordinating_ids: list[int] = field(default_factory=list)
    coordinating_unmatched: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=lambda: Deadline(NO_DEADLINE))
    section_marker: str = ""
    source_line: int | None = None


def propose_tasks(body: str, directory: list[UnitRef], reference_date: date,
                  aliases: dict[str, int] | None = None) -> list[ProposedTask]:
    """Section III (and any "Đơn vị chủ trì" item or task table) -> tasks with their units matched (the names
    clerks mapped while importing plans, `aliases`, first)."""
    proposals = []
    for task in extract_tasks(parse(body)):
        unit = match_unit(task.unit, directory, aliases=aliases)
        coordinating = [(name, match_unit(name, directory, aliases=aliases)) for name in task.coordinating]
        proposals.append(ProposedTask(
            text=task.text, unit_text=task.unit, unit_id=unit.id if unit else None,
            lead_unit_id=unit.id if unit and task.is_lead else None,
            coordinating_ids=[u.id for _n, u in coordinating if u],
            coordinating_unmatched=[n for n, u in coordinating if u is None],
            deadline=parse_deadline(task.deadline_text, reference_date),
            section_marker=task.section_marker, source_line=task.source_line,
        ))  # fmt: skip
    return proposals


def tasks_from_document(document: Document, today: date) -> list[ProposedTask]:
    """The tasks a plan's own text proposes, units matched against the directory and the remembered names."""
    return propose_tasks(document.body or "", unit_directory(), document.issued_on or today, alias_map())


def plan_tasks(document: Document) -> list[PlanTask]:
    return list(db.session.scalars(select(PlanTask).where(PlanTask.document_id == document.id)
                                   .order_by(PlanTask.position, PlanTask.id)))


def add_proposed_tasks(document: Document, proposals: list[ProposedTask], user: User | None) -> list[PlanTask]:
    """Save proposals as the plan's tasks, after any it already has."""
    start = db.session.scalar(select(func.coalesce(func.max(PlanTask.position), 0))
                              .where(PlanTask.document_id == document.id)) or 0
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    tasks = []
    for i, p in enumerate(proposals, start=1):
        task = PlanTask(document_id=document.id, position=start + i, text=p.text[:TEXT_MAX], unit_id=p.unit_id,
                        unit_text=p.unit_text[:300], lead_unit_id=p.lead_unit_id, section_marker=p.section_marker,
                        source_line=p.source_line, created_by_id=user.id if user else None)
        _set_deadline(task, p.deadline)
        task.coordinating_units = [units[i] for i in p.coordinating_ids if i in units and i != p.unit_id]
        db.session.add(task)
        tasks.append(task)
    db.session.flush()
    return tasks


def propose_from_document(document: Document, user: User, today: date) -> list[PlanTask]:
    """The clerk's "take the tasks from section III": only for a plan that has no task yet."""
    if document.kind not in TRACKABLE_KINDS:
        raise PlanError(f"Chỉ {TRACKABLE_NAMES} mới có nhiệm vụ để theo dõi.")
    if plan_tasks(document):
        raise PlanError("Kế hoạch đã có nhiệm vụ; hãy sửa, thêm hoặc tách, gộp các nhiệm vụ hiện có.")
    proposals = tasks_from_document(document, today)
    if not proposals:
        raise PlanError("Không tìm thấy nhiệm vụ nào trong mục “Tổ chức thực hiện”; hãy thêm nhiệm vụ bằng tay.")
    tasks = add_proposed_tasks(document, proposals, user)
    audit("plan.tasks_propose", document, user=user, summary=f"Lấy {len(tasks)} nhiệm vụ từ mục Tổ chức thực hiện",
          after={"tasks": [t.text for t in tasks]})
    return tasks


def _set_deadline(task: PlanTask, deadline: Deadline) -> None:
    task.deadline_kind = deadline.kind
    task.due_on = deadline.due if deadline.kind == ONE_DATE else None
    task.day_of_month = deadline.day_of_month
    task.deadline_text = (deadline.text or "")[:200]


def task_deadline(task: PlanTask, starts_on: date | None) -> Deadline:
    return Deadline(task.deadline_kind, task.due_on, task.day_of_month, task.deadline_text, starts_on)


# ---------------------------------------------------------------------- split, merge, reorder, delete


def has_reports(task_ids: list[int]) -> set[int]:
    """The tasks among these that some unit has already reported on."""
    if not task_ids:
        return set()
    return set(db.session.scalars(select(Assignment.task_id).join(AssignmentUpdate)
                                  .where(Assignment.task_id.in_(task_ids)).distinct()))


def clean_field(text: str | None, limit: int, multiline: bool = False) -> str:
    """What the clerk typed: cleaned, trimmed, and cut at `limit` characters."""
    return clean_text(text or "", multiline=multiline).strip()[:limit]


def _refuse_if_reported(tasks: list[PlanTask], action: str) -> None:
    reported = has_reports([t.id for t in tasks])
    if reported:
        raise PlanError(f"Không thể {action}: đã có đơn vị báo cáo kết quả cho nhiệm vụ này. "
                        "Có thể sửa nội dung, thời hạn, chỉ tiêu.")


def delete_task(task: PlanTask, user: User) -> None:
    _refuse_if_reported([task], "xóa nhiệm vụ")
    audit("plan.task_delete", task, user=user, summary=f"Xóa nhiệm vụ: {task.text}"[:500], before=task.summary(),
          object_type="plan_task")
    db.session.delete(task)
    db.session.flush()


def split_task(task: PlanTask, parts: list[str], user: User) -> list[PlanTask]:
    """One task becomes several, one per part, in place; the first keeps the indicators."""
    parts = [p for p in (clean_field(p, TEXT_MAX + 1) for p in parts) if p]
    if len(parts) < 2:
        raise PlanError("Để tách nhiệm vụ, hãy viết mỗi phần trên một dòng (ít nhất hai dòng).", field="parts")
    if any(len(p) > TEXT_MAX for p in parts):
        raise PlanError(f"Mỗi phần tối đa {TEXT_MAX} ký tự.", field="parts")
    _refuse_if_reported([task], "tách nhiệm vụ")
    siblings = [t for t in plan_tasks(task.document) if t.position > task.position]
    for t in siblings:
        t.position += len(parts) - 1
    before = task.summary()
    task.text = parts[0]
    created = [task]
    for offset, text in enumerate(parts[1:], start=1):
        new = PlanTask(document_id=task.document_id, position=task.position + offset, text=text, unit_id=task.unit_id,
                       unit_text=task.unit_text, lead_unit_id=task.lead_unit_id, deadline_kind=task.deadline_kind,
                       due_on=task.due_on, day_of_month=task.day_of_month, deadline_text=task.deadline_text,
                       section_marker=task.section_marker, source_line=task.source_line, created_by_id=user.id)
        new.coordinating_units = list(task.coordinating_units)
        db.session.add(new)
        created.append(new)
    db.session.flush()
    audit("plan.task_split", task, user=user, summary=f"Tách nhiệm vụ thành {len(parts)}: {parts[0]}"[:500],
          before=before, after={"parts": parts}, object_type="plan_task")
    return created


def merge_tasks(document: Document, task_ids: list[int], user: User) -> PlanTask:
    """Several tasks of one unit become the first of them; texts are joined, indicators gathered."""
    tasks = [t for t in plan_tasks(document) if t.id in set(task_ids)]
    if len(tasks) < 2:
        raise PlanError("Hãy chọn ít nhất hai nhiệm vụ để gộp.")
    if len({t.unit_id for t in tasks}) > 1:
        raise PlanError("Chỉ gộp được các nhiệm vụ của cùng một đơn vị.")
    _refuse_if_reported(tasks, "gộp nhiệm vụ")
    first, rest = tasks[0], tasks[1:]
    before = {"tasks": [t.summary() for t in tasks]}
    first.text = "; ".join(t.text.rstrip(" .;") for t in tasks)[: TEXT_MAX * 2]
    names = {i.name.lower() for i in first.indicators}
    for other in rest:
        for ind in list(other.indicators):
            if ind.name.lower() not in names:
                names.add(ind.name.lower())
                ind.task = first  # moves it from the other task's list to this one's
        for unit in other.coordinating_units:
            if unit not in first.coordinating_units:
                first.coordinating_units.append(unit)
        db.session.delete(other)
    for position, ind in enumerate(first.indicators, start=1):
        ind.position = position
    db.session.flush()
    audit("plan.task_merge", first, user=user, summary=f"Gộp {len(tasks)} nhiệm vụ: {first.text}"[:500],
          before=before, after=first.summary(), object_type="plan_task")
    return first


def move_task(task: PlanTask, direction: str, user: User) -> None:
    tasks = plan_tasks(task.document)
    index = tasks.index(task)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(tasks):
        tasks[index], tasks[other] = tasks[other], tasks[index]
        for position, t in enumerate(tasks, start=1):
            t.position = position
        audit("plan.task_move", task, user=user, summary=f"Đổi thứ tự nhiệm vụ: {task.text}"[:500],
              object_type="plan_task")
    db.session.flush()
