"""The documents a round produces: the aggregated Báo cáo (drafted, brought up to date, downloaded) and the
Công văn asking the units for their report."""

from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, send_file
from flask_login import current_user

from blueprints import roles_required
from blueprints.reports import bp, round_link
from blueprints.shared import document_url
from docgen.records import document_docx
from domain.access import round_for
from domain.plans.tracking import STAFF_ROLES
from domain.reports import drafts, rounds
from extensions import db
from models.choices import CLERK

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.post("/reports/<int:round_id>/generate")
@roles_required(CLERK)
def generate(round_id: int):
    """Draft the aggregated Báo cáo, or bring it up to date (the parts the clerk changed are kept)."""
    rnd = round_for(current_user, round_id) or abort(404)
    try:
        drafted = drafts.draft_report(rnd, current_user)
    except rounds.SubmissionRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(round_link(rnd), code=303)
    db.session.commit()
    n = len(drafted.result.reporting)
    if drafted.created:
        flash(f"Đã tạo dự thảo báo cáo tổng hợp từ báo cáo của {n} đơn vị. Hãy rà soát, chỉnh sửa rồi trình duyệt.",
              "success")
    elif drafted.kept:
        labels = ", ".join(p.label for p in drafted.kept)
        flash(f"Đã cập nhật báo cáo tổng hợp ({n} đơn vị). Các phần chuyên viên đã sửa được giữ nguyên: {labels}; "
              "hãy kiểm tra lại số liệu trong các phần đó.", "warning")
    else:
        flash(f"Đã cập nhật báo cáo tổng hợp theo báo cáo của {n} đơn vị.", "success")
    return redirect(round_link(rnd), code=303)


@bp.get("/reports/<int:round_id>/report.docx")
@roles_required(*STAFF_ROLES)
def report_download(round_id: int):
    """Download the aggregated Báo cáo as .docx, with its annex table (once issued, the copy stored at issue)."""
    rnd = round_for(current_user, round_id) or abort(404)
    if rnd.report_document is None:
        abort(404)
    data, name = document_docx(rnd.report_document)
    return send_file(BytesIO(data), mimetype=DOCX_MIME, as_attachment=True, download_name=name, max_age=0)


@bp.post("/reports/<int:round_id>/request-letter")
@roles_required(CLERK)
def request_letter(round_id: int):
    """Draft the Công văn asking the units for their report (once), then open it in the editor."""
    rnd = round_for(current_user, round_id) or abort(404)
    document, created = drafts.draft_request_letter(rnd, current_user)
    db.session.commit()
    flash("Đã soạn dự thảo công văn đề nghị báo cáo." if created else "Đợt báo cáo đã có công văn đề nghị báo cáo.",
          "success" if created else "info")
    return redirect(document_url(document), code=303)
