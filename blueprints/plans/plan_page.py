"""A plan's page: its tasks, the units x tasks matrix and what needs attention; starting the follow-up, adding
new group members, reminding late units."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from blueprints import render, roles_required
from blueprints.params import query_int
from blueprints.plans import bp
from domain.access import can, plan_for
from domain.office import office_today
from domain.plans.assignments import STATUSES
from domain.plans.followup import matrix_stamp, tracking_matrix
from domain.plans.lateness import remind_late_units
from domain.plans.tasks import PlanError, has_reports
from domain.plans.tracking import (
    STAFF_ROLES,
    group_members,
    missing_assignments,
    refuse_if_stopped,
    start_tracking,
    sync_assignments,
    tracking_of,
)
from extensions import db
from models import Document, Unit
from models.choices import CLERK
from models.plans import PlanTask

PAGE = "plans/plan.html"


def _tasks(document: Document) -> list[PlanTask]:
    return list(db.session.scalars(
        select(PlanTask).where(PlanTask.document_id == document.id).order_by(PlanTask.position, PlanTask.id)
        .options(selectinload(PlanTask.unit), selectinload(PlanTask.lead_unit),
                 selectinload(PlanTask.coordinating_units), selectinload(PlanTask.indicators))))


def _filters() -> dict:
    args = request.args
    status = args.get("status", "")
    return {"unit_id": query_int("unit"), "status": status if status in STATUSES else None,
            "overdue_only": args.get("overdue") == "1"}


EMPTY_CELL = '<td class="cell cell-none"></td>'


def _dress(matrix) -> None:
    """Each row's cells as HTML, made here rather than in the template: a plan of 200 units x 15 tasks has 3,000
    cells, and building them in one pass keeps the page under its time budget (bench/bench_tracking.py).
    Only fixed labels, numbers and dates go into a cell, and the labels are escaped once."""
    labels = {code: (str(escape(s.label)), str(escape(s.short))) for code, s in STATUSES.items()}
    for row in matrix.rows:
        cells = []
        for n, cell in enumerate(row.line, start=1):
            if cell is None:
                cells.append(EMPTY_CELL)
                continue
            label, short = labels.get(cell.status.code) or (str(escape(cell.status.label)), "?")
            when = f" {cell.done_on:%d/%m/%Y}" if cell.done_on else f" · hạn {cell.due:%d/%m/%Y}" if cell.due else ""
            late = ", quá hạn" if cell.overdue else ""
            cells.append(f'<td id="cell-{cell.unit_id}-{cell.task_id}" class="cell cell-{cell.status.color}'
                         f'{" late" if cell.overdue else ""}{" dim" if cell.dim else ""}" '
                         f'title="NV{n} · {label}{late}{when}">{short}</td>')
        row.html = Markup("".join(cells))


def _matrix_context(document: Document, tasks: list[PlanTask], tracking) -> dict:
    filters = _filters()
    matrix = tracking_matrix(document, tasks, tracking.starts_on, office_today(), **filters) if tracking else None
    if matrix is not None:
        _dress(matrix)
    query = {k: v for k, v in (("unit", filters["unit_id"]), ("status", filters["status"]),
                                ("overdue", "1" if filters["overdue_only"] else None)) if v}
    return {"matrix": matrix, "filters": filters, "query": query,
            "poll_seconds": current_app.config.get("PLAN_MATRIX_POLL_SECONDS", 10)}


def page_context(document: Document) -> dict:
    tracking = tracking_of(document)
    tasks = _tasks(document)
    groups = group_members()
    matrix = _matrix_context(document, tasks, tracking)
    pending = missing_assignments(tasks, matrix["matrix"].pairs, groups) if tracking else []
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_({u for _t, u in pending} or {0})))}
    return {"document": document, "tracking": tracking, "tasks": tasks, "groups": groups,
            "reported": has_reports([t.id for t in tasks]), "pending": [(t, units[u]) for t, u in pending],
            "can_edit": can(current_user, "manage_plans"), **matrix}


@bp.get("/plans/<int:document_id>")
@roles_required(*STAFF_ROLES)
def show(document_id: int):
    """Show a plan: its tasks, the units x tasks matrix, what needs attention."""
    document = plan_for(current_user, document_id) or abort(404)
    if request.htmx and not request.htmx.boosted:  # the filter form asks for the matrix only
        tasks = _tasks(document)
        return render(PAGE, "matrix", document=document, tasks=tasks,
                      **_matrix_context(document, tasks, tracking_of(document)))
    return render_template(PAGE, **page_context(document))


@bp.get("/plans/<int:document_id>/matrix")
@roles_required(*STAFF_ROLES)
def matrix(document_id: int):
    """The matrix alone, for the page's periodic refresh: 204 while nothing has changed."""
    document = plan_for(current_user, document_id) or abort(404)
    if not (request.htmx and not request.htmx.boosted):
        return redirect(url_for("plans.show", document_id=document.id, **request.args.to_dict()), code=303)
    if request.args.get("stamp") == matrix_stamp(document, office_today()):
        return "", 204
    tasks = _tasks(document)
    return render(PAGE, "matrix", document=document, tasks=tasks,
                  **_matrix_context(document, tasks, tracking_of(document)))


def tasks_response(document: Document):
    """After a change to the task list: the list alone for htmx, else back to the page."""
    if request.htmx and not request.htmx.boosted:
        return render(PAGE, "tasks", **page_context(document))
    return redirect(url_for("plans.show", document_id=document.id) + "#nhiem-vu", code=303)


def refused(document: Document, problem: PlanError):
    flash(problem.message, "error")
    return tasks_response(document)


@bp.post("/plans/<int:document_id>/tracking")
@roles_required(CLERK)
def tracking_start(document_id: int):
    """Start following the plan up: every task to its units (a group to each active member)."""
    document = plan_for(current_user, document_id) or abort(404)
    try:
        result = start_tracking(document, current_user, office_today())
    except PlanError as problem:
        db.session.rollback()
        return refused(document, problem)
    db.session.commit()
    flash(f"Đã bắt đầu theo dõi: giao {len(result.created)} nhiệm vụ cho các đơn vị.", "success")
    if result.without_unit:
        flash(f"{len(result.without_unit)} nhiệm vụ chưa có đơn vị thực hiện nên chưa được giao.", "warning")
    if result.empty_groups:
        flash("Có nhóm đơn vị chưa có đơn vị thành viên nào đang hoạt động.", "warning")
    return redirect(url_for("plans.show", document_id=document.id), code=303)


@bp.post("/plans/<int:document_id>/sync")
@roles_required(CLERK)
def sync(document_id: int):
    """Add the units that joined a group since the plan was fanned out."""
    document = plan_for(current_user, document_id) or abort(404)
    if tracking_of(document) is None:
        flash("Kế hoạch chưa được theo dõi.", "error")
        return redirect(url_for("plans.show", document_id=document.id), code=303)
    try:
        refuse_if_stopped(document)
    except PlanError as problem:
        flash(problem.message, "error")
        return redirect(url_for("plans.show", document_id=document.id), code=303)
    result = sync_assignments(document, current_user)
    db.session.commit()
    flash(f"Đã giao thêm {len(result.created)} nhiệm vụ cho đơn vị mới." if result.created
          else "Không có đơn vị mới nào cần thêm.", "success" if result.created else "info")
    return redirect(url_for("plans.show", document_id=document.id), code=303)


@bp.post("/plans/<int:document_id>/remind")
@roles_required(CLERK)
def remind(document_id: int):
    """Send an in-app reminder to every unit with a late task in this plan."""
    document = plan_for(current_user, document_id) or abort(404)
    try:
        result = remind_late_units(document, current_user, office_today(), url_for("plans.my_tasks"))
    except PlanError as problem:
        db.session.rollback()
        flash(problem.message, "error")
        return redirect(url_for("plans.show", document_id=document.id), code=303)
    db.session.commit()
    if result.units:
        flash(f"Đã nhắc {len(result.units)} đơn vị chậm tiến độ ({result.notifications} người nhận).", "success")
    else:
        flash("Không có đơn vị nào chậm tiến độ cần nhắc.", "info")
    if result.units_without_users:
        names = ", ".join(u.name for u in result.units_without_users)
        flash(f"Chưa có tài khoản để nhận nhắc việc: {names}.", "warning")
    return redirect(url_for("plans.show", document_id=document.id), code=303)
