"""The office's text convention <-> a tree of blocks. The one place that knows what "II." or "+" means.

Convention (one block per line; blank lines mean nothing):

    I. MỤC ĐÍCH, YÊU CẦU          section  (Roman numeral I–XX and ".")
    1. Mục đích                   item     ("1." or "1)"; also "1.1.", "1.2.3." – see below)
    a) Đối với ...                point    (Vietnamese letter a–y, "đ" included, and ")")
    - ...                         dash    (also "–", "•" and Word's symbol bullets "▪", "➢", "❖", …)
    + ...                         plus    (also Word's second-level "o", "◦")
    anything else                 paragraph

A marker only counts when a space or the end of the line follows it, so prose such as
"2017 là năm ..." or "1.5 triệu người ..." stays a paragraph.

Nesting: section > item > point > dash > plus. A paragraph belongs to the nearest open
heading (section, item or point); a paragraph after a "-"/"+" list closes the list and belongs
to the heading that holds it. Before any heading, blocks are top level.

Multi-level numbers ("1.1.", "2.3.1.") are items, siblings of "1.", kept as typed; they are
left out of the numbering checks because offices use them inconsistently.

Problems become gentle Vietnamese warnings; parse() never raises, except inside a plan import's time
budget (domain.plans.import_limits), where it stops with PlanImportError once the budget is spent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from domain.plans.import_limits import check_time
from domain.text.vietnamese import clean_text, fold

ROMAN = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
]  # fmt: skip
_ROMAN_VALUE = {r: i for i, r in enumerate(ROMAN, start=1)}

# The Vietnamese alphabet as used for điểm (ND30 Phụ lục I II.6.đ): no f, j, w, z.
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"
_POINT_VALUE = {c: i for i, c in enumerate(POINT_LETTERS, start=1)}

# Dash-like bullets pasted from Word ("–", "•") are dashes too, and so are the bullets Word draws from symbol fonts
# (domain.plans.word.formats writes them as these characters: "▪", "➢", "❖", …); the marker keeps what was typed.
DASH_MARKERS = ("-", "–", "•", "▪", "➢", "❖", "●", "■", "♦", "◊", "→", "⇒", "➔", "⇨", "✓", "❑", "◻", "⬥", "□", "☑")
# Word's second-level bullet is a Courier New "o" (or "◦") under its "•": a "+" of the convention.
PLUS_MARKERS = ("+", "o", "◦")

LEVEL = {"section": 0, "item": 1, "point": 2, "dash": 3, "plus": 4}
HEADINGS = ("section", "item", "point")

_SECTION_RE = re.compile(r"([IVX]+\.)(?:\s+|$)")
_ITEM_RE = re.compile(r"(\d{1,3}(?:\.\d{1,3})*[.)])(?:\s+|$)")
_POINT_RE = re.compile(rf"([{POINT_LETTERS}]\))(?:\s+|$)")
_BULLET_RE = re.compile(rf"([{re.escape(''.join(DASH_MARKERS + PLUS_MARKERS))}])(?:\s+|$)")
_SPACES_RE = re.compile(r"\s+")


@dataclass
class Block:
    kind: str  # "section", "item", "point", "dash", "plus", "paragraph"
    marker: str  # as typed without spaces: "II.", "1.", "1)", "a)", "-", "+"; "" for a paragraph
    text: str  # rest of the line, stripped, NFC, inner runs of spaces collapsed
    line: int  # 1-based source line number
    children: list[Block] = field(default_factory=list)

    def walk(self) -> Iterator[Block]:
        """This block, then its descendants, pre-order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class OutlineWarning:
    line: int
    message: str


@dataclass
class Outline:
    blocks: list[Block]
    warnings: list[OutlineWarning]

    def walk(self) -> Iterator[Block]:
        """All blocks, pre-order (the order they were typed in)."""
        for block in self.blocks:
            yield from block.walk()

    def section(self, *title_keywords: str) -> Block | None:
        """First section whose folded title contains every keyword: section("to chuc thuc hien")."""
        wanted = [fold(k) for k in title_keywords]
        for block in self.walk():
            if block.kind == "section" and all(k in fold(block.text) for k in wanted):
                return block
        return None


def classify(line: str) -> tuple[str, str, str]:
    """(kind, marker, text) of one stripped, non-empty line."""
    m = _SECTION_RE.match(line)
    if m and m.group(1)[:-1] in _ROMAN_VALUE:
        return "section", m.group(1), line[m.end() :]
    for kind, regex in (("item", _ITEM_RE), ("point", _POINT_RE)):
        m = regex.match(line)
        if m:
            return kind, m.group(1), line[m.end() :]
    m = _BULLET_RE.match(line)
    if m:
        return ("plus" if m.group(1) in PLUS_MARKERS else "dash"), m.group(1), line[m.end() :]
    return "paragraph", "", line


def _ordinal(block: Block) -> int | None:
    """Position of a heading in its numbering sequence (1 for "I.", "1.", "a)"), if it has one."""
    label = block.marker[:-1]
    if block.kind == "section":
        return _ROMAN_VALUE.get(label)
    if block.kind == "item" and label.isdigit():
        return int(label)
    if block.kind == "point":
        return _POINT_VALUE.get(label)
    return None


def _sequence_label(kind: str, n: int, like: str) -> str:
    """The marker that numbering position n would have, in the style of `like` ("1." or "1)")."""
    if kind == "section":
        return f"{ROMAN[n - 1]}." if 1 <= n <= len(ROMAN) else "?"
    if kind == "item":
        return f"{n}{like[-1]}"
    return f"{POINT_LETTERS[n - 1]})" if 1 <= n <= len(POINT_LETTERS) else "?"


class _Numbering:
    """Checks that I., II., ... / 1., 2., ... / a), b), ... run in order under each parent."""

    def __init__(self) -> None:
        self._last: dict[tuple[int, str], Block] = {}

    def check(self, parent: Block | None, block: Block) -> str | None:
        n = _ordinal(block)
        if n is None:
            return None
        word = "Điểm" if block.kind == "point" else "Mục"
        lower = word.lower()
        key = (id(parent), block.kind)
        previous = self._last.get(key)
        self._last[key] = block
        if previous is None:
            if n != 1:
                first = _sequence_label(block.kind, 1, block.marker)
                return f"{word} “{block.marker}” đứng trước khi có {lower} “{first}”"
            return None
        p = _ordinal(previous)
        if p is None or n == p + 1:
            return None
        if n == p:
            return f"{word} “{block.marker}” bị lặp lại"
        if n < p:
            return f"{word} “{block.marker}” đứng sau {lower} “{previous.marker}”"
        missing = _sequence_label(block.kind, p + 1, block.marker)
        return f"Thiếu {lower} “{missing}” (sau “{previous.marker}” là “{block.marker}”)"


def parse(text: str) -> Outline:
    """Parse the convention into a tree. Never raises; problems are returned as warnings."""
    blocks: list[Block] = []
    warnings: list[OutlineWarning] = []
    stack: list[Block] = []  # open blocks, outermost first
    numbering = _Numbering()

    def attach(parent: Block | None, block: Block) -> None:
        (parent.children if parent else blocks).append(block)

    for number, raw in enumerate(clean_text(str(text)).split("\n"), start=1):
        check_time()
        line = raw.strip()
        if not line:
            continue
        kind, marker, rest = classify(line)
        block = Block(kind, marker, _SPACES_RE.sub(" ", rest).strip(), number)

        if kind == "paragraph":
            while stack and stack[-1].kind in ("dash", "plus"):
                stack.pop()
            attach(stack[-1] if stack else None, block)
            continue

        while stack and LEVEL[stack[-1].kind] >= LEVEL[kind]:
            stack.pop()
        parent = stack[-1] if stack else None
        if kind == "point" and not any(b.kind == "item" for b in stack):
            warnings.append(
                OutlineWarning(number, f"Điểm “{marker}” không nằm trong khoản nào (chưa có mục “1.” ở trên)")
            )
        if kind in HEADINGS and not block.text:
            warnings.append(OutlineWarning(number, f"Tiêu đề mục trống (“{marker}”)"))
        if kind in ("dash", "plus") and not block.text:
            warnings.append(OutlineWarning(number, f"Dòng “{marker}” không có nội dung"))
        message = numbering.check(parent, block)
        if message:
            warnings.append(OutlineWarning(number, message))
        attach(parent, block)
        stack.append(block)

    return Outline(blocks, warnings)


def _walk_all(outline_or_blocks: Outline | Iterable[Block]) -> Iterator[Block]:
    if isinstance(outline_or_blocks, Outline):
        yield from outline_or_blocks.walk()
    else:
        for block in outline_or_blocks:
            yield from block.walk()


def block_line(block: Block) -> str:
    """One block as typed in the convention: marker, a space, text."""
    if not block.marker:
        return block.text
    return f"{block.marker} {block.text}" if block.text else block.marker


def to_text(outline_or_blocks: Outline | Iterable[Block]) -> str:
    """Back to the convention, one block per line, no blank lines, no final newline."""
    return "\n".join(block_line(b) for b in _walk_all(outline_or_blocks))
