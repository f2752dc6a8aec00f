"""The issued document as PDF/A-2b, ready to be signed with the leader's token outside the application: made by
the worker from the stored issued .docx (LibreOffice's PDF/A export, docgen.pdf.PDFA_2B_FILTER_DATA) and cached by
the .docx's hash. A request gets it at once when cached, or a job to follow.

Like previews, the worker's warm LibreOffice exports it (docgen.previews.warm_convert, the PDF/A filter data passed
to unoserver), and a cold one when there is none or it fails."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from docgen import pdf as docgen_pdf
from docgen import previews
from domain import files, jobs
from domain.jobs.access import DOCUMENT_SUBJECT, subject_of
from extensions import db
from models.choices import JOB_SIGNING_PDF
from models.files import StoredFile
from models.jobs import Job

NO_LIBREOFFICE = "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF/A."
_PDFA_PART = re.compile(rb"pdfaid:part(?:>|=[\"'])2[<\"']")
_PDFA_CONFORMANCE = re.compile(rb"pdfaid:conformance(?:>|=[\"'])B[<\"']")


def _cache_file(docx_sha256: str) -> Path:
    return Path(current_app.config["CACHE_DIR"]) / "pdf" / f"{docx_sha256}-pdfa2b.pdf"


def declares_pdfa_2b(pdf: bytes) -> bool:
    """Whether the PDF's XMP metadata says PDF/A-2b (pdfaid:part 2, conformance B), as an element or an attribute.
    A warm export that does not (its filter options lost on the way) is not kept: the cold one is."""
    return bool(_PDFA_PART.search(pdf) and _PDFA_CONFORMANCE.search(pdf))


def cached_signing_pdf(docx: StoredFile) -> bytes | None:
    path = _cache_file(docx.sha256)
    return path.read_bytes() if path.exists() else None


def request_signing_pdf(docx: StoredFile, document_id: int, user) -> Job:
    """A job that makes the PDF/A of this issued .docx (or the one already waiting or running). The caller commits."""
    return jobs.enqueue(JOB_SIGNING_PDF, subject=subject_of(DOCUMENT_SUBJECT, document_id),
                        params={"stored_file_id": docx.id}, dedupe_key=f"{JOB_SIGNING_PDF}:{docx.sha256}",
                        user=user)


def signing_pdf_job(docx: StoredFile) -> Job | None:
    return db.session.scalar(select(Job).where(Job.kind == JOB_SIGNING_PDF,
                                               Job.dedupe_key == f"{JOB_SIGNING_PDF}:{docx.sha256}")
                             .order_by(Job.id.desc()).limit(1))


@jobs.task(JOB_SIGNING_PDF, attempts=2, backoff_seconds=5, timeout_seconds=120)
def make_signing_pdf(job: Job) -> dict:
    stored = db.session.get(StoredFile, job.params.get("stored_file_id"))
    if stored is None:
        raise jobs.JobFailed("Không còn bản phát hành (.docx) để chuyển sang PDF/A.")
    target = _cache_file(stored.sha256)
    if not target.exists():
        jobs.report_progress("LibreOffice đang xuất văn bản sang PDF/A-2b…")
        docx = files.read_file(stored)
        pdf = previews.warm_convert(docx, docgen_pdf.PDFA_2B_FILTER_DATA)
        if pdf is not None and declares_pdfa_2b(pdf):
            docgen_pdf._write_atomically(target, pdf)
        else:
            try:
                docgen_pdf.convert_docx_to_pdfa(docx, target.parent, previews.conversion_timeout())
            except docgen_pdf.PdfUnavailable as exc:
                raise jobs.JobFailed(NO_LIBREOFFICE) from exc
    return {"sha256": hashlib.sha256(target.read_bytes()).hexdigest()}
