"""Sign in, sign out, change one's own password."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)

# The routes.
from blueprints.auth import views  # noqa: E402,F401
