"""The outgoing register (Sổ văn bản đi): numbers, issue, the final .docx, the signed copy; `verify-files`."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from blueprints import is_partial_request, render, roles_required
from blueprints.archive.record import record_page, signed_copy_limit
from blueprints.documents.rendering import document_data
from blueprints.forms import choices
from blueprints.params import parse_int, query_int
from blueprints.register import export
from blueprints.register.forms import CancelForm, IssueForm, ModeForm, ReserveForm
from blueprints.shared import safe_next, send_stored_file
from docgen import build_docx, suggested_filename
from docgen.fields import data_to_json
from domain import file_kinds, files
from domain.documents import workflow
from domain.files import FileRejected
from domain.register import numbering as reg
from domain.register import signed_copy as sc
from domain.register.archive import find_visible, visible_documents
from domain.register.numbering import RegisterError
from extensions import db
from models import Document, Organization, Register, RegisterEntry, SignedCopy
from models.choices import ADMIN, APPROVER, CLERK, RECORDS
from models.core import audit

bp = Blueprint("register", __name__, cli_group=None)
log = logging.getLogger(__name__)

READERS = (RECORDS, CLERK, APPROVER, ADMIN)
BUSY = "Cơ sở dữ liệu đang bận (nhiều người cùng ghi sổ); chưa có gì thay đổi. Vui lòng thử lại sau giây lát."
INDEX = "register/index.html"
ISSUE = "register/issue.html"


def now() -> datetime:
    """The instant of an action; the register turns it into the office's date and year."""
    return datetime.now(UTC)


def _document_or_404(document_id: int) -> Document:
    """Any document this user may open (drafts included, for staff); "not yours" is 404."""
    document = db.session.scalar(visible_documents(current_user).where(Document.id == document_id))
    if document is None:
        abort(404)
    return document


def _record_url(document: Document) -> str:
    return url_for("archive.record", document_id=document.id)


# ---- the register ----------------------------------------------------------------------------------------


def _selected(year_arg, register_arg) -> tuple[int, Register, list[Register]]:
    registers = reg.all_registers()
    if not registers:
        reg.register_for("KH")  # the default register, on first use
        db.session.commit()
        registers = reg.all_registers()
    register = next((r for r in registers if str(r.id) == str(register_arg or "")), None)
    register = register or next((r for r in registers if r.active), registers[0])
    this_year = reg.office_date(now()).year
    year = parse_int(year_arg, 1990, this_year + 1) or this_year
    return year, register, registers


def _entries(register: Register, year: int) -> list[RegisterEntry]:
    return list(db.session.scalars(
        select(RegisterEntry).options(joinedload(RegisterEntry.document), joinedload(RegisterEntry.cancelled_by))
        .where(RegisterEntry.register_id == register.id, RegisterEntry.year == year)
        .order_by(RegisterEntry.number)))


def _years(register: Register) -> list[int]:
    years = set(db.session.scalars(select(RegisterEntry.year).where(RegisterEntry.register_id == register.id)
                                   .distinct()))
    years.add(reg.office_date(now()).year)
    return sorted(years, reverse=True)


def _page_context(year: int, register: Register, registers: list[Register], reserve_form=None,
                  cancel_errors=None, cancel_typed=None) -> dict:
    reserve_form = reserve_form or ReserveForm(formdata=None, register_id=register.id)
    reserve_form.register_id.choices = choices([(r.id, r.name) for r in registers if r.active])
    entries = _entries(register, year)
    return {
        "year": year, "register": register, "registers": registers, "years": _years(register),
        "entries": entries, "reserve_form": reserve_form, "cancel_errors": cancel_errors or {},
        "cancel_typed": cancel_typed or {}, "next_number": reg.last_number(register, year) + 1,
        "recall_reasons": export.recall_reasons(entries), "can_edit": current_user.has_role(RECORDS),
        "is_admin": current_user.has_role(ADMIN), "mode": reg.numbering_mode(),
        "this_year": reg.office_date(now()).year,
    }


@bp.get("/register")
@roles_required(*READERS)
def index():
    """The register of one year: every number given, reserved, cancelled or recalled (ND30 Phụ lục IV)."""
    year, register, registers = _selected(request.args.get("year"), request.args.get("register_id"))
    return render(INDEX, "register_body", **_page_context(year, register, registers))


@bp.post("/register/reserve")
@roles_required(RECORDS)
def reserve():
    """Take the next number in advance for a document that will come later."""
    form = ReserveForm()
    registers = reg.all_registers()
    form.register_id.choices = choices([(r.id, r.name) for r in registers if r.active])
    register = db.session.get(Register, form.register_id.data) if form.register_id.data else None
    if form.validate_on_submit() and register is not None:
        try:
            entry = reg.reserve(register, current_user, now(), form.note.data)
            db.session.commit()
        except RegisterError as error:
            db.session.rollback()
            form.note.errors = [*form.note.errors, error.message]
        except OperationalError:
            db.session.rollback()
            form.note.errors = [*form.note.errors, BUSY]
        else:
            flash(f"Đã giữ trước số {entry.number:02d} năm {entry.year} ({register.name}).", "success")
            if is_partial_request():
                year, register, registers = _selected(entry.year, register.id)
                return render(INDEX, "register_body", **_page_context(year, register, registers))
            return redirect(url_for("register.index", year=entry.year, register_id=register.id), code=303)
    year, selected, registers = _selected(None, register.id if register else None)
    return render(INDEX, "register_body", **_page_context(year, selected, registers, reserve_form=form))


@bp.post("/register/entries/<int:entry_id>/cancel")
@roles_required(RECORDS)
def cancel(entry_id: int):
    """Cancel a reserved number, with a reason; the number is never given again."""
    entry = db.get_or_404(RegisterEntry, entry_id)
    form = CancelForm()
    error = None
    if form.validate_on_submit():
        try:
            reg.cancel_reserved(entry, current_user, form.reason.data, now())
            db.session.commit()
        except RegisterError as exc:
            db.session.rollback()
            error = exc.message
        else:
            flash(f"Đã hủy số giữ trước {entry.number:02d} năm {entry.year}.", "success")
            if not is_partial_request():
                return redirect(url_for("register.index", year=entry.year, register_id=entry.register_id), code=303)
    else:
        error = next(iter(form.reason.errors), "Vui lòng ghi lý do hủy số.")
    entry = db.session.get(RegisterEntry, entry_id)
    year, register, registers = _selected(entry.year, entry.register_id)
    context = _page_context(year, register, registers, cancel_errors={entry.id: error} if error else None,
                            cancel_typed={entry.id: form.reason.data or ""})
    return render(INDEX, "register_body", **context)


@bp.get("/register/export.xlsx")
@roles_required(*READERS)
def export_xlsx():
    """The register of a year as an Excel workbook with the Phụ lục IV columns."""
    year, register, _registers = _selected(request.args.get("year"), request.args.get("register_id"))
    entries = _entries(register, year)
    data = export.workbook(Organization.current(), register, year, entries)
    name = f"so-van-ban-di-{year}.xlsx" if not register.kind_codes else f"so-van-ban-di-{register.kinds}-{year}.xlsx"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/register/print")
@roles_required(*READERS)
def print_view():
    """The register of a year laid out for printing (A4 landscape)."""
    year, register, registers = _selected(request.args.get("year"), request.args.get("register_id"))
    entries = _entries(register, year)
    return render_template("register/print.html", year=year, register=register, entries=entries,
                           organization=Organization.current(), recall_reasons=export.recall_reasons(entries),
                           rows=export.rows(entries, export.recall_reasons(entries)))


@bp.route("/register/settings", methods=["GET", "POST"])
@roles_required(ADMIN)
def settings():
    """Choose one register for all kinds or one register per kind."""
    form = ModeForm(mode=reg.numbering_mode()) if request.method == "GET" else ModeForm()
    if form.validate_on_submit():
        changed = reg.set_numbering_mode(form.mode.data, current_user)
        db.session.commit()
        flash("Đã lưu cách đánh số." if changed else "Cách đánh số không thay đổi.", "success" if changed else "info")
        return redirect(url_for("register.settings"), code=303)
    return render_template("register/settings.html", form=form, registers=reg.all_registers(),
                           mode=reg.numbering_mode())


# ---- issuing -------------------------------------------------------------------------------------------


def _issue_form_choices(form: IssueForm, document: Document) -> None:
    register = reg.register_for(document.kind)
    year = reg.office_date(now()).year
    upcoming = reg.last_number(register, year) + 1
    symbol = document.kind_info.symbol(Organization.current().symbol_suffix)
    pairs = [(0, f"Cấp số mới (dự kiến {upcoming:02d}/{symbol})")]
    pairs += [(e.id, f"Dùng số giữ trước {e.number:02d}/{symbol} — {e.notes}"[:150])
              for e in reg.open_reservations(register, year)]
    form.reserved_entry_id.choices = choices(pairs)


def _issue_page(document: Document, form: IssueForm, error: str | None = None, status: int = 200):
    _issue_form_choices(form, document)
    entry = sc.entry_of(document)
    return render_template(ISSUE, document=document, form=form, error=error, entry=entry,
                           register=reg.register_for(document.kind),
                           default_copies=reg.default_copies(document), default_keeper=reg.default_keeper(document),
                           recipients=reg.recipient_lines(document)), status


@bp.get("/documents/<int:document_id>/issue")
@roles_required(RECORDS)
def issue_form(document_id: int):
    """Check the number, copies and keeper before issuing an approved document."""
    document = _document_or_404(document_id)
    if document.status != workflow.APPROVED:
        return redirect(_record_url(document) if document.number else url_for("archive.index"), code=303)
    form = IssueForm(formdata=None, expected_status=document.status)
    return _issue_page(document, form)


@bp.post("/documents/<int:document_id>/issue")
@roles_required(RECORDS)
def issue_document(document_id: int):
    """Give the approved document its number and date and record it in the register (double-click safe)."""
    document = _document_or_404(document_id)
    form = IssueForm()
    _issue_form_choices(form, document)
    if not form.validate_on_submit():
        return _issue_page(document, form)
    expected = form.expected_status.data or workflow.APPROVED
    try:
        entry = reg.issue(document, current_user, now(), expected_status=expected,
                          reserved_entry_id=form.reserved_entry_id.data or None, copies=form.copies.data,
                          keeper=form.keeper.data or None, notes=form.notes.data or "")
        # The .docx as issued is kept in the same transaction as its number: both exist, or neither.
        attach_final_docx(document, entry, current_user)
        db.session.commit()
    except workflow.StaleAction as stale:
        db.session.rollback()
        document = db.session.get(Document, document_id)
        existing = sc.entry_of(document)
        if existing is not None and existing.status == "issued":
            flash(f"Văn bản đã được cấp số {existing.number_symbol} ngày {existing.issued_on:%d/%m/%Y}; "
                  "không cấp thêm số nào.", "info")
            return redirect(_record_url(document), code=303)
        flash(stale.message, "warning")
        return redirect(safe_next(request.values.get("next"), url_for("archive.index")), code=303)
    except (workflow.TransitionRefused, RegisterError) as refused:
        db.session.rollback()
        field = getattr(refused, "field", None)
        document = db.session.get(Document, document_id)
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
    return redirect(safe_next(request.values.get("next"), _record_url(document)), code=303)


def attach_final_docx(document: Document, entry: RegisterEntry, user) -> files.StoredFile:
    """Build the issued .docx (number and date filled in), store it and link it to the entry; caller commits."""
    data = document_data(document, Organization.current())
    stored = files.store_file(build_docx(data), suggested_filename(data), allowed_kinds={file_kinds.DOCX},
                              max_bytes=64 * 1024 * 1024, user=user)
    entry.final_file_id = stored.id
    entry.issued_data = data_to_json(data)
    return stored


def _store_final_docx(document: Document, entry: RegisterEntry):
    """Store the issued .docx of a document issued before it was kept at issue (older data), on first download."""
    try:
        stored = attach_final_docx(document, db.session.get(RegisterEntry, entry.id), current_user)
        db.session.commit()
        return stored
    except Exception:  # the issue stands; the .docx is built again on the first download
        db.session.rollback()
        log.exception("building the issued .docx of document %s failed", document.id)
        return None


@bp.get("/documents/<int:document_id>/final.docx")
def final_docx(document_id: int):
    """Download the issued .docx with its number and date."""
    document = find_visible(current_user, document_id) or abort(404)
    entry = sc.entry_of(document) or abort(404)
    stored = entry.final_file or _store_final_docx(document, entry)
    if stored is None:
        abort(500)
    return send_stored_file(stored, _record_url(document))


# ---- the signed copy -----------------------------------------------------------------------------------


@bp.post("/documents/<int:document_id>/signed-copy")
@roles_required(RECORDS)
def upload_signed_copy(document_id: int):
    """Keep the scanned signed copy (a PDF byte for byte, or images as one PDF) and archive the document."""
    document = find_visible(current_user, document_id) or abort(404)
    uploads = [sc.Upload(f.read(), f.filename or "") for f in request.files.getlist("file")]
    expected = request.form.get("expected_status") or document.status
    try:
        copy = sc.file_signed_copy(document, uploads, current_user, now(), expected_status=expected,
                                   max_bytes=signed_copy_limit())
        db.session.commit()
    except FileRejected as rejected:
        db.session.rollback()
        return record_page(db.session.get(Document, document_id), upload_error=rejected.message)
    except workflow.StaleAction as stale:
        db.session.rollback()
        flash(stale.message, "warning")
        return redirect(_record_url(document), code=303)
    except workflow.TransitionRefused as refused:
        db.session.rollback()
        return record_page(db.session.get(Document, document_id), upload_error=refused.message)
    except OperationalError:
        db.session.rollback()
        return record_page(db.session.get(Document, document_id), upload_error=BUSY)
    stored = copy.stored_file
    flash(f"Đã lưu bản có chữ ký ({stored.original_name}, {files.size_text(stored.size)}) và lưu trữ văn bản.",
          "success")
    return redirect(_record_url(document), code=303)


@bp.get("/documents/<int:document_id>/signed-copy")
def download_signed_copy(document_id: int):
    """Download (or view, with ?inline=1) the signed copy; every download is in the audit log."""
    document = find_visible(current_user, document_id) or abort(404)
    stmt = select(SignedCopy).where(SignedCopy.document_id == document.id)
    if (copy_id := query_int("copy", minimum=0)) is not None:
        stmt = stmt.where(SignedCopy.id == copy_id)
    copy = db.session.scalar(stmt.order_by(SignedCopy.uploaded_at.desc(), SignedCopy.id.desc()).limit(1))
    if copy is None:
        abort(404)
    stored = copy.stored_file
    inline = request.args.get("inline") == "1"

    def audit_download():
        audit("document.signed_copy_download", document, user=current_user, object_type="document",
              summary=f"{current_user.full_name} {'xem' if inline else 'tải'} bản có chữ ký ({stored.original_name})"[:500],
              after={"signed_copy_id": copy.id, "file_id": stored.id, "sha256": stored.sha256})
        db.session.commit()

    return send_stored_file(stored, _record_url(document), inline=inline, before_sending=audit_download)
