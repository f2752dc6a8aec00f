"""The findings beside the pictures of the pages: the page polls this fragment while the worker draws them."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, redirect, send_file, url_for
from flask_login import current_user

from blueprints import render, roles_required
from blueprints.format_check import bp
from blueprints.format_check.holding import (
    ask_for_pages,
    held_or_404,
    job_failed,
    pages_job,
    report_of,
    root,
)
from domain.access import STAFF_ROLES
from domain.format_check import FormatCheckError
from domain.format_review.held import Held, pages_dir
from domain.format_review.markers import place_findings
from domain.jobs import any_worker_alive
from extensions import db
from models.core import audit
from models.documents import EDITOR_ROLES

REPORT = "format_check/report.html"
POLL_SECONDS = 2


def _page_facts(found: Held) -> dict:
    return {
        "can_normalize": current_user.has_role(*EDITOR_ROLES),
        "expires": datetime.fromtimestamp(found.expires_at(), UTC),
    }


def results(found: Held) -> dict:
    """The report's findings grouped by element (errors first) and numbered in that order, the markers of each
    drawn page, and where the drawing stands."""
    try:
        report, layout = report_of(found)
    except FormatCheckError as refused:  # checked when it was held; a changed checker may refuse it now
        return {"found": found, "refused": refused.message, **_page_facts(found)}
    groups, numbered = [], []
    for key, label, findings in report.by_element():
        items = []
        for finding in findings:
            numbered.append(finding)
            items.append((len(numbered), finding))
        groups.append((key, label, items))
    markers: dict[int, list] = {}
    marked: dict[int, int] = {}  # finding number -> the page its marker is on
    if layout is not None:
        for marker in place_findings(numbered, report.paragraph_texts, layout["pages"]):
            markers.setdefault(marker.box.page, []).append(marker)
            for number in marker.numbers:
                marked.setdefault(number, marker.box.page)  # the first page it is marked on
    job = None if layout is not None else pages_job(found)
    return {
        "found": found,
        "report": report,
        "groups": groups,
        "layout": layout,
        "markers": markers,
        "marked": marked,
        "job": job,
        "drawing_failed": job_failed(job),
        "worker_alive": any_worker_alive(),
        "poll_seconds": POLL_SECONDS,
        "refused": None,
        **_page_facts(found),
    }


@bp.get("/<token>")
@roles_required(*STAFF_ROLES)
def report(token: str):
    found = held_or_404(token)
    context = results(found)
    if context.get("layout") is None and context.get("job") is None and not context["refused"]:
        ask_for_pages(found)  # the pictures were swept from the cache meanwhile: draw them again
        db.session.commit()
        context = results(found)
    return render(REPORT, None, **context)


@bp.get("/<token>/results")
@roles_required(*STAFF_ROLES)
def results_fragment(token: str):
    """Asked every POLL_SECONDS while the pages are being drawn; answers with the findings and the pictures."""
    return render(REPORT, "results", **results(held_or_404(token)))


@bp.post("/<token>/redraw")
@roles_required(*STAFF_ROLES)
def redraw(token: str):
    """Try the drawing again after it failed (LibreOffice busy or stopped)."""
    found = held_or_404(token)
    ask_for_pages(found)
    audit(
        "format_check.redraw",
        None,
        user=current_user,
        object_type="format_check",
        summary=f"Vẽ lại các trang của tệp {found.filename}",
    )
    db.session.commit()
    return redirect(url_for(".report", token=token), code=303)


@bp.get("/<token>/page-<int:number>.jpg")
@roles_required(*STAFF_ROLES)
def picture(token: str, number: int):
    found = held_or_404(token)
    path = pages_dir(root(), found.sha256) / f"page-{number}.jpg"
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=0, conditional=True)
