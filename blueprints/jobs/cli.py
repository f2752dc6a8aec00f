"""`flask --app app worker`: the process that runs the background jobs (PDF rendering, OCR, signatures, e-mail)."""

from __future__ import annotations

import logging

import click
from flask import Flask

from domain.jobs.consumer import run_worker
from domain.jobs.queue import IMMEDIATE, MEMORY


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
