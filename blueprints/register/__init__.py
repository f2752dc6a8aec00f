"""The outgoing register (Sổ văn bản đi): the register of each year, issuing a document with its number and the
issued .docx."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("register", __name__)

# The routes, each module adding its own to bp.
from blueprints.register import book, issuing  # noqa: E402,F401
