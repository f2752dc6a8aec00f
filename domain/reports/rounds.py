"""Report rounds in the database: creating a round, completeness, reminders, the units asked. Every verb audits
in the caller's transaction; the caller commits.

    create_round(plan, user, data)              RoundInvalid with a message per field, nothing saved
    unit_rows(rnd) / tally of them              one row per unit asked, with its completeness
    remind_missing(rnd, user, link)             one notification per active user of each unit that has not reported
    add_unit / remove_unit                      ask one more unit, or stop asking one (what it sent is kept)

What a round asks of each unit is in domain.reports.scope; each unit's report (save, submit, accept, return) in
domain.reports.submissions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from domain.errors import DomainError, FormInvalid
from domain.notifications import notify_units
from domain.office import office_zone
from domain.plans.tasks import plan_tasks
from domain.plans.tracking import STOPPED_STATUSES
from domain.reports import rules as R
from domain.reports.scope import candidate_units
from domain.text.vietnamese import clean_text, short_date
from extensions import db, lock_row
from models.choices import NOTE_ROUND_OPENED, Choice
from models.core import Unit, User, audit, utcnow
from models.documents import Document
from models.reports import CLOSED, OPEN, ReportRound, RoundUnit, Submission, SubmissionEvent

TITLE_MAX = 500


class RoundInvalid(FormInvalid):
    """Field -> Vietnamese message; nothing was saved."""


class SubmissionRefused(DomainError):
    """The action cannot be taken now (closed round, frozen report, stale page); `message` is Vietnamese."""


# ---- a plan's rounds --------------------------------------------------------------------------------------------


def plan_rounds(plan: Document) -> list[ReportRound]:
    return list(db.session.scalars(select(ReportRound).where(ReportRound.document_id == plan.id)
                                   .order_by(ReportRound.created_at.desc(), ReportRound.id.desc())))


def open_rounds() -> list[ReportRound]:
    return list(db.session.scalars(select(ReportRound).where(ReportRound.status == OPEN)
                                   .order_by(ReportRound.due_on, ReportRound.id)))


# ---- creating a round -------------------------------------------------------------------------------------------


@dataclass
class RoundInput:
    title: str
    cutoff_on: date | None
    due_on: date | None
    period_start: date | None = None
    period_end: date | None = None
    task_ids: list[int] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    questions: str = "\n".join(R.DEFAULT_QUESTIONS)


def _check_round(plan: Document, data: RoundInput) -> tuple[dict[str, str], list[str]]:
    errors: dict[str, str] = {}
    if plan.status in STOPPED_STATUSES:
        errors["plan"] = "Kế hoạch đã bị hủy hoặc thu hồi nên không mở đợt báo cáo."
    if not data.title:
        errors["title"] = "Vui lòng ghi nội dung báo cáo."
    elif len(data.title) > TITLE_MAX:
        errors["title"] = f"Tối đa {TITLE_MAX} ký tự."
    if data.cutoff_on is None:
        errors["cutoff_on"] = "Vui lòng chọn ngày chốt số liệu."
    if data.due_on is None:
        errors["due_on"] = "Vui lòng chọn hạn gửi báo cáo."
    elif data.cutoff_on is not None and data.due_on < data.cutoff_on:
        errors["due_on"] = "Hạn gửi báo cáo không được trước ngày chốt số liệu."
    if (data.period_start is None) != (data.period_end is None):
        errors["period_end"] = "Hãy chọn cả ngày bắt đầu và ngày kết thúc kỳ báo cáo, hoặc bỏ trống cả hai."
    elif data.period_start and data.period_end and data.period_end < data.period_start:
        errors["period_end"] = "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu."
    plan_task_ids = {t.id for t in plan_tasks(plan)}
    if not data.task_ids:
        errors["task_ids"] = "Hãy chọn ít nhất một nhiệm vụ cần báo cáo."
    elif not set(data.task_ids) <= plan_task_ids:
        errors["task_ids"] = "Nhiệm vụ không thuộc kế hoạch này."
    allowed = {u.id for u in candidate_units()}
    if not data.unit_ids:
        errors["unit_ids"] = "Hãy chọn ít nhất một đơn vị được đề nghị báo cáo."
    elif not set(data.unit_ids) <= allowed:
        errors["unit_ids"] = "Đơn vị không hợp lệ hoặc đã ngừng hoạt động."
    questions, problem = R.read_questions(data.questions)
    if problem:
        errors["questions"] = problem
    return errors, questions


def create_round(plan: Document, user: User, data: RoundInput, link_for=None) -> ReportRound:
    """Open a round on the plan and tell the units asked (one notification per active user of each)."""
    data.title = clean_text(data.title or "", multiline=False).strip()
    errors, questions = _check_round(plan, data)
    if errors:
        raise RoundInvalid(errors)
    order = {t.id: t.position for t in plan_tasks(plan)}
    rnd = ReportRound(document_id=plan.id, title=data.title, period_start=data.period_start,
                      period_end=data.period_end, cutoff_on=data.cutoff_on, due_on=data.due_on, status=OPEN,
                      created_by_id=user.id)
    rnd.task_ids = sorted(dict.fromkeys(data.task_ids), key=lambda t: (order[t], t))
    rnd.questions = questions
    rnd.units = [RoundUnit(unit_id=u) for u in dict.fromkeys(data.unit_ids)]
    db.session.add(rnd)
    db.session.flush()
    audit("report_round.create", rnd, user=user, summary=f"Mở đợt báo cáo: {rnd.title}"[:500], after=rnd.summary())
    message = f"Đề nghị báo cáo: {rnd.title} — hạn gửi {short_date(rnd.due_on)}."
    notify_units([ru.unit_id for ru in rnd.units], user, message, link_for(rnd) if link_for else "",
                 kind=NOTE_ROUND_OPENED, key=f"{NOTE_ROUND_OPENED}:round:{rnd.id}")
    return rnd


# ---- completeness -----------------------------------------------------------------------------------------------


@dataclass
class UnitRow:
    round_unit: RoundUnit
    submission: Submission | None
    state: str  # domain.reports.rules completeness code

    @property
    def unit(self) -> Unit:
        return self.round_unit.unit

    @property
    def completeness(self) -> Choice:
        return R.COMPLETENESS[self.state]

    @property
    def submission_status(self) -> Choice | None:
        return R.label_of(R.SUBMISSION_STATUSES, self.submission.status) if self.submission else None


def unit_state(rnd: ReportRound, sub: Submission | None) -> str:
    """Where a unit stands in the round (domain.reports.rules completeness code), given its submission or None;
    lateness in the office's time zone."""
    return R.completeness(sub.status if sub else None, sub.first_submitted_at if sub else None, rnd.due_on,
                          office_zone())


def past_due(rnd: ReportRound, now: datetime) -> bool:
    """True once the round's due date has ended in the office's time zone (`now` naive UTC, as stored)."""
    return now >= R.deadline_utc(rnd.due_on, office_zone())


def submissions_by_unit(rnd: ReportRound) -> dict[int, Submission]:
    return {s.unit_id: s for s in db.session.scalars(select(Submission).where(Submission.round_id == rnd.id))}


def unit_rows(rnd: ReportRound) -> tuple[list[UnitRow], list[UnitRow]]:
    """(rows of the units asked, rows of the units removed from the round), in directory order."""
    subs = submissions_by_unit(rnd)
    rows = sorted(rnd.units, key=lambda ru: (ru.unit.sort_order, ru.unit.name))
    built = [UnitRow(ru, subs.get(ru.unit_id), unit_state(rnd, subs.get(ru.unit_id))) for ru in rows]
    return [r for r in built if r.round_unit.active], [r for r in built if not r.round_unit.active]


def round_tally(rnd: ReportRound) -> R.Tally:
    active, _ = unit_rows(rnd)
    return R.tally(r.state for r in active)


# ---- reminders, closing, the units asked ------------------------------------------------------------------------


def _refuse_if_plan_stopped(rnd: ReportRound) -> None:
    """A round of a cancelled or recalled plan asks nobody anything more."""
    if rnd.plan.status in STOPPED_STATUSES:
        raise SubmissionRefused("Kế hoạch đã bị hủy hoặc thu hồi nên không nhắc hay đề nghị thêm đơn vị báo cáo.")


def remind_missing(rnd: ReportRound, user: User, link: str) -> tuple[list[Unit], int, list[Unit]]:
    """Remind the units asked that have not reported (or were returned): (units, notifications, units without users)."""
    _refuse_if_plan_stopped(rnd)
    if not rnd.is_open:
        raise SubmissionRefused("Đợt báo cáo đã kết thúc; hãy mở lại đợt trước khi nhắc các đơn vị.")
    active, _ = unit_rows(rnd)
    missing = [r for r in active if r.state in (R.MISSING, R.RETURNED)]
    message = f"Nhắc báo cáo: {rnd.title} — hạn gửi {short_date(rnd.due_on)}. Đơn vị chưa gửi báo cáo."
    count, unreached = notify_units([r.unit.id for r in missing], user, message, link)
    now = utcnow()
    for r in missing:
        r.round_unit.last_reminded_at = now
    units = [r.unit for r in missing]
    audit("report_round.remind", rnd, user=user, summary=f"Nhắc {len(units)} đơn vị chưa báo cáo: {rnd.title}"[:500],
          after={"units": [u.name for u in units], "notifications": count})
    return units, count, [u for u in units if u.id in unreached]


def set_round_status(rnd: ReportRound, user: User, status: str) -> None:
    """Close the round (no more submissions) or open it again."""
    if rnd.status == status:
        return
    before = rnd.status
    rnd.status = status
    rnd.closed_at = utcnow() if status == CLOSED else None
    verb = "Kết thúc" if status == CLOSED else "Mở lại"
    audit(f"report_round.{'close' if status == CLOSED else 'reopen'}", rnd, user=user,
          summary=f"{verb} đợt báo cáo: {rnd.title}"[:500], before={"status": before}, after={"status": status})


def add_unit(rnd: ReportRound, unit: Unit, user: User, link: str = "") -> RoundUnit:
    """Ask one more unit (or ask again a unit removed before: its earlier submission comes back with it)."""
    lock_row(rnd)
    _refuse_if_plan_stopped(rnd)
    if unit.id not in {u.id for u in candidate_units()}:
        raise SubmissionRefused("Đơn vị không hợp lệ hoặc đã ngừng hoạt động.", field="unit_id")
    existing = next((ru for ru in rnd.units if ru.unit_id == unit.id), None)
    if existing is not None and existing.active:
        raise SubmissionRefused(f"{unit.name} đã có trong đợt báo cáo.", field="unit_id")
    if existing is None:
        existing = RoundUnit(unit_id=unit.id)
        rnd.units.append(existing)
    existing.removed_at, existing.removed_by_id = None, None
    db.session.flush()
    audit("report_round.add_unit", rnd, user=user, summary=f"Thêm {unit.name} vào đợt báo cáo: {rnd.title}"[:500],
          after={"unit_id": unit.id})
    notify_units([unit.id], user, f"Đề nghị báo cáo: {rnd.title} — hạn gửi {short_date(rnd.due_on)}.", link,
                 kind=NOTE_ROUND_OPENED, key=f"{NOTE_ROUND_OPENED}:round:{rnd.id}")
    return existing


def remove_unit(rnd: ReportRound, round_unit: RoundUnit, user: User) -> None:
    """Stop asking a unit. Nothing is deleted: a submission it sent is kept, and comes back if it is asked again."""
    if not round_unit.active:
        return
    round_unit.removed_at, round_unit.removed_by_id = utcnow(), user.id
    sub = db.session.scalar(select(Submission).where(Submission.round_id == rnd.id,
                                                     Submission.unit_id == round_unit.unit_id))
    if sub is not None:
        record_event(sub, "remove", user, "Đơn vị được rút khỏi đợt báo cáo; báo cáo đã gửi vẫn được lưu.")
    audit("report_round.remove_unit", rnd, user=user,
          summary=f"Rút {round_unit.unit.name} khỏi đợt báo cáo: {rnd.title}"[:500],
          after={"unit_id": round_unit.unit_id, "submission_kept": sub is not None})


# ---- each unit's submission, as the round sees it ---------------------------------------------------------------


def round_unit_of(rnd: ReportRound, unit_id: int | None) -> RoundUnit | None:
    return next((ru for ru in rnd.units if ru.unit_id == unit_id), None) if unit_id else None


def get_submission(rnd: ReportRound, unit_id: int) -> Submission | None:
    """The unit's submission as it is now in the database (read again if it was loaded before)."""
    return db.session.scalar(select(Submission).where(Submission.round_id == rnd.id, Submission.unit_id == unit_id)
                             .execution_options(populate_existing=True))


def record_event(sub: Submission, action: str, user: User, comment: str = "", content: dict | None = None) -> None:
    """A step in the submission's history (kept for the office and the unit to read back)."""
    db.session.add(SubmissionEvent(submission_id=sub.id, action=action, user_id=user.id, at=utcnow(),
                                   comment=comment, version=sub.version,
                                   content_json=json.dumps(content, ensure_ascii=False) if content else None))
