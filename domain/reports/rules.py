"""Report rounds: the rules, as plain Python (no database, no request).

- Statuses of a round and of a submission, and the completeness of each unit (Đã nộp / Nộp muộn / Chưa nộp /
  Bị trả lại), each with its Vietnamese label and badge colour in one place.
- Lateness: a submission is late when it arrives after the end of the due date in the office's time zone
  (`domain.office.office_zone()`, which the callers pass; the default zone when none is given); stored times
  are naive UTC. A unit that answered on time keeps "on time" after the province returned its report and it
  resubmitted: lateness is judged on the first submission.
- The tally of a round (counts, on-time rate), reading the figures a unit typed (`domain.plans.assignments.parse_value`
  is the one reader of Vietnamese numbers), and the free questions asked by default.

Aggregation into the Báo cáo lives in `domain.reports.text`; the database verbs in `domain.reports.rounds`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.office import DEFAULT_ZONE
from domain.plans.assignments import ValueInvalid, parse_value
from domain.text.vietnamese import clean_text, fold
from models.choices import (  # noqa: F401  (the round and submission vocabulary, re-exported as R.*)
    ACCEPTED,
    CLOSED,
    COMPLETENESS,
    COUNTED,
    DRAFT,
    LATE,
    MISSING,
    ON_TIME,
    OPEN,
    RETURNED,
    ROUND_STATUSES,
    SUBMISSION_EDITABLE,
    SUBMISSION_STATUSES,
    SUBMITTED,
    WHOLE_NUMBER,
    Choice,
    choice_of,
)

EDITABLE = SUBMISSION_EDITABLE

DEFAULT_QUESTIONS = ("Khó khăn, vướng mắc", "Đề xuất, kiến nghị")
MAX_QUESTIONS = 10
QUESTION_MAX_CHARS = 200
TEXT_MAX_CHARS = 5000  # one narrative or answer

# Answers to a question whose title speaks of the way forward go to section IV; all others to section III.
_DIRECTION_WORDS = ("kien nghi", "de xuat", "phuong huong", "nhiem vu thoi gian toi", "giai phap")
ASSESSMENT, DIRECTION = "assessment", "direction"


def label_of(table: dict[str, Choice], code: str) -> Choice:
    return choice_of(table, code)


def question_section(question: str) -> str:
    """DIRECTION for "Đề xuất, kiến nghị", "Phương hướng ..."; ASSESSMENT for everything else."""
    folded = fold(question)
    return DIRECTION if any(w in folded for w in _DIRECTION_WORDS) else ASSESSMENT


# ---- time ------------------------------------------------------------------------------------------------


def deadline_utc(due_on: date, tz: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """The first instant after the due date in the office's time zone, as naive UTC (how times are stored)."""
    local_end = datetime.combine(due_on + timedelta(days=1), time.min, tzinfo=tz)
    return local_end.astimezone(UTC).replace(tzinfo=None)


def is_late(submitted_at: datetime | None, due_on: date, tz: ZoneInfo = DEFAULT_ZONE) -> bool:
    """True when a submission (naive UTC, or aware) came after the due date ended in the office's time zone."""
    if submitted_at is None:
        return False
    if submitted_at.tzinfo is not None:
        submitted_at = submitted_at.astimezone(UTC).replace(tzinfo=None)
    return submitted_at >= deadline_utc(due_on, tz)


def completeness(status: str | None, first_submitted_at: datetime | None, due_on: date,
                 tz: ZoneInfo = DEFAULT_ZONE) -> str:
    """ON_TIME, LATE, MISSING or RETURNED for a unit whose submission is in `status` (None: no submission)."""
    if status == RETURNED:
        return RETURNED
    if status in COUNTED:
        return LATE if is_late(first_submitted_at, due_on, tz) else ON_TIME
    return MISSING


@dataclass(frozen=True)
class Tally:
    asked: int
    on_time: int
    late: int
    missing: int
    returned: int

    @property
    def submitted(self) -> int:
        """Units whose report counts (on time or late)."""
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        """Share of the units asked that reported on time (None when nobody was asked)."""
        return self.on_time / self.asked if self.asked else None

    @property
    def submitted_rate(self) -> float | None:
        return self.submitted / self.asked if self.asked else None


def tally(codes: Iterable[str]) -> Tally:
    counts = dict.fromkeys(COMPLETENESS, 0)
    for code in codes:
        counts[code] += 1
    return Tally(sum(counts.values()), counts[ON_TIME], counts[LATE], counts[MISSING], counts[RETURNED])


# ---- what a unit types -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    id: int
    name: str
    unit_of_measure: str = ""
    value_type: str = WHOLE_NUMBER  # WHOLE_NUMBER or DECIMAL


def read_figures(raw: dict[int, str], indicators: Iterable[IndicatorSpec]) -> tuple[dict[int, Decimal], dict[int, str]]:
    """Figures as typed -> ({indicator id: value}, {indicator id: Vietnamese error}). Empty boxes are left out:
    a figure not given is "not reported", never zero."""
    values: dict[int, Decimal] = {}
    errors: dict[int, str] = {}
    for indicator in indicators:
        text = raw.get(indicator.id, "")
        try:
            value = parse_value(text, indicator.value_type)
        except ValueInvalid as exc:
            errors[indicator.id] = str(exc)
            continue
        if value is not None:
            values[indicator.id] = value
    return values, errors


def clean_answer(text: str | None) -> tuple[str, str | None]:
    """A narrative or answer as typed -> (cleaned text, error or None)."""
    cleaned = clean_text(text or "").strip()
    if len(cleaned) > TEXT_MAX_CHARS:
        return cleaned, f"Tối đa {TEXT_MAX_CHARS:,} ký tự; hãy rút gọn hoặc gửi kèm tệp báo cáo.".replace(",", ".")
    return cleaned, None


def read_questions(text: str) -> tuple[list[str], str | None]:
    """The free questions, one per line (blank lines and repeats dropped) -> (questions, error or None)."""
    questions: list[str] = []
    for line in clean_text(text or "").splitlines():
        line = line.strip().lstrip("-+•–").strip().rstrip(":").strip()
        if line and fold(line) not in {fold(q) for q in questions}:
            questions.append(line)
    if len(questions) > MAX_QUESTIONS:
        return questions, f"Tối đa {MAX_QUESTIONS} câu hỏi."
    if any(len(q) > QUESTION_MAX_CHARS for q in questions):
        return questions, f"Mỗi câu hỏi tối đa {QUESTION_MAX_CHARS} ký tự."
    return questions, None
