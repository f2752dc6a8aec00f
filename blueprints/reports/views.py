"""Report rounds: the rounds of a plan, a round's completeness page and the clerk's actions on it, the
aggregated Báo cáo and the request letter. A unit's own report form and the submissions are in submissions.py."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from blueprints import is_partial_request, render, roles_required
from blueprints.documents.rendering import document_docx
from blueprints.forms import choices
from blueprints.params import parse_id
from blueprints.reports.forms import RoundForm
from blueprints.shared import document_url
from domain.access import visible_documents
from domain.documents.workflow import EDITABLE
from domain.documents.workflow import status_of as document_status
from domain.plans.tasks import PLAN_KIND, plan_tasks
from domain.plans.tracking import STAFF_ROLES, is_staff, office_today, running_plans
from domain.reports import drafts, rounds
from domain.reports import rules as R
from domain.text.vietnamese import format_percent
from extensions import db
from models import Document, Unit
from models.choices import CLERK, UNIT_REPORTER, Choice
from models.reports import CLOSED, OPEN, ReportRound

bp = Blueprint("reports", __name__, cli_group=None)

PAGE = "reports/round.html"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.context_processor
def _labels():
    return {"COMPLETENESS": R.COMPLETENESS, "ROUND_STATUSES": R.ROUND_STATUSES, "round_status": _round_status,
            "SUBMISSION_STATUSES": R.SUBMISSION_STATUSES, "document_status": document_status,
            "format_percent": format_percent}


def _round_status(rnd: ReportRound) -> Choice:
    return R.label_of(R.ROUND_STATUSES, rnd.status)




def _plan_or_404(document_id: int) -> Document:
    plan = db.session.scalar(visible_documents(current_user).where(Document.id == document_id))
    if plan is None or plan.kind != PLAN_KIND:
        abort(404)
    return plan


def round_or_404(round_id: int) -> ReportRound:
    rnd = db.session.scalar(rounds.visible_rounds(current_user).where(ReportRound.id == round_id))
    if rnd is None:
        abort(404)
    return rnd


def _plan_url(plan: Document) -> str | None:
    """The plan's own page, when the plans blueprint is there."""
    return url_for("plans.show", document_id=plan.id) if "plans.show" in current_app.view_functions else None


def round_link(rnd: ReportRound) -> str:
    return url_for("reports.show", round_id=rnd.id)


def my_link(rnd: ReportRound) -> str:
    return url_for("reports.my", round_id=rnd.id)


# ---- lists -----------------------------------------------------------------------------------------------------


@bp.get("/reports")
def index():
    """List the rounds: every round for the office, the rounds asking their unit for a unit reporter."""
    if not is_staff(current_user) and not current_user.has_role(UNIT_REPORTER):
        abort(403)
    listed = db.session.scalars(rounds.visible_rounds(current_user)
                                .order_by(ReportRound.status.desc(), ReportRound.due_on.desc())).all()
    staff = is_staff(current_user)
    rows = [(rnd, rounds.round_tally(rnd) if staff else None) for rnd in listed]
    return render_template("reports/index.html", rows=rows, staff=staff, plans=running_plans() if staff else [])


def _round_form(plan: Document) -> RoundForm:
    form = RoundForm()
    tasks = plan_tasks(plan)
    form.task_ids.choices = choices((t.id, t.text) for t in tasks)
    form.unit_ids.choices = choices((u.id, u.name) for u in rounds.candidate_units())
    if not form.is_submitted():
        unit_ids = rounds.default_unit_ids(plan)
        form.unit_ids.data = unit_ids
        form.task_ids.data = rounds.default_task_ids(plan, unit_ids)
        form.questions.data = "\n".join(R.DEFAULT_QUESTIONS)
        title = plan.title.strip()
        form.title.data = f"Kết quả {title[:1].lower()}{title[1:]}" if title else ""
        today = office_today()
        form.cutoff_on.data = today
        form.due_on.data = today + timedelta(days=7)
    return form


@bp.route("/plans/<int:document_id>/reports", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def plan_rounds(document_id: int):
    """List a plan's report rounds; the clerk opens a new one (units and tasks proposed from the assignments)."""
    plan = _plan_or_404(document_id)
    form = _round_form(plan)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not current_user.has_role(CLERK):
            abort(403)
        if form.validate_on_submit():
            data = rounds.RoundInput(title=form.title.data or "", cutoff_on=form.cutoff_on.data,
                                     due_on=form.due_on.data, period_start=form.period_start.data,
                                     period_end=form.period_end.data, task_ids=form.task_ids.data or [],
                                     unit_ids=form.unit_ids.data or [], questions=form.questions.data or "")
            plan = _plan_or_404(document_id)
            try:
                rnd = rounds.create_round(plan, current_user, data, link_for=my_link)
            except rounds.RoundInvalid as invalid:
                db.session.rollback()
                errors = invalid.errors
            else:
                db.session.commit()
                flash(f"Đã mở đợt báo cáo và gửi thông báo đến {len(rnd.units)} đơn vị.", "success")
                return redirect(round_link(rnd), code=303)
        for name, message in errors.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, message]
            else:  # about the plan itself, not one field
                flash(message, "error")
    return render_template("reports/plan_rounds.html", plan=plan, form=form, plan_url=_plan_url(plan),
                           rounds=[(r, rounds.round_tally(r)) for r in rounds.plan_rounds(plan)],
                           has_tasks=bool(form.task_ids.choices), can_create=current_user.has_role(CLERK))


# ---- one round ----------------------------------------------------------------------------------------------------


def _round_context(rnd: ReportRound, **extra) -> dict:
    active, removed = rounds.unit_rows(rnd)
    asked_ids = {r.unit.id for r in active}
    addable = [u for u in rounds.candidate_units() if u.id not in asked_ids]
    parts = rnd.generated_sections
    labels = {p[0]: p[1] for p in parts.get("parts", [])}
    report, letter = rnd.report_document, rnd.request_letter
    return {"round": rnd, "plan": rnd.plan, "rows": active, "removed": removed,
            "round_tasks": rounds.task_specs(rounds.round_tasks(rnd)),
            "report_url": document_url(report) if report else None,
            "letter_url": document_url(letter) if letter else None,
            "tally": R.tally(r.state for r in active), "addable": addable,
            "can_manage": current_user.has_role(CLERK),
            "report": report, "letter": letter, "editable_states": EDITABLE,
            "kept": [labels.get(k, k) for k in parts.get("kept", [])], **extra}


@bp.get("/reports/<int:round_id>")
def show(round_id: int):
    """Show who has and has not reported, with the clerk's actions; a unit reporter goes to their own report."""
    rnd = round_or_404(round_id)
    if not is_staff(current_user):
        return redirect(my_link(rnd), code=303)
    return render_template(PAGE, **_round_context(rnd))


def _done(rnd: ReportRound, message: str, category: str = "success"):
    """After an action: the completeness block for htmx, else back to the round's page."""
    if is_partial_request():
        return render(PAGE, "completeness", **_round_context(rnd, notice=(category, message)))
    flash(message, category)
    return redirect(round_link(rnd), code=303)


def _locked_round(round_id: int) -> ReportRound:
    return round_or_404(round_id)


@bp.post("/reports/<int:round_id>/remind")
@roles_required(CLERK)
def remind(round_id: int):
    """Send an in-app reminder to every user of each unit that has not reported."""
    rnd = _locked_round(round_id)
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
    rnd = _locked_round(round_id)
    rounds.set_round_status(rnd, current_user, CLOSED)
    db.session.commit()
    return _done(rnd, "Đã kết thúc đợt báo cáo; các đơn vị không thể gửi thêm.")


@bp.post("/reports/<int:round_id>/reopen")
@roles_required(CLERK)
def reopen(round_id: int):
    """Open the round again for late reports."""
    rnd = _locked_round(round_id)
    rounds.set_round_status(rnd, current_user, OPEN)
    db.session.commit()
    return _done(rnd, "Đã mở lại đợt báo cáo.")


@bp.post("/reports/<int:round_id>/units")
@roles_required(CLERK)
def add_unit(round_id: int):
    """Ask one more unit for its report."""
    rnd = _locked_round(round_id)
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
    rnd = _locked_round(round_id)
    round_unit = rounds.round_unit_of(rnd, unit_id)
    if round_unit is None:
        abort(404)
    rounds.remove_unit(rnd, round_unit, current_user)
    db.session.commit()
    return _done(rnd, f"Đã rút {round_unit.unit.name} khỏi đợt báo cáo; báo cáo đơn vị đã gửi (nếu có) vẫn được lưu.")


# ---- the documents a round produces ------------------------------------------------------------------------------


@bp.post("/reports/<int:round_id>/generate")
@roles_required(CLERK)
def generate(round_id: int):
    """Draft the aggregated Báo cáo, or bring it up to date (the parts the clerk changed are kept)."""
    rnd = _locked_round(round_id)
    try:
        drafted = drafts.draft_report(rnd, current_user)
    except rounds.SubmissionRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(round_link(rnd), code=303)
    db.session.commit()
    n = len(drafted.result.reporting)
    if drafted.created:
        flash(f"Đã tạo dự thảo báo cáo tổng hợp từ báo cáo của {n} đơn vị. Hãy rà soát, chỉnh sửa rồi trình duyệt.",
              "success")
    elif drafted.kept:
        labels = ", ".join(p.label for p in drafted.kept)
        flash(f"Đã cập nhật báo cáo tổng hợp ({n} đơn vị). Các phần chuyên viên đã sửa được giữ nguyên: {labels}; "
              "hãy kiểm tra lại số liệu trong các phần đó.", "warning")
    else:
        flash(f"Đã cập nhật báo cáo tổng hợp theo báo cáo của {n} đơn vị.", "success")
    return redirect(round_link(rnd), code=303)


@bp.get("/reports/<int:round_id>/report.docx")
@roles_required(*STAFF_ROLES)
def report_download(round_id: int):
    """Download the aggregated Báo cáo as .docx, with its annex table (once issued, the copy stored at issue)."""
    rnd = round_or_404(round_id)
    if rnd.report_document is None:
        abort(404)
    data, name = document_docx(rnd.report_document)
    return send_file(BytesIO(data), mimetype=DOCX_MIME, as_attachment=True, download_name=name, max_age=0)


@bp.post("/reports/<int:round_id>/request-letter")
@roles_required(CLERK)
def request_letter(round_id: int):
    """Draft the Công văn asking the units for their report (once), then open it in the editor."""
    rnd = _locked_round(round_id)
    document, created = drafts.draft_request_letter(rnd, current_user)
    db.session.commit()
    flash("Đã soạn dự thảo công văn đề nghị báo cáo." if created else "Đợt báo cáo đã có công văn đề nghị báo cáo.",
          "success" if created else "info")
    return redirect(document_url(document), code=303)


from blueprints.reports import submissions  # noqa: E402,F401  (routes on this blueprint)
