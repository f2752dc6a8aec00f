from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.forms import IdSelectField, WholeNumberField, choices
from domain.text.vietnamese import clean_text
from models.choices import ROLE_LABELS, SMTP_SECURITY, UNIT_KIND_LABELS

REQUIRED = "Trường này không được để trống."


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[
            DataRequired(REQUIRED),
            Length(min=3, max=64, message="Tên đăng nhập dài từ 3 đến 64 ký tự."),
            Regexp(r"^[a-z0-9][a-z0-9._-]*$",
                   message="Tên đăng nhập chỉ gồm chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; không có dấu cách."),
        ],
    )
    full_name = StringField("Họ và tên", validators=[DataRequired(REQUIRED), Length(max=120, message="Tối đa 120 ký tự.")])
    position_title = StringField(
        "Chức vụ (in trong khối chữ ký)", validators=[Optional(), Length(max=120, message="Tối đa 120 ký tự.")]
    )
    unit_id = IdSelectField("Đơn vị", validators=[InputRequired(REQUIRED)])
    roles = MultiCheckboxField("Vai trò", choices=choices(ROLE_LABELS.items()))
    active = BooleanField("Đang hoạt động", default=True)
    password = PasswordField("Mật khẩu", validators=[Optional(), Length(max=128, message="Tối đa 128 ký tự.")])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("Mật khẩu mới", validators=[DataRequired(REQUIRED)])


class UnitForm(FlaskForm):
    name = StringField("Tên đầy đủ", validators=[DataRequired(REQUIRED), Length(max=255, message="Tối đa 255 ký tự.")])
    recipient_name = StringField(
        "Tên ghi ở Nơi nhận", validators=[Optional(), Length(max=255, message="Tối đa 255 ký tự.")]
    )
    slug = StringField(
        "Mã (không dấu)",
        validators=[
            Optional(),
            Length(max=100, message="Tối đa 100 ký tự."),
            Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message="Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang."),
        ],
    )
    kind = SelectField("Loại đơn vị", choices=choices(UNIT_KIND_LABELS.items()))
    parent_id = IdSelectField("Thuộc đơn vị")
    is_group = BooleanField("Là nhóm đơn vị (đại diện cho các đơn vị con)")
    sort_order = WholeNumberField(
        "Thứ tự", default=0, validators=[Optional(), NumberRange(min=0, max=100000, message="Thứ tự từ 0 đến 100000.")]
    )
    active = BooleanField("Đang hoạt động", default=True)


ADDRESS_MAX = 300
ADDRESS_LINES = 3  # ô 13 sits in the bottom margin of page 1: more lines would push the text up


def max_lines(limit: int):
    def check(form, field) -> None:
        if len([t for t in (field.data or "").splitlines() if t.strip()]) > limit:
            raise ValidationError(f"Tối đa {limit} dòng: phần này in ở chân trang đầu.")

    return check


class OrganizationForm(FlaskForm):
    parent_lines = TextAreaField(
        "Tên cơ quan chủ quản (mỗi dòng một dòng in)",
        validators=[DataRequired(REQUIRED), Length(max=300, message="Tối đa 300 ký tự.")],
    )
    name_lines = TextAreaField(
        "Tên cơ quan ban hành", validators=[DataRequired(REQUIRED), Length(max=300, message="Tối đa 300 ký tự.")]
    )
    full_name = StringField(
        "Tên cơ quan viết thường (dùng trong câu)",
        validators=[DataRequired(REQUIRED), Length(max=300, message="Tối đa 300 ký tự.")],
    )
    place = StringField("Địa danh ghi ngày tháng", validators=[DataRequired(REQUIRED), Length(max=100)])
    symbol_suffix = StringField(
        "Phần ký hiệu của cơ quan",
        validators=[
            DataRequired(REQUIRED),
            Length(max=50),
            Regexp(r"^[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$", message="Ký hiệu viết hoa, các nhóm nối bằng dấu gạch ngang, ví dụ MTTQ-BTT."),
        ],
    )
    archive_unit = StringField(
        "Đơn vị soạn thảo (dòng “Lưu: VT, …”)", validators=[DataRequired(REQUIRED), Length(max=100)]
    )
    address_block = TextAreaField(
        "Địa chỉ, điện thoại, thư điện tử (mỗi mục một dòng, không bắt buộc)",
        validators=[Length(max=ADDRESS_MAX, message=f"Tối đa {ADDRESS_MAX} ký tự."), max_lines(ADDRESS_LINES)],
    )
    forbid_self_approval = BooleanField("Không cho phép lãnh đạo tự duyệt văn bản do chính mình soạn")


def clean_line(value: str | None) -> str:
    """One line as typed, without control characters or surrounding spaces."""
    return clean_text(value or "", multiline=False).strip()


class MailServerForm(FlaskForm):
    """The office's SMTP server; the password box left empty keeps the stored one."""

    enabled = BooleanField("Gửi thông báo qua thư điện tử")
    host = StringField("Máy chủ SMTP", validators=[Optional(), Length(max=255, message="Tối đa 255 ký tự.")])
    port = WholeNumberField("Cổng", default=587,
                            validators=[InputRequired(REQUIRED), NumberRange(min=1, max=65535, message="Cổng từ 1 đến 65535.")])
    security = SelectField("Mã hóa kết nối", choices=choices((c.code, c.label) for c in SMTP_SECURITY.values()))
    username = StringField("Tên đăng nhập máy chủ thư", validators=[Optional(), Length(max=255)])
    password = PasswordField("Mật khẩu máy chủ thư", validators=[Optional(), Length(max=255)])
    clear_password = BooleanField("Xóa mật khẩu đã lưu")
    sender = StringField("Người gửi", validators=[Optional(), Length(max=255, message="Tối đa 255 ký tự.")])
    base_url = StringField("Địa chỉ của hệ thống (dùng trong liên kết của thư)",
                           validators=[Optional(), Length(max=255, message="Tối đa 255 ký tự.")])
