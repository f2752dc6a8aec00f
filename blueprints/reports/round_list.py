"""The report rounds: every round (or a unit's own), and a plan's rounds where the clerk opens a new one."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user

from blueprints import roles_required
from blueprints.forms import choices
from blueprints.reports import bp, my_link, round_link
from blueprints.reports.forms import RoundForm
from domain.access import can, plan_for, visible_rounds
from domain.office import office_today
from domain.plans.tasks import plan_tasks
from domain.plans.tracking import STAFF_ROLES, is_staff, running_plans
from domain.reports import rounds, scope
from domain.reports import rules as R
from extensions import db
from models import Document
from models.choices import UNIT_REPORTER
from models.reports import ReportRound

NO_ACCOUNT = "chưa có tài khoản báo cáo"


@bp.get("/reports")
def index():
    """List the rounds: every round for the office, the rounds asking their unit for a unit reporter."""
    if not is_staff(current_user) and not current_user.has_role(UNIT_REPORTER):
        abort(403)
    listed = db.session.scalars(visible_rounds(current_user)
                                .order_by(ReportRound.status.desc(), ReportRound.due_on.desc())).all()
    staff = is_staff(current_user)
    rows = [(rnd, rounds.round_tally(rnd) if staff else None) for rnd in listed]
    return render_template("reports/index.html", rows=rows, staff=staff, plans=running_plans() if staff else [])


def _round_form(plan: Document) -> RoundForm:
    form = RoundForm()
    tasks = plan_tasks(plan)
    form.task_ids.choices = choices((t.id, t.text) for t in tasks)
    reporting = scope.reporting_unit_ids()
    form.unit_ids.choices = choices((u.id, u.name if u.id in reporting else f"{u.name} ({NO_ACCOUNT})")
                                    for u in scope.candidate_units())
    if not form.is_submitted():
        unit_ids = scope.default_unit_ids(plan)
        form.unit_ids.data = unit_ids
        form.task_ids.data = scope.default_task_ids(plan, unit_ids)
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
    plan = plan_for(current_user, document_id) or abort(404)
    form = _round_form(plan)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not can(current_user, "manage_rounds"):
            abort(403)
        if form.validate_on_submit():
            data = rounds.RoundInput(title=form.title.data or "", cutoff_on=form.cutoff_on.data,
                                     due_on=form.due_on.data, period_start=form.period_start.data,
                                     period_end=form.period_end.data, task_ids=form.task_ids.data or [],
                                     unit_ids=form.unit_ids.data or [], questions=form.questions.data or "")
            plan = plan_for(current_user, document_id) or abort(404)
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
    return render_template("reports/plan_rounds.html", plan=plan, form=form,
                           rounds=[(r, rounds.round_tally(r)) for r in rounds.plan_rounds(plan)],
                           has_tasks=bool(form.task_ids.choices), can_create=can(current_user, "manage_rounds"),
                           without_account=scope.units_without_account(plan))
