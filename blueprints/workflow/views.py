"""Submitting, reviewing, returning, approving, cancelling and recalling documents; review comments.

Numbering, issuing and the signed copy belong to the register blueprint; its routes call the same
`domain.documents.workflow.perform`.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from blueprints import is_partial_request, render
from blueprints.documents.rendering import document_data, sheet
from blueprints.params import parse_int, posted_id, posted_int
from blueprints.shared import document_url, safe_next
from domain.documents import review as rv
from domain.documents.workflow import (
    BY_ACTION,
    EDITABLE,
    REGISTER_ACTIONS,
    SUBMITTED,
    StaleAction,
    TransitionRefused,
    approvers,
    available_actions,
    notify,
    perform,
    refusal,
    status_of,
)
from domain.text.textdiff import hunks
from domain.text.vietnamese import number_text
from extensions import db
from models import Document, Organization
from models.choices import APPROVER
from models.workflow import DocumentComment, current_approver, document_comments, last_event

bp = Blueprint("workflow", __name__, url_prefix="/documents", cli_group=None)

PANEL = "documents/_workflow_panel.html"
REVIEW = "workflow/review.html"
# The workflow's own buttons; issue and archive post to the register's routes.
WORKFLOW_ACTIONS = tuple(a for a in BY_ACTION if a not in REGISTER_ACTIONS)
# The document editor's page, when that blueprint is present; else the review screen stands in.




def _document_or_404(document_id: int) -> Document:
    document = db.session.scalar(rv.visible_documents(current_user).where(Document.id == document_id))
    if document is None:
        abort(404)
    return document


def _next_url(document: Document) -> str:
    """Where a plain (non-htmx) form goes back to: the page it came from, if it is one of ours."""
    return safe_next(request.form.get("next"), document_url(document))


def _answer(document: Document, message: str, category: str = "success", *, errors: dict | None = None,
            failed: str = "", changed: bool = False, reload: bool = False):
    """The panel for htmx (with an event for the rest of the page), else back to the page; errors re-render.

    `reload`: the document became editable or stopped being so; the page around the panel (the editor) must be
    drawn again, so htmx is told to load it whole.
    """
    if reload and is_partial_request() and request.form.get("on_review") != "1":
        flash(message, category)
        response = make_response("", 200)
        response.headers["HX-Redirect"] = _next_url(document)
        return response
    if is_partial_request():
        response = make_response(render_template(
            PANEL, document=document, wf_message=(category, message) if message else None, wf_errors=errors or {},
            wf_form=request.form if errors else {}, wf_failed=failed, wf_next=_next_url(document),
            wf_on_review=request.form.get("on_review") == "1"))
        if changed:
            response.headers["HX-Trigger"] = json.dumps(
                {"workflow-changed": {"document": document.id, "status": document.status}})
        return response
    if errors:
        context = _review_context(document)
        return render_template(REVIEW, **context, wf_errors=errors, wf_form=request.form, wf_failed=failed,
                               wf_message=(category, message) if message else None), 200
    flash(message, category)
    return redirect(_next_url(document), code=303)


def act(document_id: int, action: str):
    """Take one workflow action on a document after re-checking role, status and guards."""
    transition = BY_ACTION[action]
    document = _document_or_404(document_id)
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
        return _answer(document, exc.message, "warning")
    except StaleDataError:
        db.session.rollback()
        return _answer(document, "Văn bản vừa được người khác thay đổi; không có gì bị thay đổi. "
                                 "Trang đã được cập nhật theo trạng thái hiện tại.", "warning")
    except TransitionRefused as exc:
        db.session.rollback()
        if exc.field:
            return _answer(document, "", errors={exc.field: exc.message}, failed=action)
        return _answer(document, exc.message, "error")
    approver = current_approver(document) if action == "submit" else None
    done = f"Đã trình {approver.full_name} duyệt." if approver else f"Văn bản {transition.done}."
    return _answer(document, done[0].upper() + done[1:], changed=True,
                   reload=was_editable != (document.status in EDITABLE))


for _action in WORKFLOW_ACTIONS:
    bp.add_url_rule(f"/<int:document_id>/{_action}", endpoint=_action, view_func=act, methods=["POST"],
                    defaults={"action": _action})


@bp.get("/<int:document_id>/workflow")
def panel(document_id: int):
    """Show the workflow panel alone (for parts of a page that refresh after a change)."""
    document = _document_or_404(document_id)
    return render_template(PANEL, document=document)


# ---- review screen and comments ------------------------------------------------------------------------------


def _sheet(document: Document):
    """The page preview, in the .docx's styles (shared with the editor)."""
    return sheet(document_data(document, Organization.current()))


def _review_context(document: Document) -> dict:
    diff = rv.review_diff(document)
    comments = document_comments(document.id)
    by_line: dict[int, list[DocumentComment]] = {}
    for c in comments:
        if c.anchor_line:
            by_line.setdefault(c.anchor_line, []).append(c)
    line = parse_int(request.values.get("line"))
    lines = dict(rv.body_lines(document))
    sheet = _sheet(document)
    return {
        "document": document,
        "diff": diff,
        "comments": comments,
        "comments_by_line": by_line,
        "anchor_line": line if line in lines else None,
        "anchor_text": lines.get(line, ""),
        "show_all": request.args.get("full") == "1" or diff.previous is None,
        "can_comment": current_user.has_role(*rv.COMMENT_ROLES) and document.status in rv.COMMENTABLE,
        "pdf_url": url_for("documents.pdf", document_id=document.id)
        if "documents.pdf" in current_app.view_functions else None,
        "document_url": document_url(document),
        "body_lines": list(lines.items()),
        "sheet": sheet,
        "preview": None if sheet else rv.preview(document),  # parsing a long plan twice costs
        "wf_on_review": True,
    }


@bp.get("/<int:document_id>/review")
def review(document_id: int):
    """Show the reviewer what was submitted: the changes since the last submission, the preview, the comments."""
    document = _document_or_404(document_id)
    return render(REVIEW, "comments_block", **_review_context(document))


@bp.post("/<int:document_id>/comments")
def add_comment(document_id: int):
    """Write a review comment, optionally on one line of the body."""
    document = _document_or_404(document_id)
    if not current_user.has_role(*rv.COMMENT_ROLES):
        abort(403)
    try:
        comment = rv.add_comment(document, current_user, request.form.get("text", ""),
                                 posted_int(request.form.get("anchor_line")))
        db.session.commit()
    except rv.CommentRefused as exc:
        db.session.rollback()
        return _comment_answer(document, errors={exc.field or "text": exc.message})
    if comment.anchor_line and request.form.get("on_review") == "1" and is_partial_request():
        # The comment belongs under its line in the differences, outside the swapped block: show the page again.
        flash(f"Đã ghi góp ý cho dòng {comment.anchor_line}.", "success")
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url_for("workflow.review", document_id=document.id,
                                                  _anchor=f"line-{comment.anchor_line}")
        return response
    return _comment_answer(document, message="Đã ghi góp ý.")


@bp.post("/<int:document_id>/comments/<int:comment_id>/resolve")
def resolve_comment(document_id: int, comment_id: int):
    """Mark a review comment as dealt with."""
    document = _document_or_404(document_id)
    if not current_user.has_role(*rv.COMMENT_ROLES):
        abort(403)
    comment = db.session.scalar(select(DocumentComment).where(
        DocumentComment.id == comment_id, DocumentComment.document_id == document.id))
    if comment is None:
        abort(404)
    if document.status not in rv.COMMENTABLE:
        return _comment_answer(document, message=f"Văn bản đã ở trạng thái «{status_of(document.status).label}»; "
                                                 "không thay đổi góp ý.", category="warning")
    rv.resolve_comment(document, comment, current_user)
    db.session.commit()
    return _comment_answer(document, message="Đã đánh dấu góp ý là đã xử lý.")


def _comment_answer(document: Document, *, message: str = "", category: str = "success", errors: dict | None = None):
    """Comments live on the review screen and in the panel; answer whichever asked."""
    if request.form.get("on_review") == "1":
        if is_partial_request():
            return render(REVIEW, "comments_block", **_review_context(document), comment_errors=errors or {},
                          comment_form=request.form if errors else {},
                          comment_message=(category, message) if message else None)
        if errors:
            return render_template(REVIEW, **_review_context(document), comment_errors=errors,
                                   comment_form=request.form), 200
        flash(message, category)
        return redirect(url_for("workflow.review", document_id=document.id) + "#comments", code=303)
    if errors:
        return _answer(document, "", errors=errors, failed="comment")
    return _answer(document, message, category)


# ---- what the panel needs, for any page that includes it --------------------------------------------------------


def workflow_panel(document: Document) -> dict:
    """Everything the workflow panel shows for the signed-in user; called from the template."""
    user = current_user
    if not rv.can_view_documents(user):  # a district reporter reading an issued document: no internal history
        return {"hidden": True}
    actions = available_actions(document, user)
    notes = []
    if document.status == SUBMITTED and user.has_role(APPROVER) and not any(a.action == "approve" for a in actions):
        notes.append(refusal(document, "approve", user))
    returned = last_event(document, "return") if document.status == "returned" else None
    endpoints = current_app.view_functions
    return {
        "hidden": False,
        "status": status_of(document.status),
        "approver": current_approver(document),
        "actions": [a for a in actions if a.action in WORKFLOW_ACTIONS],
        "issue": next((a for a in actions if a.action == "issue"), None),
        "archive": next((a for a in actions if a.action == "archive"), None),
        # The register's page checks the number, copies and keeper first; else post straight to the issue.
        "issue_page_url": url_for("register.issue_form", document_id=document.id)
        if "register.issue_form" in endpoints else None,
        "issue_url": url_for("register.issue_document", document_id=document.id)
        if "register.issue_document" in endpoints else None,
        "signed_copy_url": url_for("register.upload_signed_copy", document_id=document.id)
        if "register.upload_signed_copy" in endpoints else None,
        "record_url": url_for("archive.record", document_id=document.id)
        if document.number and "archive.record" in endpoints else None,
        "number_symbol": f"{number_text(document.number)}/{document.kind_info.symbol(Organization.current().symbol_suffix)}"
        if document.number else "",
        "approvers": approvers(exclude=user) if any(a.action == "submit" for a in actions) else [],
        "notes": [n for n in notes if n],
        "returned": returned,
        "timeline": rv.timeline(document),
        "comments": document_comments(document.id),
        "can_comment": user.has_role(*rv.COMMENT_ROLES) and document.status in rv.COMMENTABLE,
        "review_url": url_for("workflow.review", document_id=document.id),
        "editable": document.status in EDITABLE,
        "next": request.path if request.method == "GET" else _next_url(document),
    }


@bp.app_template_filter("diff_hunks")
def _diff_hunks(lines):
    return hunks(lines)


@bp.app_context_processor
def _panel_helper():
    return {"workflow_panel": workflow_panel, "document_url": document_url}
