"""Issuing an approved document: its number and date in the register (checked on a page first), and the issued
.docx, stored in the same transaction."""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from blueprints import roles_required
from blueprints.forms import choices
from blueprints.register import bp
from blueprints.register.forms import IssueForm
from blueprints.shared import BUSY, record_url, safe_next, send_stored_file
from docgen.gate import check_document, printed_problems
from docgen.records import store_issued_docx
from domain import clock
from domain.access import archived_document_for, document_for
from domain.documents import workflow
from domain.office import office_date
from domain.register import numbering as reg
from domain.register import signed_copy as sc
from domain.register.numbering import RegisterError
from domain.text.vietnamese import number_symbol
from extensions import db
from models import Document, Organization, RegisterEntry
from models.choices import ISSUED, RECORDS

log = logging.getLogger(__name__)

ISSUE = "register/issue.html"


def _issue_form_choices(form: IssueForm, document: Document) -> None:
    register = reg.register_for(document.kind)
    year = office_date(clock.now()).year
    upcoming = reg.last_number(register, year) + 1
    symbol = document.kind_info.symbol(Organization.current().symbol_suffix)
    pairs = [(0, f"Cấp số mới (dự kiến {number_symbol(upcoming, symbol)})")]
    pairs += [(e.id, f"Dùng số giữ trước {number_symbol(e.number, symbol)} — {e.notes}"[:150])
              for e in reg.open_reservations(register, year)]
    form.reserved_entry_id.choices = choices(pairs)


def _issue_page(document: Document, form: IssueForm, error: str | None = None, status: int = 200):
    _issue_form_choices(form, document)
    return render_template(ISSUE, document=document, form=form, error=error, gate=check_document(document),
                           register=reg.register_for(document.kind),
                           default_copies=reg.default_copies(document), default_keeper=reg.default_keeper(document),
                           recipients=reg.recipient_lines(document)), status


@bp.get("/documents/<int:document_id>/issue")
@roles_required(RECORDS)
def issue_form(document_id: int):
    """Check the number, copies and keeper before issuing an approved document."""
    document = document_for(current_user, document_id) or abort(404)
    if document.status != workflow.APPROVED:
        return redirect(record_url(document) if document.number else url_for("archive.index"), code=303)
    form = IssueForm(formdata=None, expected_status=document.status)
    return _issue_page(document, form)


@bp.post("/documents/<int:document_id>/issue")
@roles_required(RECORDS)
def issue_document(document_id: int):
    """Give the approved document its number and date and record it in the register (double-click safe)."""
    document = document_for(current_user, document_id) or abort(404)
    form = IssueForm()
    _issue_form_choices(form, document)
    if not form.validate_on_submit():
        return _issue_page(document, form)
    expected = form.expected_status.data or workflow.APPROVED
    if printed := printed_problems(document):  # LibreOffice, before the register's write lock is taken
        db.session.rollback()
        return _issue_page(document, form, error=" ".join(printed))
    try:
        entry = reg.issue(document, current_user, clock.now(), expected_status=expected,
                          reserved_entry_id=form.reserved_entry_id.data or None, copies=form.copies.data,
                          keeper=form.keeper.data or None, notes=form.notes.data or "")
        # The .docx as issued is kept in the same transaction as its number: both exist, or neither.
        store_issued_docx(document, entry, current_user)
        db.session.commit()
    except workflow.StaleAction as stale:
        db.session.rollback()
        document = document_for(current_user, document_id) or abort(404)
        existing = sc.entry_of(document)
        if existing is not None and existing.status == ISSUED:
            flash(f"Văn bản đã được cấp số {existing.number_symbol} ngày {existing.issued_on:%d/%m/%Y}; "
                  "không cấp thêm số nào.", "info")
            return redirect(record_url(document), code=303)
        flash(stale.message, "warning")
        return redirect(safe_next(request.values.get("next"), url_for("archive.index")), code=303)
    except (workflow.TransitionRefused, RegisterError) as refused:
        db.session.rollback()
        field = getattr(refused, "field", None)
        document = document_for(current_user, document_id) or abort(404)
        if field and hasattr(form, field):
            getattr(form, field).errors = [*getattr(form, field).errors, refused.message]
            return _issue_page(document, form)
        return _issue_page(document, form, error=refused.message)
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        flash("Có thao tác khác vừa thay đổi văn bản hoặc sổ cùng lúc; chưa cấp số. Vui lòng thử lại.", "warning")
        return redirect(url_for("register.issue_form", document_id=document_id), code=303)
    except OperationalError:  # the write lock was not free within the busy timeout
        db.session.rollback()
        flash(BUSY, "warning")
        return redirect(url_for("register.issue_form", document_id=document_id), code=303)
    flash(f"Đã cấp số {entry.number_symbol} ngày {entry.issued_on:%d/%m/%Y} và phát hành văn bản.", "success")
    return redirect(safe_next(request.values.get("next"), record_url(document)), code=303)


def _store_final_docx(document: Document, entry: RegisterEntry):
    """Store the issued .docx of a document issued before it was kept at issue (older data), on first download."""
    try:
        stored = store_issued_docx(document, db.session.get(RegisterEntry, entry.id), current_user)
        db.session.commit()
        return stored
    except Exception:  # the issue stands; the .docx is built again on the first download
        db.session.rollback()
        log.exception("building the issued .docx of document %s failed", document.id)
        return None


@bp.get("/documents/<int:document_id>/final.docx")
def final_docx(document_id: int):
    """Download the issued .docx with its number and date."""
    document = archived_document_for(current_user, document_id) or abort(404)
    entry = sc.entry_of(document) or abort(404)
    stored = entry.final_file or _store_final_docx(document, entry)
    if stored is None:
        abort(500)
    return send_stored_file(stored, record_url(document))
