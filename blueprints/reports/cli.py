"""`flask --app app aggregate-report ROUND_ID [--out FILE.docx]`: draft or redraft a round's Báo cáo."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from blueprints.reports.rendering import report_docx
from domain.reports.drafts import draft_report
from domain.reports.rounds import SubmissionRefused
from extensions import db
from models import Organization, User
from models.reports import ReportRound


def register_commands(app: Flask) -> None:
    @app.cli.command("aggregate-report")
    @click.argument("round_id", type=int)
    @click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Ghi báo cáo ra tệp .docx.")
    @click.option("--user", "username", help="Người soạn (mặc định: người đã mở đợt báo cáo).")
    def aggregate_report(round_id: int, out: Path | None, username: str | None):
        """Draft (or redraft) the aggregated Báo cáo of a report round; optionally write it as .docx."""
        rnd = db.session.get(ReportRound, round_id)
        if rnd is None:
            raise click.ClickException(f"Không có đợt báo cáo số {round_id}.")
        user = db.session.scalar(db.select(User).where(User.username == username)) if username else rnd.created_by
        if user is None:
            raise click.ClickException("Không xác định được người soạn; hãy dùng --user TÊN_ĐĂNG_NHẬP.")
        try:
            drafted = draft_report(rnd, user)
        except SubmissionRefused as refused:
            raise click.ClickException(refused.message) from None
        db.session.commit()
        result = drafted.result
        verb = "Đã tạo" if drafted.created else "Đã cập nhật"
        click.echo(f"{verb} báo cáo tổng hợp (văn bản số hiệu {drafted.document.id}): {len(result.reporting)} đơn vị "
                   f"đã báo cáo, {len(result.late)} muộn, {len(result.missing) + len(result.returned)} chưa báo cáo.")
        if drafted.kept:
            click.echo("Giữ nguyên các phần chuyên viên đã sửa: " + ", ".join(p.label for p in drafted.kept))
        if out is not None:
            data, _name = report_docx(drafted.document, Organization.current())
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            click.echo(f"Đã ghi {out}")
