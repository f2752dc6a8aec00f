"""Deadlines as plans write them: "trước ngày 30/6/2026", "Quý III/2026", "hằng tháng", ...

`find_deadline_text` picks the phrase out of a task sentence; `parse_deadline` turns a phrase
into a `Deadline` that knows its next due date and whether a task is late.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.text.vietnamese import clean_text

_YEAR = r"(?:\s*/\s*|\s+năm\s+)\d{4}"
# Phrases that state a deadline, most specific first; the phrase found becomes deadline_text.
_DEADLINE_PHRASES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?:trước\s+)?(?:ngày\s+\d{1,2}\s+)?(?:hằng|hàng)\s+(?:tháng|quý)",
        r"(?:(?:trước|chậm nhất|trong|vào|đến)\s+)?ngày\s+\d{1,2}"
        r"(?:[/.-]\d{1,2}(?:[/.-]\d{4})?|\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)",
        rf"(?:(?:trước|trong|vào)\s+)?quý\s+(?:iv|i{{1,3}}|[1-4])\b(?:{_YEAR})?",
        r"(?:6|9|sáu|chín)\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+\d{4})?",
        rf"(?:(?:trước|trong|vào)\s+)?tháng\s+\d{{1,2}}{_YEAR}",
        r"(?:trước|trong|vào)\s+tháng\s+\d{1,2}\b",
        r"(?:trước|trong|cuối)\s+năm\s+\d{4}",
        r"thường xuyên",
    )
]


def find_deadline_text(text: str) -> str | None:
    """The deadline phrase of a task sentence ("trước ngày 30/6/2026", "hằng tháng"), if any."""
    for pattern in _DEADLINE_PHRASES:
        m = pattern.search(text)
        if m:
            return m.group(0)
    return None


@dataclass(frozen=True)
class Deadline:
    """When a task is due. kind: "none" | "date" | "monthly" | "quarterly".

    A recurring deadline is due on `day_of_month` of every month, or of the last month of every
    quarter (None = that month's last day), on every such day after `starts_on` (the plan's date:
    a plan cannot ask for a report on the day it is issued); `due` is then its first due date. `text` is the phrase as written, kept even when it was not understood.
    """

    kind: str
    due: date | None = None
    day_of_month: int | None = None
    text: str = ""
    starts_on: date | None = None

    def _period(self, d: date) -> tuple[date, date]:
        """(first day, due date) of the month or quarter holding d."""
        first_month = d.month if self.kind == "monthly" else 3 * ((d.month - 1) // 3) + 1
        due_month = first_month if self.kind == "monthly" else first_month + 2
        last = calendar.monthrange(d.year, due_month)[1]
        return date(d.year, first_month, 1), date(d.year, due_month, min(self.day_of_month or last, last))

    def next_due(self, after: date) -> date | None:
        """The first due date on or after `after` (None when nothing more is due)."""
        if self.kind == "none":
            return None
        if self.kind == "date":
            return self.due if self.due and self.due >= after else None
        try:
            start = max(after, self.starts_on + timedelta(days=1)) if self.starts_on else after
            first, due = self._period(start)
            while due < start:  # this period's day has passed: the next period's
                first, due = self._period(first + timedelta(days=93 if self.kind == "quarterly" else 31))
        except OverflowError:  # past 31/12/9999: the calendar has no next period
            return None
        return due

    def is_overdue(
        self, today: date, done_on: date | None = None, last_reported_on: date | None = None
    ) -> bool:
        """Late today? A finished task (done_on) never is; a task with no deadline never is.

        One-off: today is after `due`. Recurring: take the latest due date before today (ignoring
        due dates on or before starts_on); overdue when no report was made in that due date's period
        or after it, i.e. last_reported_on is None or earlier than the period's first day.
        """
        if done_on is not None or self.kind == "none" or (self.kind == "date" and self.due is None):
            return False
        if self.kind == "date":
            return today > self.due
        owed = self.owed_period(today)
        return owed is not None and (last_reported_on is None or last_reported_on < owed[0])

    def owed_period(self, today: date) -> tuple[date, date] | None:
        """Recurring: (first day, due date) of the latest period whose due date is before today, or None
        when no such period is owed yet (the plan started after it). The same for every unit of a task,
        so long lists work it out once per task (domain.plans.lateness.Lateness)."""
        if self.kind not in ("monthly", "quarterly"):
            return None
        first, due = self._period(today)
        if due >= today:  # this period is still open: look at the previous one
            if first == date.min:
                return None
            first, due = self._period(first - timedelta(days=1))
        if self.starts_on and due <= self.starts_on:
            return None
        return first, due


_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _last_date(low: str, reference: date) -> date | None:
    """The last calendar date written in the text (the end of a range "từ ... đến ...")."""
    found = None
    for m in re.finditer(
        r"ngày\s+(\d{1,2})(?:[/.-](\d{1,2})(?:[/.-](\d{4}))?|\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?)", low
    ):
        day, month, year = int(m[1]), int(m[2] or m[4] or 0), int(m[3] or m[5] or reference.year)
        try:
            found = date(year, month, day)
        except ValueError:
            continue
    return found


def _one_off_due(low: str, reference: date) -> date | None:
    """The date a one-off phrase means: a written date, else the end of its quarter/half/month/year."""
    year = reference.year
    due = _last_date(low, reference)
    if due is None and (m := re.search(r"quý\s+(iv|i{1,3}|[1-4])\b(?:\s*/\s*|\s+năm\s+)?(\d{4})?", low)):
        due = _end_of_month(int(m[2] or year), 3 * _QUARTERS[m[1]])
    if due is None and (m := re.search(r"(6|9|sáu|chín)\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?", low)):
        months = 9 if m[1] in ("9", "chín") else 6
        due = _end_of_month(int(m[3] or year), months if m[2] == "đầu" else 12)
    if due is None and (m := re.search(r"tháng\s+(\d{1,2})(?:(?:\s*/\s*|\s+năm\s+)(\d{4}))?", low)):
        if 1 <= int(m[1]) <= 12:
            due = _end_of_month(int(m[2] or year), int(m[1]))
    if due is None and (m := re.search(r"năm\s+(\d{4})", low)):
        due = date(int(m[1]), 12, 31)
    return due


def parse_deadline(text: str | None, reference_date: date) -> Deadline:
    """Understand a deadline phrase. reference_date (the plan's date) supplies a missing year.

    "trước ngày 30/6/2026" -> date; "Quý III/2026" -> 30/9/2026; "tháng 8/2026" -> 31/8/2026;
    "6 tháng đầu năm 2026" -> 30/6/2026; "năm 2026" -> 31/12/2026; "trước ngày 15 hằng tháng"
    -> monthly on the 15th; "hằng quý" -> quarterly, end of quarter; "thường xuyên" -> none.
    Anything else is kind "none", its text kept for people to read.
    """
    raw = clean_text(text or "", multiline=False).strip()
    low = raw.lower()
    m = re.search(r"(?:ngày\s+(\d{1,2})\s+)?(?:hằng|hàng)\s+(tháng|quý)", low)
    if m:
        day = int(m[1]) if m[1] and 1 <= int(m[1]) <= 31 else None
        kind = "monthly" if m[2] == "tháng" else "quarterly"
        recurring = Deadline(kind, None, day, raw, reference_date)
        return Deadline(kind, recurring.next_due(reference_date), day, raw, reference_date)
    if "thường xuyên" in low:
        return Deadline("none", None, None, raw)
    try:
        due = _one_off_due(low, reference_date)
    except ValueError:  # "năm 0000" and the like: not a date anyone meant
        due = None
    if due is None or not 1900 < due.year < 2200:
        return Deadline("none", None, None, raw)
    return Deadline("date", due, None, raw)
