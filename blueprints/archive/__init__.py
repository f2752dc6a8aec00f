"""The archive: search issued documents (diacritic-insensitive), and each document's record with its signed copy."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("archive", __name__)

# The routes.
from blueprints.archive import views  # noqa: E402,F401
