"""A document as .docx and as PDF, and the preview sheet's stylesheet."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

from flask import Response, abort, current_app, make_response, render_template, request, send_file, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from blueprints.documents import bp, pdf_jobs
from docgen.records import document_docx
from docgen.sheet import sheet_css
from domain.access import document_for
from extensions import db
from models.core import audit

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


def _conversion(document, wait: float) -> tuple[pdf_jobs.PdfOutcome, str]:
    """The document's PDF if LibreOffice has it within `wait` seconds (the work goes on otherwise), and its name."""
    content, docx_name = document_docx(document)
    config = current_app.config
    outcome = pdf_jobs.request_pdf(content, Path(config["CACHE_DIR"]) / "pdf", wait=wait,
                                   timeout=config.get("PDF_TIMEOUT_SECONDS", 60))
    return outcome, docx_name.removesuffix(".docx") + ".pdf"


def _status_page(document, outcome: pdf_jobs.PdfOutcome, *, fragment: bool = False):
    """Being prepared (a progress bar that asks again), or why there is no PDF; htmx gets the part that changes."""
    pending = outcome.state == pdf_jobs.PENDING
    context = {"document": document, "pending": pending, "message": outcome.message,
               "unavailable": outcome.state == pdf_jobs.UNAVAILABLE}
    if fragment:  # 200, or htmx would not show the failure in place of the progress bar
        return render_block(PDF_STATUS, "progress", **context)
    return render_template(PDF_STATUS, **context), 202 if pending else 503


@bp.get("/<int:document_id>/pdf")
def pdf(document_id: int):
    """Show the document as PDF (LibreOffice, off the request path). A PDF not ready at once gets a page that shows
    it is being prepared and turns into the PDF; one that cannot be made is explained, with the .docx offered."""
    document = document_for(current_user, document_id) or abort(404)
    outcome, filename = _conversion(document, current_app.config.get("PDF_WAIT_SECONDS", 0.5))
    if outcome.state == pdf_jobs.READY:
        audit("document_download", document, user=current_user, summary=f"Xem {filename}", after={"format": "pdf"})
        db.session.commit()
        response = Response(outcome.pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return _status_page(document, outcome)


@bp.get("/<int:document_id>/pdf/progress")
def pdf_progress(document_id: int):
    """Asked every second by the "being prepared" page: still working, done (htmx loads the PDF), or failed."""
    document = document_for(current_user, document_id) or abort(404)
    outcome, _ = _conversion(document, 0)
    if outcome.state == pdf_jobs.READY:  # the PDF is in the cache now; the PDF address serves (and audits) it
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url_for(".pdf", document_id=document.id)
        return response
    return _status_page(document, outcome, fragment=True)


@bp.get("/sheet.css")
def sheet_stylesheet():
    """The preview sheet's styles, generated from the .docx template's settings."""
    css = sheet_css()
    response = Response(css, mimetype="text/css")
    response.set_etag(hashlib.sha256(css.encode()).hexdigest()[:32])
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)
