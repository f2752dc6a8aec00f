"""A plan's tasks as the clerk keeps them: proposed from section III, then edited, split, merged, reordered.

Rules that keep the follow-up honest: a task a unit has already reported on may be reworded, given a new
deadline or new indicators, but it is not deleted, split, merged or given to another unit (its reports would
lose their meaning); an indicator that already holds figures is not deleted. When the plan is already being
followed up, every change of a task's unit is fanned out at once (domain.plans.tracking.sync_task).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from domain.errors import DomainError, FormInvalid
from domain.plans.assignments import DEADLINE_KINDS, VALUE_TYPES
from domain.plans.extraction import UnitRef, extract_tasks, match_unit
from domain.text.deadlines import Deadline, parse_deadline
from domain.text.outline import parse
from domain.text.vietnamese import clean_text
from extensions import db
from models.core import Unit, User, audit
from models.documents import Document
from models.plans import Assignment, AssignmentUpdate, Indicator, IndicatorValue, PlanTask

PLAN_KIND = "KH"
TEXT_MAX = 2000


class PlanError(DomainError, ValueError):
    """A request about a plan that cannot be carried out; `message` is Vietnamese, `field` names the culprit."""


class TaskInvalid(FormInvalid):
    """Field -> Vietnamese message for every problem of a task form."""


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
    deadline: Deadline = field(default_factory=lambda: Deadline("none"))
    section_marker: str = ""
    source_line: int | None = None


def propose_tasks(body: str, directory: list[UnitRef], reference_date: date) -> list[ProposedTask]:
    """Section III (and any "Đơn vị chủ trì" item or task table) -> tasks with their units matched."""
    proposals = []
    for task in extract_tasks(parse(body)):
        unit = match_unit(task.unit, directory)
        coordinating = [(name, match_unit(name, directory)) for name in task.coordinating]
        proposals.append(ProposedTask(
            text=task.text, unit_text=task.unit, unit_id=unit.id if unit else None,
            lead_unit_id=unit.id if unit and task.lead else None,
            coordinating_ids=[u.id for _n, u in coordinating if u],
            coordinating_unmatched=[n for n, u in coordinating if u is None],
            deadline=parse_deadline(task.deadline_text, reference_date),
            section_marker=task.section_marker, source_line=task.source_line,
        ))  # fmt: skip
    return proposals


def tasks_from_document(document: Document, today: date) -> list[ProposedTask]:
    """The tasks a plan's own text proposes, units matched against the directory."""
    return propose_tasks(document.body or "", unit_directory(), document.issued_on or today)


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
    if document.kind != PLAN_KIND:
        raise PlanError("Chỉ kế hoạch mới có nhiệm vụ để theo dõi.")
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
    task.due_on = deadline.due if deadline.kind == "date" else None
    task.day_of_month = deadline.day_of_month
    task.deadline_text = (deadline.text or "")[:200]


def task_deadline(task: PlanTask, starts_on: date | None) -> Deadline:
    return Deadline(task.deadline_kind, task.due_on, task.day_of_month, task.deadline_text, starts_on)


# --------------------------------------------------------------------------------------------- editing


@dataclass
class IndicatorInput:
    id: int | None
    name: str
    unit_of_measure: str = ""
    value_type: str = "integer"
    delete: bool = False


@dataclass
class TaskInput:
    text: str
    unit_id: int | None
    lead_unit_id: int | None = None
    coordinating_ids: list[int] = field(default_factory=list)
    deadline_kind: str = "none"
    due_on: date | None = None
    day_of_month: int | None = None
    deadline_text: str = ""
    indicators: list[IndicatorInput] = field(default_factory=list)


def has_reports(task_ids: list[int]) -> set[int]:
    """The tasks among these that some unit has already reported on."""
    if not task_ids:
        return set()
    return set(db.session.scalars(select(Assignment.task_id).join(AssignmentUpdate)
                                  .where(Assignment.task_id.in_(task_ids)).distinct()))


def _clean(text: str | None, limit: int, multiline: bool = False) -> str:
    return clean_text(text or "", multiline=multiline).strip()[:limit]


def _check(task: PlanTask | None, data: TaskInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    data.text = _clean(data.text, TEXT_MAX + 1, multiline=True)
    data.deadline_text = _clean(data.deadline_text, 200)
    if not data.text:
        errors["text"] = "Vui lòng nhập nội dung nhiệm vụ."
    elif len(data.text) > TEXT_MAX:
        errors["text"] = f"Nội dung nhiệm vụ tối đa {TEXT_MAX} ký tự."
    ids = {i for i in (data.unit_id, data.lead_unit_id, *data.coordinating_ids) if i}
    known = set(db.session.scalars(select(Unit.id).where(Unit.id.in_(ids)))) if ids else set()
    if data.unit_id and data.unit_id not in known:
        errors["unit_id"] = "Đơn vị không tồn tại."
    if data.lead_unit_id and data.lead_unit_id not in known:
        errors["lead_unit_id"] = "Đơn vị chủ trì không tồn tại."
    if any(i not in known for i in data.coordinating_ids):
        errors["coordinating_ids"] = "Có đơn vị phối hợp không tồn tại."
    if task is not None and task.unit_id != data.unit_id and has_reports([task.id]):
        errors["unit_id"] = "Nhiệm vụ đã có đơn vị báo cáo kết quả nên không thể giao cho đơn vị khác."
    if data.deadline_kind not in DEADLINE_KINDS:
        errors["deadline_kind"] = "Loại thời hạn không hợp lệ."
    elif data.deadline_kind == "date" and data.due_on is None:
        errors["due_on"] = "Vui lòng chọn ngày hết hạn."
    elif data.deadline_kind == "date" and not date(2000, 1, 1) <= data.due_on <= date(2100, 12, 31):
        errors["due_on"] = "Ngày hết hạn không hợp lệ."
    if data.deadline_kind in ("monthly", "quarterly") and data.day_of_month is not None \
            and not 1 <= data.day_of_month <= 31:
        errors["day_of_month"] = "Ngày trong tháng từ 1 đến 31 (để trống: ngày cuối tháng)."
    with_values = _indicators_with_values(task)
    names: set[str] = set()
    for n, ind in enumerate(data.indicators):
        ind.name, ind.unit_of_measure = _clean(ind.name, 201), _clean(ind.unit_of_measure, 51)
        if ind.delete:
            if ind.id in with_values:
                errors[f"indicator-{n}"] = f"Chỉ tiêu “{ind.name}” đã có số liệu báo cáo nên không thể xóa."
            continue
        if not ind.name:
            if ind.id:
                errors[f"indicator-{n}"] = "Tên chỉ tiêu không được để trống (đánh dấu “Xóa” để bỏ chỉ tiêu)."
            continue
        if len(ind.name) > 200 or len(ind.unit_of_measure) > 50:
            errors[f"indicator-{n}"] = "Tên chỉ tiêu tối đa 200 ký tự, đơn vị tính tối đa 50 ký tự."
        elif ind.value_type not in VALUE_TYPES:
            errors[f"indicator-{n}"] = "Kiểu số liệu không hợp lệ."
        elif ind.name.lower() in names:
            errors[f"indicator-{n}"] = f"Chỉ tiêu “{ind.name}” bị trùng."
        elif ind.id in with_values and _type_of(task, ind.id) == "decimal" and ind.value_type == "integer":
            errors[f"indicator-{n}"] = f"Chỉ tiêu “{ind.name}” đã có số liệu thập phân; không đổi sang số nguyên được."
        names.add(ind.name.lower())
    return errors


def _indicators_with_values(task: PlanTask | None) -> set[int]:
    if task is None or not task.indicators:
        return set()
    ids = [i.id for i in task.indicators]
    return set(db.session.scalars(select(IndicatorValue.indicator_id).where(IndicatorValue.indicator_id.in_(ids))))


def _type_of(task: PlanTask | None, indicator_id: int | None) -> str | None:
    return next((i.value_type for i in task.indicators if i.id == indicator_id), None) if task else None


def save_task(document: Document, task: PlanTask | None, data: TaskInput, user: User) -> PlanTask:
    """Create or change a task from the clerk's form; TaskInvalid lists what is wrong (nothing is changed)."""
    errors = _check(task, data)
    if errors:
        raise TaskInvalid(errors)
    before = task.summary() if task is not None else None
    if task is None:
        position = db.session.scalar(select(func.coalesce(func.max(PlanTask.position), 0))
                                     .where(PlanTask.document_id == document.id)) or 0
        task = PlanTask(document_id=document.id, position=position + 1, created_by_id=user.id)
    unit = db.session.get(Unit, data.unit_id) if data.unit_id else None
    coordinating = list(db.session.scalars(select(Unit).where(
        Unit.id.in_([i for i in data.coordinating_ids if i != data.unit_id]))))
    task.text = data.text
    if task.unit_id != data.unit_id:
        task.unit_text = unit.name if unit else task.unit_text
    task.unit_id = data.unit_id
    task.lead_unit_id = data.lead_unit_id
    task.coordinating_units = coordinating
    task.deadline_kind, task.deadline_text = data.deadline_kind, data.deadline_text
    task.due_on = data.due_on if data.deadline_kind == "date" else None
    task.day_of_month = data.day_of_month if data.deadline_kind in ("monthly", "quarterly") else None
    _save_indicators(task, data.indicators)
    db.session.add(task)
    db.session.flush()
    audit("plan.task_create" if before is None else "plan.task_update", task, user=user,
          summary=f"{'Thêm' if before is None else 'Sửa'} nhiệm vụ: {task.text}"[:500], before=before,
          after=task.summary(), object_type="plan_task")
    return task


def _save_indicators(task: PlanTask, inputs: list[IndicatorInput]) -> None:
    existing = {i.id: i for i in task.indicators}
    kept: list[Indicator] = []
    for ind in inputs:
        current = existing.get(ind.id) if ind.id else None
        if ind.delete or not ind.name:
            continue
        if current is None:
            current = Indicator(name=ind.name)
        current.name, current.unit_of_measure, current.value_type = ind.name, ind.unit_of_measure, ind.value_type
        kept.append(current)
    kept_ids = {i.id for i in kept if i.id}
    # An indicator left out of the form stays: only an explicit delete removes it.
    deleted = {i.id for i in inputs if i.id and i.delete}
    for old in task.indicators:
        if old.id not in kept_ids and old.id not in deleted:
            kept.append(old)
    for position, ind in enumerate(kept, start=1):
        ind.position = position
    task.indicators = kept


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
    parts = [p for p in (_clean(p, TEXT_MAX + 1) for p in parts) if p]
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
