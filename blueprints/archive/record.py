"""An issued document's record page (register entry, issued .docx, signed copies and their check, history), shown by
the archive and, after an upload, by the register."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from domain.access import can
from domain.documents.review import can_view_documents, timeline
from domain.documents.workflow import status_of
from domain.jobs import any_worker_alive
from domain.register import scan_reading, signature_check
from domain.register import signed_copy as sc
from domain.text.vietnamese import number_symbol
from models import Document


def signed_copy_limit() -> int:
    """The largest signed copy accepted (SIGNED_COPY_MAX_BYTES, else the request limit)."""
    return int(current_app.config.get("SIGNED_COPY_MAX_BYTES") or current_app.config["MAX_CONTENT_LENGTH"])


def record_page(document: Document):
    """The document's record: register entry, issued .docx, signed copies and their check, history."""
    entry = sc.entry_of(document)
    copies = sc.copies_of(document)
    # The office's internal history (returns and their reasons, review comments) is not for a unit reporter.
    show_history = can_view_documents(current_user)
    history = timeline(document) if show_history else []
    can_upload = can(current_user, "upload_signed_copy", document)
    checks = []
    if entry is not None:
        checks = [
            ("Số, ký hiệu", entry.number_symbol,
             number_symbol(document.number, entry.symbol) if document.number else "", entry.number == document.number),
            ("Ngày tháng", entry.issued_on.strftime("%d/%m/%Y") if entry.issued_on else "",
             document.issued_on.strftime("%d/%m/%Y") if document.issued_on else "", entry.issued_on == document.issued_on),
            ("Trích yếu", entry.title, document.title, entry.title == document.title),
        ]
    signatures = {c.id: (signature_check.report_of(c), signature_check.state_choice(c), signature_check.check_job(c))
                  for c in copies}
    return render_template("archive/record.html", document=document, entry=entry, copies=copies, history=history,
                           can_upload=can_upload, checks=checks, show_history=show_history,
                           signatures=signatures, worker_alive=any_worker_alive(),
                           readings={c.id: scan_reading.view_of(c, entry) for c in copies},
                           upload_limit=signed_copy_limit(),
                           status=status_of(document.status))
