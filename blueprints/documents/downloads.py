"""A document as .docx and as PDF, and the preview sheet's stylesheet."""

from __future__ import annotations

import hashlib
from io import BytesIO

from flask import Response, abort, current_app, make_response, render_template, request, send_file, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from blueprints.documents import bp
from docgen import previews
from docgen.records import document_docx
from docgen.sheet import sheet_css
from domain.access import document_for
from domain.jobs import any_worker_alive
from domain.jobs.access import DOCUMENT_SUBJECT, subject_of
from extensions import db
from models.choices import FAILED
from models.core import audit
from models.jobs import Job

PDF_STATUS = "documents/pdf_status.html"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/<int:document_id>/docx")
def docx(document_id: int):
    """Download the document as .docx (Nghị định 30 format)."""
    document = document_for(current_user, document_id) or abort(404)
    content, filename = document_docx(document)
    audit("document_download", document, user=current_user, summary=f"Tải {filename}", after={"format": "docx"})
    db.session.commit()
    return send_file(BytesIO(content), mimetype=DOCX_MIME, as_attachment=True, download_name=filename,
                     max_age=0)


def _status_page(document, job: Job | None, *, fragment: bool = False):
    """Being prepared (a progress bar that asks again; "đang chờ" when no worker runs), or why there is no PDF;
    htmx gets the part that changes."""
    failed = job is not None and job.state == FAILED
    context = {"document": document, "pending": not failed, "job": job, "message": job.error if failed else "",
               "unavailable": failed and job.error == previews.NO_LIBREOFFICE,
               "worker_alive": failed or any_worker_alive()}
    if fragment:  # 200, or htmx would not show the failure in place of the progress bar
        return render_block(PDF_STATUS, "progress", **context)
    return render_template(PDF_STATUS, **context), 503 if failed else 202


@bp.get("/<int:document_id>/pdf")
def pdf(document_id: int):
    """Show the document as PDF. It is made by the background worker (LibreOffice); a PDF not ready within
    PDF_WAIT_SECONDS gets a page that shows it is being prepared and turns into the PDF; one that cannot be made
    is explained, with the .docx offered."""
    document = document_for(current_user, document_id) or abort(404)
    content, docx_name = document_docx(document)
    pdf = previews.cached_pdf(content)
    job = None
    if pdf is None:
        job = previews.request_preview(content, subject=subject_of(DOCUMENT_SUBJECT, document.id), user=current_user)
        db.session.commit()  # the worker gets the job now (in immediate mode it has run by the end of this line)
        pdf = previews.wait_for_pdf(content, current_app.config.get("PDF_WAIT_SECONDS", 0.5))
    if pdf is None:
        db.session.refresh(job)
        return _status_page(document, job)
    filename = docx_name.removesuffix(".docx") + ".pdf"
    audit("document_download", document, user=current_user, summary=f"Xem {filename}", after={"format": "pdf"})
    db.session.commit()
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:document_id>/pdf/progress")
def pdf_progress(document_id: int):
    """Asked every second by the "being prepared" page: still waiting or working, done (htmx loads the PDF), or
    failed."""
    document = document_for(current_user, document_id) or abort(404)
    content, _ = document_docx(document)
    if previews.cached_pdf(content) is not None:  # the PDF address serves (and audits) it
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url_for(".pdf", document_id=document.id)
        return response
    return _status_page(document, previews.preview_job(content), fragment=True)


@bp.get("/sheet.css")
def sheet_stylesheet():
    """The preview sheet's styles, generated from the .docx template's settings."""
    css = sheet_css()
    response = Response(css, mimetype="text/css")
    response.set_etag(hashlib.sha256(css.encode()).hexdigest()[:32])
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)
