"""Restore of an archive written by domain.upkeep.backup into an empty instance, while the application may be running.

Nothing is changed before the whole archive has been checked against its manifest and the instance found empty
(no table in the database, no stored file). Then the files are written, then the database; if either fails the
files written are removed again, so the instance is empty as before and the restore can simply be run again.
"""

from __future__ import annotations

import os
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from domain.files import LOCK_FILE, files_dir, relative_path, verify_all
from domain.upkeep.backup import (
    DATABASE_MEMBERS,
    BackupError,
    Outcome,
    copy_hashing,
    fsync_dir,
    libpq_url,
    members,
    run_client,
    verify_archive,
)
from extensions import BUSY_TIMEOUT_MS, db

CHANGED_MEANWHILE = "Tệp sao lưu đã thay đổi trong khi khôi phục; hãy thử lại."


def _not_empty() -> str | None:
    """Why this instance cannot take a restore (None when it can): tables in its database, files in FILES_DIR."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        with db.engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    elif url.database in (None, "", ":memory:"):
        return "cơ sở dữ liệu SQLite không nằm trong một tệp"
    elif Path(url.database).exists():  # looked at read-only: a refused restore changes nothing, not even this
        with closing(sqlite3.connect(f"{Path(url.database).absolute().as_uri()}?mode=ro", uri=True)) as conn:
            tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    else:
        tables = []
    if tables:
        return f"cơ sở dữ liệu đã có {len(tables)} bảng"
    for _root, _dirs, names in os.walk(files_dir()):
        if any(name != LOCK_FILE and not name.startswith(".tmp-") for name in names):
            return f"thư mục tệp {files_dir()} đã có tệp"
    return None


def _revision_behind(revision: str | None) -> bool:
    """Whether the archived database is older than this application; BackupError when it is newer (unknown)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    archived = set(revision.split(",")) if revision else set()
    unknown = archived - {script.revision for script in scripts.walk_revisions()}
    if unknown:
        raise BackupError(f"Cơ sở dữ liệu trong bản sao lưu ở phiên bản {', '.join(sorted(unknown))}, mới hơn "
                          "ứng dụng này: hãy cập nhật ứng dụng trước. Chưa có gì thay đổi.")
    return archived != set(scripts.get_heads())


def _put_stored(source, sha256: str) -> Path:
    """Write one file at its content address: temporary file, fsync, read-only, rename (as domain.files does)."""
    final = files_dir() / relative_path(sha256)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            _size, got = copy_hashing(source, out)
            out.flush()
            os.fsync(out.fileno())
        if got != sha256:
            raise BackupError(CHANGED_MEANWHILE)
        os.chmod(tmp, 0o440)
        os.replace(tmp, final)
    finally:
        Path(tmp).unlink(missing_ok=True)
    fsync_dir(final.parent)
    return final


def _restore_database(dump: Path) -> None:
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # no pooled connection of this process keeps the empty database's schema
    if url.get_backend_name() == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # Copied in through SQLite rather than renamed into place: a renamed file would meet the empty database's
        # leftover -wal/-shm files, and workers already running would keep reading the old file.
        with closing(sqlite3.connect(dump)) as snapshot, \
                closing(sqlite3.connect(url.database, timeout=BUSY_TIMEOUT_MS / 1000)) as live:
            snapshot.backup(live)
    else:
        dburl, env = libpq_url(url)
        # One transaction, so a failed restore leaves the database empty; grants would name the old server's roles.
        run_client(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                    f"--dbname={dburl}", str(dump)], env)
    db.engine.dispose()


def restore_backup(archive: Path) -> Outcome:
    """Check the archive and that the instance is empty, then bring back the files and the database."""
    archive = Path(archive).absolute()
    dialect = db.engine.dialect.name
    manifest = verify_archive(archive, dialect)
    behind = _revision_behind(manifest.get("alembic_revision"))
    if (reason := _not_empty()) is not None:
        raise BackupError(f"Không khôi phục vì {reason}: chỉ khôi phục vào một bản cài đặt trống "
                          "(cơ sở dữ liệu chưa có bảng, thư mục tệp chưa có tệp). Chưa có gì thay đổi.")
    listed = {m["path"]: m["sha256"] for m in manifest["members"]}
    written: list[Path] = []
    try:
        # Files first: until the database arrives no row shows them, so a running application never lacks one.
        with tempfile.TemporaryDirectory(prefix="vanban-restore-") as work, tarfile.open(archive, "r:*") as tar:
            dump = Path(work) / DATABASE_MEMBERS[dialect]
            for name, source in members(tar):
                if name.startswith("files/"):
                    written.append(_put_stored(source, listed[name]))
                elif name == dump.name:
                    with dump.open("wb") as out:
                        if copy_hashing(source, out)[1] != listed[name]:
                            raise BackupError(CHANGED_MEANWHILE)
            _restore_database(dump)
    except (OSError, tarfile.TarError, EOFError, sqlite3.Error, SQLAlchemyError) as exc:
        _remove(written)
        raise BackupError(f"Không khôi phục được: {exc}. Các tệp đã ghi được xóa lại; chưa có gì thay đổi.") from exc
    except BaseException:
        _remove(written)
        raise
    stored = [m for m in manifest["members"] if m["path"].startswith("files/")]
    return Outcome(archive, len(stored), sum(m["size"] for m in stored), behind, verify_all())


def _remove(written: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)
