"""The issued document as PDF/A-2b, ready to be signed with the leader's token outside the application: made by
the worker from the stored issued .docx (LibreOffice's PDF/A export, docgen.pdf.PDFA_2B) and cached by the .docx's
hash. A request gets it at once when cached, or a job to follow."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from docgen import pdf as docgen_pdf
from domain import files, jobs
from domain.jobs.access import DOCUMENT_SUBJECT, subject_of
from extensions import db
from models.choices import JOB_SIGNING_PDF
from models.files import StoredFile
from models.jobs import Job

NO_LIBREOFFICE = "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF/A."


def _cache_file(docx_sha256: str) -> Path:
    return Path(current_app.config["CACHE_DIR"]) / "pdf" / f"{docx_sha256}-pdfa2b.pdf"


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


@jobs.task(JOB_SIGNING_PDF, attempts=2, backoff_seconds=5)
def make_signing_pdf(job: Job) -> dict:
    stored = db.session.get(StoredFile, job.params.get("stored_file_id"))
    if stored is None:
        raise jobs.JobFailed("Không còn bản phát hành (.docx) để chuyển sang PDF/A.")
    target = _cache_file(stored.sha256)
    if not target.exists():
        jobs.report_progress("LibreOffice đang xuất văn bản sang PDF/A-2b…")
        docx = files.read_file(stored)
        try:
            docgen_pdf.convert_docx_to_pdfa(docx, target.parent, current_app.config.get("PDF_TIMEOUT_SECONDS", 60))
        except docgen_pdf.PdfUnavailable as exc:
            raise jobs.JobFailed(NO_LIBREOFFICE) from exc
    return {"sha256": hashlib.sha256(target.read_bytes()).hexdigest()}
