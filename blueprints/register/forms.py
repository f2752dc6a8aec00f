"""Forms of the outgoing register: reserve a number, cancel it, issue a document, upload the signed copy."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from blueprints.forms import IdSelectField, WholeNumberField, choices
from domain.register.numbering import PER_KIND, SINGLE

REQUIRED = "Trường này không được để trống."


class ReserveForm(FlaskForm):
    register_id = IdSelectField("Sổ")
    note = StringField("Giữ số cho văn bản nào", validators=[
        DataRequired("Vui lòng ghi rõ số được giữ cho văn bản nào."), Length(max=500, message="Tối đa 500 ký tự.")])


class CancelForm(FlaskForm):
    reason = StringField("Lý do hủy số", validators=[
        DataRequired("Vui lòng ghi lý do hủy số."), Length(max=500, message="Tối đa 500 ký tự.")])


class IssueForm(FlaskForm):
    expected_status = HiddenField()
    reserved_entry_id = IdSelectField("Số văn bản", validate_choice=False)
    copies = WholeNumberField("Số lượng bản", validators=[
        Optional(), NumberRange(min=1, max=10000, message="Số lượng bản từ 1 đến 10.000.")])
    keeper = StringField("Đơn vị, người nhận bản lưu", validators=[
        Optional(), Length(max=300, message="Tối đa 300 ký tự.")])
    notes = TextAreaField("Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")])


class ModeForm(FlaskForm):
    mode = RadioField("Cách đánh số", choices=choices([
        (SINGLE, "Một sổ chung: mọi loại văn bản dùng chung một dãy số trong năm"),
        (PER_KIND, "Sổ riêng cho từng loại: Kế hoạch, Báo cáo, Công văn, Thông báo, Hướng dẫn đánh số riêng"),
    ]), validators=[DataRequired("Vui lòng chọn cách đánh số.")])
