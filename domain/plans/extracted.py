"""A task as the importer reads it from a plan (domain.plans.extraction), and its JSON for the CLI and the
import page (domain.plans.importer.ImportedPlan.to_dict)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.choices import FROM_IMPLEMENTATION, NO_DEADLINE


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
