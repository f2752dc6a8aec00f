"""Forms of the plans pages: a task with its deadline and indicators, splitting a task, importing a plan and the
review of what was read (carried from post to post in the page itself); the units to choose from."""

from __future__ import annotations

import json
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from blueprints.forms import (
    IdSelectField,
    IdSelectMultipleField,
    RowList,
    WholeNumberField,
    choices,
    optional_select_id,
)
from blueprints.params import posted_count, posted_int
from domain.plans.followup import unit_order
from domain.plans.import_review import KEEP, MAX_TASKS, NameChoice, ReviewedPlan, ReviewedTask
from domain.plans.uploads import ACCEPTED_EXTENSIONS, UPLOAD_ACCEPT
from extensions import db
from models import Unit
from models.choices import (
    DEADLINE_KINDS,
    FROM_IMPLEMENTATION,
    NO_DEADLINE,
    TASK_SOURCES,
    VALUE_TYPES,
    WHOLE_NUMBER,
)

INDICATOR_ROWS_EMPTY = 2  # blank rows offered for new indicators


class IndicatorForm(Form):
    id = HiddenField()
    name = StringField("Tên chỉ tiêu", validators=[Length(max=200, message="Tối đa 200 ký tự.")])
    unit_of_measure = StringField("Đơn vị tính", validators=[Length(max=50, message="Tối đa 50 ký tự.")])
    value_type = SelectField("Kiểu số", choices=choices((k, c.label) for k, c in VALUE_TYPES.items()),
                             default=WHOLE_NUMBER)
    delete = BooleanField("Xóa")


class TaskForm(FlaskForm):
    text = TextAreaField("Nội dung nhiệm vụ")
    unit_id = IdSelectField("Đơn vị thực hiện", coerce=optional_select_id, validate_choice=False)
    lead_unit_id = IdSelectField("Đơn vị chủ trì", coerce=optional_select_id, validate_choice=False)
    coordinating_ids = IdSelectMultipleField("Đơn vị phối hợp", validate_choice=False)
    deadline_kind = SelectField("Thời hạn", choices=choices((k, c.label) for k, c in DEADLINE_KINDS.items()),
                                default=NO_DEADLINE)
    due_on = DateField("Ngày hết hạn", validators=[Optional()], format="%Y-%m-%d",
                       invalid_value_message="Ngày không hợp lệ.")
    day_of_month = WholeNumberField("Ngày trong tháng", validators=[
        Optional(), NumberRange(min=1, max=31, message="Ngày trong tháng từ 1 đến 31.")])

    def validate_day_of_month(self, field):  # a message naming the range, rather than the field's own
        if field.raw_data and field.raw_data[0].strip() and field.data is None:
            field.errors[:] = ["Ngày trong tháng là một số từ 1 đến 31."]
    deadline_text = StringField("Thời hạn như ghi trong kế hoạch", validators=[Length(max=200)])
    indicators = RowList(FormField(IndicatorForm), min_entries=0)


class SplitForm(FlaskForm):
    parts = TextAreaField("Các phần của nhiệm vụ (mỗi dòng một nhiệm vụ)")


class ImportForm(FlaskForm):
    file = FileField(f"Tệp kế hoạch ({', '.join(f'.{e}' for e in ACCEPTED_EXTENSIONS[:-1])} hoặc "
                     f".{ACCEPTED_EXTENSIONS[-1]})", render_kw={"accept": UPLOAD_ACCEPT})
    text = TextAreaField("Hoặc dán nội dung kế hoạch")


def unit_choices(blank: str) -> list:
    """Active units in directory order, groups marked, for the task form and the import review."""
    order = unit_order()
    units = sorted(db.session.scalars(select(Unit).where(Unit.active.is_(True))),
                   key=lambda u: order.get(u.id, (10**9, u.name)))
    depth = {}
    for u in units:
        depth[u.id] = depth.get(u.parent_id, -1) + 1
    pairs = [(0, blank)] + [(u.id, "— " * depth[u.id] + u.name + (" (nhóm)" if u.is_group else "")) for u in units]
    return choices(pairs)


MAX_NAMES = 300  # rows of the review's name list read back
TEXT_LINES_MAX = 20_000
_TASK_FIELDS = ("text", "unit", "unit_id", "deadline_text", "due_on", "coordinating", "section_marker", "source_line",
                "lines", "source", "include")


def _lead(value: str) -> bool | str:
    """ "1": the task's unit leads, "0" or blank: it only joins; anything else names the lead unit."""
    return {"1": True, "0": False, "": False}.get(value.strip(), value.strip()[:300])


def _lines(value: str) -> tuple[int, int] | None:
    first, _, last = value.partition("-")
    a, b = posted_int(first or None), posted_int(last or first or None)
    return (a, b) if a and b and a <= b else None


def _issued_on(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _facts(value: str) -> dict:
    """What the page shows about the original (number, warnings, ...): read back for display only."""
    try:
        facts = json.loads(value or "{}")
    except ValueError:
        return {}
    return facts if isinstance(facts, dict) else {}


def reviewed_from_form(form) -> ReviewedPlan:
    """The review page as the clerk left it. An odd count or id is refused (400) before anything is read."""
    tasks = []
    for n in range(posted_count(form.get("task_count"), MAX_TASKS)):
        row = {name: form.get(f"task-{n}-{name}", "") for name in _TASK_FIELDS}
        source = row.get("source", "")
        tasks.append(ReviewedTask(
            text=row.get("text", ""), unit_text=row.get("unit", "")[:300],
            unit_id=posted_int(row.get("unit_id")) or None,  # 0 is the blank option
            deadline_text=row.get("deadline_text", "")[:300], due_on=row.get("due_on", "")[:20],
            lead=_lead(form.get(f"task-{n}-lead", "1")),
            coordinating=[c.strip()[:300] for c in row.get("coordinating", "").split("\n") if c.strip()][:50],
            section_marker=row.get("section_marker", "")[:10], source_line=posted_int(row.get("source_line")),
            lines=_lines(row.get("lines", "")), source=source if source in TASK_SOURCES else FROM_IMPLEMENTATION,
            include=bool(row.get("include")),
        ))  # fmt: skip
    names = []
    for n in range(posted_count(form.get("name_count"), MAX_NAMES)):
        name = form.get(f"name-{n}-name", "")[:300]
        if name.strip():
            names.append(NameChoice(name, form.get(f"name-{n}-choice", KEEP)[:20], form.get(f"name-{n}-given", KEEP)[:20],
                                    form.get(f"name-{n}-by_alias") == "1",
                                    posted_int(form.get(f"name-{n}-in_tasks")) or 0))  # fmt: skip
    return ReviewedPlan(
        title=form.get("title", ""), references=form.get("references", ""), body=form.get("body", ""),
        signing_authority=form.get("signing_authority", ""), signing_deputy_line=form.get("signing_deputy_line", ""),
        signer_title=form.get("signer_title", ""), recipients=form.get("recipients", "").splitlines(),
        tasks=tasks, names=names, issued_on=_issued_on(form.get("issued_on", "")),
        text_lines=form.get("text_lines", "").split("\n")[:TEXT_LINES_MAX] if form.get("text_lines") else [],
        facts=_facts(form.get("facts", "")),
    )  # fmt: skip
