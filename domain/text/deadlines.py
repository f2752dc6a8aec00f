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
from models.choices import MONTHLY, NO_DEADLINE, ONE_DATE, QUARTERLY

_YEAR = r"(?:\s*/\s*|\s+năm\s+)\d{4}"
_DAY = r"\d{1,2}(?:\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?|\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)"
_HOUR = r"(?:\d{1,2}\s*(?:giờ|h)\s*(?:\d{1,2}\s*(?:phút)?)?\s*,?\s*(?:ngày\s+)?)"
# Phrases that state a deadline, each with its rank: the lowest rank found wins, then the first written.
# 0 recurring; 1 a date that is a limit ("trước", "chậm nhất", "hạn", a range's end); 2 a date ("dự kiến
# ngày", "vào ngày", "trong ngày"); 3 a quarter, half year, month or year; 4 open ("thường xuyên").
_DEADLINE_PHRASES = [
    (rank, re.compile(p, re.IGNORECASE))
    for rank, p in (
        (0, r"(?:định kỳ\s+)?(?:(?:trước|vào)\s+)?(?:ngày\s+\d{1,2}\s+)?(?:hằng|hàng)\s+(?:tháng|quý)"),
        (
            1,
            rf"từ\s+(?:ngày\s+)?\d{{1,2}}(?:\s*[/.-]\s*\d{{1,2}}(?:\s*[/.-]\s*\d{{4}})?)?\s*(?:đến|-|–)\s*"
            rf"(?:hết\s+)?(?:ngày\s+)?{_DAY}",
        ),
        (
            1,
            rf"(?:trước|chậm nhất(?:\s+là)?|hạn chót|hạn cuối|thời hạn|đến hết|hết|không quá)\s+{_HOUR}?"
            rf"(?:ngày\s+)?{_DAY}",
        ),
        (2, rf"(?:(?:dự kiến(?:\s+vào)?|trong|vào|đến|hoàn thành)\s+)?{_HOUR}?ngày\s+{_DAY}"),
        (3, rf"(?:(?:trước|trong|vào|hết|cuối)\s+)?quý\s+(?:iv|i{{1,3}}|[1-4])\b(?:{_YEAR})?"),
        (3, r"(?:(?:trước|trong)\s+)?(?:6|9|sáu|chín)\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+\d{4})?"),
        (3, rf"(?:(?:trước|trong|vào|hết|cuối|đầu)\s+)?tháng\s+\d{{1,2}}{_YEAR}"),
        (3, r"(?:trước|trong|vào|cuối|hết)\s+tháng\s+\d{1,2}\b"),
        (3, r"(?:trước|trong|cuối|hết)\s+năm\s+\d{4}"),
        (4, r"thường xuyên"),
    )
]
# A date right after a document's number ("Thông tri số 05/TT-MTTW, ngày 04/11/2025") is when it was issued.
_CITED_BEFORE = re.compile(r"(?:\d+\s*[/-]\s*[A-ZĐ][A-Za-zĐđ0-9/-]*|số\s*\S+)\s*,?\s*(?:ban hành\s+)?$")


def find_deadline_text(text: str) -> str | None:
    """The deadline phrase of a task sentence ("trước ngày 30/6/2026", "hằng tháng"), if any."""
    best: tuple[int, int, str] | None = None
    for rank, pattern in _DEADLINE_PHRASES:
        for m in pattern.finditer(text):
            if rank == 2 and _CITED_BEFORE.search(text, max(0, m.start() - 60), m.start()):
                continue
            if best is None or (rank, m.start()) < best[:2]:
                best = (rank, m.start(), m.group(0))
            break
    return best[2] if best else None


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
        first_month = d.month if self.kind == MONTHLY else 3 * ((d.month - 1) // 3) + 1
        due_month = first_month if self.kind == MONTHLY else first_month + 2
        last = calendar.monthrange(d.year, due_month)[1]
        return date(d.year, first_month, 1), date(d.year, due_month, min(self.day_of_month or last, last))

    def next_due(self, after: date) -> date | None:
        """The first due date on or after `after` (None when nothing more is due)."""
        if self.kind == NO_DEADLINE:
            return None
        if self.kind == ONE_DATE:
            return self.due if self.due and self.due >= after else None
        try:
            start = max(after, self.starts_on + timedelta(days=1)) if self.starts_on else after
            first, due = self._period(start)
            while due < start:  # this period's day has passed: the next period's
                first, due = self._period(first + timedelta(days=93 if self.kind == QUARTERLY else 31))
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
        if done_on is not None or self.kind == NO_DEADLINE or (self.kind == ONE_DATE and self.due is None):
            return False
        if self.kind == ONE_DATE:
            return today > self.due
        owed = self.owed_period(today)
        return owed is not None and (last_reported_on is None or last_reported_on < owed[0])

    def owed_period(self, today: date) -> tuple[date, date] | None:
        """Recurring: (first day, due date) of the latest period whose due date is before today, or None
        when no such period is owed yet (the plan started after it). The same for every unit of a task,
        so long lists work it out once per task (domain.plans.lateness.Lateness)."""
        if self.kind not in (MONTHLY, QUARTERLY):
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
        r"(?:ngày\s+|\b(?=\d{1,2}\s*[/.-]\s*\d{1,2}\b))(\d{1,2})(?:\s*[/.-]\s*(\d{1,2})"
        r"(?:\s*[/.-]\s*(\d{4}))?|\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?)",
        low,
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
        kind = MONTHLY if m[2] == "tháng" else QUARTERLY
        recurring = Deadline(kind, None, day, raw, reference_date)
        return Deadline(kind, recurring.next_due(reference_date), day, raw, reference_date)
    if "thường xuyên" in low:
        return Deadline(NO_DEADLINE, None, None, raw)
    try:
        due = _one_off_due(low, reference_date)
    except ValueError:  # "năm 0000" and the like: not a date anyone meant
        due = None
    if due is None or not 1900 < due.year < 2200:
        return Deadline(NO_DEADLINE, None, None, raw)
    return Deadline(ONE_DATE, due, None, raw)
