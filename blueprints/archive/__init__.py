"""The archive: search issued documents (diacritic-insensitive), and each document's record with its signed copy."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("archive", __name__)

# The routes, each module adding its own to bp.
from blueprints.archive import for_signing, signed_copies, views  # noqa: E402,F401
