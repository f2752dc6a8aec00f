"""The review screen (what changed since the last submission, the page, the comments) and the review comments;
what every workflow request answers: the panel alone for htmx, the review screen again when a field was refused,
else back to the page it came from."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints import is_partial_request, render
from blueprints.params import parse_int, posted_int
from blueprints.shared import document_url, safe_next
from blueprints.workflow import bp
from docgen.records import document_data
from docgen.sheet import sheet
from domain.access import workflow_document_for
from domain.documents import review as rv
from domain.documents.workflow import status_of
from extensions import db
from models import Document, Organization
from models.workflow import DocumentComment, document_comments

PANEL = "documents/_workflow_panel.html"
REVIEW = "workflow/review.html"


def next_url(document: Document) -> str:
    """Where a plain (non-htmx) form goes back to: the page it came from, if it is one of ours."""
    return safe_next(request.form.get("next"), document_url(document))


def answer(document: Document, message: str, category: str = "success", *, errors: dict | None = None,
           failed: str = "", changed: bool = False, reload: bool = False):
    """The panel for htmx (with an event for the rest of the page), else back to the page; errors re-render.

    `reload`: the document became editable or stopped being so; the page around the panel (the editor) must be
    drawn again, so htmx is told to load it whole.
    """
    if reload and is_partial_request() and request.form.get("on_review") != "1":
        flash(message, category)
        response = make_response("", 200)
        response.headers["HX-Redirect"] = next_url(document)
        return response
    if is_partial_request():
        response = make_response(render_template(
            PANEL, document=document, wf_message=(category, message) if message else None, wf_errors=errors or {},
            wf_form=request.form if errors else {}, wf_failed=failed,
            wf_on_review=request.form.get("on_review") == "1"))
        if changed:
            response.headers["HX-Trigger"] = json.dumps(
                {"workflow-changed": {"document": document.id, "status": document.status}})
        return response
    if errors:
        context = review_context(document)
        return render_template(REVIEW, **context, wf_errors=errors, wf_form=request.form, wf_failed=failed,
                               wf_message=(category, message) if message else None), 200
    flash(message, category)
    return redirect(next_url(document), code=303)


def _sheet(document: Document):
    """The page preview, in the .docx's styles (shared with the editor)."""
    return sheet(document_data(document, Organization.current()))


def review_context(document: Document) -> dict:
    diff = rv.review_diff(document)
    comments = document_comments(document.id)
    by_line: dict[int, list[DocumentComment]] = {}
    for c in comments:
        if c.anchor_line:
            by_line.setdefault(c.anchor_line, []).append(c)
    line = parse_int(request.values.get("line"))
    lines = dict(rv.body_lines(document))
    return {
        "document": document,
        "diff": diff,
        "comments": comments,
        "comments_by_line": by_line,
        "anchor_line": line if line in lines else None,
        "show_all": request.args.get("full") == "1" or diff.previous is None,
        "can_comment": current_user.has_role(*rv.COMMENT_ROLES) and document.status in rv.COMMENTABLE,
        "pdf_url": url_for("documents.pdf", document_id=document.id),
        "body_lines": list(lines.items()),
        "sheet": _sheet(document),
        "wf_on_review": True,
    }


@bp.get("/<int:document_id>/review")
def review(document_id: int):
    """Show the reviewer what was submitted: the changes since the last submission, the preview, the comments."""
    document = workflow_document_for(current_user, document_id) or abort(404)
    return render(REVIEW, "comments_block", **review_context(document))


@bp.post("/<int:document_id>/comments")
def add_comment(document_id: int):
    """Write a review comment, optionally on one line of the body."""
    document = workflow_document_for(current_user, document_id) or abort(404)
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
        target = url_for("workflow.review", document_id=document.id, _anchor=f"line-{comment.anchor_line}")
        response.headers["HX-Redirect"] = target
        if _same_page(request.headers.get("HX-Current-URL", ""), target):
            # Only the #anchor differs, which the browser would merely scroll to: the page would not show the
            # comment, and its message would wait for (and confuse) the next page. Load it again.
            response.headers["HX-Refresh"] = "true"
        return response
    return _comment_answer(document, message="Đã ghi góp ý.")


@bp.post("/<int:document_id>/comments/<int:comment_id>/resolve")
def resolve_comment(document_id: int, comment_id: int):
    """Mark a review comment as dealt with."""
    document = workflow_document_for(current_user, document_id) or abort(404)
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


def _same_page(current: str, target: str) -> bool:
    """Whether going to `target` from `current` is only a jump to an anchor (no page load)."""
    here, there = urlsplit(current), urlsplit(target)
    return (here.path, here.query) == (there.path, there.query)


def _comment_answer(document: Document, *, message: str = "", category: str = "success", errors: dict | None = None):
    """Comments live on the review screen and in the panel; answer whichever asked."""
    if request.form.get("on_review") == "1":
        if is_partial_request():
            return render(REVIEW, "comments_block", **review_context(document), comment_errors=errors or {},
                          comment_form=request.form if errors else {},
                          comment_message=(category, message) if message else None)
        if errors:
            return render_template(REVIEW, **review_context(document), comment_errors=errors,
                                   comment_form=request.form), 200
        flash(message, category)
        return redirect(url_for("workflow.review", document_id=document.id) + "#comments", code=303)
    if errors:
        return answer(document, "", errors=errors, failed="comment")
    return answer(document, message, category)
