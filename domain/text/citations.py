"""Documents cited in a text: "Hướng dẫn số 20-HD/BTGTU, ngày 03/5/2017 của Ban Tuyên giáo Tỉnh ủy ...".

The number/symbol forms are the three regexes of the format spec §8 (Party "20-HD/BTGTU", state
and MTTQ "45/KH-MTTQ-BTT", normative "30/2020/NĐ-CP"). Party symbols keep their hyphen: citing
a Party document must not "normalise" it to the state form. A stray space typed inside a symbol
("07- CT/TW") is removed first. A later short mention ("Chỉ thị số 07") has no symbol and so is
never a second reference; the same symbol twice is one reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.plans.import_limits import check_time

PARTY = r"\b\d+-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ][A-ZĐ0-9]*\b"
STATE = r"\b\d+/[A-ZĐ][A-Za-zĐđ]*-[A-ZĐ0-9-]+\b"
NORMATIVE = r"\b\d+/\d{4}/[A-ZĐ][A-Za-zĐđ0-9-]*\b"
_SYMBOL = re.compile(f"{NORMATIVE}|{PARTY}|{STATE}")

TYPE_WORDS = (
    "Nghị quyết liên tịch", "Thông tư liên tịch", "Nghị quyết", "Chỉ thị", "Hướng dẫn", "Kế hoạch",
    "Quyết định", "Công văn", "Thông báo", "Thông tri", "Kết luận", "Chương trình", "Quy định",
    "Quy chế", "Nghị định", "Thông tư", "Báo cáo", "Đề án", "Tờ trình", "Công điện", "Văn bản",
)  # fmt: skip
_TYPE_ALT = "|".join(TYPE_WORDS)
_TYPE_BEFORE = re.compile(rf"({_TYPE_ALT})\s+(?:số\s*)?$", re.IGNORECASE)
# A law is cited by its name before the number: "Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13".
_LAW_BEFORE = re.compile(r"(Bộ luật|Luật|Pháp lệnh)\s[^;,.]{0,100}?\s*số\s*$")
_TYPE_AFTER_AND = re.compile(rf"\s+và\s+(?:{_TYPE_ALT}|Luật)\b", re.IGNORECASE)
# The type when only the symbol says it: "…/KH-…", "…-CT/TW", "…/2020/NĐ-CP", "…/2015/QH13".
_KIND_OF_ABBREVIATION = {
    "CT": "Chỉ thị", "HD": "Hướng dẫn", "KH": "Kế hoạch", "NQ": "Nghị quyết", "QĐ": "Quyết định",
    "TB": "Thông báo", "KL": "Kết luận", "CTr": "Chương trình", "QC": "Quy chế", "QyĐ": "Quy định",
    "BC": "Báo cáo", "ĐA": "Đề án", "TTr": "Tờ trình", "NĐ": "Nghị định", "TT": "Thông tư",
    "NQLT": "Nghị quyết liên tịch", "TTLT": "Thông tư liên tịch", "QH": "Luật",
}  # fmt: skip

_DATE_AFTER = re.compile(
    r"\s*,?\s*(?:ban hành\s+)?ngày\s+(\d{1,2})(?:\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
    r"|\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))"
)
# "của <issuer>" ends before the trích yếu ("về ...", "ban hành ...") or punctuation; a
# "(khóa XII)" belongs to the issuer.
_ISSUER_AFTER = re.compile(
    r"\s*,?\s*của\s+((?:[^,;.(“\"]|\(\s*kh(?:óa|oá)[^)]*\))+?)"
    r"(?=\s+(?:về|v/v|quy định|ban hành|hướng dẫn|triển khai|thực hiện|tổ chức|lãnh đạo)\s"
    r"|\s*(?:[,;.“\"]|\((?!\s*kh(?:óa|oá)))|\s*$)",
    re.IGNORECASE,
)


@dataclass
class Reference:
    kind: str  # "Chỉ thị", "Hướng dẫn", ...
    number: str  # the number and symbol as issued: "07-CT/TW", "45/KH-MTTQ-BTT"
    date: date | None
    issuer: str | None
    text: str  # the citation as written, up to the end of its clause

    def to_dict(self) -> dict:
        return {"kind": self.kind, "number": self.number, "date": self.date.isoformat() if self.date else None,
                "issuer": self.issuer, "text": self.text}  # fmt: skip


def normalise_symbols(text: str) -> str:
    """Remove spaces typed inside a symbol: "07- CT/TW" -> "07-CT/TW", "45 /KH- MTTQ" -> "45/KH-MTTQ"."""
    text = re.sub(r"\b(\d+)\s*-\s*([A-ZĐ][A-Za-zĐđ]*)\s*/\s*(?=[A-ZĐ])", r"\1-\2/", text)
    return re.sub(r"\b(\d+)\s*/\s*([A-ZĐ][A-Za-zĐđ]*)\s*-\s*(?=[A-ZĐ])", r"\1/\2-", text)


def _kind_from_symbol(symbol: str) -> str:
    parts = re.split(r"[-/]", symbol)
    for part in parts[1:]:
        key = re.sub(r"\d+$", "", part)
        if key in _KIND_OF_ABBREVIATION:
            return _KIND_OF_ABBREVIATION[key]
    return "Văn bản"


CITATION_MAX = 1000  # the longest real one, with its trích yếu, has 200 characters
_KHOA_RE = re.compile(r"\(\s*kh(?:óa|oá)", re.IGNORECASE)
_SPACES_RE = re.compile(r"\s*")


def _next_char(text: str, i: int) -> str:
    """The first character from i on that is not a space ("" at the end)."""
    j = _SPACES_RE.match(text, i).end()
    return text[j : j + 1]


def _clause_end(text: str, i: int) -> int:
    """Where the citation that goes on at i ends: ";", a new sentence, ", Ban ...", "(sau đây ...", " và Kế hoạch ...".

    A citation is at most CITATION_MAX characters: without an end, every symbol of a long line would be followed
    to the end of the line (quadratic time). Each test looks at text from a position, never at a copy of the rest.
    """
    depth, quoted = 0, False
    stop = min(len(text), i + CITATION_MAX)
    while i < stop:
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "(" and depth == 0 and not quoted and not _KHOA_RE.match(text, i):
            return i
        elif ch in "(“":
            depth += 1
        elif ch in ")”":
            depth = max(0, depth - 1)
        elif depth == 0 and not quoted:
            if ch in ";\n" or (ch == "." and text[i + 1 : i + 2] in ("", " ")):
                return i
            if ch == "," and _next_char(text, i + 1).isupper():
                return i
            if _TYPE_AFTER_AND.match(text, i):
                return i
        i += 1
    return stop


def find_references(*texts: str) -> list[Reference]:
    """Every cited document with a number and symbol, first mention first, each symbol once."""
    found: dict[str, Reference] = {}
    for raw in texts:
        text = normalise_symbols(raw or "")
        for m in _SYMBOL.finditer(text):
            check_time()
            symbol = m.group(0)
            if symbol.upper() in found:
                continue
            # The type words end right before the symbol ("Luật ... số" within 120 characters): looking only at
            # the last 300 keeps each search short, where searching all the text before would be quadratic.
            window = max(0, m.start() - 300)
            before = text[window : m.start()]
            typed = _TYPE_BEFORE.search(before) or _LAW_BEFORE.search(before)
            kind = typed.group(1) if typed else _kind_from_symbol(symbol)
            kind = kind[:1].upper() + kind[1:]
            start, end = (window + typed.start() if typed else m.start()), m.end()
            when = None
            d = _DATE_AFTER.match(text, end)
            if d:
                day, month, year = int(d[1]), int(d[2] or d[4]), int(d[3] or d[5])
                try:
                    when = date(year, month, day)
                except ValueError:
                    when = None
                end = d.end()
            issuer = _ISSUER_AFTER.match(text, end)
            stop = _clause_end(text, end)
            found[symbol.upper()] = Reference(
                kind, symbol, when, issuer.group(1).strip() if issuer else None, text[start:stop].strip()
            )
    return list(found.values())
