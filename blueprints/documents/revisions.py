"""One saved revision of a document: its fields as typed and its page."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from blueprints import roles_required
from blueprints.documents import bp
from blueprints.documents import recipients as picker
from blueprints.documents.editor import unsaved_copy
from docgen.records import document_data
from docgen.sheet import sheet
from domain.access import READER_ROLES, document_for
from extensions import db
from models import DocumentRevision, Organization
from models.choices import KINDS
from models.documents import document_revisions


@bp.get("/<int:document_id>/revisions/<int:number>")
@roles_required(*READER_ROLES)
def revision(document_id: int, number: int):
    """Show one saved revision: its fields as typed and its page."""
    document = document_for(current_user, document_id) or abort(404)
    rev = db.first_or_404(select(DocumentRevision).where(DocumentRevision.document_id == document.id,
                                                         DocumentRevision.number == number))
    data = rev.data
    entries = picker.content_entries(data)
    fields = {
        "kind": data.get("kind") if data.get("kind") in KINDS else document.kind,
        "title": data.get("title", ""), "references_text": data.get("references", ""), "body": data.get("body", ""),
        "kinh_gui_text": data.get("kinh_gui", ""), "signer_id": data.get("signer_id"),
        "signing_authority": data.get("signing_authority", ""),
        "signing_deputy_line": data.get("signing_deputy_line", ""), "signer_title": data.get("signer_title", ""),
    }
    copy = unsaved_copy(fields, entries, document)
    return render_template("documents/revision.html", document=document, revision=rev, fields=fields, entries=entries,
                           signer=copy.signer, sheet=sheet(document_data(copy, Organization.current())),
                           revisions=document_revisions(document.id),
                           can_restore=document.editable_by(current_user))
