"""The archive: search issued documents (diacritic-insensitive), and each document's record with its signed copy."""

from __future__ import annotations

import click
from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from blueprints import render
from blueprints.params import query_int
from domain.documents.workflow import ARCHIVED, ISSUED, status_of
from domain.files import size_text
from domain.register import signed_copy as sc
from domain.register.archive import ArchiveQuery, build_search_index, find_visible, search, years
from domain.text.vietnamese import clean_text
from extensions import db
from models import Document
from models.choices import KINDS, RECORDS

bp = Blueprint("archive", __name__, cli_group=None)


@bp.app_template_filter("filesize")
def _filesize(n: int) -> str:
    return size_text(n)


def signed_copy_limit() -> int:
    """The largest signed copy accepted (SIGNED_COPY_MAX_BYTES, else the request limit)."""
    return int(current_app.config.get("SIGNED_COPY_MAX_BYTES") or current_app.config["MAX_CONTENT_LENGTH"])

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


def record_page(document: Document, upload_error: str | None = None):
    """The document's record: register entry, issued .docx, signed copies and their check, history."""
    entry = sc.entry_of(document)
    copies = sc.copies_of(document)
    try:
        from domain.documents.review import can_view_documents, timeline
    except ImportError:
        timeline = None
    # The office's internal history (returns and their reasons, review comments) is not for a unit reporter.
    show_history = timeline is not None and can_view_documents(current_user)
    history = timeline(document) if show_history else []
    can_upload = current_user.has_role(RECORDS) and document.status in (ISSUED, ARCHIVED)
    checks = []
    if entry is not None:
        checks = [
            ("Số, ký hiệu", entry.number_symbol,
             f"{document.number:02d}/{entry.symbol}" if document.number else "", entry.number == document.number),
            ("Ngày tháng", entry.issued_on.strftime("%d/%m/%Y") if entry.issued_on else "",
             document.issued_on.strftime("%d/%m/%Y") if document.issued_on else "", entry.issued_on == document.issued_on),
            ("Trích yếu", entry.title, document.title, entry.title == document.title),
        ]
    return render_template("archive/record.html", document=document, entry=entry, copies=copies, history=history,
                           can_upload=can_upload, upload_error=upload_error, checks=checks, show_history=show_history,
                           upload_limit=signed_copy_limit(),
                           status=status_of(document.status))


@bp.get("/archive/<int:document_id>")
def record(document_id: int):
    """One issued document in the archive."""
    document = find_visible(current_user, document_id)
    if document is None:
        abort(404)
    return record_page(document)


@bp.cli.command("search-index")
def search_index_command():
    """Create the full-text accelerators if missing and write search keys for issued documents without them."""
    created, indexed = build_search_index()
    db.session.commit()
    click.echo(f"Chỉ mục tìm kiếm: {'đã tạo' if created else 'đã có'}; "
               f"đã bổ sung khóa tìm kiếm cho {indexed} văn bản.")
