"""A plan's outline -> tasks per unit (the units' names as written; domain.plans.units matches them).

Pure functions over `domain.text.outline` blocks: no Flask, no database. Tasks come from three
shapes of text that the office writes (tests/fixtures/plans/ has one of each):

1. the implementation section ("III. TỔ CHỨC THỰC HIỆN", "IV. PHÂN CÔNG THỰC HIỆN", ...):
   unit headings ("1. Ban Thường trực ...", "a) Ban Tuyên giáo") followed by sentences or
   bullets, or sentences that name their own unit ("Đề nghị Ban Thường trực ... xây dựng ...");
   how a sentence becomes tasks is in `domain.plans.sentences`;
2. any item carrying the lines "Đơn vị chủ trì: ...", "Đơn vị phối hợp: ...",
   "Thời gian hoàn thành: ..." (the task is the item's heading);
3. a table that the importer renders as rows "| 1 | Nội dung | Chủ trì | Phối hợp | Thời gian |",
   the first row holding the column titles (see `domain.plans.importer`).

Deadlines are read by `domain.text.deadlines`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from domain.plans.import_limits import check_time
from domain.plans.sentences import (
    CLOSING,
    LEAD_NOT,
    clauses,
    has_action,
    sentences,
    split_list,
    split_subject,
    starts_with_verb,
    tidy,
)
from domain.text.deadlines import find_deadline_text
from domain.text.outline import Block, Outline
from domain.text.vietnamese import fold
from models.choices import FROM_IMPLEMENTATION, NO_DEADLINE

# ------------------------------------------------------------------------------ extraction


@dataclass
class ExtractedTask:
    """One task as the plan writes it. The import JSON (ImportedPlan.to_dict) gives each field as below."""

    unit: str  # the assignee as written, first letter capital
    text: str
    is_lead: bool = True  # False when the assignee only joins ("Phối hợp với ...", "Tham gia ...")
    coordinating: list[str] = field(default_factory=list)  # partners as written
    deadline_text: str | None = None  # the words of the plan, always kept
    section_marker: str = ""
    source_line: int | None = None  # = lines[0]
    lead: str = ""  # the lead unit as written: the assignee when it leads, else the unit it joins (or "")
    source: str = FROM_IMPLEMENTATION  # or FROM_SCHEDULE
    lines: tuple[int, int] | None = None  # first and last 1-based line of the text the task was read from
    deadline: date | None = None  # the date deadline_text means, when it is one (parse_plan fills it in)
    deadline_kind: str = NO_DEADLINE  # ONE_DATE, MONTHLY, QUARTERLY or NO_DEADLINE (open, "thường xuyên")

    def __post_init__(self) -> None:
        if self.is_lead and not self.lead:
            self.lead = self.unit
        if self.lines is None and self.source_line:
            self.lines = (self.source_line, self.source_line)

    def to_dict(self) -> dict:
        return {
            "unit": self.unit, "text": self.text, "lead": self.lead, "is_lead": self.is_lead,
            "coordinating": list(self.coordinating), "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text, "deadline_kind": self.deadline_kind, "source": self.source,
            "lines": list(self.lines) if self.lines else None, "section_marker": self.section_marker,
            "source_line": self.source_line,
        }  # fmt: skip


_IMPLEMENTATION_TITLES = (
    "to chuc thuc hien",
    "phan cong thuc hien",
    "phan cong nhiem vu",
    "trach nhiem thuc hien",
)
_ASSIGNMENT_RE = re.compile(
    r"^(đơn vị chủ trì|chủ trì|đơn vị phối hợp|phối hợp|thời gian hoàn thành|thời gian thực hiện|"
    r"thời gian|thời hạn)\s*:\s*(.*)$",
    re.IGNORECASE,
)
_COLUMNS = {"content": ("noi dung", "nhiem vu", "cong viec"), "lead": ("chu tri",),
            "coordinating": ("phoi hop",), "time": ("thoi gian", "thoi han")}  # fmt: skip


def implementation_section(outline: Outline) -> Block | None:
    """The last top-level heading titled "Tổ chức thực hiện" / "Phân công thực hiện" / ..."""
    found = None
    for block in outline.blocks:
        if block.kind in ("section", "item") and any(t in fold(block.text) for t in _IMPLEMENTATION_TITLES):
            found = block
    return found


def _clean_value(text: str) -> str:
    return re.sub(r"\s*[.;,]\s*$", "", text.strip())


class _Collector:
    """Walks one top-level section and appends ExtractedTask in document order."""

    def __init__(self, out: list[ExtractedTask], marker: str, implementation: bool) -> None:
        self.out, self.marker, self.implementation, self.stopped = out, marker, implementation, False

    def add(self, unit: str, text: str, line: int, lead: bool = True, coordinating=(), deadline=None) -> None:
        text = tidy(text)
        lead = lead and not text.lower().startswith(LEAD_NOT)
        deadline = deadline if deadline is not None else find_deadline_text(text)
        self.out.append(
            ExtractedTask(tidy(unit), text, lead, list(coordinating), deadline, self.marker, line)
        )

    def children(self, block: Block, unit: str | None) -> None:
        rows: list[Block] = []
        for child in block.children:
            if self.stopped:
                return
            if child.kind == "paragraph" and child.text.startswith("|"):
                rows.append(child)
                continue
            self.table(rows)
            rows = []
            self.block(child, unit)
        self.table(rows)

    def block(self, block: Block, unit: str | None) -> None:
        if block.kind in ("item", "point"):
            fields = self.assignment_fields(block)
            if fields:
                self.assignment(block, fields)
                return
        if not self.implementation:
            self.children(block, unit)
            return
        if block.kind in ("item", "point"):
            head, colon, tail = block.text.partition(":")
            named, rest = split_subject(head)
            if named and (colon or not rest or starts_with_verb(rest)):
                self.text(tail if colon and not rest else block.text, named, block.line)
                self.children(block, named)
                return
        if (
            block.text.endswith(":")
            and block.children
            and all(c.kind in ("dash", "plus", "paragraph") for c in block.children)
        ):
            details = "; ".join(_clean_value(c.text) for c in block.children)
            self.text(f"{block.text} {details}", unit, block.line, split=False)
            return
        self.text(block.text, unit, block.line)
        self.children(block, unit)

    def text(self, text: str, unit: str | None, line: int, split: bool = True) -> None:
        current = unit  # a unit named as the subject carries on until the paragraph ends
        for sentence in sentences(text) if split else [text]:
            check_time()
            if sentence.lower().startswith(CLOSING):
                self.stopped = True
                return
            for clause in clauses(sentence) if split else [sentence]:
                named, rest = split_subject(clause)
                if named:
                    current = named
                    if not rest:
                        continue
                body = rest if named and starts_with_verb(rest) else clause
                if current and has_action(body):
                    self.add(current, body, line)

    @staticmethod
    def assignment_fields(block: Block) -> dict[str, str]:
        fields: dict[str, str] = {}
        for child in block.children:
            m = _ASSIGNMENT_RE.match(child.text) if child.kind in ("paragraph", "dash", "plus") else None
            if m:
                key = fold(m[1])
                name = "lead" if "chu tri" in key else "coordinating" if "phoi hop" in key else "time"
                fields[name] = _clean_value(m[2])
        return fields if fields.get("lead") else {}

    def assignment(self, block: Block, fields: dict[str, str]) -> None:
        for unit in split_list(fields["lead"]):
            self.add(unit, block.text, block.line, True, split_list(fields.get("coordinating", "")),
                     fields.get("time") or None)  # fmt: skip

    def table(self, rows: list[Block]) -> None:
        columns: dict[str, int] = {}
        for row in rows:
            cells = [c.strip() for c in row.text.strip().strip("|").split("|")]
            if not columns:  # rows before the column titles are not tasks
                columns = _table_columns(cells)
                continue
            get = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
            if get["content"] and get["lead"]:
                for unit in split_list(get["lead"]):
                    self.add(unit, get["content"], row.line, True, split_list(get.get("coordinating", "")),
                             _clean_value(get.get("time", "")) or None)  # fmt: skip


def _table_columns(cells: list[str]) -> dict[str, int]:
    """Column of each field from a title row ("Nội dung công việc", "Đơn vị chủ trì", ...), or {}."""
    columns: dict[str, int] = {}
    for i, title in enumerate(fold(c) for c in cells):
        for name, words in _COLUMNS.items():
            if name not in columns and any(w in title for w in words):
                columns[name] = i
                break
    return columns if "lead" in columns and "content" in columns else {}


def extract_tasks(outline: Outline) -> list[ExtractedTask]:
    """Every task the plan assigns, in document order (see the module docstring for the shapes)."""
    implementation = implementation_section(outline)
    tasks: list[ExtractedTask] = []
    for top in outline.blocks:
        marker = top.marker if top.kind in ("section", "item") else ""
        collector = _Collector(tasks, marker, top is implementation)
        if top is implementation or top.kind != "paragraph":
            collector.children(top, None)
    return tasks
