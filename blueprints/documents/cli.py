"""`flask --app app export-docx`: write documents as .docx files from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from docgen.records import document_docx
from extensions import db
from models import Document


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _write(document: Document, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(document_docx(document)[0])
    return path


def register_commands(app: Flask) -> None:
    @app.cli.command("export-docx")
    @click.argument("document_id", required=False, type=int)
    @click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--all", "export_all", is_flag=True, help="Xuất mọi văn bản (cần --out).")
    @click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                  help="Thư mục ghi các tệp khi dùng --all.")
    def export_docx(document_id: int | None, output: Path | None, export_all: bool, out_dir: Path | None):
        """Write one document (ID OUT.docx) or every document (--all --out DIR) as .docx."""
        if export_all:
            if out_dir is None or document_id is not None:
                raise click.UsageError("Dùng: export-docx --all --out THƯ_MỤC")
            documents = db.session.scalars(select(Document).order_by(Document.id)).all()
            for document in documents:
                # Drafts share a suggested name ("KH-du-thao.docx"): the id keeps every file apart.
                name = f"{document.id:04d}-{document_docx(document)[1]}"
                path = _write(document, out_dir / name)
                click.echo(f"{path}  ({document.kind_info.name}: {_short(document.title)})")
            click.echo(f"Đã ghi {len(documents)} văn bản vào {out_dir}.")
            return
        if document_id is None or output is None:
            raise click.UsageError("Dùng: export-docx ID TỆP.docx, hoặc export-docx --all --out THƯ_MỤC")
        document = db.session.get(Document, document_id)
        if document is None:
            raise click.ClickException(f"Không có văn bản số hiệu {document_id}.")
        path = _write(document, output)
        click.echo(f"Đã ghi {path}  ({document.kind_info.name}: {_short(document.title)})")
