"""Plans: the list, a plan with its tasks and its tracking matrix, the task editor, the import of a plan file, the
units' tasks and reports."""

from __future__ import annotations

from flask import Blueprint, current_app

from domain.documents.workflow import status_of as document_status
from domain.files import size_text
from domain.plans.assignments import DEADLINE_KINDS, STATUSES, format_value, input_value, status_of

bp = Blueprint("plans", __name__)

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # default of the EVIDENCE_MAX_BYTES setting


def evidence_limit() -> int:
    """The largest evidence file a unit may attach to a report (EVIDENCE_MAX_BYTES)."""
    return current_app.config.get("EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)


@bp.record_once
def _template_globals(state):
    """Labels and formatters for these templates, visible in imported macros and in other blueprints' pages."""
    state.app.jinja_env.globals.update(
        ASSIGNMENT_STATUSES=STATUSES, DEADLINE_KINDS=DEADLINE_KINDS,
        assignment_status=status_of, document_status=document_status, format_value=format_value,
        input_value=input_value, file_size=size_text, evidence_limit_mb=lambda: evidence_limit() // (1024 * 1024),
    )


# The routes, each module adding its own to bp.
from blueprints.plans import importing, panels, plan_list, plan_page, reporting, task_editor  # noqa: E402,F401
