"""Administration: users, the unit tree and the unit names remembered from plan imports, organization settings,
the audit log."""

from __future__ import annotations

from flask import Blueprint

from blueprints import roles_required
from models.choices import ADMIN

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(ADMIN)
def _admins_only():
    """Every page here is for administrators."""


# The routes, each module adding its own to bp.
from blueprints.admin import (  # noqa: E402,F401
    audit_log,
    mail_server,
    onboarding,
    organization,
    trust,
    unit_aliases,
    units,
    users,
)
