"""The signed copy of an issued document: a PDF kept byte for byte, or scanned images combined into one PDF
(domain.register.scans); checked against the register (number, date, trích yếu found in its text layer); filing it
archives the document and asks the worker to check its digital signatures (domain.register.signature_check).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from domain import files
from domain.documents import workflow
from domain.file_kinds import JPEG, PDF, PNG
from domain.files import FileRejected
from domain.register import ocr
from domain.register.body_check import BODY_PAGES, check_body
from domain.register.numbering import utc_naive
from domain.register.scan_reading import request_reading
from domain.register.scans import images_to_pdf
from domain.register.signature_check import request_check
from domain.text.vietnamese import date_line, fold
from extensions import begin_write, db
from models.choices import RECORDS
from models.core import User, audit
from models.documents import Document
from models.register import RegisterEntry, SignedCopy

IMAGE_KINDS = {PNG, JPEG}
UPLOAD_KINDS = {PDF} | IMAGE_KINDS
MAX_IMAGES = 50
# What a signed copy is, said plainly: a Word file is the draft, not the paper that was signed.
MSG_NOT_A_SCAN = ("Bản có chữ ký phải là tệp PDF (bản quét hoặc bản có chữ ký số) hoặc ảnh quét JPG/PNG. "
                  "Tệp Word, Excel hay loại tệp khác không phải bản có chữ ký: hãy quét bản giấy đã ký, "
                  "hoặc tải lên tệp PDF đã ký số.")
MSG_MIXED = "Hãy tải lên một tệp PDF, hoặc một hay nhiều ảnh JPG/PNG (mỗi ảnh một trang); không trộn PDF với ảnh."


@dataclass
class Upload:
    data: bytes
    name: str


# ---- what the copy says --------------------------------------------------------------------------------


def pdf_text(data: bytes, pages: int = 3) -> str:
    """The text layer of the first pages ("" for an image-only scan or when pdftotext is not installed)."""
    return ocr.text_layer(data, pages)


def _squash(s: str) -> str:
    """Folded letters and digits only: line breaks and spacing in a PDF's text do not matter."""
    return re.sub(r"[\W_]+", "", fold(s))


def compare(entry: RegisterEntry, text: str) -> tuple[bool | None, bool | None, bool | None]:
    """Whether the register's number/symbol, date and trích yếu appear in the copy's text (None: no text)."""
    squashed = _squash(text)
    if len(squashed) < 20:
        return None, None, None
    number = _squash(entry.number_symbol) in squashed
    date = entry.issued_on is not None and _squash(date_line("", entry.issued_on)) in squashed
    title = bool(entry.title) and _squash(entry.title) in squashed
    return number, date, title


# ---- filing it -----------------------------------------------------------------------------------------


def prepare(uploads: list[Upload], max_bytes: int) -> tuple[bytes, str, str, int]:
    """Check the uploads and make the one PDF to keep: (pdf bytes, name, source, image count). No database."""
    uploads = [u for u in uploads if u.data or u.name]
    if not uploads:
        raise FileRejected("Vui lòng chọn tệp bản có chữ ký (PDF hoặc ảnh JPG/PNG).")
    kinds = [files.check_upload(u.data, allowed_kinds=UPLOAD_KINDS, max_bytes=max_bytes, wrong_kind=MSG_NOT_A_SCAN)
             for u in uploads]
    if PDF in kinds:
        if len(uploads) > 1:
            raise FileRejected(MSG_MIXED)
        return uploads[0].data, uploads[0].name, "pdf", 0  # byte for byte: a digital signature stays valid
    if len(uploads) > MAX_IMAGES:
        raise FileRejected(f"Tối đa {MAX_IMAGES} ảnh cho một văn bản.")
    pdf = images_to_pdf([(u.data, k) for u, k in zip(uploads, kinds, strict=True)])
    if len(pdf) > max_bytes:
        raise FileRejected(f"Tệp PDF ghép từ ảnh quá lớn ({files.size_text(len(pdf))}); "
                           f"giới hạn là {files.size_text(max_bytes)}. Hãy quét ở độ phân giải thấp hơn.")
    stem = uploads[0].name.rsplit(".", 1)[0] if uploads[0].name else "ban-ky"
    return pdf, f"{stem}.pdf", "images", len(uploads)


def entry_of(document: Document) -> RegisterEntry | None:
    return db.session.scalar(db.select(RegisterEntry).where(RegisterEntry.document_id == document.id))


def file_signed_copy(document: Document, uploads: list[Upload], user: User, now: datetime, *,
                     expected_status: str, max_bytes: int) -> SignedCopy:
    """Store the signed copy and archive the document (or add a corrected copy to an archived one).

    Raises FileRejected for a bad upload, StaleAction when the page was old, TransitionRefused when the user or
    status does not allow it; nothing is stored in the database then. The caller commits.
    """
    pdf, name, source, image_count = prepare(uploads, max_bytes)
    text = pdf_text(pdf)  # outside the write transaction: pdftotext may take a moment
    body = check_body(document, pdf_text(pdf, pages=BODY_PAGES))  # the whole text, before it is filed
    begin_write()
    db.session.refresh(document, with_for_update=True)
    if document.status != expected_status:
        raise workflow.StaleAction(document.status)
    if not user.has_role(RECORDS):
        raise workflow.TransitionRefused("Chỉ văn thư mới lưu bản có chữ ký.")
    if document.status not in (workflow.ISSUED, workflow.ARCHIVED):
        raise workflow.TransitionRefused("Chỉ lưu bản có chữ ký của văn bản đã phát hành.")
    entry = entry_of(document)
    stored = files.store_file(pdf, name, allowed_kinds={PDF}, max_bytes=max(max_bytes, len(pdf)), user=user)
    number_found, date_found, title_found = compare(entry, text) if entry else (None, None, None)
    copy = SignedCopy(document_id=document.id, stored_file_id=stored.id, uploaded_by_id=user.id,
                      uploaded_at=utc_naive(now), source=source, image_count=image_count,
                      number_found=number_found, date_found=date_found, title_found=title_found,
                      body_check=json.dumps(body, ensure_ascii=False) if body is not None else None)
    db.session.add(copy)
    db.session.flush()
    request_check(copy, user)  # the worker reads its signatures once this transaction commits
    if not ocr.has_text_layer(text):
        request_reading(copy, user)  # a scan: the worker reads it with OCR and compares it with the register
    details = {"file_id": stored.id}
    if document.status == workflow.ISSUED:
        workflow.perform(document, "archive", user, expected_status=workflow.ISSUED, **details)
    else:
        audit("document.signed_copy_replace", document, user=user, object_type="document",
              summary=f"{user.full_name} bổ sung bản có chữ ký mới ({stored.original_name})"[:500],
              after={"file_id": stored.id, "sha256": stored.sha256, "size": stored.size})
    return copy


def copies_of(document: Document) -> list[SignedCopy]:
    return list(db.session.scalars(db.select(SignedCopy).where(SignedCopy.document_id == document.id)
                                   .order_by(SignedCopy.uploaded_at.desc(), SignedCopy.id.desc())))
