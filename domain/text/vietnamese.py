"""Vietnamese text helpers: clean-up of pasted text, search folding, ND30 number and date lines.

Every function is small and pure. Dates and numbers follow Nghị định 30/2020, Phụ lục I
(see /work/shared/nd30/format-spec.md §4).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from models.numbers import number_symbol, number_text  # noqa: F401  (the one rule, re-exported)

# Characters that Word and browsers use as line breaks besides LF: vertical tab (Word's
# Shift+Enter when pasted), form feed, NEL and the Unicode line/paragraph separators.
_LINE_BREAKS = "\x0b\x0c\x85\u2028\u2029"

# Invisible format characters that come with pasted text and only confuse search and layout:
# zero-width space, zero-width no-break space (BOM), soft hyphen, word joiner, LRM/RLM marks.
_INVISIBLES = "\u200b\ufeff\u00ad\u2060\u200e\u200f"

_NEWLINES_RE = re.compile(r"\r\n?")


def nfc(s: str) -> str:
    """Precomposed Unicode (NFC), the form TCVN 6909 text must be stored in."""
    return unicodedata.normalize("NFC", s)


def _clean_char(ch: str, multiline: bool) -> str:
    if ch == "\n":
        return "\n" if multiline else " "
    if ch == "\t":
        return " "
    if ch in _LINE_BREAKS:
        return "\n" if multiline else " "
    if ch in _INVISIBLES:
        return ""
    category = unicodedata.category(ch)
    if category == "Zs":  # NBSP, thin space, ideographic space, ...
        return " "
    if category in ("Cc", "Cs"):  # control characters; lone surrogates cannot be stored in XML
        return ""
    if ch in "\ufffe\uffff":  # non-characters, also rejected by XML
        return ""
    return ch


def _changes(multiline: bool) -> tuple[re.Pattern, dict[str, str]]:
    """The characters _clean_char changes, as one character class, and what each becomes.

    Only tabs, line breaks, invisibles, spaces (Zs, all below U+3001), controls (Cc) and surrogates (Cs) change,
    so these candidates are all there are; a regex finds them in C, ~100 times faster than a loop in Python.
    """
    candidates = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF)}
    candidates |= set(_LINE_BREAKS + _INVISIBLES + "\t\n")
    candidates |= {ch for ch in map(chr, range(0x3001)) if unicodedata.category(ch) == "Zs"}
    table = {ch: _clean_char(ch, multiline) for ch in candidates if _clean_char(ch, multiline) != ch}
    return re.compile("[" + "".join(map(re.escape, sorted(table))) + "]"), table


_CHANGES = {multiline: _changes(multiline) for multiline in (True, False)}


def clean_text(s: str, multiline: bool = True) -> str:
    """Clean text pasted from Word or typed in a form, without ever dropping a letter.

    NFC; NBSP and other Unicode spaces and tabs become a plain space; CRLF/CR become LF;
    control characters go (LF stays when ``multiline``, else it becomes a space); trailing
    spaces of each line go. Smart quotes and dashes are legitimate text and are kept.
    """
    s = _NEWLINES_RE.sub("\n", s)
    pattern, table = _CHANGES[multiline]
    s = pattern.sub(lambda m: table[m[0]], s)
    s = nfc(s)
    return "\n".join(line.rstrip(" ") for line in s.split("\n"))


def fold(s: str) -> str:
    """Diacritic-insensitive search key: "Đảng" -> "dang", "Tuyên truyền" -> "tuyen truyen"."""
    decomposed = unicodedata.normalize("NFD", nfc(s).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # "đ" is a letter of its own, not "d" plus a mark, so NFD leaves it alone.
    return nfc(stripped.replace("đ", "d"))


_NON_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(s: str) -> str:
    """ASCII slug: "Thành phố Ninh Bình" -> "thanh-pho-ninh-binh" ("" when nothing is left)."""
    return _NON_SLUG_RE.sub("-", fold(s)).strip("-")


def _day(d: date) -> str:
    return f"{d.day:02d}"


def _month(d: date) -> str:
    # ND30 Phụ lục I II.4.b pads day < 10 and months 1 and 2 only ("tháng 3", not "tháng 03").
    return f"{d.month:02d}" if d.month <= 2 else str(d.month)


def date_line(place: str, d: date) -> str:
    """The ô 4 line: "Ninh Bình, ngày 05 tháng 01 năm 2025"."""
    return f"{place}, ngày {_day(d)} tháng {_month(d)} năm {d.year}"


# What offices leave for the Văn thư to fill in by hand before a document is issued.
# Six plain spaces (not NBSP, so the text stays plain and searchable), as in the real drafts.
BLANK = " " * 6


def blank_date_line(place: str, year: int) -> str:
    """The date line of a draft: "Ninh Bình, ngày      tháng      năm 2026"."""
    return f"{place}, ngày{BLANK}tháng{BLANK}năm {year}"


def short_date(d: date) -> str:
    """Date inside a citation: "03/5/2017".

    A documented choice (spec §4.2, UNCONFIRMED by ND30): the same padding as the issuing
    date, i.e. day padded, month padded only for 1 and 2, so one document reads consistently.
    """
    return f"{_day(d)}/{_month(d)}/{d.year}"


def number_line(n: int | None, symbol: str) -> str:
    """Number line: "Số: 05/KH-MTTQ-BTT"; with no number yet "Số:      /KH-MTTQ-BTT" (a blank)."""
    if n is None:
        return f"Số:{BLANK}/{symbol}"
    return f"Số: {number_symbol(n, symbol)}"


def _group_thousands(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ".".join(groups)


def format_decimal(x: float | int | Decimal, places: int = 1) -> str:
    """Vietnamese decimal: "12,5"; "1.234,5" (dot groups thousands, comma marks decimals).

    Rounds half up, as people do by hand, not to even as Python's round() does.
    """
    quantum = Decimal(1).scaleb(-places)
    value = Decimal(str(x)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    text = _group_thousands(whole)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def format_count(n: int) -> str:
    """Whole number with Vietnamese thousands separators: 8500 -> "8.500"."""
    return format_decimal(n, places=0)


def format_percent(ratio: float, places: int = 1) -> str:
    """A ratio as a Vietnamese percentage: 0.125 -> "12,5%", 0.5 -> "50%" (no trailing ",0")."""
    text = format_decimal(Decimal(str(ratio)) * 100, places=places)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"
