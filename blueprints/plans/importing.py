"""Import an existing plan: upload (.docx/.txt) or paste -> the proposal to check -> a draft plan and its tasks.

Nothing is stored until the clerk confirms: the uploaded file is read in memory and dropped.
The same from the command line: `flask --app app import-plan FILE [--commit]` (this package's cli.py).
"""

from __future__ import annotations

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import roles_required
from blueprints.params import posted_count, posted_int
from blueprints.plans import bp
from blueprints.plans.forms import ImportForm, unit_choices
from domain.office import office_today
from domain.plans.import_limits import ImportLimits
from domain.plans.importer import PlanImportError
from domain.plans.proposals import (
    KEEP,
    UNMATCHED_ACTIONS,
    ConfirmedPlan,
    ConfirmedTask,
    ImportInvalid,
    create_imported_plan,
    propose_import,
)
from domain.plans.tasks import PLAN_KIND
from extensions import db
from models.choices import CLERK

REVIEW = "plans/import_review.html"
MAX_TASKS, MAX_UNMATCHED = 500, 200  # rows of the review form read back


def _limits() -> ImportLimits:
    """The PLAN_IMPORT_* settings: what one import may hold, checked before it is parsed."""
    return ImportLimits.from_config(current_app.config)


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
                raise PlanImportError("Hãy chọn tệp .docx hoặc .txt, hoặc dán nội dung kế hoạch.")
        except PlanImportError as refused:
            form.file.errors = [refused.message]
        else:
            return render_template(REVIEW, plan=proposal, errors={}, unit_choices=unit_choices("(Chưa chọn đơn vị)"),
                                   actions=UNMATCHED_ACTIONS)
    return render_template("plans/import.html", form=form, limit_mb=limits.max_bytes // (1024 * 1024))


def _confirmed(form) -> ConfirmedPlan:
    tasks = []
    for n in range(posted_count(form.get("task_count"), MAX_TASKS)):
        if not form.get(f"task-{n}-include"):
            continue
        unit = form.get(f"task-{n}-unit_id", "")
        line = form.get(f"task-{n}-source_line", "")
        tasks.append(ConfirmedTask(
            text=form.get(f"task-{n}-text", ""), unit_text=form.get(f"task-{n}-unit", "")[:300],
            unit_id=posted_int(unit) or None,  # 0 is the blank option
            deadline_text=form.get(f"task-{n}-deadline_text", "")[:200],
            lead=form.get(f"task-{n}-lead", "1") == "1",
            coordinating=[c for c in form.get(f"task-{n}-coordinating", "").split("\n") if c.strip()],
            section_marker=form.get(f"task-{n}-section_marker", "")[:10],
            source_line=posted_int(line),
        ))  # fmt: skip
    new_units = {}
    for n in range(posted_count(form.get("unmatched_count"), MAX_UNMATCHED)):
        name, action = form.get(f"unmatched-{n}-name", ""), form.get(f"unmatched-{n}-action", KEEP)
        if name and action in UNMATCHED_ACTIONS:
            new_units[name] = action
    issued = form.get("issued_on", "")
    try:
        issued_on = date.fromisoformat(issued) if issued else None
    except ValueError:
        issued_on = None
    return ConfirmedPlan(
        title=form.get("title", ""), references=form.get("references", ""), body=form.get("body", ""),
        signing_authority=form.get("signing_authority", ""), signing_deputy_line=form.get("signing_deputy_line", ""),
        signer_title=form.get("signer_title", ""),
        recipients=form.get("recipients", "").splitlines(), tasks=tasks, new_units=new_units, issued_on=issued_on,
    )  # fmt: skip


def _proposal_from_form(form) -> dict:
    """The review page again, as the clerk left it (after a refused confirmation)."""
    count = posted_count(form.get("task_count"), MAX_TASKS)
    tasks = [{"text": form.get(f"task-{n}-text", ""), "unit": form.get(f"task-{n}-unit", ""),
              "unit_id": posted_int(form.get(f"task-{n}-unit_id")),
              "deadline_text": form.get(f"task-{n}-deadline_text", ""), "lead": form.get(f"task-{n}-lead") == "1",
              "coordinating": form.get(f"task-{n}-coordinating", "").split("\n") if form.get(f"task-{n}-coordinating")
              else [], "section_marker": form.get(f"task-{n}-section_marker", ""),
              "source_line": form.get(f"task-{n}-source_line", ""), "include": bool(form.get(f"task-{n}-include"))}
             for n in range(count)]
    unmatched_count = posted_count(form.get("unmatched_count"), MAX_UNMATCHED)
    unmatched = [form.get(f"unmatched-{n}-name", "") for n in range(unmatched_count)]
    return {"kind": PLAN_KIND, "title": form.get("title", ""), "opening": form.get("references", ""),
            "body": form.get("body", ""), "issued_on": form.get("issued_on") or None,
            "signature": {"authority": form.get("signing_authority", ""),
                          "deputy_line": form.get("signing_deputy_line", ""), "title": form.get("signer_title", "")},
            "recipients": form.get("recipients", "").splitlines(), "tasks": tasks, "unmatched_units": unmatched,
            "unmatched_choice": {form.get(f"unmatched-{n}-name", ""): form.get(f"unmatched-{n}-action", KEEP)
                                 for n in range(len(unmatched))},
            "warnings": [], "sections": [], "references": [], "source": {"filename": form.get("source_name", "")}}


@bp.post("/plans/import/confirm")
@roles_required(CLERK)
def import_confirm():
    """Create the draft plan and its tasks as the clerk checked them."""
    try:
        document = create_imported_plan(_confirmed(request.form), current_user, office_today())
    except ImportInvalid as invalid:
        db.session.rollback()
        return render_template(REVIEW, plan=_proposal_from_form(request.form), errors=invalid.errors,
                               unit_choices=unit_choices("(Chưa chọn đơn vị)"), actions=UNMATCHED_ACTIONS)
    db.session.commit()
    flash("Đã tạo dự thảo kế hoạch và các nhiệm vụ. Kiểm tra lại nhiệm vụ, thời hạn và chỉ tiêu trước khi theo dõi.",
          "success")
    return redirect(url_for("plans.show", document_id=document.id), code=303)
