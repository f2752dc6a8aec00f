"""A round's page: who has and has not reported, and the clerk's actions on it (remind, close, reopen, ask one
more unit, stop asking one)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user

from blueprints import is_partial_request, render, roles_required
from blueprints.params import parse_id
from blueprints.reports import bp, my_link, round_link
from blueprints.shared import document_url
from domain.access import can, round_for
from domain.documents.workflow import EDITABLE
from domain.plans.tracking import is_staff
from domain.reports import rounds, scope
from domain.reports import rules as R
from extensions import db
from models import Unit
from models.choices import CLERK
from models.reports import CLOSED, OPEN, ReportRound

PAGE = "reports/round.html"


def _round_context(rnd: ReportRound, **extra) -> dict:
    active, removed = rounds.unit_rows(rnd)
    asked_ids = {r.unit.id for r in active}
    addable = [u for u in scope.candidate_units() if u.id not in asked_ids]
    parts = rnd.generated_sections
    labels = {p[0]: p[1] for p in parts.get("parts", [])}
    report, letter = rnd.report_document, rnd.request_letter
    return {"round": rnd, "plan": rnd.plan, "rows": active, "removed": removed,
            "round_tasks": scope.task_specs(scope.round_tasks(rnd)),
            "report_url": document_url(report) if report else None,
            "letter_url": document_url(letter) if letter else None,
            "tally": R.tally(r.state for r in active), "addable": addable,
            "reporting_ids": scope.reporting_unit_ids(),
            "can_manage": can(current_user, "manage_rounds"),
            "report": report, "letter": letter, "editable_states": EDITABLE,
            "kept": [labels.get(k, k) for k in parts.get("kept", [])], **extra}


@bp.get("/reports/<int:round_id>")
def show(round_id: int):
    """Show who has and has not reported, with the clerk's actions; a unit reporter goes to their own report."""
    rnd = round_for(current_user, round_id) or abort(404)
    if not is_staff(current_user):
        return redirect(my_link(rnd), code=303)
    return render_template(PAGE, **_round_context(rnd))


def _done(rnd: ReportRound, message: str, category: str = "success"):
    """After an action: the completeness block for htmx, else back to the round's page."""
    if is_partial_request():
        return render(PAGE, "completeness", **_round_context(rnd, notice=(category, message)))
    flash(message, category)
    return redirect(round_link(rnd), code=303)


@bp.post("/reports/<int:round_id>/remind")
@roles_required(CLERK)
def remind(round_id: int):
    """Send an in-app reminder to every user of each unit that has not reported."""
    rnd = round_for(current_user, round_id) or abort(404)
    try:
        units, count, unreached = rounds.remind_missing(rnd, current_user, my_link(rnd))
    except rounds.SubmissionRefused as refused:
        db.session.rollback()
        return _done(rnd, refused.message, "error")
    db.session.commit()
    if not units:
        return _done(rnd, "Tất cả các đơn vị đã gửi báo cáo; không có đơn vị nào cần nhắc.", "info")
    message = f"Đã nhắc {len(units)} đơn vị ({count} người nhận thông báo)."
    if unreached:
        message += " Chưa có tài khoản để nhận thông báo: " + ", ".join(u.name for u in unreached) + "."
    return _done(rnd, message, "warning" if unreached else "success")


@bp.post("/reports/<int:round_id>/close")
@roles_required(CLERK)
def close(round_id: int):
    """End the round: units can no longer submit (what they sent is kept)."""
    rnd = round_for(current_user, round_id) or abort(404)
    rounds.set_round_status(rnd, current_user, CLOSED)
    db.session.commit()
    return _done(rnd, "Đã kết thúc đợt báo cáo; các đơn vị không thể gửi thêm.")


@bp.post("/reports/<int:round_id>/reopen")
@roles_required(CLERK)
def reopen(round_id: int):
    """Open the round again for late reports."""
    rnd = round_for(current_user, round_id) or abort(404)
    rounds.set_round_status(rnd, current_user, OPEN)
    db.session.commit()
    return _done(rnd, "Đã mở lại đợt báo cáo.")


@bp.post("/reports/<int:round_id>/units")
@roles_required(CLERK)
def add_unit(round_id: int):
    """Ask one more unit for its report."""
    rnd = round_for(current_user, round_id) or abort(404)
    unit = db.session.get(Unit, parse_id(request.form.get("unit_id")) or 0)
    if unit is None:
        db.session.rollback()
        return _done(rnd, "Vui lòng chọn đơn vị cần thêm.", "error")
    try:
        rounds.add_unit(rnd, unit, current_user, my_link(rnd))
    except rounds.SubmissionRefused as refused:
        db.session.rollback()
        return _done(rnd, refused.message, "error")
    db.session.commit()
    return _done(rnd, f"Đã thêm {unit.name} vào đợt báo cáo.")


@bp.post("/reports/<int:round_id>/units/<int:unit_id>/remove")
@roles_required(CLERK)
def remove_unit(round_id: int, unit_id: int):
    """Stop asking a unit; a report it sent is kept and shown apart."""
    rnd = round_for(current_user, round_id) or abort(404)
    round_unit = rounds.round_unit_of(rnd, unit_id)
    if round_unit is None:
        abort(404)
    rounds.remove_unit(rnd, round_unit, current_user)
    db.session.commit()
    return _done(rnd, f"Đã rút {round_unit.unit.name} khỏi đợt báo cáo; báo cáo đơn vị đã gửi (nếu có) vẫn được lưu.")
