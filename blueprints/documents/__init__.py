"""Official documents: records, the editor with its page preview, .docx/PDF downloads, the export command."""

from __future__ import annotations

from flask import Blueprint

from domain.documents.workflow import STATUSES, status_of
from models.choices import KINDS

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.context_processor
def _labels():
    return {"KINDS": KINDS, "STATUSES": STATUSES, "status_of": status_of}


# The routes, each module adding its own to bp.
from blueprints.documents import document_list, downloads, editor, revisions  # noqa: E402,F401
