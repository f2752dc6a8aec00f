"""What the workflow panel shows, for any page that includes it, and the template helpers it needs."""

from __future__ import annotations

from pathlib import Path

from flask import request, url_for
from flask_login import current_user

from blueprints.shared import record_url
from blueprints.workflow import WORKFLOW_ACTIONS, bp
from blueprints.workflow.review import next_url
from docgen import gate
from docgen.gate import check_document
from domain.documents import review as rv
from domain.documents.workflow import SUBMITTED, approvers, available_actions, refusal, status_of
from domain.text.textdiff import hunks
from domain.text.vietnamese import number_symbol
from models import Document, Organization
from models.choices import APPROVER, RETURNED
from models.workflow import current_approver, document_comments, last_event

GATED_BUTTONS = ("submit", "approve")  # the register's issue page shows its own refusal


def workflow_panel(document: Document) -> dict:
    """Everything the workflow panel shows for the signed-in user; called from the template."""
    user = current_user
    if not rv.can_view_documents(user):  # a district reporter reading an issued document: no internal history
        return {"hidden": True}
    actions = available_actions(document, user)
    notes = []
    if document.status == SUBMITTED and user.has_role(APPROVER) and not any(a.action == "approve" for a in actions):
        notes.append(refusal(document, "approve", user))
    return_event = last_event(document, "return") if document.status == RETURNED else None
    # The format gate's findings beside the submit and approve buttons: errors block the step, warnings inform.
    gated = any(a.action in GATED_BUTTONS for a in actions)
    return {
        "hidden": False,
        "status": status_of(document.status),
        "current_approver": current_approver(document),
        "actions": [a for a in actions if a.action in WORKFLOW_ACTIONS],
        "issue": next((a for a in actions if a.action == "issue"), None),
        "archive": next((a for a in actions if a.action == "archive"), None),
        # The register's page checks the number, copies and keeper before issuing.
        "issue_page_url": url_for("register.issue_form", document_id=document.id),
        "signed_copy_url": url_for("archive.upload_signed_copy", document_id=document.id),
        "record_url": record_url(document) if document.number else None,
        "number_symbol": number_symbol(document.number, document.kind_info.symbol(Organization.current().symbol_suffix))
        if document.number else "",
        "approvers": approvers(exclude=user) if any(a.action == "submit" for a in actions) else [],
        "notes": [n for n in notes if n],
        "gate": check_document(document) if gated else None,
        "return_event": return_event,
        "timeline": rv.timeline(document),
        "comments": document_comments(document.id),
        "can_comment": user.has_role(*rv.COMMENT_ROLES) and document.status in rv.COMMENTABLE,
        "review_url": url_for("workflow.review", document_id=document.id),
        "next": request.path if request.method == "GET" else next_url(document),
    }


@bp.app_template_filter("diff_hunks")
def _diff_hunks(lines):
    return hunks(lines)


@bp.app_context_processor
def _panel_helper():
    return {"workflow_panel": workflow_panel}


@bp.record_once
def _configure_gate(state) -> None:
    """The printed pages are checked at issue (a blank page blocks it) unless FORMAT_GATE_RENDER is off; tests
    leave it off (LibreOffice takes seconds a document)."""
    config = state.app.config
    render = config.get("FORMAT_GATE_RENDER", not config.get("TESTING"))
    gate.configure({"issue"} if render else (), Path(config["CACHE_DIR"]) / "pdf")
