"""Report rounds: the rounds of a plan, a round's completeness page and the clerk's actions on it, the aggregated
Báo cáo and the request letter; a unit's own report form and the office's view of each submission."""

from __future__ import annotations

from flask import Blueprint, url_for

from domain.documents.workflow import status_of as document_status
from domain.reports import rules as R
from domain.text.vietnamese import format_percent
from models.choices import Choice
from models.reports import ReportRound

bp = Blueprint("reports", __name__)


@bp.context_processor
def _labels():
    return {"COMPLETENESS": R.COMPLETENESS, "round_status": _round_status,
            "SUBMISSION_STATUSES": R.SUBMISSION_STATUSES, "document_status": document_status,
            "format_percent": format_percent}


def _round_status(rnd: ReportRound) -> Choice:
    return R.label_of(R.ROUND_STATUSES, rnd.status)


def round_link(rnd: ReportRound) -> str:
    """The round's page (the office's; a unit reporter is sent on to their own report)."""
    return url_for("reports.show", round_id=rnd.id)


def my_link(rnd: ReportRound) -> str:
    """The unit reporter's own report in the round."""
    return url_for("reports.my", round_id=rnd.id)


# The routes, each module adding its own to bp.
from blueprints.reports import panels, round_documents, round_list, round_page, submissions  # noqa: E402,F401
