"""The dashboard and the user's notifications."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("main", __name__)

# The routes.
from blueprints.main import views  # noqa: E402,F401
