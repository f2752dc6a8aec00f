"""Import an existing plan (.txt or .docx): propose the document's fields and its tasks.

    read_plan_file(filename, data) -> text       bytes to text, safely (domain.plans.uploads)
    parse_plan(text) -> ImportedPlan              text to fields, body, references, tasks
    import_plan_json(filename, data) -> dict      both, JSON-ready, for the CLI and the upload view,
                                                  within domain.plans.import_limits (size, lines, time budget)

The text is read in four parts, top to bottom:
1. header (before the tên loại line "KẾ HOẠCH"): issuer lines in CAPS, "Số: 45/KH-MTTQ-BTT",
   "Ninh Bình, ngày 05 tháng 01 năm 2025"; Quốc hiệu/Tiêu ngữ and rules are skipped;
2. tên loại, trích yếu (the next line, plus wrapped lines) and the opening ("Thực hiện ...");
3. body: from the first heading ("I.") on, parsed by domain.text.outline, the one parser of "II."/"1."/"-";
4. signature and Nơi nhận: from the first "Nơi nhận:" or "TM./KT. ..." line to the end (domain.plans.signing).
The tasks come from the body (domain.plans.extraction); when there is none, a warning says why.

The JSON (ImportedPlan.to_dict, for the CLI and the import page) has the plan's fields, "text_lines" (the text
as read, one line each) and "tasks", each: unit (the assignee as written), text, lead (the lead unit as
written), is_lead, coordinating (list), deadline (ISO date or null), deadline_text (the plan's words),
deadline_kind, source ("implementation" | "schedule"), lines ([first, last], 1-based, into text_lines),
section_marker, source_line.

The header comes from a two-column table. Exported to text, a row's cells are joined by tabs, or each cell
becomes its own lines; the importer cuts lines at tabs and reads each piece on its own, so both orders give the
same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from domain.plans.extracted import ExtractedTask
from domain.plans.extraction import extract_tasks
from domain.plans.import_limits import DEFAULT_LIMITS, ImportLimits, time_budget
from domain.plans.sections import implementation_sections, no_tasks_reason, number_lost_sections
from domain.plans.signing import is_caps, pieces, read_tail, tail_start
from domain.plans.units import UnitRef, match_unit
from domain.plans.uploads import PlanImportError, file_format, read_plan_file
from domain.text.citations import Reference, find_references, normalise_symbols
from domain.text.deadlines import parse_deadline
from domain.text.outline import Block, Outline, parse, to_text
from domain.text.vietnamese import fold
from models.choices import KINDS, LETTER, ONE_DATE, PLAN, TRACKABLE_KINDS

__all__ = ["ImportedPlan", "PlanImportError", "import_plan_json", "parse_plan", "read_plan_file"]

_TITLE_LINES = {fold(k.title_line): k.code for k in KINDS.values() if k.title_line}
_KIND_OF_ABBREVIATION = {k.abbreviation: k.code for k in KINDS.values() if k.abbreviation}
_NUMBER_RE = re.compile(r"^Số\s*:?\s*(\d*)\s*/\s*([A-ZĐ][A-Za-zĐđ0-9-]*)", re.IGNORECASE)
_DATE_RE = re.compile(
    r"^([^,\d]{2,60}),\s*ngày\s+(\d{1,2})?\s*tháng\s+(\d{1,2})?\s*năm\s+(\d{4})", re.IGNORECASE
)
_RULE_RE = re.compile(r"^[-_–—=*.…\s]*$")
_NATIONAL = ("cong hoa xa hoi chu nghia viet nam", "doc lap", "dang cong san viet nam")
# Words that start the opening paragraph rather than continue a wrapped trích yếu.
_OPENING_WORDS = ("căn cứ", "thực hiện", "triển khai", "nhằm", "để ", "theo ", "trên cơ sở", "kính gửi",
                  "ban thường trực", "ủy ban", "uỷ ban", "thi hành", "qua ", "sau khi")  # fmt: skip


@dataclass
class ImportedPlan:
    kind: str = PLAN
    title: str = ""
    number: int | None = None
    symbol: str = ""
    issued_on: date | None = None
    place: str = ""
    issuer_lines: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    opening: str = ""
    body: str = ""
    sections: list[dict] = field(default_factory=list)
    tasks: list[ExtractedTask] = field(default_factory=list)
    signature: dict = field(default_factory=dict)
    recipients: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The text as read, one line each: what the tasks' `lines` ([first, last], 1-based) point into.
    text_lines: list[str] = field(default_factory=list, repr=False)
    year: int | None = None  # of the date line, even when its day is blank: deadlines without a year take it
    blocks: list[Block] = field(default_factory=list, repr=False)  # the body, for docgen; not in to_dict

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "title": self.title, "number": self.number, "symbol": self.symbol,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None, "place": self.place,
            "issuer_lines": list(self.issuer_lines), "references": [r.to_dict() for r in self.references],
            "opening": self.opening, "body": self.body, "sections": list(self.sections),
            "tasks": [t.to_dict() for t in self.tasks], "signature": dict(self.signature),
            "recipients": list(self.recipients), "warnings": list(self.warnings),
            "text_lines": list(self.text_lines),
        }  # fmt: skip


def _lines(text: str) -> list[str]:
    """Lines as domain.text.outline numbers them (CRLF, CR and Word's other breaks are line ends)."""
    text = re.sub(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]", "\n", str(text))
    return text.split("\n")


def _read_header(plan: ImportedPlan, pieces: list[str]) -> list[str]:
    """Take the number, date and issuer lines; return the pieces that are none of these."""
    other = []
    for piece in pieces:
        number, when = _NUMBER_RE.match(piece), _DATE_RE.match(piece)
        if number:
            plan.number = int(number[1]) if number[1] else None
            plan.symbol = number[2]
        elif when:
            plan.place = when[1].strip()
            plan.year = int(when[4])
            if when[2] and when[3]:
                try:
                    plan.issued_on = date(int(when[4]), int(when[3]), int(when[2]))
                except ValueError:
                    plan.warnings.append(f"Ngày ban hành không hợp lệ: “{piece}”")
        elif is_caps(piece):
            if not fold(piece).startswith(_NATIONAL):
                plan.issuer_lines.append(piece)
        elif not (fold(piece).startswith(_NATIONAL) or _RULE_RE.match(piece)):
            other.append(piece)
    return other


def _read_preamble(plan: ImportedPlan, lines: list[str]) -> None:
    """Header, tên loại, trích yếu and opening: everything before the first heading."""
    rows = [" ".join(pieces(line)) for line in lines]
    type_at = next((i for i, row in enumerate(rows) if fold(row) in _TITLE_LINES), None)
    if type_at is None:  # no "KẾ HOẠCH" line: the kind comes from the symbol, the rest is opening
        plan.opening = "\n".join(_read_header(plan, [p for line in lines for p in pieces(line)]))
        # ND30: a Công văn's symbol has no type abbreviation ("123/MTTQ-BTT").
        prefix = plan.symbol.split("-")[0]
        plan.kind = _KIND_OF_ABBREVIATION.get(prefix, LETTER if plan.symbol else PLAN)
        plan.warnings.append("Không thấy tên loại văn bản (ví dụ “KẾ HOẠCH”) ở đầu văn bản.")
        return
    _read_header(plan, [p for line in lines[:type_at] for p in pieces(line)])
    plan.kind = _TITLE_LINES[fold(rows[type_at])]
    after = [row for row in rows[type_at + 1 :] if row and not _RULE_RE.match(row)]
    title = after[:1]
    for row in after[1:]:  # a trích yếu wrapped over several lines has no end punctuation
        if title[-1].endswith((".", ";", ":")) or row.lower().startswith(_OPENING_WORDS):
            break
        title.append(row)
    # A space typed inside a symbol ("07- CT/TW") is a typo the new document should not keep.
    plan.title = normalise_symbols(" ".join(title))
    plan.opening = normalise_symbols("\n".join(after[len(title) :]))


def parse_plan(text: str) -> ImportedPlan:
    """Fields, body, references and tasks of a plan given as text. Raises PlanImportError only."""
    lines = _lines(text)
    if not any(line.strip() for line in lines):
        raise PlanImportError("Tệp rỗng: không có nội dung để nhập.")
    tail = tail_start(lines)
    plan = ImportedPlan(text_lines=[line.rstrip("\r") for line in lines])
    head = _numbered_by_meaning(lines[:tail])
    if head is not None:
        plan.warnings.append("Văn bản không có số thứ tự các mục “I.”, “II.”, … (có thể đã mất khi sao chép từ Word): "
                             "các phần (“PHẦN I”, “Phần thứ hai”) hoặc các đề mục in hoa như “TỔ CHỨC THỰC HIỆN” "
                             "được đọc thành mục I, II, …")  # fmt: skip
    outline = parse("\n".join(head or lines[:tail]))
    first = next((i for i, b in enumerate(outline.blocks) if b.kind in ("section", "item")), None)
    _read_preamble(plan, lines[: outline.blocks[first].line - 1] if first is not None else lines[:tail])
    sections = [b for b in outline.blocks if b.kind == "section"]
    if first is None or not (_has_title_or_number(plan) or len(sections) >= 2):
        raise PlanImportError(_not_a_plan(plan, lines[:tail]))
    body = outline.blocks[first:]
    plan.blocks, plan.body = body, to_text(body)
    plan.sections = [{"marker": b.marker, "title": b.text} for b in sections]
    plan.references = find_references(plan.opening, plan.title)
    plan.tasks = extract_tasks(Outline(body, []))
    start = body[0].line
    plan.warnings += [f"Dòng {w.line}: {w.message}" for w in outline.warnings if w.line >= start]
    if plan.kind not in TRACKABLE_KINDS:  # a Hướng dẫn is read like a plan: its implementation section assigns work
        plan.warnings.append(f"Văn bản là {KINDS[plan.kind].name.lower()}, không phải kế hoạch.")
    if not plan.tasks:  # nothing is saved here: the clerk reads why, then adds tasks or picks another file
        plan.warnings.append(no_tasks_reason(body))
    elif not implementation_sections(body):
        plan.warnings.append(
            "Không thấy mục “Tổ chức thực hiện” (hoặc “Phân công nhiệm vụ”); các nhiệm vụ lấy từ lịch trình."
        )
    ending = read_tail(lines[tail:])
    plan.signature, plan.recipients = ending.signature, ending.recipients
    plan.warnings += ending.warnings
    _date_deadlines(plan)
    return plan


def _numbered_by_meaning(lines: list[str]) -> list[str] | None:
    """The lines with "I.", "II.", … before their section titles when the numbers were lost (sections.
    number_lost_sections), from the line after the trích yếu on; None when nothing needs numbering."""
    type_at = next((i for i, line in enumerate(lines) if fold(" ".join(pieces(line))) in _TITLE_LINES), None)
    if type_at is None:
        return None
    start = next((i + 1 for i in range(type_at + 1, len(lines)) if lines[i].strip()), len(lines))
    numbered = number_lost_sections(lines[start:])
    return None if numbered is None else lines[:start] + numbered


def _date_deadlines(plan: ImportedPlan) -> None:
    """Each task's deadline as a date where its words name one. Words without a year ("trước ngày 15/9",
    "6 tháng đầu năm") take the plan's year; a plan whose date line has no year gives them no date."""
    reference = plan.issued_on or (date(plan.year, 1, 1) if plan.year and 1900 < plan.year < 2200 else None)
    for task in plan.tasks:
        deadline = parse_deadline(task.deadline_text, reference or date(2000, 1, 1))
        task.deadline_kind = deadline.kind
        if deadline.kind == ONE_DATE and (reference or _has_year(task.deadline_text)):
            task.deadline = deadline.due


def _has_year(text: str | None) -> bool:
    return bool(re.search(r"\b(19|20|21)\d\d\b", text or ""))


def _not_a_plan(plan: ImportedPlan, lines: list[str]) -> str:
    """Why a text without the parts of a plan is refused: a letter, a table, or something else."""
    rows = [line.strip() for line in lines if line.strip()]
    if plan.kind == LETTER or any(fold(row).startswith("kinh gui") for row in rows):
        return ("Văn bản là công văn, không phải kế hoạch: không có các mục “I.”, “II.”, … và mục “Tổ chức thực "
                "hiện” nên không có nhiệm vụ để nhập.")  # fmt: skip
    if rows and sum(row.startswith("|") for row in rows) * 2 >= len(rows):
        return ("Tệp không phải kế hoạch mà là một bảng (ví dụ một danh sách): không có tên loại “KẾ HOẠCH”, các "
                "mục “I.”, “II.”, … nên không có nhiệm vụ để nhập.")  # fmt: skip
    return (
        "Không nhận ra cấu trúc kế hoạch: cần có tên loại (“KẾ HOẠCH”) hoặc số, ký hiệu, "
        "và các mục “I.”, “II.”, ... Hãy kiểm tra lại tệp."
    )


def _has_title_or_number(plan: ImportedPlan) -> bool:
    return bool(plan.title or plan.symbol)


def import_plan_json(
    filename: str, data: bytes, units: list[UnitRef] | None = None, limits: ImportLimits = DEFAULT_LIMITS
) -> dict:
    """read_plan_file + parse_plan as JSON-ready data, within `limits` and their time budget. With `units`,
    each task gets its unit_id (None when the name matched no unit) and "unmatched_units" lists names the UI
    should offer as new units or outside recipients."""
    with time_budget(limits.seconds):
        plan = parse_plan(read_plan_file(filename, data, limits=limits)).to_dict()
    plan["source"] = {"filename": filename, "format": file_format(filename)}
    if units is not None:
        plan["unmatched_units"] = match_task_units(plan, units)
    return plan


def match_task_units(plan: dict, units: list[UnitRef]) -> list[str]:
    """Give each task of `plan` (JSON-ready) its unit_id, or None; return the unmatched names, in order."""
    unmatched: list[str] = []
    for task in plan["tasks"]:
        unit = match_unit(task["unit"], units)
        task["unit_id"] = unit.id if unit else None
        if unit is None and task["unit"] not in unmatched:
            unmatched.append(task["unit"])
    return unmatched
