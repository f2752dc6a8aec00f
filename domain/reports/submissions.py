"""Each unit's report in a round: the form as the unit first sees it, saving a draft, submitting (then the figures
are frozen), and the province's answer (accept, or return with a reason, after which the unit may change it and
send it again). Every step is kept in the submission's history; every verb audits in the caller's transaction, and
the caller commits.

    save_submission(rnd, unit_id, user, entry)  a draft, or the submission itself (frozen); refused when closed
    accept_submission / return_submission       the province's answer; a returned report can be changed and resent
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from domain import files
from domain.file_kinds import ALL_KINDS
from domain.notifications import notify_units, notify_users
from domain.plans.assignments import input_value
from domain.reports import rules as R
from domain.reports.rounds import RoundInvalid, SubmissionRefused, get_submission, record_event, round_unit_of
from domain.reports.text import TaskSpec
from domain.text.vietnamese import clean_text, short_date
from extensions import db, lock_row
from models.choices import NOTE_SUBMISSION_RETURNED
from models.core import User, audit, utcnow
from models.plans import Assignment, IndicatorValue
from models.reports import ACCEPTED, DRAFT, RETURNED, SUBMITTED, ReportRound, Submission

RETURN_COMMENT_MAX = 2000
UPLOAD_KINDS = ALL_KINDS  # PDF, DOCX, XLSX, JPG, PNG


@dataclass
class Entry:
    """What the unit typed: narratives per task, figures per indicator as typed, answers per question."""

    narratives: dict[int, str] = field(default_factory=dict)
    figures: dict[int, str] = field(default_factory=dict)
    answers: list[str] = field(default_factory=list)
    upload: tuple[str, bytes] | None = None  # (file name, bytes)
    remove_file: bool = False


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
        record_event(sub, action, user, content=sub.content())
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
    record_event(sub, "accept", user)
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
    record_event(sub, "return", user, comment)
    rnd = db.session.get(ReportRound, sub.round_id)
    notify_units([sub.unit_id], user, f"Báo cáo bị trả lại để bổ sung: {rnd.title}. Lý do: {comment}", link,
                 kind=NOTE_SUBMISSION_RETURNED, key=f"{NOTE_SUBMISSION_RETURNED}:submission:{sub.id}:{sub.version}")
    audit("submission.return", sub, user=user, summary=f"Trả lại báo cáo của {sub.unit.name}: {comment}"[:500],
          before={"status": before}, after={"status": RETURNED, "comment": comment})
