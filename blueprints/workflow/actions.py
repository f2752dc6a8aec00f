"""The workflow's actions on a document (submit, approve, return, ...), one route each, and the panel alone."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from blueprints.params import posted_id
from blueprints.shared import document_url
from blueprints.workflow import WORKFLOW_ACTIONS, bp
from blueprints.workflow.review import PANEL, answer
from domain.access import workflow_document_for
from domain.documents.workflow import BY_ACTION, EDITABLE, StaleAction, TransitionRefused, notify, perform
from extensions import db
from models.workflow import current_approver


def act(document_id: int, action: str):
    """Take one workflow action on a document after re-checking role, status and guards."""
    transition = BY_ACTION[action]
    document = workflow_document_for(current_user, document_id) or abort(404)
    if not current_user.has_role(*transition.roles):
        abort(403)
    form = request.form
    was_editable = document.status in EDITABLE
    try:
        event = perform(document, action, current_user, expected_status=form.get("expected_status", ""),
                        comment=form.get("comment", ""), approver_id=posted_id(form.get("approver_id")),
                        content_ok=bool(form.get("content_ok")), format_ok=bool(form.get("format_ok")),
                        reason=form.get("reason", ""))
        link = url_for("workflow.review", document_id=document.id) if action == "submit" else document_url(document)
        notify(event, document, link)
        db.session.commit()
    except StaleAction as exc:
        db.session.rollback()
        return answer(document, exc.message, "warning")
    except StaleDataError:
        db.session.rollback()
        return answer(document, "Văn bản vừa được người khác thay đổi; không có gì bị thay đổi. "
                                "Trang đã được cập nhật theo trạng thái hiện tại.", "warning")
    except TransitionRefused as exc:
        db.session.rollback()
        if exc.field:
            return answer(document, "", errors={exc.field: exc.message}, failed=action)
        return answer(document, exc.message, "error")
    approver = current_approver(document) if action == "submit" else None
    done = f"Đã trình {approver.full_name} duyệt." if approver else f"Văn bản {transition.done}."
    return answer(document, done[0].upper() + done[1:], changed=True,
                  reload=was_editable != (document.status in EDITABLE))


for _action in WORKFLOW_ACTIONS:
    bp.add_url_rule(f"/<int:document_id>/{_action}", endpoint=_action, view_func=act, methods=["POST"],
                    defaults={"action": _action})


@bp.get("/<int:document_id>/workflow")
def panel(document_id: int):
    """Show the workflow panel alone (for parts of a page that refresh after a change)."""
    document = workflow_document_for(current_user, document_id) or abort(404)
    return render_template(PANEL, document=document)
