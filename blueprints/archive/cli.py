"""`flask --app app search-index`: the archive's full-text accelerators and search keys."""

from __future__ import annotations

import click
from flask import Flask

from domain.register.archive import build_search_index
from extensions import db


def register_commands(app: Flask) -> None:
    @app.cli.command("search-index")
    def search_index_command():
        """Create the full-text accelerators if missing and write search keys for issued documents without them."""
        created, indexed = build_search_index()
        db.session.commit()
        click.echo(f"Chỉ mục tìm kiếm: {'đã tạo' if created else 'đã có'}; "
                   f"đã bổ sung khóa tìm kiếm cho {indexed} văn bản.")
