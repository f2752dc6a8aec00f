"""The Kiểm tra thể thức page: upload a .docx, or pick a document of the application (its current .docx or the one
issued), and see what is wrong with its format. Nothing is stored: the file is held for its owner for a while
(domain.format_review.held) and goes by itself; saving means "Chuẩn hóa" (normalizing.py)."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import roles_required
from blueprints.format_check import bp
from blueprints.format_check.holding import hold_and_draw, root
from blueprints.params import parse_id
from docgen import build_docx, suggested_filename
from docgen.records import document_data
from domain import files
from domain.access import STAFF_ROLES, document_for, visible_documents
from domain.format_check import FormatCheckError, check_docx
from domain.format_check.package import MAX_BYTES
from domain.format_review.held import sweep
from domain.plans.import_limits import megabytes
from domain.register.signed_copy import entry_of
from extensions import db
from models.core import Organization, audit
from models.documents import Document

INDEX = "format_check/index.html"
CURRENT, ISSUED_COPY = "current", "issued_copy"  # which .docx of a document (a form value, not a stored code)
NO_FILE = "Hãy chọn tệp Word (.docx) để kiểm tra."
DOCX_ACCEPT = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PICK_LIMIT = 200
# A file or choice that cannot be checked: the form again with the reason (400 is a missing CSRF token's answer).
UNPROCESSABLE = 422


def _documents() -> list[Document]:
    """The documents this user may see, the latest changed first, for the picker."""
    stmt = (
        visible_documents(current_user)
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(PICK_LIMIT)
    )
    return list(db.session.scalars(stmt))


def _limit() -> int:
    """FORMAT_CHECK_MAX_BYTES, never above what the checker reads."""
    return min(int(current_app.config.get("FORMAT_CHECK_MAX_BYTES", MAX_BYTES)), MAX_BYTES)


def _index(upload_error: str = "", pick_error: str = "", status: int = 200):
    return render_template(INDEX, documents=_documents(), upload_error=upload_error, pick_error=pick_error,
                           limit=megabytes(_limit()), accept=DOCX_ACCEPT, CURRENT=CURRENT,
                           ISSUED_COPY=ISSUED_COPY, entry_of=entry_of), status  # fmt: skip


@bp.get("/")
@roles_required(*STAFF_ROLES)
def index():
    sweep(root())  # whoever opens the page clears what has expired, so a file nobody comes back for goes too
    return _index()


def _checked(filename: str, data: bytes):
    """Check before holding: a file the checker refuses is answered with its message and not kept at all."""
    check_docx(data)
    found = hold_and_draw(filename, data)
    audit(
        "format_check.check",
        None,
        user=current_user,
        object_type="format_check",
        summary=f"Kiểm tra thể thức tệp {filename}"[:500],
        after={"sha256": found.sha256, "bytes": len(data)},
    )
    db.session.commit()
    return redirect(url_for(".report", token=found.token), code=303)


@bp.post("/")
@roles_required(*STAFF_ROLES)
def upload():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _index(upload_error=NO_FILE, status=UNPROCESSABLE)
    limit = _limit()
    data = upload.stream.read(limit + 1)  # never more than the limit in memory
    if len(data) > limit:
        return _index(upload_error=f"Tệp quá lớn (hơn {megabytes(limit)}); chỉ kiểm tra tệp đến {megabytes(limit)}.",
                      status=UNPROCESSABLE)  # fmt: skip
    # The check needs no database: end the POST's transaction (SQLite's write lock) while the file is read.
    db.session.commit()
    try:
        return _checked(upload.filename, data)
    except FormatCheckError as refused:
        db.session.rollback()
        return _index(upload_error=refused.message, status=UNPROCESSABLE)


def document_bytes(document: Document, version: str) -> tuple[bytes, str] | None:
    """A document's .docx as drawn from its current data, or as it was issued (None when it has none)."""
    if version == ISSUED_COPY:
        entry = entry_of(document)
        if entry is None or entry.final_file is None:
            return None
        return files.read_file(entry.final_file), entry.final_file.original_name
    data = document_data(document, Organization.current())
    return build_docx(data), suggested_filename(data)


@bp.post("/document")
@roles_required(*STAFF_ROLES)
def pick():
    document_id = request.form.get("document_id", "")
    version = request.form.get("version", CURRENT)
    document = document_for(current_user, number) if (number := parse_id(document_id)) else None
    if document is None or version not in (CURRENT, ISSUED_COPY):
        return _index(pick_error="Hãy chọn một văn bản trong danh sách.", status=UNPROCESSABLE)
    found = document_bytes(document, version)
    if found is None:
        return _index(pick_error="Văn bản này chưa ban hành nên chưa có bản .docx đã ban hành; hãy chọn “Bản hiện "
                      "tại”.", status=UNPROCESSABLE)  # fmt: skip
    try:
        return _checked(*reversed(found))
    except FormatCheckError as refused:
        db.session.rollback()
        return _index(pick_error=refused.message, status=UNPROCESSABLE)
