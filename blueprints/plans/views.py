"""Plans: the list, a plan with its tasks and its tracking matrix, the task editor, a unit's page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from blueprints import render, roles_required
from blueprints.forms import choices
from blueprints.params import query_int, query_text
from domain.documents.workflow import status_of as document_status
from domain.files import size_text
from domain.plans.assignments import (
    DEADLINE_KINDS,
    STATUSES,
    VALUE_TYPES,
    format_value,
    input_value,
    status_of,
)
from domain.plans.followup import matrix_stamp, plan_summaries, tracking_matrix, unit_order
from domain.plans.tasks import (
    PLAN_KIND,
    PlanError,
    has_reports,
)
from domain.plans.tracking import (
    STAFF_ROLES,
    add_unit_to_running_plans,
    group_members,
    is_overdue,
    missing_assignments,
    new_members_by_unit,
    next_due,
    office_today,
    refuse_if_stopped,
    remind_late_units,
    start_tracking,
    sync_assignments,
    tracking_of,
    visible_assignments,
)
from extensions import db
from models import Document, Unit
from models.choices import CLERK
from models.plans import Assignment, AssignmentUpdate, Evidence, PlanTask

bp = Blueprint("plans", __name__, cli_group=None)

PAGE = "plans/plan.html"
PAGE_SIZE = 50
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # default of the EVIDENCE_MAX_BYTES setting


@bp.record_once
def _template_globals(state):
    """Labels and formatters for these templates, visible in imported macros and in other blueprints' pages."""
    state.app.jinja_env.globals.update(
        ASSIGNMENT_STATUSES=STATUSES, DEADLINE_KINDS=DEADLINE_KINDS, VALUE_TYPES=VALUE_TYPES,
        assignment_status=status_of, document_status=document_status, format_value=format_value,
        input_value=input_value, file_size=size_text, evidence_limit_mb=_evidence_limit_mb,
        plan_document_url=_document_url,
    )


def _document_url(document) -> str | None:
    """The document's own page, when the documents part of the application is installed."""
    try:
        return url_for("documents.show", document_id=document.id)
    except BuildError:
        return None


def _evidence_limit_mb() -> int:
    return current_app.config.get("EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES) // (1024 * 1024)


def _plan_or_404(document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or document.kind != PLAN_KIND:
        abort(404)
    return document


def _unit_choices(blank: str) -> list:
    """Active units in directory order, groups marked, for the task form."""
    order = unit_order()
    units = sorted(db.session.scalars(select(Unit).where(Unit.active.is_(True))),
                   key=lambda u: order.get(u.id, (10**9, u.name)))
    depth = {}
    for u in units:
        depth[u.id] = depth.get(u.parent_id, -1) + 1
    pairs = [(0, blank)] + [(u.id, "— " * depth[u.id] + u.name + (" (nhóm)" if u.is_group else "")) for u in units]
    return choices(pairs)


# ---- list ------------------------------------------------------------------------------------------------


@bp.get("/plans")
@roles_required(*STAFF_ROLES)
def index():
    """List the plans with how far their tasks have got."""
    q = query_text("q")
    stmt = select(Document).where(Document.kind == PLAN_KIND).order_by(Document.year.desc(), Document.id.desc())
    if q:
        stmt = stmt.where(Document.title.ilike(f"%{q}%"))
    page = query_int("page", 1)
    documents = db.session.scalars(stmt.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    has_next = len(documents) > PAGE_SIZE
    documents = documents[:PAGE_SIZE]
    today = office_today()
    summaries = plan_summaries([d.id for d in documents], today)
    newcomers = []
    if current_user.has_role(CLERK):
        missing = new_members_by_unit()
        units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(missing))))} if missing else {}
        newcomers = [(units[unit_id], len(plans)) for unit_id, plans in missing.items()]
    return render("plans/index.html", "plan_list", documents=documents, summaries=summaries, q=q, page=page,
                  has_next=has_next, newcomers=newcomers, args={"q": q} if q else {})


@bp.post("/plans/units/<int:unit_id>/join")
@roles_required(CLERK)
def join_running_plans(unit_id: int):
    """Give a unit that joined a group its share of every plan being followed up."""
    unit = db.get_or_404(Unit, unit_id)
    created = add_unit_to_running_plans(unit, current_user)
    db.session.commit()
    flash(f"Đã giao {len(created)} nhiệm vụ cho {unit.name}." if created else f"{unit.name} đã có đủ nhiệm vụ.",
          "success" if created else "info")
    return redirect(url_for("plans.index"), code=303)


# ---- one plan --------------------------------------------------------------------------------------------


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


def _page_context(document: Document) -> dict:
    tracking = tracking_of(document)
    tasks = _tasks(document)
    groups = group_members()
    matrix = _matrix_context(document, tasks, tracking)
    pending = missing_assignments(tasks, matrix["matrix"].pairs, groups) if tracking else []
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_({u for _t, u in pending} or {0})))}
    return {"document": document, "tracking": tracking, "tasks": tasks, "groups": groups,
            "reported": has_reports([t.id for t in tasks]), "pending": [(t, units[u]) for t, u in pending],
            "can_edit": current_user.has_role(CLERK), **matrix}


@bp.get("/plans/<int:document_id>")
@roles_required(*STAFF_ROLES)
def show(document_id: int):
    """Show a plan: its tasks, the units x tasks matrix, what needs attention."""
    document = _plan_or_404(document_id)
    if request.htmx and not request.htmx.boosted:  # the filter form asks for the matrix only
        tasks = _tasks(document)
        return render(PAGE, "matrix", document=document, tasks=tasks,
                      **_matrix_context(document, tasks, tracking_of(document)))
    return render_template(PAGE, **_page_context(document))


@bp.get("/plans/<int:document_id>/matrix")
@roles_required(*STAFF_ROLES)
def matrix(document_id: int):
    """The matrix alone, for the page's periodic refresh: 204 while nothing has changed."""
    document = _plan_or_404(document_id)
    if not (request.htmx and not request.htmx.boosted):
        return redirect(url_for("plans.show", document_id=document.id, **request.args.to_dict()), code=303)
    if request.args.get("stamp") == matrix_stamp(document, office_today()):
        return "", 204
    tasks = _tasks(document)
    return render(PAGE, "matrix", document=document, tasks=tasks,
                  **_matrix_context(document, tasks, tracking_of(document)))


def _tasks_response(document: Document):
    """After a change to the task list: the list alone for htmx, else back to the page."""
    if request.htmx and not request.htmx.boosted:
        return render(PAGE, "tasks", **_page_context(document))
    return redirect(url_for("plans.show", document_id=document.id) + "#nhiem-vu", code=303)


def _refused(document: Document, problem: PlanError):
    flash(problem.message, "error")
    return _tasks_response(document)


@bp.post("/plans/<int:document_id>/tracking")
@roles_required(CLERK)
def tracking_start(document_id: int):
    """Start following the plan up: every task to its units (a group to each active member)."""
    document = _plan_or_404(document_id)
    try:
        result = start_tracking(document, current_user, office_today())
    except PlanError as problem:
        db.session.rollback()
        return _refused(document, problem)
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
    document = _plan_or_404(document_id)
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
    document = _plan_or_404(document_id)
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


# ---- one unit in one plan -------------------------------------------------------------------------------


@bp.get("/plans/<int:document_id>/units/<int:unit_id>")
def unit_page(document_id: int, unit_id: int):
    """One unit's tasks in a plan, with their figures, reports and evidence."""
    document = _plan_or_404(document_id)
    unit = db.get_or_404(Unit, unit_id)
    tracking = tracking_of(document)
    assignments = db.session.scalars(
        visible_assignments(current_user).join(PlanTask)
        .where(PlanTask.document_id == document.id, Assignment.unit_id == unit.id)
        .order_by(PlanTask.position, PlanTask.id)
        .options(selectinload(Assignment.task).selectinload(PlanTask.indicators), selectinload(Assignment.values),
                 selectinload(Assignment.updates).selectinload(AssignmentUpdate.user),
                 selectinload(Assignment.updates).selectinload(AssignmentUpdate.evidence)
                 .selectinload(Evidence.stored_file))).all()
    if not assignments:
        abort(404)
    today = office_today()
    starts_on = tracking.starts_on if tracking else None
    rows = [(a, is_overdue(a, a.task, starts_on, today), next_due(a, a.task, starts_on, today),
             {v.indicator_id: v.value for v in a.values}) for a in assignments]
    done = sum(a.status == "done" for a in assignments)
    return render_template("plans/unit.html", document=document, unit=unit, rows=rows, done=done, today=today)


@bp.app_template_global()
def plan_panel(document) -> dict | None:
    """What the document page shows about a plan's tasks (documents/_plan_panel.html)."""
    if document is None or document.kind != PLAN_KIND or not current_user.has_role(*STAFF_ROLES):
        return None
    return {"summary": plan_summaries([document.id], office_today())[document.id]}


# The other pages of this blueprint: the task editor, the units' reports, the import of a plan file.
from blueprints.plans import importing, reporting, task_editor  # noqa: E402,F401
