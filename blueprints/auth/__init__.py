"""Sign in, sign out, change one's own password, one's own e-mail settings."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)

# The routes.
from blueprints.auth import settings, views  # noqa: E402,F401
