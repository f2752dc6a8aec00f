"""Import an existing plan (or a Hướng dẫn that assigns work): upload (.docx, .doc, .txt) or paste -> the review (the text beside the tasks read from it) ->
a draft plan and its tasks.

Nothing is stored until the clerk confirms: the uploaded file is read in memory and dropped, and the review page
carries everything (the text, the tasks, the names to map) from one post to the next. Its corrections (split,
merge, a name mapped to a unit) are posts to /plans/import/review: with htmx only the tasks are redrawn, without
it the whole page. The same from the command line: `flask --app app import-plan FILE [--commit]` (cli.py).
"""

from __future__ import annotations

import re

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import render, roles_required
from blueprints.plans import bp
from blueprints.plans.forms import ImportForm, reviewed_from_form, unit_choices
from domain.office import office_today
from domain.plans.import_limits import ImportLimits
from domain.plans.import_review import (
    KEEP,
    NAME_ACTIONS,
    ReviewedPlan,
    give_names_their_units,
    merge_with_previous,
    split_task,
)
from domain.plans.importer import PlanImportError
from domain.plans.proposals import (
    ImportInvalid,
    confirmed_from_proposal,
    create_imported_plan,
    propose_import,
)
from domain.plans.uploads import ACCEPTED
from extensions import db
from models.choices import CLERK, TASK_SOURCES

REVIEW = "plans/import_review.html"
_OPERATION = re.compile(r"^(split|merge)-(\d{1,3})$")


def _limits() -> ImportLimits:
    """The PLAN_IMPORT_* settings: what one import may hold, checked before it is parsed."""
    return ImportLimits.from_config(current_app.config)


def _review(plan: ReviewedPlan, errors: dict | None = None, block: str | None = None):
    """The review page (or, for htmx, only its tasks and names) with the directory to choose from."""
    return render(REVIEW, block, plan=plan, errors=errors or {}, unit_choices=unit_choices("(Chưa chọn đơn vị)"),
                  actions=NAME_ACTIONS, keep=KEEP, sources=TASK_SOURCES)


@bp.route("/plans/import", methods=["GET", "POST"])
@roles_required(CLERK)
def import_plan():
    """Read an uploaded or pasted plan and propose its fields and tasks for checking."""
    form, limits = ImportForm(), _limits()
    if form.validate_on_submit():
        upload = request.files.get("file")
        text = form.text.data or ""
        # Reading the plan takes up to its time budget and needs no database; nothing is written yet. On SQLite a
        # POST's transaction holds the write lock from its first statement (loading the signed-in user), so end
        # it here: other requests can write while this one parses.
        db.session.commit()
        try:
            if upload and upload.filename:
                data = upload.stream.read(limits.max_bytes + 1)  # never more than the limit in memory
                proposal = propose_import(upload.filename, data, None, limits=limits)
            elif text.strip():
                proposal = propose_import(text=text, limits=limits)
            else:
                raise PlanImportError(f"Hãy chọn tệp {ACCEPTED}, hoặc dán nội dung kế hoạch.")
        except PlanImportError as refused:
            form.file.errors = [refused.message]
        else:
            return _review(confirmed_from_proposal(proposal))
    return render_template("plans/import.html", form=form, limit_mb=limits.max_bytes // (1024 * 1024), accepted=ACCEPTED)


@bp.post("/plans/import/review")
@roles_required(CLERK)
def import_review():
    """A correction on the review page: split a task, merge it with the one above, or give mapped names their
    units. Nothing is saved; the page comes back with the change made (or the reason it was not)."""
    plan = reviewed_from_form(request.form)
    give_names_their_units(plan)
    errors = {}
    operation = _OPERATION.match(request.form.get("op", ""))
    if operation:
        verb, n = operation[1], int(operation[2])
        refused = split_task(plan, n) if verb == "split" else merge_with_previous(plan, n)
        if refused:
            errors[f"task-{n}"] = refused
    return _review(plan, errors, block="review_panel")


@bp.post("/plans/import/confirm")
@roles_required(CLERK)
def import_confirm():
    """Create the draft plan and its tasks as the clerk checked them; remember the names the clerk mapped."""
    plan = reviewed_from_form(request.form)
    try:
        document = create_imported_plan(plan, current_user, office_today())
    except ImportInvalid as invalid:
        db.session.rollback()
        return _review(plan, invalid.errors)
    db.session.commit()
    flash(f"Đã tạo dự thảo {document.kind_info.name.lower()} và các nhiệm vụ. Kiểm tra lại nhiệm vụ, thời hạn và chỉ "
          "tiêu trước khi theo dõi.", "success")
    return redirect(url_for("plans.show", document_id=document.id), code=303)
