"""The form that opens a report round. A unit's report form has one box per task, indicator and question, so it
is read from request.form directly (see submissions.py); its rules are in domain.reports.rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.params import parse_id

DATE_MESSAGE = "Ngày không hợp lệ."


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def safe_int(value) -> int:
    """A checkbox value as an id; anything else is 0, which the domain refuses with a Vietnamese message."""
    return parse_id(value) or 0


def _date(label: str) -> DateField:
    return DateField(label, validators=[Optional()], format="%Y-%m-%d", invalid_value_message=DATE_MESSAGE)


class RoundForm(FlaskForm):
    title = StringField("Nội dung báo cáo (trích yếu của báo cáo tổng hợp)")
    period_start = _date("Kỳ báo cáo từ ngày")
    period_end = _date("đến ngày")
    cutoff_on = _date("Ngày chốt số liệu")
    due_on = _date("Hạn gửi báo cáo")
    task_ids = MultiCheckboxField("Nhiệm vụ cần báo cáo", coerce=safe_int, validate_choice=False)
    unit_ids = MultiCheckboxField("Đơn vị được đề nghị báo cáo", coerce=safe_int, validate_choice=False)
    questions = TextAreaField("Câu hỏi thêm (mỗi dòng một câu)")
