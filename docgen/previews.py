"""PDF previews through the background queue: a request gets the cached PDF at once or a job to follow; the worker
converts with a warm LibreOffice (docgen.office) when it has one, else a cold one (docgen.pdf). The PDF/A for signing
(docgen.signing_pdf) and the format check's pages use the same warm LibreOffice (warm_convert).

Each conversion's timeout is what is left of its job's time limit, at most PDF_TIMEOUT_SECONDS (conversion_timeout).

The cache is keyed by the SHA-256 of the .docx, as docgen.pdf's: the request leaves the .docx beside it
(CACHE_DIR/pdf/<sha>.docx) for the worker, which writes <sha>.pdf there. Two requests for the same .docx share one
job (the dedupe key is the hash).
"""

from __future__ import annotations

import hashlib
import logging
import time
import xmlrpc.client
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from docgen import office
from docgen import pdf as docgen_pdf
from domain import jobs
from extensions import db
from models.choices import JOB_PDF_PREVIEW
from models.jobs import Job

log = logging.getLogger(__name__)

NO_LIBREOFFICE = "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF."
_warm: office.WarmOffice | None = None  # the worker's warm LibreOffice, when it has one


def cache_dir() -> Path:
    return Path(current_app.config["CACHE_DIR"]) / "pdf"


def cached_pdf(docx: bytes) -> bytes | None:
    path = docgen_pdf._cache_file(cache_dir(), docx)
    return path.read_bytes() if path.exists() else None


def wait_for_pdf(docx: bytes, seconds: float) -> bytes | None:
    """The PDF if the worker has it within `seconds` (a warm LibreOffice takes under one), else None."""
    deadline = time.monotonic() + seconds
    while (pdf := cached_pdf(docx)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return pdf


def preview_job(docx: bytes) -> Job | None:
    """The latest job asked for this .docx."""
    digest = hashlib.sha256(docx).hexdigest()
    return db.session.scalar(select(Job).where(Job.kind == JOB_PDF_PREVIEW, Job.dedupe_key == digest)
                             .order_by(Job.id.desc()).limit(1))


def request_preview(docx: bytes, *, subject: str, user) -> Job:
    """A job that renders this .docx (or the one already waiting or running for the same bytes). The caller commits;
    the worker then finds the .docx written here."""
    digest = hashlib.sha256(docx).hexdigest()
    source = cache_dir() / f"{digest}.docx"
    if not source.exists():
        docgen_pdf._write_atomically(source, docx)
    return jobs.enqueue(JOB_PDF_PREVIEW, subject=subject, params={"sha256": digest}, dedupe_key=digest, user=user)


@jobs.task(JOB_PDF_PREVIEW, attempts=2, backoff_seconds=5, timeout_seconds=120)
def render_preview(job: Job) -> dict:
    digest = job.params["sha256"]
    target, source = cache_dir() / f"{digest}.pdf", cache_dir() / f"{digest}.docx"
    if target.exists():
        return {"sha256": digest}
    if not source.exists():
        raise jobs.JobFailed("Không còn bản .docx để chuyển sang PDF; hãy mở lại bản PDF của văn bản.")
    docx = source.read_bytes()
    jobs.report_progress("LibreOffice đang chuyển văn bản sang PDF…")
    try:
        pdf = warm_convert(docx)
        if pdf is None:
            pdf = docgen_pdf.convert_docx_to_pdf(docx, cache_dir(), conversion_timeout())
        if not target.exists():
            docgen_pdf._write_atomically(target, pdf)
    except docgen_pdf.PdfUnavailable as exc:
        raise jobs.JobFailed(NO_LIBREOFFICE) from exc
    source.unlink(missing_ok=True)
    return {"sha256": digest}


def conversion_timeout() -> float:
    """A LibreOffice conversion's timeout: PDF_TIMEOUT_SECONDS (60), or what is left of the running job's time
    limit when that is less (jobs.JobTimedOut when nothing is left)."""
    return jobs.time_left(current_app.config.get("PDF_TIMEOUT_SECONDS", 60))


def warm_convert(docx: bytes, filter_data: dict | None = None) -> bytes | None:
    """The PDF from the worker's warm LibreOffice (with these PDF export options), or None: no warm one here, or it
    failed or overran (it is then stopped): go cold."""
    if _warm is None:
        return None
    try:
        pdf = _warm.convert(docx, conversion_timeout(), filter_data)
    except (OSError, xmlrpc.client.Error):
        log.warning("warm LibreOffice failed; converting cold", exc_info=True)
        return None
    return pdf if pdf.startswith(b"%PDF") else None


def _start_warm(app) -> None:
    global _warm
    if app.config.get("PDF_WARM_OFFICE", True) and office.available():
        warm = office.WarmOffice()
        if warm.start():
            _warm = warm


def _stop_warm(_app) -> None:
    global _warm
    if _warm is not None:
        _warm.stop()
        _warm = None


jobs.on_worker_start(_start_warm, _stop_warm)
