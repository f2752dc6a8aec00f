"""An imported plan as the clerk checks it, before anything is saved: its tasks and the names it writes for units.

    ReviewedPlan, ReviewedTask, NameChoice       the review page's state (the page carries it from post to post)
    split_task(plan, n) / merge_with_previous(plan, n)   the clerk's corrections; a Vietnamese message if refused
    give_names_their_units(plan)                 a name mapped to a unit gives that unit to the name's tasks

Pure: no database, no request. domain.plans.proposals makes the first state from the file and saves the last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from domain.plans.units import unit_key
from domain.text.deadlines import Deadline, parse_deadline
from models.choices import FROM_IMPLEMENTATION, MONTHLY, NO_DEADLINE, ONE_DATE, QUARTERLY

# What the clerk may do with a name the directory does not know: map it to a unit (the unit's id), or these.
KEEP, NEW_SUBORDINATE, NEW_DEPARTMENT, NEW_EXTERNAL = "keep", "new_subordinate", "new_department", "new_external"
NAME_ACTIONS = {
    KEEP: "(Chưa gán đơn vị)",
    NEW_SUBORDINATE: "Tạo đơn vị mới: Ủy ban cấp dưới",
    NEW_DEPARTMENT: "Tạo đơn vị mới: ban chuyên môn",
    NEW_EXTERNAL: "Tạo cơ quan bên ngoài (chỉ nhận văn bản)",
}
MAX_TASKS = 500  # a review holds at most this many tasks (a split never goes past it)
TEXT_MAX = 2000


@dataclass
class ReviewedTask:
    text: str
    unit_text: str  # the assignee as the plan writes it
    unit_id: int | None = None  # the unit it is given to; None: not given yet
    deadline_text: str = ""  # the words of the plan
    due_on: str = ""  # the date, as the page posts it (ISO or blank); checked when the plan is saved
    lead: bool | str = True  # True: the unit leads; False: it only joins; a name: that unit leads
    coordinating: list[str] = field(default_factory=list)
    section_marker: str = ""
    source_line: int | None = None
    lines: tuple[int, int] | None = None  # first and last line of the text it was read from (1-based)
    source: str = FROM_IMPLEMENTATION
    include: bool = True  # False: the clerk dropped it; it is kept on the page but not saved

    def recurring(self) -> str:
        """MONTHLY or QUARTERLY when the words say so ("định kỳ hằng tháng"), else ""."""
        kind = parse_deadline(self.deadline_text, date(2000, 1, 1)).kind
        return kind if kind in (MONTHLY, QUARTERLY) else ""

    def due_date(self) -> date | None:
        """The date the clerk left, or None (blank, or not a date anyone meant)."""
        try:
            due = date.fromisoformat(self.due_on.strip())
        except ValueError:
            return None
        return due if 1900 < due.year < 2200 else None

    def deadline(self, reference: date) -> Deadline:
        """The date the clerk left is the deadline; else a recurring one the words name; the words are kept."""
        if self.due_on.strip():
            return Deadline(ONE_DATE, self.due_date(), None, self.deadline_text)
        parsed = parse_deadline(self.deadline_text, reference)
        return parsed if parsed.kind in (MONTHLY, QUARTERLY) else Deadline(NO_DEADLINE, None, None, self.deadline_text)


def _unit_id(choice: str) -> int | None:
    """A unit's id chosen in the list (ASCII digits: "²" is not one), or None for KEEP, NEW_* and the odd."""
    return int(choice) if choice.isascii() and choice.isdigit() and len(choice) < 12 else None


@dataclass
class NameChoice:
    """A name the directory does not know by itself (or knows only through an alias), and what the clerk chose."""

    name: str
    choice: str = KEEP  # KEEP, NEW_*, or a unit's id as text
    given: str = KEEP  # the choice the name's tasks were last given, so that a new choice moves only those
    by_alias: bool = False  # the choice came from a remembered alias
    in_tasks: int = 0  # how many tasks name it as their unit (0: only a recipient or a coordinating unit)

    @property
    def unit_id(self) -> int | None:
        return _unit_id(self.choice)


@dataclass
class ReviewedPlan:
    title: str
    references: str
    body: str
    signing_authority: str = "TM. BAN THƯỜNG TRỰC"
    signing_deputy_line: str = ""
    signer_title: str = ""
    recipients: list[str] = field(default_factory=list)
    tasks: list[ReviewedTask] = field(default_factory=list)
    names: list[NameChoice] = field(default_factory=list)
    issued_on: date | None = None  # the original's date: recurring deadlines count from it
    text_lines: list[str] = field(default_factory=list)  # the document as read, for the page to show beside
    facts: dict = field(default_factory=dict)  # what the page shows about the original (number, warnings, ...)

    def lines_in_tasks(self) -> set[int]:
        """The lines of the text that some task to be saved was read from."""
        return {n for t in self.tasks if t.include and t.lines for n in range(t.lines[0], t.lines[1] + 1)}

    def choice_for(self, name: str) -> NameChoice | None:
        key = unit_key(name)
        return next((c for c in self.names if unit_key(c.name) == key), None) if key else None


def _parts(text: str) -> list[str]:
    """The clerk's lines, or else the sentences (". " or "; " before a capital letter)."""
    lines = [p.strip() for p in text.splitlines() if p.strip()]
    if len(lines) > 1:
        return lines
    parts, start = [], 0
    for m in re.finditer(r"[.;]\s+(?=\w)", text):
        if text[m.end()].isupper():
            parts.append(text[start : m.start() + 1].strip())
            start = m.end()
    parts.append(text[start:].strip())
    return [p.rstrip(";").strip() for p in parts if p.strip(" .;")]


def split_task(plan: ReviewedPlan, n: int) -> str | None:
    """Task n becomes one task per line of its text (or per sentence); the parts keep its unit and deadline."""
    if not 0 <= n < len(plan.tasks):
        return None
    task = plan.tasks[n]
    parts = _parts(task.text)
    if len(parts) < 2:
        return "Để tách, hãy xuống dòng ở mỗi chỗ muốn tách trong nội dung nhiệm vụ rồi bấm “Tách”."
    if len(plan.tasks) + len(parts) - 1 > MAX_TASKS:
        return f"Một kế hoạch nhập tối đa {MAX_TASKS} nhiệm vụ."
    copies = [ReviewedTask(**{**task.__dict__, "text": part, "coordinating": list(task.coordinating)})
              for part in parts]
    plan.tasks[n : n + 1] = copies
    return None


def merge_with_previous(plan: ReviewedPlan, n: int) -> str | None:
    """Task n is joined to the task above it: the texts follow each other, the source lines are both."""
    if not 1 <= n < len(plan.tasks):
        return None
    above, task = plan.tasks[n - 1], plan.tasks[n]
    if above.unit_id and task.unit_id and above.unit_id != task.unit_id:
        return "Chỉ gộp được hai nhiệm vụ của cùng một đơn vị; hãy chọn lại đơn vị trước khi gộp."
    joined = "; ".join(t.text.strip().rstrip(" .;") for t in (above, task) if t.text.strip())
    if len(joined) > TEXT_MAX:
        return f"Nhiệm vụ sau khi gộp dài quá {TEXT_MAX} ký tự."
    above.text = joined
    above.unit_id = above.unit_id or task.unit_id
    above.deadline_text, above.due_on = above.deadline_text or task.deadline_text, above.due_on or task.due_on
    above.coordinating += [c for c in task.coordinating if c not in above.coordinating]
    above.include = above.include or task.include
    if above.lines and task.lines:
        above.lines = (min(above.lines[0], task.lines[0]), max(above.lines[1], task.lines[1]))
    above.lines = above.lines or task.lines
    del plan.tasks[n]
    return None


def give_names_their_units(plan: ReviewedPlan) -> None:
    """A name whose choice changed gives the new unit to its tasks that still had the old one (or none); a task
    the clerk gave some other unit keeps it."""
    for choice in plan.names:
        if choice.choice == choice.given:
            continue
        old = _unit_id(choice.given)
        key = unit_key(choice.name)
        for task in plan.tasks:
            if unit_key(task.unit_text) == key and task.unit_id in (old, None):
                task.unit_id = choice.unit_id
        choice.given = choice.choice


def units_the_clerk_gave(plan: ReviewedPlan) -> dict[str, int]:
    """Name -> unit, for every listed name the clerk gave a unit: mapped in the list, or else given to every one of
    its tasks alike. What an import teaches the next one."""
    given = {}
    for choice in plan.names:
        if choice.unit_id:
            given[choice.name] = choice.unit_id
            continue
        key = unit_key(choice.name)
        units = {t.unit_id for t in plan.tasks if t.include and unit_key(t.unit_text) == key}
        if len(units) == 1 and None not in units:
            given[choice.name] = units.pop()
    return given
