"""The clerk's task form: one task's text, units, deadline and indicators, checked all at once, then saved.

A task some unit has already reported on keeps its unit (its reports would lose their meaning), and an indicator
that holds figures is neither deleted nor turned from decimal into whole numbers; the other rules of a plan's tasks
are in domain.plans.tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from domain.errors import FormInvalid
from domain.plans.assignments import DEADLINE_KINDS, VALUE_TYPES
from domain.plans.tasks import TEXT_MAX, clean_field, has_reports
from extensions import db
from models.choices import DECIMAL, MONTHLY, NO_DEADLINE, ONE_DATE, QUARTERLY, WHOLE_NUMBER
from models.core import Unit, User, audit
from models.documents import Document
from models.plans import Indicator, IndicatorValue, PlanTask


class TaskInvalid(FormInvalid):
    """Field -> Vietnamese message for every problem of a task form."""


@dataclass
class IndicatorInput:
    id: int | None
    name: str
    unit_of_measure: str = ""
    value_type: str = WHOLE_NUMBER
    delete: bool = False


@dataclass
class TaskInput:
    text: str
    unit_id: int | None
    lead_unit_id: int | None = None
    coordinating_ids: list[int] = field(default_factory=list)
    deadline_kind: str = NO_DEADLINE
    due_on: date | None = None
    day_of_month: int | None = None
    deadline_text: str = ""
    indicators: list[IndicatorInput] = field(default_factory=list)


def _check(task: PlanTask | None, data: TaskInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    data.text = clean_field(data.text, TEXT_MAX + 1, multiline=True)
    data.deadline_text = clean_field(data.deadline_text, 200)
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
    elif data.deadline_kind == ONE_DATE and data.due_on is None:
        errors["due_on"] = "Vui lòng chọn ngày hết hạn."
    elif data.deadline_kind == ONE_DATE and not date(2000, 1, 1) <= data.due_on <= date(2100, 12, 31):
        errors["due_on"] = "Ngày hết hạn không hợp lệ."
    if data.deadline_kind in (MONTHLY, QUARTERLY) and data.day_of_month is not None \
            and not 1 <= data.day_of_month <= 31:
        errors["day_of_month"] = "Ngày trong tháng từ 1 đến 31 (để trống: ngày cuối tháng)."
    with_values = _indicators_with_values(task)
    names: set[str] = set()
    for n, ind in enumerate(data.indicators):
        ind.name, ind.unit_of_measure = clean_field(ind.name, 201), clean_field(ind.unit_of_measure, 51)
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
        elif ind.id in with_values and _type_of(task, ind.id) == DECIMAL and ind.value_type == WHOLE_NUMBER:
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
    task.due_on = data.due_on if data.deadline_kind == ONE_DATE else None
    task.day_of_month = data.day_of_month if data.deadline_kind in (MONTHLY, QUARTERLY) else None
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
