"""Numbers sent by the browser: ids, counts, pages and years in forms, query strings and URLs.

One rule for every one of them: ASCII digits only, no bigger than a PostgreSQL `integer`. "²", "٣" and "１２"
pass `str.isdigit()` (and Python's `int()` takes the last two), 20 digits overflow SQLite's 64-bit integers and
PostgreSQL's 32-bit columns: none is a number a page of ours sends. A query string's odd number counts as
absent (a filter or a page is best forgiven); a posted one is refused with 400, before anything is changed.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from domain.text.vietnamese import clean_text

MAX_ID = 2_147_483_647  # the largest PostgreSQL integer
_MAX_DIGITS = 20  # longer is never in range; int() of thousands of digits is slow, and refused past 4,300

ODD_VALUE = ("Dữ liệu gửi lên có giá trị không hợp lệ nên thao tác chưa được thực hiện; chưa có gì thay đổi. "
             "Vui lòng tải lại trang rồi thử lại.")


def parse_int(value: str | int | None, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A whole number from minimum to maximum, from a request's text (or an int); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > _MAX_DIGITS:
            return None
        value = int(text)
    if not isinstance(value, int) or not minimum <= value <= maximum:
        return None
    return value


def parse_id(value: str | int | None) -> int | None:
    """A row's id (1 up to MAX_ID), or None."""
    return parse_int(value, 1, MAX_ID)


def parse_count(value: str | int | None, maximum: int) -> int | None:
    """How many rows a form says it holds, at most `maximum` (rows past it are not read); None if not a count."""
    count = parse_int(value)
    return None if count is None else min(count, maximum)


class OddValue(BadRequest):
    """A posted number, id or count that is not one: the request is refused before it changes anything."""


def posted_int(value: str | None, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A number a form may leave blank: blank or missing is None; anything else must be a number in range."""
    if value is None or not value.strip():
        return None
    number = parse_int(value, minimum, maximum)
    if number is None:
        raise OddValue()
    return number


def posted_id(value: str | None) -> int | None:
    """An id a form may leave blank (None), else a valid id; odd values are refused (400)."""
    return posted_int(value, 1, MAX_ID)


def required_id(value: str | None) -> int:
    """An id a form must send, in a field's value or in its name ("value-12"); anything else is refused (400)."""
    ident = parse_id(value)
    if ident is None:
        raise OddValue()
    return ident


def posted_ids(values: list[str]) -> list[int]:
    """Ids a form posts under one name (ticked boxes); any odd value refuses the request (400)."""
    return [required_id(value) for value in values]


def posted_count(value: str | None, maximum: int) -> int:
    """The row count a form posts (blank means none), at most `maximum`; an odd count is refused (400)."""
    count = posted_int(value)
    return 0 if count is None else min(count, maximum)


def query_int(name: str, default: int | None = None, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """A number in the query string; missing or odd ("abc", "²", 20 digits, out of range) gives `default`."""
    number = parse_int(request.args.get(name), minimum, maximum)
    return default if number is None else number


SEARCH_MAX_CHARS = 200


def query_text(name: str, max_chars: int = SEARCH_MAX_CHARS) -> str:
    """Words typed into a search box: one clean line, cut to `max_chars` (SQLite refuses very long LIKE patterns)."""
    return clean_text(request.args.get(name) or "", multiline=False).strip()[:max_chars]


def _numbers_up_to(limit: int) -> str:
    """A regular expression for the whole numbers 0..limit in ASCII digits, leading zeros allowed."""
    digits = str(limit)
    shorter = f"[0-9]{{1,{len(digits) - 1}}}" if len(digits) > 1 else None
    # As long as the limit: its first i digits, a smaller digit, then any digits.
    same = [f"{digits[:i]}[0-{int(d) - 1}][0-9]{{{len(digits) - i - 1}}}" for i, d in enumerate(digits) if d != "0"]
    return "0*(?:" + "|".join(p for p in (shorter, *same, digits) if p) + ")"


class IdConverter(IntegerConverter):
    """`<int:...>` in our URLs: ASCII digits up to MAX_ID. A bigger number (or "٣", which \\d+ would take)
    matches no route, so it is 404, whatever the method (a rule refused by its converter would say 405)."""

    regex = _numbers_up_to(MAX_ID)

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_params(app: Flask) -> None:
    """Install the URL converter (before any route is added) and the Vietnamese answer to an odd value."""
    app.url_map.converters["int"] = IdConverter

    @app.errorhandler(OddValue)
    def odd_value(_error):
        if request.headers.get("HX-Request") == "true":
            return render_template("errors/_fragment.html", status=400, fault_message=ODD_VALUE), 400
        return render_template("errors/400.html", status=400), 400
