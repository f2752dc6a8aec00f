"""Where this page keeps what it checks, and the background job that draws the pages.

An upload (or a document picked from the application) is held for its owner only (domain.format_review.held);
the worker draws its pages into a folder named by the file's SHA-256 (docgen.page_pictures), so the same file
checked twice, or by two people, is drawn once.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import select

from docgen import previews
from docgen.page_pictures import draw_pages, read_layout
from docgen.pdf import PdfConversionFailed, PdfUnavailable
from domain import jobs
from domain.format_check import CheckReport, Finding, FormatCheckError, check_docx
from domain.format_review.held import Held, held, hold, pages_dir
from extensions import db
from models.choices import FAILED, JOB_FORMAT_CHECK_PAGES
from models.jobs import Job

GONE = "Tệp đã hết thời gian giữ tạm (2 giờ) hoặc không còn: hãy tải tệp lên lại để kiểm tra."


def root() -> Path:
    return Path(current_app.config["CACHE_DIR"]) / "format_check"


def held_or_404(token: str) -> Held:
    """The signed-in user's own held file; anyone else's token, or an expired one, is simply not found."""
    return held(root(), current_user.id, token) or abort(404)


def hold_and_draw(filename: str, data: bytes) -> Held:
    """Hold the file for the signed-in user and ask the worker to draw its pages (unless they are drawn already).
    The caller commits: the job is sent when the transaction commits."""
    found = hold(root(), current_user.id, filename, data)
    if read_layout(pages_dir(root(), found.sha256)) is None:
        ask_for_pages(found)
    return found


def ask_for_pages(found: Held) -> Job:
    return jobs.enqueue(
        JOB_FORMAT_CHECK_PAGES,
        subject=f"format_check:{found.sha256[:16]}",
        params={"token": found.token},
        dedupe_key=found.sha256,
        user=current_user,
    )


def pages_job(found: Held) -> Job | None:
    """The latest job drawing this file's pages."""
    return db.session.scalar(
        select(Job)
        .where(Job.kind == JOB_FORMAT_CHECK_PAGES, Job.dedupe_key == found.sha256)
        .order_by(Job.id.desc())
        .limit(1)
    )


@jobs.task(JOB_FORMAT_CHECK_PAGES, attempts=2, backoff_seconds=5, timeout_seconds=180)
def draw_held_pages(job: Job) -> dict:
    """The worker's part: one LibreOffice conversion, the rendered checks, a JPEG per page, the words' boxes."""
    found = held(root(), job.created_by_id or 0, job.params.get("token", ""))
    if found is None:
        raise jobs.JobFailed(GONE)
    data = found.data
    try:
        report = check_docx(data)
    except FormatCheckError as refused:
        raise jobs.JobFailed(refused.message) from None
    jobs.report_progress("Đang chuyển sang PDF và vẽ các trang…")
    try:
        # The worker's warm LibreOffice (docgen.previews) when it has one: well under a second instead of several.
        layout = draw_pages(
            data,
            report,
            pages_dir(root(), found.sha256),
            timeout=current_app.config.get("PDF_TIMEOUT_SECONDS", 60),  # each step's cap: draw_pages shortens it
            convert=previews.warm_convert,
        )
    except PdfUnavailable as exc:
        raise jobs.JobFailed(str(exc)) from None
    except PdfConversionFailed as exc:
        if job.attempts >= job.max_attempts:
            raise jobs.JobFailed(str(exc)) from None
        raise
    return {"sha256": found.sha256, "pages": layout["page_count"]}


def report_of(found: Held) -> tuple[CheckReport, dict | None]:
    """The checker's report on the held file, with the printed pages' findings once the pages are drawn."""
    report = check_docx(found.data)
    layout = read_layout(pages_dir(root(), found.sha256))
    if layout is not None:
        rendered = [
            Finding(**{**f, "paragraphs": tuple(f.get("paragraphs") or ())})
            for f in layout["rendered_findings"]
        ]
        report.findings = list(report.findings) + rendered
        report.rendered, report.pages = True, layout["page_count"]
    return report, layout


def job_failed(job: Job | None) -> bool:
    return job is not None and job.state == FAILED
