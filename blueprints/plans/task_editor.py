"""The clerk's work on a plan's tasks: take them from section III, add, edit, split, merge, reorder, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import roles_required
from blueprints.params import posted_id, posted_ids
from blueprints.plans import bp
from blueprints.plans.forms import INDICATOR_ROWS_EMPTY, SplitForm, TaskForm, unit_choices
from blueprints.plans.plan_page import refused, tasks_response
from domain.access import plan_for, plan_task_for
from domain.office import office_today
from domain.plans.sentences import sentences
from domain.plans.task_form import IndicatorInput, TaskInput, TaskInvalid, save_task
from domain.plans.tasks import (
    PlanError,
    delete_task,
    has_reports,
    merge_tasks,
    move_task,
    propose_from_document,
    split_task,
)
from domain.plans.tracking import sync_assignments, sync_task, tracking_of
from extensions import db
from models import Document
from models.choices import CLERK, NO_DEADLINE, WHOLE_NUMBER
from models.plans import PlanTask


@bp.post("/plans/<int:document_id>/tasks/propose")
@roles_required(CLERK)
def propose(document_id: int):
    """Take the tasks of the plan's section III as a proposal for the clerk to confirm."""
    document = plan_for(current_user, document_id) or abort(404)
    try:
        tasks = propose_from_document(document, current_user, office_today())
    except PlanError as problem:
        return refused(document, problem)
    db.session.commit()
    unmatched = sum(t.unit_id is None for t in tasks)
    flash(f"Đã lấy {len(tasks)} nhiệm vụ từ mục “Tổ chức thực hiện”. Hãy kiểm tra nội dung, đơn vị và thời hạn"
          + (f"; {unmatched} nhiệm vụ chưa khớp đơn vị trong danh mục." if unmatched else "."), "success")
    return tasks_response(document)


def _task_form(task: PlanTask | None) -> TaskForm:
    form = TaskForm() if request.method == "POST" else TaskForm(obj=task)  # obj fills the indicators' rows
    if request.method == "GET":
        if task is not None:
            form.unit_id.data = task.unit_id or 0
            form.lead_unit_id.data = task.lead_unit_id or 0
            form.coordinating_ids.data = [u.id for u in task.coordinating_units]
        for _ in range(INDICATOR_ROWS_EMPTY):
            form.indicators.append_entry({"value_type": WHOLE_NUMBER})
    form.unit_id.choices = unit_choices("(Chọn đơn vị)")
    form.lead_unit_id.choices = unit_choices("(Như đơn vị thực hiện / không ghi)")
    form.coordinating_ids.choices = unit_choices("")[1:]
    return form


def _task_input(form: TaskForm) -> TaskInput:
    indicators = []
    for entry in form.indicators:
        sub = entry.form
        ident = posted_id(sub.id.data)  # blank for a new indicator
        indicators.append(IndicatorInput(ident, sub.name.data or "", sub.unit_of_measure.data or "",
                                         sub.value_type.data or WHOLE_NUMBER, bool(sub.delete.data)))
    return TaskInput(text=form.text.data or "", unit_id=form.unit_id.data, lead_unit_id=form.lead_unit_id.data,
                     coordinating_ids=[i for i in (form.coordinating_ids.data or []) if i],
                     deadline_kind=form.deadline_kind.data or NO_DEADLINE, due_on=form.due_on.data,
                     day_of_month=form.day_of_month.data, deadline_text=form.deadline_text.data or "",
                     indicators=indicators)


def _edit_task(document: Document, task: PlanTask | None):
    form = _task_form(task)
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            saved = save_task(document, task, _task_input(form), current_user)
        except TaskInvalid as invalid:
            errors = invalid.errors
            db.session.rollback()
        else:
            sync_task(saved, current_user)
            db.session.commit()
            flash("Đã lưu nhiệm vụ.", "success")
            return redirect(url_for("plans.show", document_id=document.id) + f"#task-{saved.id}", code=303)
    for name, message in errors.items():
        if name.startswith("indicator-"):
            form.indicators.entries[int(name.split("-")[1])].form.name.errors = [message]
        elif name in form:
            form[name].errors = [*form[name].errors, message]
    reported = bool(task and has_reports([task.id]))
    return render_template("plans/task_form.html", form=form, document=document, task=task, reported=reported,
                           tracking=tracking_of(document))


@bp.route("/plans/<int:document_id>/tasks/new", methods=["GET", "POST"])
@roles_required(CLERK)
def task_new(document_id: int):
    """Add a task by hand."""
    return _edit_task(plan_for(current_user, document_id) or abort(404), None)


def _task_or_404(document: Document, task_id: int) -> PlanTask:
    return plan_task_for(current_user, document.id, task_id) or abort(404)


@bp.route("/plans/<int:document_id>/tasks/<int:task_id>", methods=["GET", "POST"])
@roles_required(CLERK)
def task_edit(document_id: int, task_id: int):
    """Change a task: wording, unit, lead and coordinating units, deadline, indicators."""
    document = plan_for(current_user, document_id) or abort(404)
    return _edit_task(document, _task_or_404(document, task_id))


@bp.route("/plans/<int:document_id>/tasks/<int:task_id>/split", methods=["GET", "POST"])
@roles_required(CLERK)
def task_split(document_id: int, task_id: int):
    """Split a task into several, one per line."""
    document = plan_for(current_user, document_id) or abort(404)
    task = _task_or_404(document, task_id)
    form = SplitForm()
    if request.method == "GET":
        parts = [p.rstrip(" .;") for s in sentences(task.text) for p in s.split("; ")]
        form.parts.data = "\n".join(p for p in parts if p)
    elif form.validate_on_submit():
        try:
            created = split_task(task, (form.parts.data or "").splitlines(), current_user)
        except PlanError as problem:
            db.session.rollback()
            form.parts.errors = [problem.message]
        else:
            start_new = tracking_of(document) is not None
            if start_new:
                sync_assignments(document, current_user)
            db.session.commit()
            flash(f"Đã tách thành {len(created)} nhiệm vụ.", "success")
            return redirect(url_for("plans.show", document_id=document.id) + "#nhiem-vu", code=303)
    return render_template("plans/task_split.html", form=form, document=document, task=task)


@bp.post("/plans/<int:document_id>/tasks/merge")
@roles_required(CLERK)
def task_merge(document_id: int):
    """Merge the ticked tasks of one unit into the first of them."""
    document = plan_for(current_user, document_id) or abort(404)
    ids = posted_ids(request.form.getlist("task_id"))
    try:
        merged = merge_tasks(document, ids, current_user)
    except PlanError as problem:
        db.session.rollback()
        return refused(document, problem)
    db.session.commit()
    flash(f"Đã gộp {len(ids)} nhiệm vụ thành một: {merged.text[:120]}", "success")
    return tasks_response(document)


@bp.post("/plans/<int:document_id>/tasks/<int:task_id>/delete")
@roles_required(CLERK)
def task_delete(document_id: int, task_id: int):
    """Delete a task no unit has reported on."""
    document = plan_for(current_user, document_id) or abort(404)
    task = _task_or_404(document, task_id)
    try:
        delete_task(task, current_user)
    except PlanError as problem:
        db.session.rollback()
        return refused(document, problem)
    db.session.commit()
    flash("Đã xóa nhiệm vụ.", "success")
    return tasks_response(document)


@bp.post("/plans/<int:document_id>/tasks/<int:task_id>/move/<direction>")
@roles_required(CLERK)
def task_move(document_id: int, task_id: int, direction: str):
    """Move a task one place up or down."""
    if direction not in ("up", "down"):
        abort(404)
    document = plan_for(current_user, document_id) or abort(404)
    move_task(_task_or_404(document, task_id), direction, current_user)
    db.session.commit()
    return tasks_response(document)
