"""The document editor form. Text is cleaned (NFC, Word's tabs and spaces, control characters) before the length
checks, so the limits count what will be stored."""

from __future__ import annotations

import json

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from blueprints.forms import IdSelectField, choices
from domain.text.vietnamese import clean_text, format_count
from models.choices import KINDS, PLAN, URGENCIES
from models.documents import (
    BODY_MAX,
    KINH_GUI_MAX,
    PARTICULAR_MAX,
    REFERENCES_MAX,
    REVISION_REASON_MAX,
    SIGNATURE_LINE_MAX,
    TITLE_MAX,
)

# Quyền hạn ký per ND30 Phụ lục I II.7.b: offered in a list, any other text may be typed.
AUTHORITY_SUGGESTIONS = ("TM. BAN THƯỜNG TRỰC", "TM. ỦY BAN", "KT. CHỦ TỊCH", "Q. CHỦ TỊCH", "TL. CHỦ TỊCH",
                         "TUQ. CHỦ TỊCH")
DEPUTY_SUGGESTIONS = ("KT. CHỦ TỊCH",)
TITLE_SUGGESTIONS = ("CHỦ TỊCH", "PHÓ CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC")
AUTHORITY_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")


def single_line(value: str | None) -> str:
    return clean_text(value or "", multiline=False).strip()


def multi_line(value: str | None) -> str:
    """Cleaned, without blank lines at either end (inner blank lines mean nothing to the outline either)."""
    return clean_text(value or "").strip("\n")


def upper_line(value: str | None) -> str:
    return single_line(value).upper()


# No maxlength attribute: a browser would cut pasted text silently; the server says what is too long instead.
NO_BROWSER_LIMIT = {"maxlength": False}


def _too_long(label: str, limit: int) -> Length:
    return Length(max=limit, message=f"{label} tối đa {format_count(limit)} ký tự (hiện có %(length)d).")


class DocumentForm(FlaskForm):
    kind = SelectField("Loại văn bản", choices=choices((k.code, k.name) for k in KINDS.values()), default=PLAN)
    title = TextAreaField(
        "Trích yếu", filters=[single_line], render_kw=NO_BROWSER_LIMIT,
        validators=[DataRequired("Vui lòng nhập trích yếu của văn bản."), _too_long("Trích yếu", TITLE_MAX)])
    kinh_gui_text = TextAreaField(
        "Kính gửi (mỗi nơi một dòng)", filters=[multi_line], render_kw=NO_BROWSER_LIMIT,
        validators=[_too_long("Phần Kính gửi", KINH_GUI_MAX)])
    references_text = TextAreaField(
        "Căn cứ, thực hiện (mỗi đoạn một dòng)", filters=[multi_line], render_kw=NO_BROWSER_LIMIT,
        validators=[_too_long("Phần căn cứ", REFERENCES_MAX)])
    body = TextAreaField("Nội dung", filters=[multi_line], render_kw=NO_BROWSER_LIMIT,
                         validators=[_too_long("Nội dung", BODY_MAX)])
    signer_id = IdSelectField("Người ký", default=0)
    signing_authority = StringField(
        "Quyền hạn ký", filters=[upper_line], default="TM. BAN THƯỜNG TRỰC", render_kw=NO_BROWSER_LIMIT,
        validators=[_too_long("Quyền hạn ký", SIGNATURE_LINE_MAX)])
    signing_deputy_line = StringField(
        "Dòng ký thay (nếu có)", filters=[upper_line], render_kw=NO_BROWSER_LIMIT,
        validators=[_too_long("Dòng ký thay", SIGNATURE_LINE_MAX)])
    signer_title = StringField("Chức vụ người ký", filters=[upper_line], render_kw=NO_BROWSER_LIMIT,
                               validators=[_too_long("Chức vụ", SIGNATURE_LINE_MAX)])
    urgency = SelectField("Mức độ khẩn", default="",
                          choices=choices([("", "Không khẩn")] + [(c.code, c.label) for c in URGENCIES.values()]))
    internal_only = BooleanField("Lưu hành nội bộ")
    particulars_json = StringField()  # never drawn: filled from the kind's own inputs (blueprints.documents.particulars)
    reason = StringField("Ghi chú lần lưu (không bắt buộc)", filters=[single_line], render_kw=NO_BROWSER_LIMIT,
                         validators=[_too_long("Ghi chú", REVISION_REASON_MAX)])
    lock_version = HiddenField()

    def validate_particulars_json(self, field) -> None:
        """Each of the kind's own fields is one line of at most PARTICULAR_MAX characters."""
        values = json.loads(field.data) if field.data else {}
        labels = {c.code: c.label for c in KINDS[self.kind.data].particulars} if self.kind.data in KINDS else {}
        for key, value in values.items():
            if len(value) > PARTICULAR_MAX:
                raise ValidationError(f"{labels.get(key, key)}: tối đa {format_count(PARTICULAR_MAX)} ký tự "
                                 f"(hiện có {len(value)}).")

    def authority_hint(self) -> str | None:
        """A gentle note when the authority line does not start with an ND30 prefix (never blocks saving)."""
        value = self.signing_authority.data or ""
        if value and not value.startswith(AUTHORITY_PREFIXES):
            return "Theo Nghị định 30, quyền hạn ký bắt đầu bằng TM., KT., Q., TL. hoặc TUQ."
        return None
