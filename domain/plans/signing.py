"""The end of a plan: the Nơi nhận list and the signature, as two-column tables flatten to text.

    pieces(line) -> list[str]                 a flattened table row's cells (the parts between tabs)
    tail_start(lines) -> int                  the first line of the Nơi nhận/signature table
    read_tail(lines) -> Tail                  recipients, signature, warnings

Exported to text, a row's cells are joined by tabs, or each cell becomes its own lines; cutting lines at tabs
and reading each piece on its own gives the same result for both. A recipient wrapped over two lines ("- Ủy
ban Kiểm tra Đảng ủy, Ban xây dựng Đảng," then "VP Đảng ủy;") is one recipient. What comes after the
signature and is no part of it — an annex ("PHỤ LỤC", "Mẫu số 01/…", a form with its own Quốc hiệu), a
footnote — is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.plans.import_limits import check_time
from domain.text.outline import DASH_MARKERS, classify
from domain.text.vietnamese import clean_text, fold

AUTHORITY_RE = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s*\S")
_SIGNED_RE = re.compile(r"^\((?:đã ký|ký|ký tên|chữ ký|đã ký và đóng dấu)[^)]*\)$", re.IGNORECASE)
_TITLE_WORDS = ("CHỦ TỊCH", "TRƯỞNG", "PHÓ", "BÍ THƯ", "GIÁM ĐỐC", "THƯỜNG TRỰC")
# Where an annex or another document begins after the signature.
_ANNEX = ("phu luc", "phu bieu", "mau so", "mau bieu", "cong hoa xa hoi chu nghia viet nam")


def pieces(line: str) -> list[str]:
    """The cells of a flattened table row: the parts between tabs, cleaned, empty ones dropped."""
    parts = (clean_text(p, multiline=False).strip() for p in line.split("\t"))
    return [p for p in parts if p]


def is_caps(s: str) -> bool:
    return any(c.isalpha() for c in s) and s == s.upper()


def tail_start(lines: list[str]) -> int:
    """Index of the first line of the signature/Nơi nhận table (len(lines) if there is none)."""
    for i, line in enumerate(lines):
        check_time()
        for piece in pieces(line):
            short = len(piece) <= 20  # "Nơi nhận:"; folding every long line of the body would be slow
            if (short and re.match(r"noi nhan\s*:?\s*$", fold(piece))) or (
                AUTHORITY_RE.match(piece) and is_caps(piece)
            ):
                return i
    return len(lines)


def recipient(text: str) -> str:
    """ "- Lưu VT, Ban Tuyên giáo." -> "Lưu: VT, Ban Tuyên giáo" (the ND30 form of the Lưu line)."""
    text = re.sub(r"\s*[;.,]+\s*$", "", text.strip())
    lưu = re.match(r"^Lưu\b\s*:?\s*(.*)$", text)
    return f"Lưu: {lưu[1]}" if lưu and lưu[1] else text


def looks_like_name(piece: str) -> bool:
    """ "Nguyễn Văn A" or "NGUYỄN VĂN A": 2-6 capitalised words, no digits, no title words."""
    words = piece.split()
    return (
        2 <= len(words) <= 6
        and all(w[0].isupper() and w.isalpha() for w in words)
        and not any(t in piece.upper() for t in _TITLE_WORDS)
    )


@dataclass
class Tail:
    signature: dict = field(
        default_factory=lambda: {"authority": "", "deputy_line": "", "title": "", "name": ""}
    )
    recipients: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _annex_at(items: list[str]) -> int:
    """Where the annex begins among the tail's pieces (after the first one, which opens the tail)."""
    for i, piece in enumerate(items[1:], start=1):
        if fold(piece).startswith(_ANNEX) and not piece.startswith(DASH_MARKERS):
            return i
    return len(items)


def read_tail(lines: list[str]) -> Tail:
    tail = Tail()
    sig, recipients = tail.signature, tail.recipients
    items = [p for line in lines for p in pieces(line)]
    open_line: str | None = None
    for piece in items[: _annex_at(items)]:
        if re.match(r"noi nhan\b", fold(piece)):
            rest = piece.partition(":")[2].strip().lstrip("".join(DASH_MARKERS) + " ")
            if rest:
                recipients.append(recipient(rest))
            open_line = rest if rest and not rest.endswith((";", ".")) else None
        elif piece[0] in DASH_MARKERS or piece[0] == "+" or classify(piece)[0] == "plus":
            if piece[1:].strip():
                recipients.append(recipient(piece[1:]))
                open_line = None if piece.endswith((";", ".")) else piece
        elif open_line and (piece[0].islower() or piece.endswith((";", "."))) and not is_caps(piece):
            joiner = ", " if open_line.endswith(",") else " "
            recipients[-1] = recipient(f"{recipients[-1]}{joiner}{piece}")
            open_line = None if piece.endswith((";", ".")) else piece
        elif _SIGNED_RE.match(piece):
            continue
        elif AUTHORITY_RE.match(piece):
            open_line = None
            key = "authority" if piece.startswith("TM.") and not sig["authority"] else "deputy_line"
            sig[key] = sig[key] or piece
        elif is_caps(piece) and not sig["title"]:
            open_line = None
            sig["title"] = piece
        elif not sig["name"] and (sig["title"] or sig["authority"]) and looks_like_name(piece):
            sig["name"] = piece
    if not recipients:
        tail.warnings.append("Không thấy phần “Nơi nhận”.")
    if not (sig["authority"] or sig["title"]):
        tail.warnings.append("Không thấy phần chữ ký (ví dụ “TM. BAN THƯỜNG TRỰC”).")
    return tail
