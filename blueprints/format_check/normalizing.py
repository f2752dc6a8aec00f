""" "Chuẩn hóa": the held file becomes a draft of the application (DRAFT, created by the clerk, audited), written by
docgen in the right format; then the page shows what changed in the text, word by word, and any word of the
original that the new document does not have."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from blueprints import roles_required
from blueprints.format_check import bp
from blueprints.format_check.holding import held_or_404, root
from docgen import build_docx
from docgen.records import document_data
from domain.access import document_for
from domain.format_check import FormatCheckError, check_docx
from domain.format_review.held import held
from domain.format_review.normalize import NormalizeError, compare_texts, draft_from_file
from domain.office import office_today
from domain.plans.uploads import PlanImportError, read_plan_file
from domain.text.textdiff import hunks
from extensions import db
from models.core import Organization
from models.documents import EDITOR_ROLES

NORMALIZED = "format_check/normalized.html"


@bp.post("/<token>/normalize")
@roles_required(*EDITOR_ROLES)
def normalize(token: str):
    found = held_or_404(token)
    try:
        draft = draft_from_file(found.filename, found.data, current_user, office_today())
    except NormalizeError as refused:
        db.session.rollback()
        flash(f"Không chuẩn hóa được: {refused.message}", "error")
        return redirect(url_for(".report", token=token), code=303)
    db.session.commit()
    for note in draft.notes:
        flash(note, "warning")
    flash(
        "Đã tạo dự thảo theo đúng thể thức. Đối chiếu nội dung dưới đây rồi mở dự thảo để sửa tiếp.",
        "success",
    )
    return redirect(url_for(".normalized", token=token, document_id=draft.document.id), code=303)


@bp.get("/<token>/normalized/<int:document_id>")
@roles_required(*EDITOR_ROLES)
def normalized(token: str, document_id: int):
    """The original beside the draft made from it: the word-level comparison and the draft's own check."""
    document = document_for(current_user, document_id) or abort(404)
    new_docx = build_docx(document_data(document, Organization.current()))
    new_report = check_docx(new_docx)
    found = held(root(), current_user.id, token)
    comparison = None
    if found is not None:
        try:
            comparison = compare_texts(
                read_plan_file("ban-goc.docx", found.data), read_plan_file("du-thao.docx", new_docx)
            )
        except (PlanImportError, FormatCheckError):
            comparison = None
    return render_template(
        NORMALIZED,
        document=document,
        found=found,
        comparison=comparison,
        hunks=hunks(comparison.lines, context=1) if comparison else [],
        new_report=new_report,
    )
