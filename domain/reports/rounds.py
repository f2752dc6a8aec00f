"""Report rounds in the database: creating a round, the units asked, completeness, reminders, and each unit's
submission (save, submit, accept, return, resubmit). Every verb audits in the caller's transaction; the
caller commits.

    visible_rounds(user)                        staff see every round; a unit reporter only rounds asking their unit
    create_round(plan, user, data)              RoundInvalid with a message per field, nothing saved
    unit_rows(rnd) / tally of them              one row per unit asked, with its completeness
    remind_missing(rnd, user, link)             one notification per active user of each unit that has not reported
    save_submission(rnd, unit_id, user, entry)  a draft, or the submission itself (frozen); refused when closed
    accept_submission / return_submission       the province's answer; a returned report can be changed and resent
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from domain import files
from domain.access import visible_rounds  # noqa: F401
from domain.errors import DomainError, FormInvalid
from domain.file_kinds import ALL_KINDS
from domain.notifications import notify_units, notify_users
from domain.office import office_zone
from domain.plans.assignments import input_value
from domain.plans.tasks import plan_tasks
from domain.plans.tracking import STOPPED_STATUSES
from domain.reports import rules as R
from domain.reports.text import TaskSpec
from domain.text.vietnamese import clean_text, short_date
from extensions import db, lock_row
from models.choices import UNIT_DEPARTMENT, UNIT_OFFICE, UNIT_SUBORDINATE, Choice
from models.core import Unit, User, audit, utcnow
from models.documents import Document
from models.plans import Assignment, IndicatorValue, PlanTask
from models.reports import (
    ACCEPTED,
    CLOSED,
    DRAFT,
    OPEN,
    RETURNED,
    SUBMITTED,
    ReportRound,
    RoundUnit,
    Submission,
    SubmissionEvent,
)

TITLE_MAX = 500
RETURN_COMMENT_MAX = 2000
UPLOAD_KINDS = ALL_KINDS  # PDF, DOCX, XLSX, JPG, PNG


class RoundInvalid(FormInvalid):
    """Field -> Vietnamese message; nothing was saved."""


class SubmissionRefused(DomainError):
    """The action cannot be taken now (closed round, frozen report, stale page); `message` is Vietnamese."""


# ---- who sees what ---------------------------------------------------------------------------------------------


def plan_rounds(plan: Document) -> list[ReportRound]:
    return list(db.session.scalars(select(ReportRound).where(ReportRound.document_id == plan.id)
                                   .order_by(ReportRound.created_at.desc(), ReportRound.id.desc())))


def open_rounds() -> list[ReportRound]:
    return list(db.session.scalars(select(ReportRound).where(ReportRound.status == OPEN)
                                   .order_by(ReportRound.due_on, ReportRound.id)))


# ---- what a round asks ------------------------------------------------------------------------------------------


def assigned_units(plan: Document) -> dict[int, set[int]]:
    """unit id -> ids of the plan's tasks it has an assignment for."""
    rows = db.session.execute(select(Assignment.unit_id, Assignment.task_id).join(PlanTask)
                              .where(PlanTask.document_id == plan.id)).all()
    out: dict[int, set[int]] = {}
    for unit_id, task_id in rows:
        out.setdefault(unit_id, set()).add(task_id)
    return out


def default_unit_ids(plan: Document) -> list[int]:
    """The units with assignments in the plan, in directory order, without the office itself (it writes the report)."""
    ids = set(assigned_units(plan))
    if not ids:
        return []
    units = db.session.scalars(select(Unit).where(Unit.id.in_(ids), Unit.active.is_(True), Unit.kind != UNIT_OFFICE)
                               .order_by(Unit.sort_order, Unit.name)).all()
    return [u.id for u in units]


def default_task_ids(plan: Document, unit_ids: list[int]) -> list[int]:
    """The plan's tasks assigned to any of these units (all tasks when none is)."""
    by_unit = assigned_units(plan)
    wanted = set().union(*(by_unit.get(u, set()) for u in unit_ids)) if unit_ids else set()
    tasks = plan_tasks(plan)
    return [t.id for t in tasks if t.id in wanted] or [t.id for t in tasks]


def candidate_units() -> list[Unit]:
    """Units that may be asked for a report: active, not the office, not an outside body."""
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True), Unit.is_group.is_(False),
                                                      Unit.kind.in_((UNIT_SUBORDINATE, UNIT_DEPARTMENT)))
                                   .order_by(Unit.sort_order, Unit.name)))


def round_tasks(rnd: ReportRound) -> list[PlanTask]:
    """The tasks asked, in the round's order (a task deleted from the plan since is left out)."""
    ids = rnd.task_ids
    found = {t.id: t for t in db.session.scalars(select(PlanTask).where(PlanTask.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found]


def task_specs(tasks: list[PlanTask]) -> list[TaskSpec]:
    return [TaskSpec(t.id, t.text, tuple(R.IndicatorSpec(i.id, i.name, i.unit_of_measure or "", i.value_type)
                                         for i in t.indicators)) for t in tasks]


def unit_task_ids(rnd: ReportRound, unit_ids: list[int] | None = None) -> dict[int, frozenset[int]]:
    """unit id -> the round's tasks asked of it: those it is assigned; all of them for a unit assigned none."""
    asked = set(rnd.task_ids)
    by_unit = assigned_units(rnd.plan)
    ids = unit_ids if unit_ids is not None else [ru.unit_id for ru in rnd.units]
    return {u: frozenset(by_unit.get(u, set()) & asked) or frozenset(asked) for u in ids}


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
    notify_units([ru.unit_id for ru in rnd.units], user, message, link_for(rnd) if link_for else "")
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


def submissions_by_unit(rnd: ReportRound) -> dict[int, Submission]:
    return {s.unit_id: s for s in db.session.scalars(select(Submission).where(Submission.round_id == rnd.id))}


def unit_rows(rnd: ReportRound) -> tuple[list[UnitRow], list[UnitRow]]:
    """(rows of the units asked, rows of the units removed from the round), in directory order."""
    subs = submissions_by_unit(rnd)
    rows = sorted(rnd.units, key=lambda ru: (ru.unit.sort_order, ru.unit.name))
    built = [UnitRow(ru, subs.get(ru.unit_id),
                     R.completeness(subs[ru.unit_id].status if ru.unit_id in subs else None,
                                    subs[ru.unit_id].first_submitted_at if ru.unit_id in subs else None,
                                    rnd.due_on, office_zone())) for ru in rows]
    return [r for r in built if r.round_unit.active], [r for r in built if not r.round_unit.active]


def round_tally(rnd: ReportRound) -> R.Tally:
    active, _ = unit_rows(rnd)
    return R.tally(r.state for r in active)


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
    notify_units([unit.id], user, f"Đề nghị báo cáo: {rnd.title} — hạn gửi {short_date(rnd.due_on)}.", link)
    return existing


def remove_unit(rnd: ReportRound, round_unit: RoundUnit, user: User) -> None:
    """Stop asking a unit. Nothing is deleted: a submission it sent is kept, and comes back if it is asked again."""
    if not round_unit.active:
        return
    round_unit.removed_at, round_unit.removed_by_id = utcnow(), user.id
    sub = db.session.scalar(select(Submission).where(Submission.round_id == rnd.id,
                                                     Submission.unit_id == round_unit.unit_id))
    if sub is not None:
        _event(sub, "remove", user, "Đơn vị được rút khỏi đợt báo cáo; báo cáo đã gửi vẫn được lưu.")
    audit("report_round.remove_unit", rnd, user=user,
          summary=f"Rút {round_unit.unit.name} khỏi đợt báo cáo: {rnd.title}"[:500],
          after={"unit_id": round_unit.unit_id, "submission_kept": sub is not None})


# ---- a unit's submission ----------------------------------------------------------------------------------------


@dataclass
class Entry:
    """What the unit typed: narratives per task, figures per indicator as typed, answers per question."""

    narratives: dict[int, str] = field(default_factory=dict)
    figures: dict[int, str] = field(default_factory=dict)
    answers: list[str] = field(default_factory=list)
    upload: tuple[str, bytes] | None = None  # (file name, bytes)
    remove_file: bool = False


def round_unit_of(rnd: ReportRound, unit_id: int | None) -> RoundUnit | None:
    return next((ru for ru in rnd.units if ru.unit_id == unit_id), None) if unit_id else None


def get_submission(rnd: ReportRound, unit_id: int) -> Submission | None:
    """The unit's submission as it is now in the database (read again if it was loaded before)."""
    return db.session.scalar(select(Submission).where(Submission.round_id == rnd.id, Submission.unit_id == unit_id)
                             .execution_options(populate_existing=True))


def prefill(rnd: ReportRound, unit_id: int, tasks: list[TaskSpec]) -> Entry:
    """The form as the unit first sees it: its own submission if it has one, else its latest task reports
    (narrative and figures of its assignments in the plan)."""
    sub = get_submission(rnd, unit_id)
    if sub is not None:
        return Entry(narratives=sub.narratives, figures={k: input_value(v) for k, v in sub.figures.items()},
                     answers=(sub.answers + [""] * len(rnd.questions))[:len(rnd.questions)])
    task_ids = [t.id for t in tasks]
    assignments = db.session.scalars(select(Assignment).where(Assignment.unit_id == unit_id,
                                                              Assignment.task_id.in_(task_ids))).all()
    values = db.session.scalars(select(IndicatorValue).where(
        IndicatorValue.assignment_id.in_([a.id for a in assignments]))).all() if assignments else []
    return Entry(narratives={a.task_id: a.narrative for a in assignments if a.narrative},
                 figures={v.indicator_id: input_value(v.value) for v in values},
                 answers=[""] * len(rnd.questions))


def _check_entry(rnd: ReportRound, tasks: list[TaskSpec], entry: Entry, max_bytes: int) -> tuple[dict, dict]:
    errors: dict[str, str] = {}
    narratives: dict[int, str] = {}
    for task in tasks:
        text, problem = R.clean_answer(entry.narratives.get(task.id))
        if problem:
            errors[f"narrative-{task.id}"] = problem
        if text:
            narratives[task.id] = text
    indicators = [i for t in tasks for i in t.indicators]
    figures, figure_errors = R.read_figures(entry.figures, indicators)
    errors.update({f"figure-{k}": v for k, v in figure_errors.items()})
    answers = []
    for n in range(len(rnd.questions)):
        text, problem = R.clean_answer(entry.answers[n] if n < len(entry.answers) else "")
        if problem:
            errors[f"answer-{n}"] = problem
        answers.append(text)
    if entry.upload is not None:
        try:
            files.check_upload(entry.upload[1], allowed_kinds=UPLOAD_KINDS, max_bytes=max_bytes)
        except files.FileRejected as refused:
            errors["file"] = refused.message
    return errors, {"narratives": narratives, "figures": figures, "answers": answers}


def _event(sub: Submission, action: str, user: User, comment: str = "", content: dict | None = None) -> None:
    db.session.add(SubmissionEvent(submission_id=sub.id, action=action, user_id=user.id, at=utcnow(),
                                   comment=comment, version=sub.version,
                                   content_json=json.dumps(content, ensure_ascii=False) if content else None))


def save_submission(rnd: ReportRound, unit_id: int, user: User, entry: Entry, *, submit: bool,
                    tasks: list[TaskSpec], max_bytes: int, expected_lock: int | None = None,
                    link: str = "") -> Submission:
    """Save the unit's report as a draft, or submit it (then it is frozen until the province returns it).

    SubmissionRefused when the round is closed, the unit is no longer asked, the report is frozen or the page was
    stale; RoundInvalid (messages per field) when something typed is wrong. Either way nothing is saved.
    """
    round_unit = round_unit_of(rnd, unit_id)
    if round_unit is not None:
        lock_row(round_unit)  # one save of a unit's report at a time: the second finds the first's row
    if round_unit is None:
        raise SubmissionRefused("Đơn vị không được đề nghị báo cáo trong đợt này.")
    if not round_unit.active:
        raise SubmissionRefused("Đơn vị đã được rút khỏi đợt báo cáo này; báo cáo đã gửi (nếu có) vẫn được lưu giữ.")
    if not rnd.is_open:
        raise SubmissionRefused(f"Đợt báo cáo đã kết thúc (hạn gửi {short_date(rnd.due_on)}); không nhận thêm "
                                "báo cáo. Vui lòng liên hệ Ban Thường trực nếu cần gửi bổ sung.")
    sub = get_submission(rnd, unit_id)
    if sub is not None and sub.status not in R.EDITABLE:
        raise SubmissionRefused("Báo cáo đã gửi và được khóa số liệu; chỉ có thể sửa khi Ban Thường trực trả lại.")
    if sub is not None and expected_lock is not None and sub.lock_version != expected_lock:
        raise SubmissionRefused("Báo cáo vừa được lưu ở nơi khác (cửa sổ khác hoặc người khác của đơn vị). Nội dung "
                                "bạn vừa nhập vẫn ở dưới đây nhưng chưa được lưu; lưu lại sẽ thay thế bản đã lưu.")
    errors, clean = _check_entry(rnd, tasks, entry, max_bytes)
    if errors:
        raise RoundInvalid(errors)
    if sub is None:
        sub = Submission(round_id=rnd.id, unit_id=unit_id, status=DRAFT)
        db.session.add(sub)
    before = sub.summary() if sub.id else None
    sub.narratives, sub.figures, sub.answers = clean["narratives"], clean["figures"], clean["answers"]
    if entry.upload is not None:
        name, data = entry.upload
        sub.stored_file = files.store_file(data, name, allowed_kinds=UPLOAD_KINDS, max_bytes=max_bytes, user=user)
    elif entry.remove_file:
        sub.stored_file = None
    sub.updated_by_id = user.id
    sub.updated_at = utcnow()
    db.session.flush()
    action = "save"
    if submit:
        action = "resubmit" if sub.status == RETURNED else "submit"
        now = utcnow()
        sub.status, sub.submitted_at, sub.submitted_by_id = SUBMITTED, now, user.id
        sub.first_submitted_at = sub.first_submitted_at or now
        sub.version += 1
        db.session.flush()
        _event(sub, action, user, content=sub.content())
        if rnd.created_by_id and rnd.created_by_id != user.id:
            verb = "gửi lại" if action == "resubmit" else "gửi"
            notify_users([rnd.created_by_id], user, f"{round_unit.unit.name} đã {verb} báo cáo: {rnd.title}", link,
                         unit_id=unit_id)
    audit(f"submission.{action}", sub, user=user,
          summary=f"{round_unit.unit.name} {'gửi' if submit else 'lưu nháp'} báo cáo: {rnd.title}"[:500],
          before=before, after=sub.summary())
    return sub


def _check_stale(sub: Submission, expected_version: int | None, expected_status: str | None) -> None:
    if (expected_version is not None and sub.version != expected_version) or \
            (expected_status is not None and sub.status != expected_status):
        raise SubmissionRefused("Báo cáo của đơn vị vừa thay đổi (gửi lại hoặc đã được xử lý); trang đã được cập "
                                "nhật, hãy xem lại trước khi thao tác.")


def accept_submission(sub: Submission, user: User, *, expected_version: int | None = None,
                      expected_status: str | None = None, link: str = "") -> None:
    _check_stale(sub, expected_version, expected_status)
    if sub.status != SUBMITTED:
        raise SubmissionRefused("Chỉ tiếp nhận được báo cáo đang chờ tiếp nhận.")
    sub.status, sub.accepted_at, sub.accepted_by_id = ACCEPTED, utcnow(), user.id
    db.session.flush()
    _event(sub, "accept", user)
    rnd = db.session.get(ReportRound, sub.round_id)
    notify_units([sub.unit_id], user, f"Ban Thường trực đã tiếp nhận báo cáo của đơn vị: {rnd.title}", link)
    audit("submission.accept", sub, user=user, summary=f"Tiếp nhận báo cáo của {sub.unit.name}",
          before={"status": SUBMITTED}, after={"status": ACCEPTED})


def return_submission(sub: Submission, user: User, comment: str, *, expected_version: int | None = None,
                      expected_status: str | None = None, link: str = "") -> None:
    """Send a submitted (or accepted) report back to the unit with a comment; it becomes editable again."""
    _check_stale(sub, expected_version, expected_status)
    comment = clean_text(comment or "").strip()
    if sub.status not in (SUBMITTED, ACCEPTED):
        raise SubmissionRefused("Chỉ trả lại được báo cáo đơn vị đã gửi.")
    if not comment:
        raise SubmissionRefused("Vui lòng ghi rõ lý do trả lại để đơn vị biết cần sửa gì.", field="comment")
    if len(comment) > RETURN_COMMENT_MAX:
        raise SubmissionRefused(f"Lý do trả lại tối đa {RETURN_COMMENT_MAX} ký tự.", field="comment")
    before = sub.status
    sub.status, sub.returned_at, sub.returned_by_id, sub.return_comment = RETURNED, utcnow(), user.id, comment
    db.session.flush()
    _event(sub, "return", user, comment)
    rnd = db.session.get(ReportRound, sub.round_id)
    notify_units([sub.unit_id], user, f"Báo cáo bị trả lại để bổ sung: {rnd.title}. Lý do: {comment}", link)
    audit("submission.return", sub, user=user, summary=f"Trả lại báo cáo của {sub.unit.name}: {comment}"[:500],
          before={"status": before}, after={"status": RETURNED, "comment": comment})
