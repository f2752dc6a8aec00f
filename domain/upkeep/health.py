"""What /healthz checks: the database answers, its schema is at the newest migration, files can be written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from extensions import db


def migrations_head(app: Flask) -> set[str]:
    """The head revisions of the application's migrations (read from the scripts, not the database)."""
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    return set(ScriptDirectory.from_config(config).get_heads())


def database_revisions() -> set[str]:
    return {row[0] for row in db.session.execute(text("SELECT version_num FROM alembic_version"))}


def files_writable(files_dir: str) -> bool:
    """Create, write, sync and remove a small file where uploads are stored."""
    try:
        fd, path = tempfile.mkstemp(dir=files_dir, prefix=".tmp-health-")
        try:
            os.write(fd, b"ok")
            os.fsync(fd)
        finally:
            os.close(fd)
            Path(path).unlink(missing_ok=True)
    except OSError:
        return False
    return True


def health_checks(app: Flask) -> dict[str, str]:
    """One entry per check: "ok", or a short English reason for the operator (the answer is for monitoring)."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # the health check reports, it does not crash
        db.session.rollback()
        checks["database"] = f"unreachable ({exc.__class__.__name__})"
    if checks["database"] == "ok":
        try:
            current = database_revisions()
            checks["migrations"] = "ok" if current == migrations_head(app) else "not at head (run: flask db upgrade)"
        except Exception:  # no alembic_version table: an empty or unmigrated database
            db.session.rollback()
            checks["migrations"] = "not migrated (run: flask db upgrade)"
    else:
        checks["migrations"] = "unknown"
    checks["files"] = "ok" if files_writable(app.config["FILES_DIR"]) else "FILES_DIR not writable"
    db.session.rollback()
    return checks
