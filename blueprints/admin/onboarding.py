"""Onboarding a province from a spreadsheet: the template, a preview with a message per bad row, the confirmation
that asks the background job to make the units and accounts, the job's page (waiting, progress, then the printable
list of accounts and one-time passwords per unit) and "Đã in xong", which removes the passwords for good.

Between preview and confirmation the file waits in the cache under its SHA-256 (the form carries only that); the
confirmation reads and checks it again, so a bad file makes nothing and asks for no job. The job checks it once
more under the write lock before it saves. The passwords come back sealed to a key that only this administrator's
session holds (domain.onboarding.sealed says why).
"""

from __future__ import annotations

import hashlib
import re
from itertools import groupby
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from blueprints.admin import bp
from blueprints.admin.forms import clean_line
from domain.jobs import any_worker_alive
from domain.jobs.access import job_for
from domain.onboarding.checks import check_rows
from domain.onboarding.job import SEALED, ask, forget_slips, slips
from domain.onboarding.sealed import new_key_pair
from domain.onboarding.sheet import MAX_BYTES, MAX_ROWS, TITLES, SheetRefused, read_sheet
from domain.onboarding.template import template_bytes
from extensions import db
from models.choices import DONE, JOB_ONBOARDING

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
# The session's private keys of the onboarding jobs this administrator confirmed: {job id: key}. A few at most:
# the cookie stays small, and an older job's slips are long printed.
SESSION_KEYS, KEYS_KEPT = "onboarding_keys", 3
FILENAME_MAX = 255


def _waiting_dir() -> Path:
    path = Path(current_app.config["CACHE_DIR"]) / "onboarding"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _page(**context):
    return render_template("admin/onboarding.html", titles=TITLES.values(), max_rows=MAX_ROWS,
                           max_mb=MAX_BYTES // (1024 * 1024), **context)


@bp.get("/onboarding")
def onboarding():
    """The upload form and the template."""
    return _page()


@bp.get("/onboarding/template.xlsx")
def onboarding_template():
    """The empty workbook with the column titles."""
    return Response(template_bytes(), mimetype=XLSX,
                    headers={"Content-Disposition": "attachment; filename=mau-nhap-don-vi.xlsx"})


@bp.post("/onboarding/preview")
def onboarding_preview():
    """Read and check the whole file; show what would be made, or every bad row. Nothing is saved."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(refused="Vui lòng chọn tệp .xlsx."), 422
    data = upload.read(MAX_BYTES + 1)
    try:
        plan = check_rows(read_sheet(data))
    except SheetRefused as exc:
        return _page(refused=exc.message), 422
    digest = hashlib.sha256(data).hexdigest()
    if plan.ok:
        (_waiting_dir() / f"{digest}.xlsx").write_bytes(data)
    return _page(plan=plan, digest=digest, filename=upload.filename), 200 if plan.ok else 422


@bp.post("/onboarding/confirm")
def onboarding_confirm():
    """Check the previewed file again and ask the job that makes its units and accounts; go to the job's page."""
    digest = request.form.get("digest", "")
    path = _waiting_dir() / f"{digest}.xlsx"
    if not _DIGEST.match(digest) or not path.exists():
        return _page(refused="Tệp xem trước không còn; vui lòng tải tệp lên lại."), 422
    try:
        rows = read_sheet(path.read_bytes())
    except SheetRefused as exc:
        return _page(refused=exc.message), 422
    plan = check_rows(rows)
    if not plan.ok:  # the directory changed since the preview (someone made a unit with the same code)
        return _page(plan=plan, digest=digest, filename=""), 422
    private_key, public_key = new_key_pair()
    filename = clean_line(request.form.get("filename", ""))[:FILENAME_MAX]
    job = ask(rows, plan, current_user, public_key, filename)
    db.session.commit()
    path.unlink(missing_ok=True)
    kept = list(session.get(SESSION_KEYS, {}).items())[-(KEYS_KEPT - 1):]
    session[SESSION_KEYS] = dict(kept) | {str(job.id): private_key}
    return redirect(url_for("admin.onboarding_job", job_id=job.id), code=303)


def _onboarding_job(job_id: int):
    job = job_for(current_user, job_id)
    if job is None or job.kind != JOB_ONBOARDING:
        abort(404)
    return job


@bp.get("/onboarding/jobs/<int:job_id>")
def onboarding_job(job_id: int):
    """Waiting, then the progress, then the slips to print (for the administrator who confirmed, in that session)."""
    job = _onboarding_job(job_id)
    printable = slips(job, session.get(SESSION_KEYS, {}).get(str(job.id))) if job.state == DONE else None
    if printable is not None:
        by_unit = [(unit, list(rows)) for unit, rows in groupby(printable, key=lambda i: i.unit_name)]
        return render_template("admin/onboarding_print.html", job=job, by_unit=by_unit, units=job.result["units"],
                               accounts=len(printable), login_url=request.host_url.rstrip("/") + "/login")
    return render_template("admin/onboarding_job.html", job=job, result=job.result or {}, sealed=SEALED,
                           worker_alive=any_worker_alive())


@bp.post("/onboarding/jobs/<int:job_id>/forget")
def onboarding_forget(job_id: int):
    """"Đã in xong": the sealed passwords leave the job and the key leaves the session; they cannot be shown again."""
    job = _onboarding_job(job_id)
    forgotten = forget_slips(job, current_user)
    db.session.commit()
    session[SESSION_KEYS] = {k: v for k, v in session.get(SESSION_KEYS, {}).items() if k != str(job.id)}
    flash("Đã xóa mật khẩu tạm thời khỏi hệ thống; phiếu đã in là bản duy nhất." if forgotten
          else "Việc nhập này không còn mật khẩu tạm thời nào để xóa.", "success" if forgotten else "info")
    return redirect(url_for("admin.onboarding_job", job_id=job.id), code=303)
