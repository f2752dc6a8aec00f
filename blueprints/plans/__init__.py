"""Plans: the list, a plan with its tasks and its tracking matrix, the task editor, the import of a plan file, the
units' tasks and reports."""

from __future__ import annotations

from flask import Blueprint, current_app, has_request_context, url_for

from domain.documents.workflow import status_of as document_status
from domain.file_kinds import PHOTO_KINDS
from domain.files import size_text
from domain.notifications import register_link
from domain.plans.assignments import DEADLINE_KINDS, STATUSES, format_value, input_value, status_of
from models.choices import NOTE_DEADLINE_SOON, NOTE_OVERDUE, NOTE_TASKS_ASSIGNED

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
        PHOTO_KINDS=PHOTO_KINDS,
    )


def _path(endpoint: str, **values) -> str:
    """A page's path, also outside a request (the issuing hook in a script, the daily deadline check)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


# Where a unit's notifications about its tasks lead: its task list, or the one assignment (its reporters' pages).
register_link(NOTE_TASKS_ASSIGNED, lambda _first_assignment_id: _path("plans.my_tasks"))
register_link(NOTE_DEADLINE_SOON, lambda assignment_id: _path("plans.assignment", assignment_id=assignment_id))
register_link(NOTE_OVERDUE, lambda assignment_id: _path("plans.assignment", assignment_id=assignment_id))


# The routes, each module adding its own to bp.
from blueprints.plans import importing, panels, plan_list, plan_page, reporting, task_editor  # noqa: E402,F401
