"""`flask --app app import-plan FILE [--commit]`: read a plan file as the import page does, from the command line.
`flask --app app send-mail [--digests]`: send the notification letters waiting now (the worker does it itself).
`flask --app app notify-deadlines [--date YYYY-MM-DD]`: the daily deadline check (the worker runs it each morning)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app

from domain.mail.outbox import deliver_pending, send_digests
from domain.office import office_today
from domain.plans.daily_notices import schedule_next
from domain.plans.deadline_notices import notify_deadlines
from domain.plans.import_limits import ImportLimits
from domain.plans.importer import PlanImportError
from domain.plans.proposals import (
    ImportInvalid,
    confirmed_from_proposal,
    create_imported_plan,
    propose_import,
)
from domain.plans.tasks import TRACKABLE_NAMES
from extensions import db
from models.choices import TRACKABLE_KINDS
from models.core import utcnow


def register_commands(app: Flask) -> None:
    @app.cli.command("notify-deadlines")
    @click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Ngày kiểm tra (mặc định: hôm nay theo giờ của cơ quan).")
    def notify_deadlines_command(on):
        """Tell units of tasks due within 3 days and of tasks now overdue (once per task and event)."""
        today = on.date() if on else office_today()
        result = notify_deadlines(today)
        db.session.commit()
        click.echo(f"Ngày {today:%d/%m/%Y}: {result.soon} thông báo sắp đến hạn, {result.overdue} thông báo quá hạn"
                   f"; {result.units_without_reporter} lượt đơn vị chưa có tài khoản báo cáo nên chưa được báo.")
        job = schedule_next(utcnow())  # from now on the worker runs the check (and the digests) every morning
        db.session.commit()
        click.echo(f"Lần nhắc tự động tiếp theo: việc nền #{job.id}.")

    @app.cli.command("send-mail")
    @click.option("--digests", is_flag=True, help="Gửi cả thư tổng hợp hằng ngày cho người chọn nhận thư tổng hợp.")
    def send_mail_command(digests: bool):
        """Send now every notification letter waiting (what the worker does after each notification)."""
        if digests:
            done = send_digests(current_app.secret_key)
            click.echo(f"Thư tổng hợp: đã gửi {done.sent}, còn chờ {done.waiting}.")
        done = deliver_pending(current_app.secret_key)
        click.echo(f"Thư thông báo: đã gửi {done.sent}, lỗi {done.failed}, bỏ {done.given_up}, còn chờ {done.waiting}.")
        if done.error:
            click.echo(done.error, err=True)
            raise SystemExit(1)

    @app.cli.command("import-plan")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--commit", is_flag=True, help="Lưu thành dự thảo kế hoạch (kèm nhiệm vụ với đơn vị đã khớp).")
    def import_plan_command(path: Path, commit: bool):
        """Read a plan file (.docx/.txt) and print what was found as JSON; with --commit, save it as a draft."""
        limits = ImportLimits.from_config(current_app.config)
        if path.stat().st_size > limits.max_bytes:
            raise click.ClickException(f"Tệp quá lớn; chỉ nhận tệp đến {limits.max_bytes // (1024 * 1024)} MB.")
        try:
            plan = propose_import(path.name, path.read_bytes(), None, limits=limits)
        except PlanImportError as refused:
            raise click.ClickException(refused.message) from None
        if commit:
            if plan["kind"] not in TRACKABLE_KINDS:
                raise click.ClickException(f"Tệp không phải {TRACKABLE_NAMES}; không lưu.")
            try:
                document = create_imported_plan(confirmed_from_proposal(plan), None, office_today())
            except ImportInvalid as invalid:
                raise click.ClickException("; ".join(invalid.errors.values())) from None
            db.session.commit()
            plan["document_id"] = document.id
            click.echo(f"Đã lưu dự thảo {document.kind_info.name.lower()} số hiệu nội bộ {document.id}.", err=True)
        click.echo(json.dumps(plan, ensure_ascii=False, indent=2))
