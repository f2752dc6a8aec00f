from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from blueprints.forms import choices
from models.choices import MAIL_MODES


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Vui lòng nhập tên đăng nhập."), Length(max=64)])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Vui lòng nhập mật khẩu."), Length(max=128)])
    remember = BooleanField("Ghi nhớ đăng nhập trên máy này", default=False)


class PasswordForm(FlaskForm):
    current = PasswordField("Mật khẩu hiện tại", validators=[DataRequired("Vui lòng nhập mật khẩu hiện tại.")])
    new = PasswordField("Mật khẩu mới", validators=[DataRequired("Vui lòng nhập mật khẩu mới.")])
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[DataRequired("Vui lòng nhập lại mật khẩu mới."), EqualTo("new", "Hai lần nhập mật khẩu mới không khớp.")],
    )


class MailSettingsForm(FlaskForm):
    email = StringField("Địa chỉ thư điện tử", validators=[Length(max=254, message="Địa chỉ thư quá dài.")])
    mail_mode = RadioField("Nhận thông báo qua thư điện tử", choices=choices((c.code, c.label) for c in MAIL_MODES.values()),
                           validators=[DataRequired("Vui lòng chọn cách nhận thư.")])
