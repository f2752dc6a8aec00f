"""The few helpers that several blueprints' views share."""

from __future__ import annotations

from flask import url_for

from models import Document


def document_url(document: Document) -> str:
    """A document's own page in the application."""
    return url_for("documents.show", document_id=document.id)
