"""Schedules: items or table rows that carry a time and a responsible unit, one task each.

    field_items(children, in_implementation) -> {id(block): Fields}   numbered items with their field lines
    tables(lines, in_implementation) -> (rows, consumed line numbers) tables, as "| … |" rows or one cell a line

Three shapes (tests/fixtures/import_expected has each):
1. an item followed by field lines "- Thời gian (thực hiện|hoàn thành): …", "- Đơn vị chủ trì: …", "- Đơn vị phối
   hợp: …" (and "Nội dung: …"); bare items right before such an item share its block ("2. Giải bóng chuyền"
   then "3. Hội diễn văn nghệ" with one block under it);
2. a table exported as "| 1 | Nội dung | Chủ trì | Phối hợp | Thời gian |" rows (domain.plans.uploads), the
   first row holding the column titles;
3. a table exported by Word as text, one cell a line: the column titles, then each row from its number on; an empty
   line is an empty cell, and a row with fewer cells has cells merged with the row above (a block shared).
A row whose lead cell is empty, in a table, shares the lead, partners and time of the row above (a .docx's merged
cells come filled in by domain.plans.word.tables; text keeps no trace of a merge).

By the convention an item or row gives a task only when it has both a time and a responsible unit; inside the
implementation section a responsible unit is enough. The lead as written is one assignee even when it lists
several bodies ("Hội Cựu chiến binh xã, Hội Nông dân xã"); partners are split into a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.plans.sentences import split_list
from domain.text.deadlines import find_deadline_text
from domain.text.outline import Block, classify
from domain.text.vietnamese import fold

_FIELD_RE = re.compile(
    r"^(?P<key>(?:đơn vị|cơ quan|bộ phận|người)\s+(?:chủ trì|thực hiện|chịu trách nhiệm)(?:\s+thực hiện)?|chủ trì"
    r"|(?:đơn vị|cơ quan)\s+phối hợp|phối hợp|thời gian(?:\s+(?:hoàn thành|thực hiện|tổ chức))?"
    r"|thời hạn(?:\s+hoàn thành)?|tiến độ(?:\s+thực hiện)?|nội dung)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_EMPTY = ("", "-", "–", "x", "/")


@dataclass
class Fields:
    lead: str = ""
    coordinating: list[str] = field(default_factory=list)
    time: str = ""
    content: str = ""
    last_line: int = 0

    def usable(self, in_implementation: bool) -> bool:
        return bool(self.lead) and (bool(self.time) or in_implementation)


def _value(text: str) -> str:
    value = re.sub(r"\s*[.;,]\s*$", "", text.strip())
    return "" if value in _EMPTY else value


_NEXT_FIELD_RE = re.compile(
    r"[.;]\s+(?=(?:thời gian|thời hạn|đơn vị|cơ quan|chủ trì|phối hợp)\b[^:]{0,30}:)", re.I
)


def _fields_of(text: str) -> list[str]:
    """ "Thời gian: Quý I/2026. Đơn vị chủ trì: Ban Tuyên giáo." holds two fields."""
    return _NEXT_FIELD_RE.split(text)


def read_fields(block: Block) -> Fields | None:
    """The field lines among a block's children, or None when it has none."""
    fields, found = Fields(), False
    lines = [
        (c, part)
        for c in block.children
        if c.kind in ("paragraph", "dash", "plus")
        for part in _fields_of(c.text)
    ]
    for child, text in lines:
        m = _FIELD_RE.match(text)
        if not m:
            continue
        key, value = fold(m["key"]), _value(m["value"])
        found = True
        fields.last_line = max(fields.last_line, child.line)
        if "phoi hop" in key:
            fields.coordinating = split_list(value)
        elif key.startswith(("thoi gian", "thoi han", "tien do")):
            fields.time = fields.time or value
        elif key == "noi dung":
            fields.content = value
        else:
            fields.lead = fields.lead or value
    return fields if found else None


def field_items(children: list[Block], in_implementation: bool) -> dict[int, Fields]:
    """The schedule items among sibling blocks (by id), bare items before one sharing its block."""
    found: dict[int, Fields] = {}
    waiting: list[Block] = []  # bare items since the last item with a block
    for block in children:
        if block.kind not in ("item", "point"):
            waiting = []
            continue
        fields = read_fields(block)
        if fields is not None and fields.usable(in_implementation):
            for bare in [*waiting, block]:
                found[id(bare)] = fields
            waiting = []
        elif not block.children and block.text and not block.text.endswith(":"):
            waiting.append(block)
        else:
            waiting = []
    return found


def item_text(block: Block, fields: Fields, parent: Block | None) -> str:
    """ "Hội nghị hiệp thương lần thứ ba: Lựa chọn ..."; a "Nội dung: …" heading takes its parent's title."""
    text = block.text.strip().rstrip(".:")
    m = _FIELD_RE.match(text)
    if m and fold(m["key"]) == "noi dung":
        title = (
            parent.text.strip().rstrip(".:")
            if parent is not None and parent.kind in ("item", "point")
            else ""
        )
        return f"{title}: {m['value']}" if title else m["value"]
    return f"{text}: {fields.content}" if fields.content else text


# ------------------------------------------------------------------------------------------------ tables

_COLUMNS = (  # checked in this order: "Thời gian thực hiện" is a time, "Đơn vị thực hiện" a lead
    ("coordinating", ("phoi hop",)),
    ("lead", ("chu tri",)),
    ("time", ("thoi gian", "thoi han", "tien do")),
    ("content", ("noi dung", "nhiem vu", "cong viec", "hoat dong")),
    ("lead", ("don vi thuc hien", "co quan thuc hien", "nguoi thuc hien", "trach nhiem", "don vi")),
    ("number", ("tt", "stt", "so tt")),
    ("other", ("ghi chu", "ket qua", "san pham", "dia diem", "thanh phan", "kinh phi")),
)
_NUMBER_RE = re.compile(r"^(\d{1,3})[.)]?$")
_HEADING_RE = re.compile(r"^(?:[IVX]+\.|\d{1,3}(?:\.\d{1,3})*[.)]\s+\S|[a-zđ]\)\s)|^trên đây", re.IGNORECASE)


@dataclass
class Row:
    content: str
    lead: str
    coordinating: list[str]
    time: str
    lines: tuple[int, int]


def _column(title: str) -> str | None:
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(title)).split())
    for name, words in _COLUMNS:
        if any(folded == w or folded.startswith(w + " ") or f" {w}" in f" {folded}" for w in words):
            return name
    return None


_MARKED_RE = re.compile(r"^(?:[IVX]+\.|\d{1,3}[.)]\s|[a-zđ]\))")


def _title_line(text: str) -> bool:
    """A column title on a line of its own: short, no heading or bullet mark ("III. CÁC HOẠT ĐỘNG" is none)."""
    return (
        len(text) <= 60
        and len(text.split()) <= 6
        and not _MARKED_RE.match(text)
        and classify(text)[0] not in ("dash", "plus")
        and _column(text) is not None
    )


def _columns(cells: list[str]) -> list[str | None] | None:
    names = [_column(c) for c in cells]
    return names if "content" in names and "lead" in names else None


class _Table:
    """Rows read in order, each empty lead or time taken from the row above."""

    def __init__(self, names: list[str | None], in_implementation: bool) -> None:
        self.names, self.rows, self.previous = names, [], None
        self.needs_time = "time" in names and not in_implementation
        self.has_time_column = "time" in names

    def add(self, cells: dict[str, str], lines: tuple[int, int]) -> None:
        content = _value(cells.get("content", ""))
        if not content:
            return
        lead, time = _value(cells.get("lead", "")), _value(cells.get("time", ""))
        coordinating = split_list(_value(cells.get("coordinating", "")))
        if self.previous is not None and not lead:
            lead, coordinating = self.previous.lead, coordinating or self.previous.coordinating
        if self.previous is not None and not time and self.has_time_column:
            time = self.previous.time
        row = Row(content, lead, coordinating, time, lines)
        self.previous = row
        if lead and (time or not self.needs_time):
            self.rows.append(row)


def _pipe_cells(text: str) -> list[str]:
    return [c.strip() for c in text.strip().strip("|").split("|")]


def _pipe_table(lines: list[tuple[int, str]], i: int, in_implementation) -> tuple[list[Row], int]:
    """The "| … |" rows from lines[i]: (tasks, index after the table)."""
    j = i
    while j < len(lines) and lines[j][1].startswith("|"):
        j += 1
    names = _columns(_pipe_cells(lines[i][1]))
    if names is None:
        return [], j
    rows = lines[i + 1 : j]
    more = [_column(c) if c else None for c in _pipe_cells(rows[0][1])] if rows else []
    if (
        {"lead", "coordinating"} & set(more)
        and "content" not in more
        and not _NUMBER_RE.match(rows[0][1].strip("| "))
    ):
        # a title over two rows ("Đơn vị" above "Chủ trì | Phối hợp"): the second row's titles complete the first's
        names = [b if b and a in (None, "lead", "number") else a for a, b in zip(names, more, strict=False)]
        rows = rows[1:]
    table = _Table(names, in_implementation(lines[i][0]))
    for number, text in rows:
        cells = _pipe_cells(text)
        if names[0] == "number" and cells and cells[0] and not _NUMBER_RE.match(cells[0]):
            table.previous = None  # a group's title row ("I", "A", "Nhóm 1"): no block shared across it
            continue
        table.add({n: c for n, c in zip(names, cells, strict=False) if n}, (number, number))
    return table.rows, j


def _cell_table(lines: list[tuple[int, str]], i: int, in_implementation) -> tuple[list[Row], int]:
    """A table one cell a line from lines[i] (its first column title): (tasks, index after it), or ([], i)."""
    j = i
    while j < len(lines) and _title_line(lines[j][1]):
        j += 1
    names = _columns([text for _n, text in lines[i:j]])
    if names is None or j - i < 3 or j >= len(lines) or not _NUMBER_RE.match(lines[j][1]):
        return [], i
    cells_of = [n for n in names if n != "number"]
    table = _Table(names, in_implementation(lines[i][0]))
    # An empty cell is an empty line when the titles stand on consecutive lines (blank lines are not spacing).
    blank_is_cell = lines[j - 1][0] - lines[i][0] == j - 1 - i
    k, expected = j, 1
    while k < len(lines) and (m := _NUMBER_RE.match(lines[k][1])) and int(m[1]) == expected:
        start, k = lines[k][0], k + 1
        cells: list[str] = []
        previous = start
        while k < len(lines) and len(cells) < len(cells_of):  # fewer when cells are merged with the row above
            number, text = lines[k]
            cells += [""] * (min(number - previous - 1, len(cells_of) - len(cells)) if blank_is_cell else 0)
            next_row = (m2 := _NUMBER_RE.match(text)) and int(m2[1]) == expected + 1
            if len(cells) == len(cells_of) or next_row or _HEADING_RE.match(text):
                break
            cells.append(text)
            previous, k = number, k + 1
        table.add(_assign(cells, cells_of), (start, lines[k - 1][0]))
        expected += 1
    return table.rows, k


def _assign(cells: list[str], names: list[str | None]) -> dict[str, str]:
    """Cells of a row to columns; with fewer cells than columns, a time-like last cell goes to the time column
    and the cells in between fill the columns after the content, the rest being merged with the row above."""
    if len(cells) >= len(names) or not cells:
        return {n: c for n, c in zip(names, cells, strict=False) if n}
    out = {names[0]: cells[0]} if names[0] else {}
    middle = cells[1:]
    if "time" in names and middle and find_deadline_text(middle[-1]) and len(middle) < len(names) - 1:
        out["time"] = middle.pop()
    for name, cell in zip([n for n in names[1:] if n and n != "time"], middle, strict=False):
        out[name] = cell
    return out


def tables(lines: list[tuple[int, str]], in_implementation) -> tuple[list[Row], set[int]]:
    """Every table's tasks, and the numbers of the lines the tables take (their cells are no prose)."""
    rows: list[Row] = []
    consumed: set[int] = set()
    i = 0
    while i < len(lines):
        text = lines[i][1]
        if text.startswith("|"):
            found, end = _pipe_table(lines, i, in_implementation)
        elif _title_line(text):
            found, end = _cell_table(lines, i, in_implementation)
            if end == i:
                i += 1
                continue
        else:
            i += 1
            continue
        rows += found
        consumed.update(n for n, _t in lines[i:end])
        i = end
    return rows, consumed
