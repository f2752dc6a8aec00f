"""`flask --app app worker`: the process that runs the background jobs (PDF rendering, OCR, signatures, e-mail);
`flask --app app jobs`: what the queue holds, and a failed job sent again."""

from __future__ import annotations

import logging

import click
from flask import Flask
from sqlalchemy import select

from domain.jobs import any_worker_alive
from domain.jobs.consumer import run_worker
from domain.jobs.queue import IMMEDIATE, MEMORY
from domain.jobs.runner import retry_failed
from extensions import db
from models.jobs import Job


def register_commands(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option("--threads", type=click.IntRange(1, 16), default=2, show_default=True,
                  help="Số việc chạy cùng lúc.")
    def worker_command(threads: int):
        """Run the background job queue's worker until stopped (Ctrl+C lets running jobs finish; SIGTERM stops at
        once and puts them back in the queue)."""
        if app.config["JOBS_QUEUE"] in (IMMEDIATE, MEMORY):
            raise click.UsageError("Hàng đợi đang ở chế độ chạy ngay trong tiến trình web (JOBS_QUEUE="
                                   f"{app.config['JOBS_QUEUE']}): không cần tiến trình xử lý nền.")
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        click.echo(f"Tiến trình xử lý nền: hàng đợi {app.config['JOBS_QUEUE']}, {threads} luồng. Dừng: Ctrl+C.")
        run_worker(app, threads)

    @app.cli.command("jobs")
    @click.option("--state", help="Chỉ liệt kê việc ở trạng thái này (queued, running, done, failed).")
    @click.option("--limit", type=click.IntRange(1, 10_000), default=30, show_default=True)
    @click.option("--retry", "retry_id", type=int, help="Đưa lại vào hàng đợi một việc đã thất bại (số hiệu).")
    def jobs_command(state: str | None, limit: int, retry_id: int | None):
        """List the latest background jobs (newest first), or send a failed one again with --retry ID."""
        if retry_id is not None:
            if retry_failed(retry_id) is None:
                raise click.ClickException(f"Không có việc #{retry_id} ở trạng thái thất bại.")
            db.session.commit()
            click.echo(f"Đã đưa việc #{retry_id} vào lại hàng đợi.")
            return
        query = select(Job).order_by(Job.id.desc()).limit(limit)
        for job in db.session.scalars(query.where(Job.state == state) if state else query):
            line = (f"#{job.id:<6} {job.kind_label:<28} {job.state_choice.label:<16} lần thử {job.attempts}/"
                    f"{job.max_attempts}  {job.created_at:%Y-%m-%d %H:%M}  {job.subject}")
            click.echo(line + (f"\n        {job.error[:200]}" if job.error else ""))
        click.echo("Tiến trình xử lý nền: " + ("đang chạy." if any_worker_alive() else "KHÔNG chạy (đang chờ)."))
