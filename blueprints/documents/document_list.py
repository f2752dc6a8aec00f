"""The list of documents this user may see, with its filters."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from blueprints import render
from blueprints.documents import bp
from blueprints.params import query_int, query_text
from domain.access import visible_documents
from domain.documents.workflow import STATUSES
from domain.text.vietnamese import fold, number_symbol
from extensions import db
from models import Document, Organization
from models.choices import KINDS

PAGE_SIZE = 25


@bp.get("")
def index():
    """List the documents this user may see, filtered by kind, status, year and words of the trích yếu."""
    args = request.args
    visible = visible_documents(current_user)
    stmt = visible
    kind, status, year = args.get("kind", ""), args.get("status", ""), query_int("year")
    q = query_text("q")
    if kind in KINDS:
        stmt = stmt.where(Document.kind == kind)
    if status in STATUSES:
        stmt = stmt.where(Document.status == status)
    if year:
        stmt = stmt.where(Document.year == year)
    if q:
        stmt = stmt.where(Document.title_search.contains(fold(q), autoescape=True))
    page = query_int("page", 1)
    rows = db.session.scalars(stmt.order_by(Document.updated_at.desc(), Document.id.desc())
                              .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    years = db.session.scalars(visible.with_only_columns(Document.year).distinct().order_by(Document.year.desc())).all()
    filters = {k: v for k, v in (("kind", kind), ("status", status), ("year", year or ""), ("q", q)) if v}
    suffix = Organization.current().symbol_suffix
    return render("documents/list.html", "document_list", documents=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE,
                  page=page, years=years, filters=filters, number_line=lambda d: number_line(d, suffix))


def number_line(document: Document, symbol_suffix: str) -> str:
    """ "05/KH-MTTQ-BTT", or "" while the document has no number."""
    if document.number is None:
        return ""
    return number_symbol(document.number, KINDS[document.kind].symbol(symbol_suffix))
