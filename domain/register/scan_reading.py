"""Reading a scanned signed copy in the background: asked for when a copy without a text layer is filed, done by the
worker (Tesseract, domain.register.ocr), compared with the register (domain.register.scan_match), and added to the
archive's search keys, so the scan is found by a phrase of its body.

The stored file is only read; what is derived (the text, the matches) is a ScanReading row, and the copy's
number/date/trích yếu flags are set from the matches in the same transaction as the job's "done". The same reading
gives the searchable copy: a PDF of the scan with an invisible text layer, stored as a file of its own (its own
SHA-256) and linked as SignedCopy.searchable_file; it is made once (a job run again keeps the first one).
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from sqlalchemy import select

from domain import files, jobs
from domain.file_kinds import PDF
from domain.jobs.access import DOCUMENT_SUBJECT, subject_of
from domain.register import ocr, scan_match
from domain.register.archive import index_document, search_text
from extensions import db
from models.choices import JOB_READ_SCAN
from models.core import User, audit
from models.documents import Document
from models.files import StoredFile
from models.jobs import Job
from models.ocr import ScanReading
from models.register import RegisterEntry, SignedCopy

MSG_COPY_GONE = "Bản có chữ ký này không còn trong hồ sơ."
FIELD_LABELS = ("Số, ký hiệu", "Ngày tháng", "Trích yếu")


def dedupe_key(copy: SignedCopy) -> str:
    return f"{JOB_READ_SCAN}:{copy.id}"


def request_reading(copy: SignedCopy, user: User | None) -> Job:
    """Ask the worker to read this copy (sent when the caller commits)."""
    return jobs.enqueue(JOB_READ_SCAN, subject=subject_of(DOCUMENT_SUBJECT, copy.document_id),
                        params={"signed_copy_id": copy.id}, dedupe_key=dedupe_key(copy), user=user)


def reading_job(copy: SignedCopy) -> Job | None:
    """The latest reading asked for this copy."""
    return db.session.scalar(select(Job).where(Job.kind == JOB_READ_SCAN, Job.dedupe_key == dedupe_key(copy))
                             .order_by(Job.id.desc()).limit(1))


def reading_of(copy: SignedCopy) -> ScanReading | None:
    return db.session.scalar(select(ScanReading).where(ScanReading.signed_copy_id == copy.id))


@jobs.task(JOB_READ_SCAN, attempts=2, backoff_seconds=30, timeout_seconds=ocr.MAX_PAGES * ocr.PAGE_BUDGET_SECONDS)
def read_signed_copy(job: Job) -> dict:
    copy = db.session.get(SignedCopy, job.params.get("signed_copy_id"))
    if copy is None:
        raise jobs.JobFailed(MSG_COPY_GONE)
    data = files.read_file(copy.stored_file)  # raises FileDamaged if the bytes are not those recorded
    jobs.report_progress("Đang chuẩn bị nhận dạng chữ…")

    def progress(page: int, pages: int) -> None:
        jobs.report_progress(f"Đang nhận dạng chữ trang {page}/{pages}…")

    try:
        reading = ocr.read_pdf(data, progress, searchable=copy.searchable_file_id is None)
    except ocr.OcrError as refused:
        raise jobs.JobFailed(refused.message) from refused
    row = store_reading(copy, reading)
    if reading.searchable is not None:
        store_searchable(copy, reading.searchable)
    return {"signed_copy_id": copy.id, "pages": reading.pages_read, "found": [m["found"] for m in row.matches],
            "searchable_file_id": copy.searchable_file_id}


def store_searchable(copy: SignedCopy, pdf: bytes) -> StoredFile:
    """Keep the derived PDF as a file of its own and link it to the copy (the upload is not touched); audited, so
    the record's history says where the file came from. The caller commits."""
    stem = PurePosixPath(copy.stored_file.original_name).stem or "ban-ky"
    stored = files.store_file(pdf, f"{stem}-ban-sao-ocr.pdf", allowed_kinds={PDF}, max_bytes=len(pdf), user=None)
    copy.searchable_file = stored
    audit("document.searchable_copy", db.session.get(Document, copy.document_id), user=None, object_type="document",
          summary=f"Tạo bản PDF có thể tìm kiếm (bản sao từ OCR) của {copy.stored_file.original_name}"[:500],
          after={"signed_copy_id": copy.id, "file_id": stored.id, "sha256": stored.sha256, "size": stored.size})
    return stored


def store_reading(copy: SignedCopy, reading: ocr.Reading) -> ScanReading:
    """Keep what OCR read, compare it with the register, and search it with the archive. The caller commits."""
    entry = db.session.scalar(select(RegisterEntry).where(RegisterEntry.document_id == copy.document_id))
    row = reading_of(copy) or ScanReading(signed_copy_id=copy.id)
    row.text, row.pages_read, row.pages_total = reading.text, reading.pages_read, reading.pages_total
    row.note, row.seconds = reading.note[:500], round(reading.seconds, 2)
    found = ocr.has_text_layer(reading.text)
    if entry is not None and found:
        matches = scan_match.compare(entry.number, entry.symbol, entry.issued_on, entry.title, reading.text)
        row.matches_json = json.dumps([m.to_dict() for m in matches], ensure_ascii=False)
        copy.number_found, copy.date_found, copy.title_found = (m.found for m in matches)
    db.session.add(row)
    db.session.flush()
    if entry is not None:
        index_with_scans(copy.document_id, entry)
    return row


def index_with_scans(document_id: int, entry: RegisterEntry) -> None:
    """The document's search keys, then the words OCR read on its scans (all of them, so reading twice adds
    nothing twice)."""
    search_row = index_document(entry.document, entry)
    texts = db.session.scalars(select(ScanReading.text).join(SignedCopy, SignedCopy.id == ScanReading.signed_copy_id)
                               .where(SignedCopy.document_id == document_id).order_by(ScanReading.id))
    search_row.text = search_text(search_row.text, *texts)


def view_of(copy: SignedCopy, entry: RegisterEntry | None) -> tuple[ScanReading | None, list[dict], Job | None]:
    """What the record page shows of a copy's reading: (reading, field rows, the job while there is no reading)."""
    reading = reading_of(copy)
    return reading, field_rows(copy, reading, entry), None if reading else reading_job(copy)


def field_rows(copy: SignedCopy, reading: ScanReading | None, entry: RegisterEntry | None) -> list[dict]:
    """For the page: each field's register value, whether OCR found it, and the text it was matched against."""
    if reading is None or entry is None or not reading.matches:
        return []
    wanted = (entry.number_symbol, entry.issued_on.strftime("%d/%m/%Y") if entry.issued_on else "", entry.title)
    return [{"label": label, "wanted": value, **match}
            for label, value, match in zip(FIELD_LABELS, wanted, reading.matches, strict=True)]
