"""A plan's outline -> its tasks, by the convention of ../shared/samples/README.md. Pure: no Flask, no database.

    extract_tasks(outline) -> list[ExtractedTask]       every task, in document order

1. The implementation section(s) (domain.plans.sections): each unit heading ("1. Ban Thường trực …",
   "Đề nghị Ủy ban nhân dân xã phối hợp", "- Đồng chí …:") names who does the items under it; an item or a
   sentence may name its own assignee ("Đồng chí Chủ tịch … chịu trách nhiệm …", "Đề nghị X …", "Giao đồng
   chí X …", "A yêu cầu B …") (domain.plans.assignees). Every bullet or numbered item under an assignee is at
   least one task, split further only at a new sentence (domain.plans.sentences); a heading ending in ":"
   whose parts are bullets is one task; an item that names its assignee and ends in ":" introduces tasks.
   Funding rules, footnotes and the closing "Trên đây là …" are not tasks.
2. Schedules anywhere in the body (domain.plans.schedules): items with "Thời gian"/"Đơn vị chủ trì" lines and
   table rows, one task each with its lead, partners and time.
"""

from __future__ import annotations

import re

from domain.plans.assignees import colon_name, heading_name, partners, split_subject
from domain.plans.extracted import ExtractedTask
from domain.plans.import_limits import check_time
from domain.plans.schedules import Fields, field_items, item_text, tables
from domain.plans.sections import (
    implementation_sections,
    is_closing,
    is_footnote,
    is_funding,
    is_if_difficulties,
    reading_outline,
)
from domain.plans.sentences import LEAD_NOT, clauses, gives_time, has_action, sentences, tidy
from domain.text.deadlines import find_deadline_text
from domain.text.outline import HEADINGS, Block, Outline, block_line
from models.choices import FROM_IMPLEMENTATION, FROM_SCHEDULE

# What a subject does when it shares the work out rather than does it: "Ban Thường trực phân công như sau:".
_HANDS_OUT = ("phân công", "giao nhiệm vụ", "giao cho", "giao như sau", "giao các")
# Words that open a sentence before its subject: "Căn cứ …, Ban Thường trực … xây dựng …".
_INTROS = ("căn cứ", "trên cơ sở", "để ", "nhằm", "sau khi", "đồng thời", "ngoài ra", "bên cạnh đó")


def _subject(text: str) -> tuple[str | None, str]:
    name, rest = split_subject(text)
    if name or not text.lower().startswith(_INTROS):
        return name, rest
    for m in re.finditer(r",\s+", text):
        name, rest = split_subject(text[m.end() :])
        if name and has_action(rest):
            return name, rest
    return None, text


def _parts(text: str) -> list[str]:
    """The tasks of one item: its sentences (". " or "; " before a capital); a part that only gives the time of
    the one before, or names neither an action nor anyone, stays with the one before."""
    out: list[str] = []
    for sentence in sentences(text):
        for part in clauses(sentence):
            check_time()
            if out and (gives_time(part) or not (has_action(part) or split_subject(part)[0])):
                out[-1] = f"{out[-1]} {part}"
            else:
                out.append(part)
    return out


def _last_line(block: Block) -> int:
    last = getattr(block, "last_line", block.line)
    for child in block.children:
        last = max(last, _last_line(child))
    return last


class _Reader:
    def __init__(self, consumed: set[int], implementation: set[int], closing: int) -> None:
        self.tasks: list[ExtractedTask] = []
        self.consumed, self.implementation, self.closing = consumed, implementation, closing
        self.stopped, self.marker = False, ""

    def add(self, unit: str, text: str, lines: tuple[int, int], source: str = FROM_IMPLEMENTATION,
            deadline_text: str | None = None, coordinating: list[str] | None = None) -> None:  # fmt: skip
        joins = text.lower().startswith(LEAD_NOT)
        partner, others = partners(text)
        unit = tidy(unit)
        self.tasks.append(ExtractedTask(
            unit=unit, text=tidy(text), is_lead=not joins, coordinating=coordinating if coordinating is not None
            else others, deadline_text=deadline_text or find_deadline_text(text), section_marker=self.marker,
            source_line=lines[0], lead=partner if joins else unit, source=source, lines=lines,
        ))  # fmt: skip

    def schedule(self, block: Block, fields: Fields, parent: Block | None) -> None:
        text = item_text(block, fields, parent)
        lines = (block.line, max(block.line, fields.last_line))
        self.add(fields.lead, text, lines, FROM_SCHEDULE, fields.time or None, fields.coordinating)

    def scan(self, children: list[Block], parent: Block | None) -> None:
        """Outside the implementation section (until it is met): only schedule items."""
        items = field_items(children, in_implementation=False)
        for block in children:
            if self.stopped or block.line >= self.closing:
                self.stopped = True
                return
            if id(block) in self.implementation:
                self.walk(block.children, None, block, section=True)
            elif id(block) in items:
                self.schedule(block, items[id(block)], parent)
            else:
                self.scan(block.children, block)

    def walk(
        self, children: list[Block], who: str | None, parent: Block | None, section: bool = False
    ) -> None:
        """Inside the implementation section: each block with the assignee that holds for it. The paragraphs that
        open a section before its first heading or bullet are its introduction, not tasks (the convention)."""
        items = field_items(children, in_implementation=True)
        opening = section and any(b.kind != "paragraph" for b in children)
        for block in children:
            check_time()
            text = block.text
            if self.stopped or block.line >= self.closing:
                self.stopped = True
                return
            if block.line in self.consumed or not text or text.startswith("|") or is_footnote(text):
                continue
            if block.kind == "paragraph" and not block.children and (name := heading_name(text)):
                who = name  # a unit named on a line of its own, without a number: the heading of what follows
                continue
            if opening and block.kind == "paragraph":
                subject, rest = _subject(text)
                who = subject if subject and text.endswith(":") and not _hands_out(rest) else who
                continue
            opening = False
            if is_funding(text) or is_if_difficulties(text):
                continue
            if id(block) in items:
                self.schedule(block, items[id(block)], parent)
            elif block.kind in HEADINGS:
                self.heading(block, who)
            else:
                who = self.bullet(block, who)

    def heading(self, block: Block, who: str | None) -> None:
        name = heading_name(block.text)
        if name:  # "1. Ban Thường trực …", "Đề nghị Ủy ban nhân dân xã phối hợp"
            self.walk(block.children, name, block)
            return
        name, rest = colon_name(block.text)
        if name:  # "1. Ban Tuyên giáo: chủ trì …"
            self.sentences(rest, name, block, bullet=True)
            self.walk(block.children, name, block)
            return
        subject, _rest = _subject(block.text)
        if subject and block.children and (block.text.endswith(":") or _has_headings(block)):
            # "2. Ban … thực hiện chế độ báo cáo như sau:" introduces its a), b), …
            self.walk(block.children, subject, block)
            return
        if not (subject or who) or (block.children and not subject and not has_action(block.text)):
            self.walk(block.children, who, block)  # a title ("1. Công tác tuyên truyền"), not a task
            return
        if block.text.endswith(":") and block.children and not _has_headings(block):
            self.enumeration(block, subject or who)
            return
        self.sentences(block.text, who, block, bullet=True)
        self.walk(block.children, subject or who, block)

    def bullet(self, block: Block, who: str | None) -> str | None:
        """A bullet or paragraph; returns the assignee for the blocks after it."""
        if self.time_of_last(block, who):
            return who
        name, rest = colon_name(block.text)
        if name:  # "- Đồng chí Phó Chủ tịch …: chủ trì …"
            self.sentences(rest, name, block, bullet=True)
            self.walk(block.children, name, block)
            return who
        name = heading_name(block.text) if block.children else None
        if name:  # "- Ban Tuyên giáo:" and its "+" items
            self.walk(block.children, name, block)
            return who
        subject, rest = _subject(block.text)
        if block.kind == "paragraph" and subject and block.text.endswith(":"):
            # "Ban … thực hiện các nội dung sau:" and the bullets after it; "Ban … phân công như sau:" hands them out
            return who if _hands_out(rest) else subject
        if block.text.endswith(":") and block.children:
            self.enumeration(block, subject or who)
            return who
        self.sentences(block.text, who, block, bullet=block.kind != "paragraph")
        self.walk(block.children, subject or who, block)
        # In a section of paragraphs without headings, the unit a paragraph names goes on in the next ones.
        return subject if block.kind == "paragraph" and subject and who is None else who

    def time_of_last(self, block: Block, who: str | None) -> bool:
        """ "- Thời gian: trước ngày 10/3/2026" right after a task of the same assignee gives that task's time; it is
        no task of its own (as a sentence "Thời gian …" inside an item is not)."""
        last = self.tasks[-1] if self.tasks else None
        if last is None or block.children or not gives_time(block.text) or who is None or last.unit != tidy(who):
            return False
        if last.source != FROM_IMPLEMENTATION or not last.lines or last.lines[1] >= block.line:
            return False
        last.deadline_text = last.deadline_text or find_deadline_text(block.text) or tidy(block.text.partition(":")[2])
        last.lines = (last.lines[0], block.line)
        return True

    def enumeration(self, block: Block, who: str | None) -> None:
        """ "Tổ chức các hoạt động …:" and its parts: one task."""
        if who is None:
            return
        details = "; ".join(re.sub(r"\s*[.;,]\s*$", "", c.text) for c in block.walk() if c is not block)
        self.sentences(f"{block.text} {details}", who, block, bullet=True, split=False)

    def sentences(self, text: str, who: str | None, block: Block, bullet: bool, split: bool = True) -> None:
        lines = (block.line, _last_line(block) if not split else getattr(block, "last_line", block.line))
        current = who
        for k, part in enumerate(_parts(text) if split else [text]):
            subject, rest = _subject(part)
            if subject:
                current = subject
                if not rest:
                    continue
            elif k == 0 and not bullet and not has_action(part):
                continue
            if current is None:
                continue
            body = rest if subject and not rest.lower().startswith("là ") else part
            self.add(current, body, lines)


def _hands_out(predicate: str) -> bool:
    """ "phân công như sau:", "giao nhiệm vụ cụ thể như sau:": the subject shares the work out to the assignees
    named below; it is not theirs."""
    return predicate.lower().startswith(_HANDS_OUT)


def _has_headings(block: Block) -> bool:
    return any(c.kind in HEADINGS for c in block.children)


def _top_ranges(blocks: list[Block]) -> list[tuple[int, int, Block]]:
    """(first line, line after the last, block) of each top-level block."""
    starts = [b.line for b in blocks] + [10**9]
    return [(starts[i], starts[i + 1], b) for i, b in enumerate(blocks)]


def extract_tasks(outline: Outline) -> list[ExtractedTask]:
    """Every task the plan assigns, in document order (see the module docstring)."""
    blocks = reading_outline(outline.blocks)
    implementation = implementation_sections(blocks)
    spans = [(b.line, _last_line(b)) for b in implementation]
    ranges = _top_ranges(blocks)

    def top_of(line: int) -> Block | None:
        return next((b for start, end, b in ranges if start <= line < end), None)

    # "Trên đây là …" closes the body wherever it stands (even inside the last item): nothing after it is a task.
    # A part that sums up before the implementation section ("Trên đây là kết quả năm 2025") closes nothing.
    start = min((first for first, _last in spans), default=0)
    closings = [b.line for b in outline.walk() if is_closing(b.text)]
    closing = min(
        (n for n in closings if n >= start), default=max(closings, default=10**9) if not spans else 10**9
    )
    lines = sorted((b.line, block_line(b)) for b in outline.walk() if b.line < closing)
    rows, consumed = tables(lines, lambda line: any(first <= line <= last for first, last in spans))
    reader = _Reader(consumed, {id(b) for b in implementation}, closing)
    for row in rows:
        top = top_of(row.lines[0])
        reader.marker = top.marker if top is not None and top.kind in ("section", "item") else ""
        reader.add(row.lead, row.content, row.lines, FROM_SCHEDULE, row.time or None, row.coordinating)
    for top in blocks:
        if reader.stopped:
            break
        reader.marker = top.marker if top.kind in ("section", "item") else ""
        reader.scan([top], None)
    return sorted(reader.tasks, key=lambda t: t.lines or (0, 0))
