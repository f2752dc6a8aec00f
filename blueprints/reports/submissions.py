"""A unit's report in a round: the unit reporter's form (prefilled, save or submit, frozen once sent) and the
office's view of each submission (accept, return with a comment, history, the uploaded file)."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import roles_required
from blueprints.drafts import draft_key, draft_saved
from blueprints.params import posted_int, required_id
from blueprints.reports import bp, my_link, round_link
from blueprints.shared import send_stored_file
from domain import files
from domain.access import can, round_for
from domain.plans.assignments import format_value
from domain.plans.tracking import is_staff
from domain.reports import rounds, scope, submissions
from domain.reports import rules as R
from domain.reports.text import TaskSpec
from extensions import db
from models.choices import CLERK, DECIMAL, DRAFT, UNIT_REPORTER
from models.core import utcnow
from models.reports import ReportRound, Submission, submission_events

MY_PAGE = "reports/my.html"
ROUND_REPORT = "round-report"  # the unit's report form's draft (blueprints.drafts), the same key in reports/my.html
EVENT_LABELS = {"submit": "Gửi báo cáo", "resubmit": "Gửi lại báo cáo", "accept": "Tiếp nhận báo cáo",
                "return": "Trả lại báo cáo", "remove": "Rút đơn vị khỏi đợt"}


def _unit_tasks(rnd: ReportRound, unit_id: int) -> list[TaskSpec]:
    asked = scope.unit_task_ids(rnd, [unit_id])[unit_id]
    return [t for t in scope.task_specs(scope.round_tasks(rnd)) if t.id in asked]


def _max_bytes() -> int:
    return current_app.config["MAX_CONTENT_LENGTH"]


def _entry_from_form(rnd: ReportRound) -> submissions.Entry:
    form = request.form
    entry = submissions.Entry(answers=[form.get(f"answer-{n}", "") for n in range(len(rnd.questions))],
                              remove_file=form.get("remove_file") == "1")
    for key, value in form.items():
        kind, _, number = key.partition("-")
        if kind == "narrative":  # narrative-<task id>
            entry.narratives[required_id(number)] = value
        elif kind == "figure":  # figure-<indicator id>
            entry.figures[required_id(number)] = value
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        entry.upload = (upload.filename, upload.read())
    return entry


def _my_page(rnd: ReportRound, unit_id: int, *, entry: submissions.Entry | None = None, errors: dict | None = None,
             message: tuple[str, str] | None = None):
    round_unit = rounds.round_unit_of(rnd, unit_id)
    sub = rounds.get_submission(rnd, unit_id)
    tasks = _unit_tasks(rnd, unit_id)
    editable = rnd.is_open and round_unit.active and (sub is None or sub.status in R.EDITABLE)
    state = rounds.unit_state(rnd, sub)
    return render_template(MY_PAGE, round=rnd, plan=rnd.plan, unit=round_unit.unit, round_unit=round_unit, sub=sub,
                           tasks=tasks, values=entry or submissions.prefill(rnd, unit_id, tasks), errors=errors or {},
                           editable=editable, message=message, state=R.COMPLETENESS[state],
                           overdue=rounds.past_due(rnd, utcnow()), format_value=format_value,
                           events=submission_events(sub.id) if sub and sub.id else [], event_labels=EVENT_LABELS)


@bp.route("/reports/<int:round_id>/my", methods=["GET", "POST"])
@roles_required(UNIT_REPORTER)
def my(round_id: int):
    """The unit's report: prefilled from its task reports; saved as a draft or sent (then frozen)."""
    rnd = round_for(current_user, round_id) or abort(404)
    unit_id = current_user.unit_id
    if rounds.round_unit_of(rnd, unit_id) is None:
        abort(404)
    if request.method == "GET":
        return _my_page(rnd, unit_id)
    entry = _entry_from_form(rnd)
    submit = request.form.get("action") == "submit"
    rnd = round_for(current_user, round_id) or abort(404)
    try:
        submissions.save_submission(rnd, unit_id, current_user, entry, submit=submit,
                                    tasks=_unit_tasks(rnd, unit_id), max_bytes=_max_bytes(),
                                    expected_lock=posted_int(request.form.get("lock")),
                                    link=url_for("reports.submission", round_id=rnd.id, unit_id=unit_id))
    except rounds.RoundInvalid as invalid:
        db.session.rollback()
        return _my_page(rnd, unit_id, entry=entry, errors=invalid.errors,
                        message=("error", "Báo cáo chưa được lưu: hãy sửa các ô được đánh dấu bên dưới."))
    except rounds.SubmissionRefused as refused:  # closed, frozen, removed or stale: what was typed stays on screen
        db.session.rollback()
        return _my_page(rnd, unit_id, entry=entry, message=("error", refused.message))
    except files.FileRejected as refused:  # a check only the write could make (e.g. the disk)
        db.session.rollback()
        return _my_page(rnd, unit_id, entry=entry, errors={"file": refused.message},
                        message=("error", "Báo cáo chưa được lưu."))
    db.session.commit()
    draft_saved(draft_key(ROUND_REPORT, rnd.id, unit_id))
    flash("Đã gửi báo cáo. Số liệu đã được khóa; Ban Thường trực sẽ tiếp nhận hoặc trả lại để bổ sung."
          if submit else "Đã lưu nháp báo cáo (chưa gửi).", "success")
    return redirect(my_link(rnd), code=303)


# ---- the office's view ---------------------------------------------------------------------------------------------


def _submission_or_404(rnd: ReportRound, unit_id: int) -> Submission | None:
    if rounds.round_unit_of(rnd, unit_id) is None:
        abort(404)
    return rounds.get_submission(rnd, unit_id)


def _versions(events, tasks: list[TaskSpec]) -> dict[int, list[tuple[str, str]]]:
    """event id -> the figures that (re)submission sent, as (indicator, Vietnamese figure)."""
    indicators = {i.id: i for t in tasks for i in t.indicators}
    out = {}
    for event in events:
        figures = (event.content or {}).get("figures") or {}
        out[event.id] = [(indicators[int(k)].name if int(k) in indicators else f"Chỉ tiêu {k}",
                          format_value(Decimal(v), indicators[int(k)].value_type if int(k) in indicators else DECIMAL))
                         for k, v in figures.items()]
    return out


def _submission_page(rnd: ReportRound, unit_id: int, *, errors: dict | None = None, typed: dict | None = None):
    sub = _submission_or_404(rnd, unit_id)
    round_unit = rounds.round_unit_of(rnd, unit_id)
    tasks = _unit_tasks(rnd, unit_id)
    events = submission_events(sub.id) if sub else []
    state = rounds.unit_state(rnd, sub)
    sent = sub is not None and sub.status != DRAFT
    return render_template("reports/submission.html", round=rnd, unit=round_unit.unit,
                           round_unit=round_unit, sub=sub, sent=sent, tasks=tasks, state=R.COMPLETENESS[state],
                           format_value=format_value, events=events, versions=_versions(events, tasks),
                           event_labels=EVENT_LABELS, can_manage=can(current_user, "manage_rounds"),
                           errors=errors or {}, typed=typed or {})


@bp.get("/reports/<int:round_id>/units/<int:unit_id>")
def submission(round_id: int, unit_id: int):
    """Show one unit's report as sent, its history, and the accept/return actions (the office only: a unit
    reporter, even of that unit, has their own page; anyone else's report is "not found")."""
    if not is_staff(current_user):
        abort(404)
    return _submission_page(round_for(current_user, round_id) or abort(404), unit_id)


def _answer(round_id: int, unit_id: int, verb, done: str):
    """Take the office's answer on a submission that is still as the page showed it (version and status)."""
    rnd = round_for(current_user, round_id) or abort(404)
    sub = _submission_or_404(rnd, unit_id)
    if sub is None:
        abort(404)
    form = request.form
    try:
        verb(sub, expected_version=posted_int(form.get("version")), expected_status=form.get("expected_status") or None,
             link=my_link(rnd))
    except rounds.SubmissionRefused as refused:
        db.session.rollback()
        if refused.field:
            return _submission_page(rnd, unit_id, errors={refused.field: refused.message}, typed=form)
        flash(refused.message, "error")
        return redirect(url_for("reports.submission", round_id=rnd.id, unit_id=unit_id), code=303)
    db.session.commit()
    flash(done, "success")
    return redirect(round_link(rnd), code=303)


@bp.post("/reports/<int:round_id>/units/<int:unit_id>/accept")
@roles_required(CLERK)
def accept(round_id: int, unit_id: int):
    """Accept a unit's report."""
    return _answer(round_id, unit_id, lambda sub, **kw: submissions.accept_submission(sub, current_user, **kw),
                   "Đã tiếp nhận báo cáo của đơn vị.")


@bp.post("/reports/<int:round_id>/units/<int:unit_id>/return")
@roles_required(CLERK)
def return_submission(round_id: int, unit_id: int):
    """Return a unit's report with a comment; the unit can change it and send it again."""
    comment = request.form.get("comment", "")
    return _answer(round_id, unit_id,
                   lambda sub, **kw: submissions.return_submission(sub, current_user, comment, **kw),
                   "Đã trả lại báo cáo; đơn vị nhận được thông báo kèm lý do.")


@bp.get("/reports/<int:round_id>/units/<int:unit_id>/file")
def submission_file(round_id: int, unit_id: int):
    """Download the file a unit attached to its report (the office, or that unit's own reporter)."""
    rnd = round_for(current_user, round_id) or abort(404)
    if not is_staff(current_user) and current_user.unit_id != unit_id:
        abort(404)
    sub = _submission_or_404(rnd, unit_id)
    if sub is None or sub.stored_file is None or (is_staff(current_user) and sub.status == DRAFT):
        abort(404)
    return send_stored_file(sub.stored_file, round_link(rnd))
