"""Forms of the plans pages: a task with its deadline and indicators, splitting a task, importing a plan; the
units to choose from."""

from __future__ import annotations

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
from domain.plans.followup import unit_order
from extensions import db
from models import Unit
from models.choices import DEADLINE_KINDS, NO_DEADLINE, VALUE_TYPES, WHOLE_NUMBER

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
    file = FileField("Tệp kế hoạch (.docx hoặc .txt)")
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
