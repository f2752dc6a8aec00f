"""`flask --app app search-index`: the archive's full-text accelerators and search keys.
`flask --app app pdf-report FILE [--json]`: what the application records for a signed copy (signatures, text)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app

from domain.files import FileRejected
from domain.register.archive import build_search_index
from domain.register.pdf_report import pdf_report, report_lines
from extensions import db


def register_commands(app: Flask) -> None:
    @app.cli.command("search-index")
    def search_index_command():
        """Create the full-text accelerators if missing and write search keys for issued documents without them."""
        created, indexed = build_search_index()
        db.session.commit()
        click.echo(f"Chỉ mục tìm kiếm: {'đã tạo' if created else 'đã có'}; "
                   f"đã bổ sung khóa tìm kiếm cho {indexed} văn bản.")

    @app.cli.command("pdf-report")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--json", "as_json", is_flag=True, help="JSON: signatures (signer, organization, signing_time, "
                  "intact, covers_whole_file, trusted, certificate_valid, …), text, ocr.")
    def pdf_report_command(file: Path, as_json: bool):
        """What the application records for an uploaded PDF or image: its digital signatures checked against the
        trust list, and its text layer. Reads the file only; stores nothing."""
        limit = int(current_app.config.get("SIGNED_COPY_MAX_BYTES") or current_app.config["MAX_CONTENT_LENGTH"])
        try:
            report = pdf_report(file.read_bytes(), file.name, limit)
        except FileRejected as refused:
            raise click.ClickException(refused.message) from refused
        finally:
            db.session.rollback()  # nothing to keep: the command only reads
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            click.echo("\n".join(report_lines(report)))
