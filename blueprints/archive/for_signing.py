"""The issued document as PDF/A-2b for the văn thư to have it signed with the leader's token (outside the
application); the worker makes it, the page follows the job and turns into the download."""

from __future__ import annotations

from flask import Response, abort, render_template, url_for
from flask_login import current_user

from blueprints import roles_required
from blueprints.archive import bp
from docgen.records import store_issued_docx
from docgen.signing_pdf import cached_signing_pdf, request_signing_pdf
from domain.access import archived_document_for
from domain.jobs import any_worker_alive
from domain.register import signed_copy as sc
from extensions import db
from models.choices import RECORDS
from models.core import audit


@bp.get("/documents/<int:document_id>/signing.pdf")
@roles_required(RECORDS)
def signing_pdf(document_id: int):
    document = archived_document_for(current_user, document_id) or abort(404)
    entry = sc.entry_of(document) or abort(404)
    docx = entry.final_file or store_issued_docx(document, entry, current_user)
    pdf = cached_signing_pdf(docx)
    if pdf is None:
        job = request_signing_pdf(docx, document.id, current_user)
        db.session.commit()  # sent to the worker now (in tests it has run by the end of this line)
        pdf = cached_signing_pdf(docx)
        if pdf is None:
            db.session.refresh(job)
            return render_template("archive/signing_pdf.html", document=document, entry=entry, job=job,
                                   next_url=url_for("archive.signing_pdf", document_id=document.id),
                                   worker_alive=any_worker_alive()), 202
    name = f"{entry.number_symbol.replace('/', '-')}-de-ky-so.pdf"
    audit("document.signing_pdf_download", document, user=current_user, object_type="document",
          summary=f"{current_user.full_name} tải bản PDF/A để ký số ({name})"[:500], after={"docx": docx.sha256})
    db.session.commit()
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response

