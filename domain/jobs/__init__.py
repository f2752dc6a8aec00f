"""The background job queue: slow work (PDF rendering, OCR, signature checks, e-mail) off the request path.

A feature registers what a kind of job does, in a module the app imports (at whatever floor the work needs):

    from domain import jobs
    from models.choices import JOB_PDF_PREVIEW

    @jobs.task(JOB_PDF_PREVIEW, attempts=3, backoff_seconds=10, timeout_seconds=120)
    def render_preview(job):                 # job: models.jobs.Job, in an app context of its own
        jobs.report_progress("Đang chuyển sang PDF…")
        convert(docx, timeout=jobs.time_left(60))  # a slow call gets what is left of the job's time (<= 60 s)
        ...                                  # raise jobs.JobFailed("…") for a failure that no retry can mend
        return {"sha256": digest}            # stored as job.result (JSON)

and asks for one inside a request (sent to the worker when the request's transaction commits):

    job = jobs.enqueue(JOB_PDF_PREVIEW, subject=f"document:{doc.id}", params={...}, dedupe_key=digest,
                       user=current_user)

`flask --app app worker` runs them; a page shows a job with the jobs blueprint's polling fragment.
"""

from domain.jobs.limits import JobTimedOut, time_left
from domain.jobs.queue import KINDS, huey, on_worker_start, task
from domain.jobs.runner import JobFailed, enqueue, report_progress, run
from domain.jobs.workers import any_worker_alive, sweep

__all__ = ["KINDS", "JobFailed", "JobTimedOut", "any_worker_alive", "enqueue", "huey", "on_worker_start",
           "report_progress", "run", "sweep", "task", "time_left"]
