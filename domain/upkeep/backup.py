"""Backup of a whole instance into one archive, and the check of an archive before a restore (domain.upkeep.restore).

The archive is a tar (gzip when its name ends in .tar.gz/.tgz) holding ``manifest.json`` first, then the database
(``database.sqlite3``, a SQLite online-backup copy, or ``database.pgdump``, pg_dump's custom format), then every
file a StoredFile row of that snapshot refers to, under ``files/ab/cd/<sha256>``. The list of files is taken from
the snapshot's own rows, not from the directory: the archive then holds exactly the files its database needs, no
orphans of failed uploads and no file of a row committed after the snapshot. Stored files are written once and
never changed, so reading them after the snapshot is still consistent. The secret key is never archived: it only
signs sessions and CSRF tokens.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from domain.errors import DomainError
from domain.files import files_dir, relative_path
from extensions import BUSY_TIMEOUT_MS, db
from models.files import StoredFile

FORMAT = "vanban-backup/1"
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FILE_MEMBER = re.compile(r"files/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024


class BackupError(DomainError, RuntimeError):
    """A backup or restore that could not be done; the message is for the operator (Vietnamese)."""


@dataclass
class Member:
    path: str
    size: int
    sha256: str


@dataclass
class Outcome:
    """What a backup wrote or a restore brought back."""

    archive: Path
    files: int
    files_size: int
    revision_behind: bool = False  # a restored database older than the application's migrations
    problems: list = field(default_factory=list)  # what verify_all() found after a restore


# ---- shared pieces ---------------------------------------------------------------------------------------


def app_version() -> str:
    try:
        return metadata.version("vanban")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return tomllib.loads(pyproject.read_text())["project"]["version"]


def copy_hashing(source, target=None) -> tuple[int, str]:
    """Read source to its end (writing to target, if any); its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: source.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return size, digest.hexdigest()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def libpq_url(url) -> tuple[str, dict[str, str]]:
    """The database's URL for pg_dump/pg_restore, and an environment with its password (not on the command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def run_client(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy chương trình {command[0]} (gói postgresql-client).") from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} báo lỗi: {done.stderr.strip()[:2000]}")


# ---- backup ----------------------------------------------------------------------------------------------


def _contents(conn) -> tuple[str | None, list[Member]]:
    """The migration revision and the stored files recorded in a database snapshot."""
    if not inspect(conn).has_table(StoredFile.__tablename__):
        raise BackupError("Cơ sở dữ liệu chưa được tạo (flask --app app db upgrade); không có gì để sao lưu.")
    revision = None
    if inspect(conn).has_table("alembic_version"):
        revision = ",".join(sorted(conn.scalars(text("SELECT version_num FROM alembic_version"))))
    rows = conn.execute(select(StoredFile.sha256, StoredFile.size).distinct().order_by(StoredFile.sha256))
    return revision, [Member(f"files/{relative_path(sha)}", size, sha) for sha, size in rows]


def _snapshot(work: Path) -> tuple[Path, str | None, list[Member]]:
    """The database file, revision and stored files of one consistent moment of the live database."""
    url = db.engine.url
    dump = work / DATABASE_MEMBERS[url.get_backend_name()]
    if url.get_backend_name() == "sqlite":
        # One backup step copies every page inside one read transaction: writers go on (WAL), the copy is whole.
        if not Path(url.database or "").is_file():
            raise BackupError(f"Không tìm thấy tệp cơ sở dữ liệu SQLite {url.database}; không có gì để sao lưu.")
        live_uri = f"{Path(url.database).absolute().as_uri()}?mode=ro"  # the backup never writes to it
        with closing(sqlite3.connect(live_uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)) as live, \
                closing(sqlite3.connect(dump)) as copy:
            live.backup(copy)
        engine = create_engine(f"sqlite:///{dump}", poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return dump, *_contents(conn)
        finally:
            engine.dispose()
    # pg_dump reads the snapshot this transaction exports, so its dump and the rows read here are the same moment.
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        snapshot_id = conn.scalar(text("SELECT pg_export_snapshot()"))
        dburl, env = libpq_url(url)
        run_client(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot_id}", f"--file={dump}", dburl], env)
        return dump, *_contents(conn)


def _add(tar: tarfile.TarFile, member: Member, source, mtime: float) -> None:
    info = tarfile.TarInfo(member.path)
    info.size, info.mtime, info.mode = member.size, mtime, 0o440 if member.path.startswith("files/") else 0o600
    tar.addfile(info, source)


def _add_stored(tar: tarfile.TarFile, member: Member, mtime: float) -> None:
    """Add a stored file after checking that its bytes are still those its rows recorded (they never change)."""
    path = files_dir() / relative_path(member.sha256)
    try:
        with path.open("rb") as fh:
            intact = copy_hashing(fh) == (member.size, member.sha256)
            fh.seek(0)
            if intact:
                _add(tar, member, fh, mtime)
    except FileNotFoundError:
        intact = False
    if not intact:
        raise BackupError(f"Tệp lưu trữ {path} bị thiếu hoặc đã bị thay đổi nên chưa sao lưu được. "
                          "Hãy kiểm tra bằng: flask --app app verify-files")


def create_backup(out: Path) -> Outcome:
    """Write the archive at ``out`` atomically (temporary file, fsync, rename); BackupError on failure."""
    out = Path(out).absolute()
    if not out.parent.is_dir():
        raise BackupError(f"Thư mục {out.parent} không tồn tại; chưa sao lưu.")
    created = datetime.now(UTC)
    stamp = created.timestamp()
    try:
        with tempfile.TemporaryDirectory(prefix="vanban-backup-") as work:
            dump, revision, stored = _snapshot(Path(work))
            with dump.open("rb") as fh:
                database = Member(dump.name, *copy_hashing(fh))
            manifest = {"format": FORMAT, "app_version": app_version(), "created_at": created.isoformat(),
                        "dialect": db.engine.dialect.name, "alembic_revision": revision,
                        "members": [vars(m) for m in [database, *stored]]}
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.tmp-")  # mode 0600: it holds everything
            try:
                with os.fdopen(fd, "wb") as raw:
                    gzip = out.name.endswith((".tar.gz", ".tgz"))
                    with tarfile.open(fileobj=raw, mode="w:gz" if gzip else "w") as tar:
                        _add(tar, Member(MANIFEST, len(body), ""), io.BytesIO(body), stamp)
                        with dump.open("rb") as fh:
                            _add(tar, database, fh, stamp)
                        for member in stored:
                            _add_stored(tar, member, stamp)
                    raw.flush()
                    os.fsync(raw.fileno())
                os.replace(tmp, out)
            finally:
                Path(tmp).unlink(missing_ok=True)
            fsync_dir(out.parent)
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        raise BackupError(f"Không sao lưu được vào {out}: {exc}") from exc
    return Outcome(out, len(stored), sum(m.size for m in stored))


# ---- checking an archive ---------------------------------------------------------------------------------


def _allowed(name: str) -> bool:
    """Only the names a backup writes: no folders of its own, no ``..``, nothing absolute."""
    if name == MANIFEST or name in DATABASE_MEMBERS.values():
        return True
    match = FILE_MEMBER.fullmatch(name)
    return bool(match) and match[3].startswith(match[1] + match[2])


def members(tar: tarfile.TarFile):
    """Yield (name, readable) for each member after checking its name and kind; BackupError for anything else."""
    seen = set()
    for info in tar:
        if not _allowed(info.name) or not info.isreg() or info.name in seen:
            raise BackupError(f"Tệp sao lưu có thành phần không hợp lệ hoặc không an toàn: {info.name!r}. "
                              "Chưa có gì thay đổi.")
        seen.add(info.name)
        yield info.name, tar.extractfile(info)


@contextmanager
def _reading(archive: Path):
    try:
        with tarfile.open(archive, "r:*") as tar:
            yield tar
    except (tarfile.TarError, EOFError, zlib.error, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"Tệp {archive} không phải là một bản sao lưu đọc được (hỏng hoặc bị cắt cụt). "
                          "Chưa có gì thay đổi.") from exc
    except OSError as exc:
        raise BackupError(f"Không đọc được tệp sao lưu {archive}: {exc.strerror or exc}. "
                          "Chưa có gì thay đổi.") from exc


def _listed(manifest) -> dict[str, tuple[int, str]]:
    """The manifest's members as {path: (size, sha256)}; BackupError when it is not a vanban manifest."""
    try:
        if manifest["format"] == FORMAT:
            return {m["path"]: (m["size"], m["sha256"]) for m in manifest["members"]}
    except (KeyError, TypeError):
        pass
    raise BackupError("Tệp sao lưu không có manifest.json hợp lệ của vanban. Chưa có gì thay đổi.")


def verify_archive(archive: Path, dialect: str) -> dict:
    """The manifest, once every member matches it (names, sizes, SHA-256; none missing, none extra)."""
    if not Path(archive).is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive}.")
    manifest, found = None, {}
    with _reading(archive) as tar:
        for name, fh in members(tar):
            if name == MANIFEST:
                manifest = json.loads(fh.read(MANIFEST_MAX_BYTES).decode())
            else:
                found[name] = copy_hashing(fh)
    listed = _listed(manifest)
    if manifest.get("dialect") != dialect:
        raise BackupError(f"Bản sao lưu là của cơ sở dữ liệu {manifest.get('dialect')}, không khôi phục được "
                          f"vào {dialect}. Chưa có gì thay đổi.")
    # A stored file's name is its SHA-256: bytes that do not hash to it would land at a wrong content address.
    wrong = sorted(name for name in listed.keys() & found.keys() if listed[name] != found[name]
                   or name.startswith("files/") and not name.endswith(found[name][1]))
    problems = [("thiếu", sorted(listed.keys() - found.keys())), ("thừa", sorted(found.keys() - listed.keys())),
                ("sai kích thước hoặc SHA-256", wrong)]
    if DATABASE_MEMBERS[dialect] not in listed:
        problems.append(("thiếu", [DATABASE_MEMBERS[dialect]]))
    told = [f"{label}: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}" for label, names in problems if names]
    if told:
        raise BackupError("Tệp sao lưu không khớp với manifest.json (" + "; ".join(told) + "). Chưa có gì thay đổi.")
    return manifest
