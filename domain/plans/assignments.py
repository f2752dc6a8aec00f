"""What a unit can say about its task: statuses (label and colour in one place), deadline kinds, figures.

Plain Python, no database: `domain.plans.tracking` and the templates read these tables; `parse_value` reads a
figure as people type it in Vietnam ("1.200", "12,5").
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from domain.text.vietnamese import format_count, format_decimal
from models.choices import (  # noqa: F401  (re-exported)
    ASSIGNMENT_STATUSES,
    DEADLINE_KINDS,
    DECIMAL,
    DONE,
    FAILED,
    IN_PROGRESS,
    NOT_STARTED,
    VALUE_TYPES,
    WHOLE_NUMBER,
    Choice,
    choice_of,
)

STATUSES = ASSIGNMENT_STATUSES
OVERDUE_LABEL = "Quá hạn"

MAX_VALUE = Decimal("1000000000")  # no unit counts a billion of anything in one report
DECIMAL_PLACES = 2


def status_of(code: str) -> Choice:
    return choice_of(STATUSES, code)


class ValueInvalid(ValueError):
    """A figure that cannot be accepted; the message is Vietnamese."""


_GROUPED = re.compile(r"^\d{1,3}([. ]\d{3})+$")  # "1.200", "12 500": thousands groups


def parse_value(raw: str, value_type: str) -> Decimal | None:
    """A figure as typed ("1.200", "12,5", "12.5") -> Decimal; None for an empty box.

    In Vietnamese a dot groups thousands and a comma marks decimals; a lone dot followed by other than
    three digits is taken as a decimal point, since people also type "12.5".
    """
    text = (raw or "").strip().replace("\u00a0", " ")
    if not text:
        return None
    if text.startswith("-"):
        raise ValueInvalid("Số liệu không được âm.")
    if _GROUPED.match(text):
        text = text.replace(".", "").replace(" ", "")
    elif "," in text:
        text = text.replace(".", "").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValueInvalid("Số liệu phải là một số, ví dụ 12 hoặc 12,5.")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueInvalid("Số liệu phải là một số, ví dụ 12 hoặc 12,5.") from None
    if value_type == WHOLE_NUMBER and value != value.to_integral_value():
        raise ValueInvalid("Chỉ tiêu này nhận số nguyên (không có phần thập phân).")
    if value_type != WHOLE_NUMBER and -value.as_tuple().exponent > DECIMAL_PLACES:
        raise ValueInvalid(f"Tối đa {DECIMAL_PLACES} chữ số sau dấu phẩy.")
    if value > MAX_VALUE:
        raise ValueInvalid("Số liệu quá lớn; hãy kiểm tra lại.")
    return value.to_integral_value() if value_type == WHOLE_NUMBER else value


def format_value(value: Decimal | None, value_type: str = DECIMAL) -> str:
    """A figure the Vietnamese way: 1.200 or 12,5 (no trailing zeros)."""
    if value is None:
        return ""
    if value_type == WHOLE_NUMBER or value == value.to_integral_value():
        return format_count(int(value))
    text = format_decimal(value, places=DECIMAL_PLACES)
    return text.rstrip("0").rstrip(",")


def input_value(value: Decimal | None, value_type: str = DECIMAL) -> str:
    """A figure as put back in a form box: no thousands dots, a decimal comma."""
    if value is None:
        return ""
    if value_type == WHOLE_NUMBER or value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")
