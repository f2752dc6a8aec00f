"""The units' side: their assignments, a report (status, figures, narrative, files), the history, evidence; one
unit's tasks in a plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from blueprints import is_partial_request, render, roles_required
from blueprints.drafts import draft_key, draft_saved
from blueprints.params import required_id
from blueprints.plans import bp, evidence_limit
from blueprints.shared import send_stored_file
from domain import files, photos
from domain.access import assignment_for, can, evidence_for, plan_for, visible_assignments
from domain.office import office_today
from domain.plans.lateness import is_overdue, next_due
from domain.plans.progress import Report, ReportInvalid, report_progress
from domain.plans.tracking import STOPPED_STATUSES, tracking_of
from extensions import db
from models import Document, Unit
from models.choices import CLERK, DONE, FAILED, UNIT_REPORTER
from models.plans import Assignment, AssignmentUpdate, Evidence, PlanTask, PlanTracking

MY_TASKS = "plans/my_tasks.html"
TASK_UPDATE = "task-update"  # the report form's draft (blueprints.drafts), the same key in plans/_macros.html


@dataclass
class Item:
    """One assignment as a unit sees it."""

    assignment: Assignment
    document: Document
    starts_on: date
    overdue: bool
    due: date | None
    errors: dict | None = None
    typed: dict | None = None  # what was typed, when the report was refused
    saved: bool = False

    @property
    def task(self) -> PlanTask:
        return self.assignment.task

    @property
    def values(self) -> dict:
        return {v.indicator_id: v.value for v in self.assignment.values}


def _load(stmt) -> list[tuple[Assignment, Document, date]]:
    return db.session.execute(
        stmt.add_columns(Document, PlanTracking.starts_on)
        .join(PlanTask, PlanTask.id == Assignment.task_id)
        .join(Document, Document.id == PlanTask.document_id)
        .join(PlanTracking, PlanTracking.document_id == Document.id)
        .options(selectinload(Assignment.task).selectinload(PlanTask.indicators), selectinload(Assignment.values),
                 selectinload(Assignment.unit),
                 selectinload(Assignment.updates).selectinload(AssignmentUpdate.user),
                 selectinload(Assignment.updates).selectinload(AssignmentUpdate.evidence)
                 .selectinload(Evidence.stored_file))).all()


def _item(assignment: Assignment, document: Document, starts_on: date, today: date) -> Item:
    return Item(assignment, document, starts_on, is_overdue(assignment, assignment.task, starts_on, today),
                next_due(assignment, assignment.task, starts_on, today))


def _my_items(today: date) -> list[Item]:
    rows = _load(visible_assignments(current_user).where(Document.status.notin_(STOPPED_STATUSES)))
    items = [_item(a, d, s, today) for a, d, s in rows]
    return sorted(items, key=lambda i: (not i.overdue, i.assignment.status in (DONE, FAILED),
                                        i.due or date.max, -i.document.id, i.task.position))


@bp.get("/my-tasks")
@roles_required(UNIT_REPORTER)
def my_tasks():
    """The signed-in unit's tasks, late first, each with its report form."""
    today = office_today()
    return render_template(MY_TASKS, items=_my_items(today), today=today)


@bp.get("/assignments/<int:assignment_id>")
def assignment(assignment_id: int):
    """One assignment: the task, the current state, and every report ever sent."""
    rows = _load(visible_assignments(current_user).where(Assignment.id == assignment_id))
    if not rows:
        abort(404)
    today = office_today()
    item = _item(*rows[0], today)
    return render_template("plans/assignment.html", item=item, today=today,
                           can_report=_may_report(item.assignment))


def _may_report(assignment: Assignment) -> bool:
    return can(current_user, "report_on", assignment)


def _report_from_form(assignment: Assignment) -> Report:
    form = request.form
    values = {}
    for key, raw in form.items():
        if key.startswith("value-"):  # value-<indicator id>
            values[required_id(key[6:])] = raw
    done_on = None
    if raw := (form.get("done_on") or "").strip():
        try:
            done_on = date.fromisoformat(raw)
        except ValueError:
            raise ReportInvalid({"done_on": "Ngày hoàn thành không hợp lệ."}) from None
    uploads = []
    for upload in request.files.getlist("files"):
        if upload and upload.filename:
            uploads.append((upload.filename, upload.read()))
            upload.close()  # a photo of megabytes is spooled to a temporary file: closed as soon as it is read
    return Report(status=form.get("status", ""), done_on=done_on, narrative=form.get("narrative"),
                  failure_reason=form.get("failure_reason"), values=values, files=uploads)


@bp.post("/assignments/<int:assignment_id>/report")
@roles_required(UNIT_REPORTER, CLERK)
def report(assignment_id: int):
    """Record a report on an assignment: a new history entry; the list row is refreshed in place."""
    found = assignment_for(current_user, assignment_id)
    if found is None or not _may_report(found):
        abort(404)
    rows = _load(select(Assignment).where(Assignment.id == found.id))
    if not rows or rows[0][1].status in STOPPED_STATUSES:
        abort(404)
    assignment, document, starts_on = rows[0]
    today = office_today()
    try:
        report_progress(assignment, current_user, _report_from_form(assignment), today=today,
                        max_file_bytes=evidence_limit())
    except ReportInvalid as invalid:
        db.session.rollback()
        return _refused(assignment_id, invalid.errors, today)
    except files.FileRejected as refused:  # a check that only the write could make (e.g. the disk)
        db.session.rollback()
        return _refused(assignment_id, {"files": refused.message}, today)
    db.session.commit()
    if is_partial_request():
        item = _item(assignment, document, starts_on, today)
        item.saved = True
        return render(MY_TASKS, "assignment_row", item=item, today=today)
    draft_saved(draft_key(TASK_UPDATE, assignment.id))
    flash("Đã gửi cập nhật tiến độ.", "success")
    if request.form.get("view") == "detail":
        return redirect(url_for("plans.assignment", assignment_id=assignment.id), code=303)
    return redirect(url_for("plans.my_tasks") + f"#a-{assignment.id}", code=303)


def _refused(assignment_id: int, errors: dict, today: date):
    """Show the form again, with what was typed and a message next to each field; 200 so htmx swaps it."""
    typed = {k: v for k, v in request.form.items() if k != "csrf_token"}
    rows = _load(visible_assignments(current_user).where(Assignment.id == assignment_id))
    item = _item(*rows[0], today)
    item.errors, item.typed = errors, typed
    if is_partial_request():
        return render(MY_TASKS, "assignment_row", item=item, today=today)
    if request.form.get("view") == "detail":
        return render_template("plans/assignment.html", item=item, today=today, can_report=True)
    items = [item if i.assignment.id == assignment_id else i for i in _my_items(today)] \
        if current_user.has_role(UNIT_REPORTER) else [item]
    return render_template(MY_TASKS, items=items, today=today)


@bp.get("/evidence/<int:evidence_id>")
def evidence(evidence_id: int):
    """Download a file a unit attached to a report (only for those who may see the assignment)."""
    row = evidence_for(current_user, evidence_id) or abort(404)
    return send_stored_file(row.stored_file, url_for("plans.assignment", assignment_id=row.assignment_id))


@bp.get("/evidence/<int:evidence_id>/photo")
def evidence_photo(evidence_id: int):
    """A photo's reduced copy for the page (upright, ≤ 1600 px JPEG); made once if the photo came before copies."""
    row = evidence_for(current_user, evidence_id) or abort(404)
    stored, back = row.stored_file, url_for("plans.assignment", assignment_id=row.assignment_id)
    if not photos.is_photo(stored.kind):
        abort(404)
    if stored.display_file is None:
        try:
            photos.ensure_display_copy(stored, current_user)
        except files.FileDamaged:
            return send_stored_file(stored, back)  # says the original is damaged, as its download would
        except files.FileRejected:
            abort(404)
        db.session.commit()
    return send_stored_file(stored.display_file, back, inline=True)


@bp.get("/plans/<int:document_id>/units/<int:unit_id>")
def unit_page(document_id: int, unit_id: int):
    """One unit's tasks in a plan, with their figures, reports and evidence."""
    document = plan_for(current_user, document_id) or abort(404)
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
    done = sum(a.status == DONE for a in assignments)
    return render_template("plans/unit.html", document=document, unit=unit, rows=rows, done=done, today=today)
