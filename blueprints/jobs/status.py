"""GET /jobs/<id>: the job's state. A page includes the fragment (templates/jobs/_status.html, macro job_status);
it asks again every POLL_SECONDS while the job waits or runs. With ?next=/local/path, an htmx poll that finds the
job done sends the browser there (HX-Redirect): "Đang tạo bản PDF…" becomes the PDF."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from blueprints import render
from blueprints.jobs import bp
from domain.jobs import any_worker_alive
from domain.jobs.access import job_for
from models.choices import DONE

POLL_SECONDS = 2


def safe_next(value: str | None) -> str | None:
    """A path on this site only: "/documents/5/pdf", never "//elsewhere" or "https://…"."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


@bp.get("/<int:job_id>")
def status(job_id: int):
    job = job_for(current_user, job_id) or abort(404)
    next_url = safe_next(request.args.get("next"))
    if job.state == DONE and next_url and request.headers.get("HX-Request") == "true":
        return "", 200, {"HX-Redirect": next_url}
    return render("jobs/status.html", "job_status", job=job, next_url=next_url, poll_seconds=POLL_SECONDS,
                  worker_alive=any_worker_alive())
