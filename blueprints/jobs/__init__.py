"""Background jobs seen from a page: a job's state as a fragment that polls itself (htmx) until the job ends."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

from blueprints.jobs import status  # noqa: E402,F401
