"""A round's submissions -> the aggregated Báo cáo: outline text in named parts, and the annex table.

Plain Python over plain data (no database), so it can be tested and benchmarked alone. Everything is built in
one pass over the units (lists appended, never searched), so the work grows linearly with units x indicators.

Who counts: units whose report was submitted or accepted. A unit that did not report, or whose report was
returned and not sent again, is listed by name and never counted as zero; a box a unit left empty is "not
reported" for that indicator, not zero. Totals are the sums of the counted values, except for indicators
measured in "%", where a sum means nothing: those show the unweighted mean of the counted values ("bình quân").

The body comes in named parts (`domain.reports.redrafting.Part`), so that drafting the report again keeps what
the clerk wrote; the annex table is not part of the body: it is rebuilt from the submissions at every drafting.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.plans.assignments import format_value
from domain.reports.redrafting import Part
from domain.reports.rules import (
    ASSESSMENT,
    DIRECTION,
    LATE,
    MISSING,
    ON_TIME,
    RETURNED,
    IndicatorSpec,
    question_section,
)
from domain.text.vietnamese import format_count, format_percent, short_date
from models.choices import WHOLE_NUMBER

SENTENCE_UNITS_MAX = 12  # above this, a figure's sentence names the three highest units; the annex has them all
TOP_UNITS = 3
SUMMARY_CHARS = 400  # a unit's narrative or answer is cut at a sentence end near this length
# The clerk edits the body in the editor, which takes at most 100,000 characters (models.documents.BODY_MAX): the
# units' narratives and answers share this budget. When each would get less than SUMMARY_MIN_CHARS (hundreds of
# units), they are not listed one by one; the body says where to read them.
TEXT_BUDGET = 60_000
SUMMARY_MIN_CHARS = 80
ANNEX_TITLE = "Số liệu kết quả thực hiện của các đơn vị"
TOTAL_LABEL = "Tổng cộng"
PERCENT = "%"


@dataclass(frozen=True)
class TaskSpec:
    id: int
    text: str
    indicators: tuple[IndicatorSpec, ...] = ()


@dataclass
class UnitReport:
    unit_id: int
    name: str
    state: str  # domain.reports.rules completeness code
    figures: dict[int, Decimal] = field(default_factory=dict)
    narratives: dict[int, str] = field(default_factory=dict)
    answers: list[str] = field(default_factory=list)  # aligned with the round's questions
    task_ids: frozenset[int] | None = None  # the tasks asked of this unit; None: all of them

    @property
    def counted(self) -> bool:
        return self.state in (ON_TIME, LATE)

    def asked(self, task_id: int) -> bool:
        return self.task_ids is None or task_id in self.task_ids


@dataclass
class RoundFacts:
    plan_citation: str  # "Kế hoạch số 05/KH-MTTQ-BTT ngày 01/5/2026"
    issuer: str  # "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình"
    asked_label: str  # "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố", or the units' names
    cutoff_on: date
    due_on: date
    tasks: list[TaskSpec]
    units: list[UnitReport]  # every unit asked, in the round's order
    questions: list[str] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    request_citation: str = ""  # "Công văn số 45/MTTQ-BTT ngày 10/6/2026" when the request letter was issued


@dataclass
class Aggregate:
    parts: list[Part]
    annex: dict | None  # {"title", "columns", "rows", "total_row"}; None without indicators
    totals: dict[int, Decimal]
    reporting: list[str]
    late: list[str]
    returned: list[str]
    missing: list[str]

    @property
    def body(self) -> str:
        return "\n".join(p.text for p in self.parts)


# ---- wording ----------------------------------------------------------------------------------------------


def is_percent(indicator: IndicatorSpec) -> bool:
    return indicator.unit_of_measure.strip() == PERCENT


def figure_text(value: Decimal, indicator: IndicatorSpec) -> str:
    """12500 buổi -> "12.500 buổi"; 12.5 % -> "12,5%"; the Vietnamese way."""
    if is_percent(indicator):
        return format_percent(value / 100, places=2)
    number = format_count(int(value)) if indicator.value_type == WHOLE_NUMBER else format_value(value)
    unit = indicator.unit_of_measure.strip()
    return f"{number} {unit}" if unit else number


_BULLET = re.compile(r"^[-+•–]\s+")


def summarise(text: str, limit: int = SUMMARY_CHARS) -> str:
    """One line: bullets and line breaks joined; cut at the last sentence end before `limit` (else a word)."""
    # The text was cleaned when the unit saved it (domain.reports.rules.clean_answer): only its layout is undone here.
    lines = [_BULLET.sub("", ln.strip()) for ln in (text or "").splitlines()]
    joined = " ".join(ln.rstrip(" ;") for ln in lines if ln).strip()
    if len(joined) > limit:
        cut = max(joined.rfind(". ", 0, limit), joined.rfind("; ", 0, limit))
        joined = joined[: cut + 1] if cut > limit // 3 else joined[:limit].rsplit(" ", 1)[0] + "…"
    return joined.rstrip(" ;.,:")


def _listed(lines: list[str]) -> list[str]:
    """"- a;" for every line but the last, which ends with "."."""
    return [f"- {line}{'.' if i == len(lines) - 1 else ';'}" for i, line in enumerate(lines)]


def _names(names: list[str]) -> str:
    return ", ".join(names)


def _rate(part: int, whole: int) -> str:
    return format_percent(part / whole) if whole else "0%"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---- the parts --------------------------------------------------------------------------------------------


def _deployment(facts: RoundFacts) -> str:
    period = ""
    if facts.period_start and facts.period_end:
        period = f" từ ngày {short_date(facts.period_start)} đến ngày {short_date(facts.period_end)}"
    asked = (f"Tại {facts.request_citation}, Ban Thường trực đề nghị các đơn vị" if facts.request_citation
             else "Ban Thường trực đã đề nghị các đơn vị")
    return (f"Sau khi ban hành {facts.plan_citation}, Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh đã gửi Kế hoạch "
            f"đến {facts.asked_label} để triển khai thực hiện. {asked} báo cáo kết quả thực hiện{period}, "
            f"số liệu tính đến ngày {short_date(facts.cutoff_on)}, hạn gửi báo cáo chậm nhất ngày "
            f"{short_date(facts.due_on)}.")


def _figure_line(indicator: IndicatorSpec, values: list[tuple[str, Decimal]], total: Decimal | None) -> str:
    if not values or total is None:
        return f"{indicator.name}: chưa có đơn vị báo cáo số liệu"
    head = f"bình quân {figure_text(total, indicator)}" if is_percent(indicator) \
        else f"tổng cộng {figure_text(total, indicator)}"
    if len(values) <= SENTENCE_UNITS_MAX:  # semicolons: units of measure have commas of their own ("tin, bài")
        detail = "; ".join(f"{name} {figure_text(v, indicator)}" for name, v in values)
        return f"{indicator.name}: {head} ({detail})"
    top = heapq.nlargest(TOP_UNITS, values, key=lambda nv: nv[1])
    detail = ", ".join(f"{name} ({figure_text(v, indicator)})" for name, v in top)
    return f"{indicator.name}: {head} của {format_count(len(values))} đơn vị; cao nhất là {detail}"


def _task_parts(number: int, task: TaskSpec, facts: RoundFacts, columns: dict[int, list[tuple[str, Decimal]]],
                totals: dict[int, Decimal], limit: int) -> list[Part]:
    asked = [u for u in facts.units if u.asked(task.id)]
    counted = [u for u in asked if u.counted]
    lines = [f"{number}. {task.text.strip().rstrip('.;:')}",
             f"Có {format_count(len(counted))}/{format_count(len(asked))} đơn vị được giao đã báo cáo kết quả thực hiện nhiệm vụ"
             + (", số liệu tổng hợp như sau:" if task.indicators else ".")]
    lines += _listed([_figure_line(i, columns[i.id], totals.get(i.id)) for i in task.indicators])
    parts = [Part(f"task:{task.id}:figures", f"II.{number} (số liệu)", "\n".join(lines))]
    stories = [f"{u.name}: {text}" for u in counted if (text := summarise(u.narratives.get(task.id, ""), limit))]
    if stories and limit < SUMMARY_MIN_CHARS:
        parts.append(Part(f"task:{task.id}:narratives", f"II.{number} (kết quả của các đơn vị)",
                          f"{format_count(len(stories))} đơn vị đã gửi nội dung kết quả thực hiện; nội dung của từng đơn vị "
                          "xem tại báo cáo của đơn vị trên hệ thống."))
    elif stories:
        parts.append(Part(f"task:{task.id}:narratives", f"II.{number} (kết quả của các đơn vị)",
                          "\n".join(["Kết quả cụ thể của các đơn vị:", *_listed(stories)])))
    return parts


def _reporting(number: int, facts: RoundFacts, groups: dict[str, list[str]], has_annex: bool) -> Part:
    asked = len(facts.units)
    reported = len(groups[ON_TIME]) + len(groups[LATE])
    lines = [f"{number}. Tình hình gửi báo cáo của các đơn vị",
             f"Có {format_count(reported)}/{format_count(asked)} đơn vị gửi báo cáo (đạt {_rate(reported, asked)}), "
             f"trong đó {format_count(len(groups[ON_TIME]))} đơn vị gửi đúng hạn (tỷ lệ đúng hạn "
             f"{_rate(len(groups[ON_TIME]), asked)})"
             + (f" và {format_count(len(groups[LATE]))} đơn vị gửi muộn so với hạn ngày {short_date(facts.due_on)}."
                if groups[LATE] else ".")]
    listed = []
    if groups[LATE]:
        listed.append(f"Đơn vị gửi báo cáo muộn: {_names(groups[LATE])}")
    if groups[RETURNED]:
        listed.append(f"Đơn vị có báo cáo bị trả lại, chưa gửi lại: {_names(groups[RETURNED])}")
    if groups[MISSING]:
        listed.append(f"Đơn vị chưa gửi báo cáo: {_names(groups[MISSING])}")
    lines += _listed(listed)
    if has_annex:
        lines.append("Số liệu chi tiết của từng đơn vị tại Phụ lục kèm theo.")
    return Part("reporting", f"II.{number} (tình hình gửi báo cáo)", "\n".join(lines))


def _answer_parts(section: str, roman: str, facts: RoundFacts, limit: int) -> list[Part]:
    indexes = [i for i, q in enumerate(facts.questions) if question_section(q) == section]
    if not indexes:
        hint = ("(Nội dung đánh giá chung: ưu điểm, hạn chế và nguyên nhân.)" if section == ASSESSMENT
                else "(Phương hướng, nhiệm vụ thời gian tới và kiến nghị, đề xuất.)")
        return [Part(section, roman, hint)]
    parts = []
    for n, i in enumerate(indexes, start=1):
        said = [f"{u.name}: {text}" for u in facts.units
                if u.counted and i < len(u.answers) and (text := summarise(u.answers[i], limit))]
        if said and limit < SUMMARY_MIN_CHARS:
            said = [f"{format_count(len(said))} đơn vị nêu ý kiến; nội dung của từng đơn vị xem tại báo cáo của đơn vị trên hệ thống"]
        lines = [f"{n}. {_cap(facts.questions[i])}", *(_listed(said) or ["Các đơn vị không nêu ý kiến."])]
        parts.append(Part(f"{section}:{i}", f"{roman}.{n}", "\n".join(lines)))
    return parts


def _annex(facts: RoundFacts, indicators: list[IndicatorSpec], totals: dict[int, Decimal]) -> dict | None:
    if not indicators:
        return None
    columns = ["STT", "Đơn vị"] + [f"{i.name} ({i.unit_of_measure.strip()})" if i.unit_of_measure.strip()
                                   else i.name for i in indicators]
    rows: list[list[object]] = []
    for unit in facts.units:
        if unit.counted:
            figures = unit.figures
            rows.append([len(rows) + 1, unit.name, *(_cell(figures.get(i.id), i) for i in indicators)])
    total_row = ["", TOTAL_LABEL, *(_cell(totals.get(i.id), i) for i in indicators)]
    return {"title": ANNEX_TITLE, "columns": columns, "rows": rows, "total_row": total_row}


def _cell(value: Decimal | None, indicator: IndicatorSpec) -> object:
    if value is None:
        return None
    if indicator.value_type == WHOLE_NUMBER or value == value.to_integral_value():
        return int(value)
    return value


def aggregate(facts: RoundFacts) -> Aggregate:
    """The Báo cáo body in parts, its annex table and the totals, from the units' submissions."""
    indicators = [i for t in facts.tasks for i in t.indicators]
    columns: dict[int, list[tuple[str, Decimal]]] = {i.id: [] for i in indicators}
    groups: dict[str, list[str]] = defaultdict(list)
    for unit in facts.units:
        groups[unit.state].append(unit.name)
        if unit.counted:
            for indicator_id, value in unit.figures.items():
                if indicator_id in columns:
                    columns[indicator_id].append((unit.name, value))
    totals: dict[int, Decimal] = {}
    for indicator in indicators:
        values = [v for _, v in columns[indicator.id]]
        if values:
            total = sum(values, Decimal(0))
            totals[indicator.id] = (total / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP) \
                if is_percent(indicator) else total

    texts = sum(1 for u in facts.units if u.counted for t in facts.tasks if u.narratives.get(t.id)) + \
        sum(1 for u in facts.units if u.counted for a in u.answers if a)
    limit = min(SUMMARY_CHARS, TEXT_BUDGET // max(1, texts))
    parts = [Part("h1", "I", "I. CÔNG TÁC TRIỂN KHAI"), Part("deployment", "I", _deployment(facts)),
             Part("h2", "II", "II. KẾT QUẢ THỰC HIỆN")]
    for number, task in enumerate(facts.tasks, start=1):
        parts += _task_parts(number, task, facts, columns, totals, limit)
    annex = _annex(facts, indicators, totals)
    parts.append(_reporting(len(facts.tasks) + 1, facts, groups, annex is not None))
    parts.append(Part("h3", "III", "III. ĐÁNH GIÁ CHUNG"))
    parts += _answer_parts(ASSESSMENT, "III", facts, limit)
    parts.append(Part("h4", "IV", "IV. PHƯƠNG HƯỚNG, KIẾN NGHỊ"))
    parts += _answer_parts(DIRECTION, "IV", facts, limit)
    parts.append(Part("closing", "Kết thúc", f"Trên đây là báo cáo kết quả thực hiện {facts.plan_citation} "
                                             f"của {facts.issuer}."))
    return Aggregate(parts, annex, totals, groups[ON_TIME] + groups[LATE], groups[LATE], groups[RETURNED],
                     groups[MISSING])
