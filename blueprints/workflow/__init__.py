"""Submitting, reviewing, returning, approving, cancelling and recalling documents; review comments.

Numbering, issuing and the signed copy belong to the register blueprint; its routes call the same
`domain.documents.workflow.perform`.
"""

from __future__ import annotations

from flask import Blueprint

from domain.documents.workflow import BY_ACTION, REGISTER_ACTIONS

bp = Blueprint("workflow", __name__, url_prefix="/documents")

# The workflow's own buttons; issue and archive post to the register's routes.
WORKFLOW_ACTIONS = tuple(a for a in BY_ACTION if a not in REGISTER_ACTIONS)

# The routes, each module adding its own to bp; the panel's helpers for every page that shows it.
from blueprints.workflow import actions, dashboard, panel, review  # noqa: E402,F401
