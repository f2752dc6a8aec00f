"""Onboarding a province from a spreadsheet: the template, a preview with a message per bad row, the confirmation
that makes the units and accounts, and the printable list of accounts and one-time passwords per unit.

Between preview and confirmation the file waits in the cache under its SHA-256 (the form carries only that); the
confirmation reads and checks it again, so what is saved is what the directory allows at that moment.
"""

from __future__ import annotations

import hashlib
import re
from itertools import groupby
from pathlib import Path

from flask import Response, current_app, render_template, request
from flask_login import current_user

from blueprints.admin import bp
from domain.onboarding.accounts import create_all
from domain.onboarding.checks import check_rows
from domain.onboarding.sheet import MAX_BYTES, MAX_ROWS, TITLES, SheetRefused, read_sheet
from domain.onboarding.template import template_bytes
from extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


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
    """Check the previewed file again and make its units and accounts; answer with the list to print."""
    digest = request.form.get("digest", "")
    path = _waiting_dir() / f"{digest}.xlsx"
    if not _DIGEST.match(digest) or not path.exists():
        return _page(refused="Tệp xem trước không còn; vui lòng tải tệp lên lại."), 422
    try:
        plan = check_rows(read_sheet(path.read_bytes()))
    except SheetRefused as exc:
        return _page(refused=exc.message), 422
    if not plan.ok:  # the directory changed since the preview (someone made a unit with the same code)
        return _page(plan=plan, digest=digest, filename=""), 422
    issued = create_all(plan, current_user)
    db.session.commit()
    path.unlink(missing_ok=True)
    by_unit = [(unit, list(rows)) for unit, rows in groupby(issued, key=lambda i: i.unit_name)]
    return render_template("admin/onboarding_print.html", by_unit=by_unit, units=plan.new_units,
                           accounts=len(issued), login_url=request.host_url.rstrip("/") + "/login")
