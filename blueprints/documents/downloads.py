"""A document as .docx and as PDF, and the preview sheet's stylesheet."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

from flask import Response, abort, current_app, render_template, request, send_file
from flask_login import current_user

from blueprints.documents import bp, pdf_jobs
from docgen.records import document_docx
from docgen.sheet import sheet_css
from domain.access import document_for
from extensions import db
from models.core import audit

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


@bp.get("/<int:document_id>/pdf")
def pdf(document_id: int):
    """Show the document as PDF (LibreOffice, off the request path); say so plainly when that is not possible."""
    document = document_for(current_user, document_id) or abort(404)
    content, docx_name = document_docx(document)
    config = current_app.config
    outcome = pdf_jobs.request_pdf(content, Path(config["CACHE_DIR"]) / "pdf",
                                   wait=config.get("PDF_WAIT_SECONDS", 10), timeout=config.get("PDF_TIMEOUT_SECONDS", 60))
    if outcome.state == pdf_jobs.READY:
        filename = docx_name.removesuffix(".docx") + ".pdf"
        audit("document_download", document, user=current_user, summary=f"Xem {filename}", after={"format": "pdf"})
        db.session.commit()
        response = Response(outcome.pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
        response.headers["Cache-Control"] = "private, no-store"
        return response
    if outcome.state == pdf_jobs.PENDING:
        return render_template("documents/pdf_status.html", document=document, pending=True), 202
    return render_template("documents/pdf_status.html", document=document, pending=False, message=outcome.message,
                           unavailable=outcome.state == pdf_jobs.UNAVAILABLE), 503


@bp.get("/sheet.css")
def sheet_stylesheet():
    """The preview sheet's styles, generated from the .docx template's settings."""
    css = sheet_css()
    response = Response(css, mimetype="text/css")
    response.set_etag(hashlib.sha256(css.encode()).hexdigest()[:32])
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)
