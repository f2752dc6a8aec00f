"""The archive: search issued documents (diacritic-insensitive), and each document's record with its signed copy."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from blueprints import render
from blueprints.archive import bp
from blueprints.archive.record import record_page
from blueprints.params import query_int
from domain.access import archived_document_for
from domain.documents.workflow import status_of
from domain.files import size_text
from domain.register.archive import ArchiveQuery, search, years
from domain.text.vietnamese import clean_text
from models.choices import KINDS


@bp.app_template_filter("filesize")
def _filesize(n: int) -> str:
    return size_text(n)


INDEX = "archive/index.html"


def _arg(name: str, limit: int = 200) -> str:
    return clean_text(request.args.get(name, ""), multiline=False).strip()[:limit]


@bp.get("/archive")
def index():
    """Search issued documents by number, kind, year, signer, recipient and text; newest first."""
    query = ArchiveQuery(text=_arg("q"), number=_arg("number", 40), kind=_arg("kind", 10),
                         year=query_int("year", maximum=999_999), signer=_arg("signer"),
                         recipient=_arg("recipient"), page=query_int("page", 1, maximum=999_999))
    rows, has_next = search(current_user, query)
    return render(INDEX, "results", query=query, rows=rows, has_next=has_next, kinds=KINDS, years=years(),
                  status_of=status_of)


@bp.get("/archive/<int:document_id>")
def record(document_id: int):
    """One issued document in the archive."""
    return record_page(archived_document_for(current_user, document_id) or abort(404))

