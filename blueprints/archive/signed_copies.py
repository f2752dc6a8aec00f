"""The signed copy of an issued document: its upload (which archives the document), its audited download, and the
searchable PDF derived from a scan by OCR (audited the same way)."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from blueprints import roles_required
from blueprints.archive import bp
from blueprints.archive.record import signed_copy_limit
from blueprints.params import query_int
from blueprints.shared import BUSY, record_url, send_stored_file
from domain import clock, files
from domain.access import archived_document_for
from domain.documents import workflow
from domain.files import FileRejected
from domain.register import signed_copy as sc
from extensions import db
from models import SignedCopy
from models.choices import RECORDS
from models.core import audit


@bp.post("/documents/<int:document_id>/signed-copy")
@roles_required(RECORDS)
def upload_signed_copy(document_id: int):
    """Keep the scanned signed copy (a PDF byte for byte, or images as one PDF) and archive the document."""
    document = archived_document_for(current_user, document_id) or abort(404)
    uploads = [sc.Upload(f.read(), f.filename or "") for f in request.files.getlist("file")]
    expected = request.form.get("expected_status") or document.status
    try:
        copy = sc.file_signed_copy(document, uploads, current_user, clock.now(), expected_status=expected,
                                   max_bytes=signed_copy_limit())
        db.session.commit()
    except (FileRejected, workflow.TransitionRefused) as refused:
        return _refused(document, refused.message)
    except workflow.StaleAction as stale:
        return _refused(document, stale.message, "warning")
    except OperationalError:
        return _refused(document, BUSY)
    stored = copy.stored_file
    flash(f"Đã lưu bản có chữ ký ({stored.original_name}, {files.size_text(stored.size)}) và lưu trữ văn bản.",
          "success")
    return redirect(record_url(document), code=303)


def _refused(document, message: str, category: str = "error"):
    """Nothing is kept; back to the record page with the reason, so reloading it does not post the upload again."""
    db.session.rollback()
    flash(message, category)
    return redirect(record_url(document), code=303)


def _copy_of(document) -> SignedCopy | None:
    """The copy named by ?copy=, else the newest, of a document the user may see."""
    stmt = select(SignedCopy).where(SignedCopy.document_id == document.id)
    if (copy_id := query_int("copy", minimum=0)) is not None:
        stmt = stmt.where(SignedCopy.id == copy_id)
    return db.session.scalar(stmt.order_by(SignedCopy.uploaded_at.desc(), SignedCopy.id.desc()).limit(1))


@bp.get("/documents/<int:document_id>/signed-copy")
def download_signed_copy(document_id: int):
    """Download (or view, with ?inline=1) the signed copy; every download is in the audit log."""
    document = archived_document_for(current_user, document_id) or abort(404)
    copy = _copy_of(document) or abort(404)
    stored = copy.stored_file
    inline = request.args.get("inline") == "1"

    def audit_download():
        audit("document.signed_copy_download", document, user=current_user, object_type="document",
              summary=f"{current_user.full_name} {'xem' if inline else 'tải'} bản có chữ ký ({stored.original_name})"[:500],
              after={"signed_copy_id": copy.id, "file_id": stored.id, "sha256": stored.sha256})
        db.session.commit()

    return send_stored_file(stored, record_url(document), inline=inline, before_sending=audit_download)


@bp.get("/documents/<int:document_id>/signed-copy/searchable")
def download_searchable_copy(document_id: int):
    """The PDF derived from a scanned copy by OCR, with a text layer (never the signed original): for those who may
    see the original, audited like it."""
    document = archived_document_for(current_user, document_id) or abort(404)
    copy = _copy_of(document) or abort(404)
    stored = copy.searchable_file or abort(404)

    def audit_download():
        audit("document.searchable_copy_download", document, user=current_user, object_type="document",
              summary=f"{current_user.full_name} tải bản PDF có thể tìm kiếm (bản sao từ OCR) của bản có chữ ký "
                      f"({copy.stored_file.original_name})"[:500],
              after={"signed_copy_id": copy.id, "file_id": stored.id, "sha256": stored.sha256})
        db.session.commit()

    return send_stored_file(stored, record_url(document), before_sending=audit_download)
