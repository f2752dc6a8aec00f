"""Content-addressed file storage: checks of an upload, SHA-256, atomic writes, verification.

Layout: FILES_DIR/ab/cd/abcd… (the full SHA-256 as file name). A file is written once, through a temporary file
in the same directory, fsync and rename, and is never overwritten: the same hash means the same bytes, so a
second upload of the same file reuses the first one. Each upload still gets its own StoredFile row (who, when,
under which name). What a file is (its kind, by content) is told by domain.file_kinds; what a killed process
leaves behind is found by domain.upkeep.leftovers.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from domain.errors import DomainError
from domain.file_kinds import CONTENT_TYPES, EXTENSIONS, MSG_TYPE, detect_kind, zip_problem
from domain.text.vietnamese import clean_text
from extensions import db
from models.core import User, utcnow
from models.files import StoredFile

NAME_MAX = 200
LOCK_FILE = ".lock"
WRITTEN = "files_written"  # session.info key: files written in the current transaction
MISSING, CHANGED = "missing", "changed"

MSG_EMPTY = "Tệp rỗng (0 byte). Vui lòng chọn lại tệp."


class FileRejected(DomainError, ValueError):
    """An upload that cannot be stored; the message is for the person who sent it (Vietnamese)."""


class FileDamaged(RuntimeError):
    """A stored file is missing or its bytes no longer match the recorded SHA-256."""

    def __init__(self, stored: StoredFile, problem: str):
        super().__init__(f"stored file {stored.id} ({stored.storage_path}): {problem}")
        self.stored = stored
        self.problem = problem


# ---- names ---------------------------------------------------------------------------------------------


def sanitize_name(name: str, kind: str | None = None) -> str:
    """A file name fit to show and to offer on download: no folders, NFC, no control characters, ≤ 200."""
    name = (name or "").replace("\\", "/")
    name = PurePosixPath(name).name if "/" in name else name
    name = clean_text(name, multiline=False).strip().lstrip(".")
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if not stem.strip():
        stem, ext = "tep", (EXTENSIONS.get(kind, "").lstrip(".") if kind else ext)
    ext = ext[:10]
    suffix = f".{ext}" if ext else ""
    stem = stem[: NAME_MAX - len(suffix)].rstrip()
    return unicodedata.normalize("NFC", stem + suffix)


# ---- where files live ----------------------------------------------------------------------------------


def files_dir() -> Path:
    return Path(current_app.config["FILES_DIR"])


def relative_path(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def file_path(stored: StoredFile) -> Path:
    return files_dir() / stored.storage_path


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_once(data: bytes, sha256: str) -> tuple[str, bool]:
    """Put the bytes at their content address unless an intact copy is already there; (path, newly written)."""
    rel = relative_path(sha256)
    final = files_dir() / rel
    if final.exists():
        if _hash_file(final) == sha256:
            return rel, False
        # A damaged copy (changed on disk): keep it aside for inspection, never silently overwrite it.
        final.rename(final.with_name(f"{sha256}.damaged-{utcnow():%Y%m%d%H%M%S%f}"))
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o440)
        os.replace(tmp, final)  # two writers of one hash write the same bytes: either result is right
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(final.parent)
    return rel, True


# ---- files and transactions ------------------------------------------------------------------------------
# A file is written before the row that records it is committed. If that transaction fails, the file it wrote
# is removed again, unless a committed row refers to the same bytes; if it reused bytes that a failed
# transaction elsewhere removed meanwhile, it writes them again after its commit. Both decisions are taken under
# one lock on the storage, shared by every worker process. What a killed process leaves behind (temporary and
# orphan files) is found and removed by `verify-files --clean`.


@contextmanager
def storage_lock():
    with open(files_dir() / LOCK_FILE, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remember_written(rel: str, sha256: str, data: bytes, created: bool) -> None:
    db.session().info.setdefault(WRITTEN, []).append((rel, sha256, None if created else data, created))


@event.listens_for(Session, "after_commit")
def _files_committed(session, *_):
    written = session.info.pop(WRITTEN, None)
    if not written or not has_app_context():
        return
    reused = [(sha, data) for _rel, sha, data, created in written if not created]
    if reused:
        with storage_lock():
            for sha, data in reused:
                if not (files_dir() / relative_path(sha)).exists():
                    _write_once(data, sha)


@event.listens_for(Session, "after_transaction_end")
def _files_of_failed_transaction(session, transaction):
    if transaction.parent is not None or WRITTEN not in session.info or not has_app_context():
        return
    created = [(rel, sha) for rel, sha, _data, was_created in session.info.pop(WRITTEN) if was_created]
    if not created:
        return
    try:
        with storage_lock(), db.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            for rel, sha in created:
                if conn.scalar(select(StoredFile.id).where(StoredFile.sha256 == sha).limit(1)) is None:
                    (files_dir() / rel).unlink(missing_ok=True)
    except Exception:  # the database may be the reason the transaction failed; `verify-files --clean` finishes
        current_app.logger.warning("files of a failed transaction left for verify-files --clean: %s", created)


# ---- the verbs -----------------------------------------------------------------------------------------


def check_upload(data: bytes, *, allowed_kinds: Iterable[str], max_bytes: int, wrong_kind: str = MSG_TYPE) -> str:
    """The kind of an acceptable upload; FileRejected with a Vietnamese reason otherwise (`wrong_kind` when it is
    not one of `allowed_kinds`: the caller says what it accepts, so the message and the rule agree)."""
    if not data:
        raise FileRejected(MSG_EMPTY)
    if len(data) > max_bytes:
        raise FileRejected(f"Tệp quá lớn ({size_text(len(data))}); giới hạn là {size_text(max_bytes)}.")
    if data.startswith(b"PK\x03\x04") and (problem := zip_problem(data)) is not None:
        raise FileRejected(problem)
    kind = detect_kind(data)
    if kind is None or kind not in set(allowed_kinds):
        raise FileRejected(wrong_kind)
    return kind


def store_file(data: bytes, original_name: str, *, allowed_kinds: Iterable[str], max_bytes: int,
               user: User | None) -> StoredFile:
    """Check, write once and record a file; the caller commits (and audits its own action)."""
    kind = check_upload(data, allowed_kinds=allowed_kinds, max_bytes=max_bytes)
    sha256 = hashlib.sha256(data).hexdigest()
    rel, created = _write_once(data, sha256)
    _remember_written(rel, sha256, data, created)
    stored = StoredFile(sha256=sha256, size=len(data), content_type=CONTENT_TYPES[kind], kind=kind,
                        original_name=sanitize_name(original_name, kind), storage_path=rel,
                        created_by_id=user.id if user is not None else None)
    db.session.add(stored)
    db.session.flush()
    return stored


def read_file(stored: StoredFile, *, verify: bool = True) -> bytes:
    """The stored bytes; with verify (the default) FileDamaged if they are gone or differ from the record."""
    path = file_path(stored)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileDamaged(stored, MISSING) from None
    if verify and hashlib.sha256(data).hexdigest() != stored.sha256:
        raise FileDamaged(stored, CHANGED)
    return data


def check_stored(stored: StoredFile) -> str | None:
    """MISSING, CHANGED or None for an intact file."""
    path = file_path(stored)
    if not path.is_file():
        return MISSING
    if path.stat().st_size != stored.size or _hash_file(path) != stored.sha256:
        return CHANGED
    return None


def verify_all() -> list[tuple[StoredFile, str]]:
    """Re-hash every stored file (each path once); (file, MISSING|CHANGED) for each problem, in id order."""
    problems: list[tuple[StoredFile, str]] = []
    seen: dict[str, str | None] = {}
    for stored in db.session.scalars(select(StoredFile).order_by(StoredFile.id)):
        key = f"{stored.storage_path}:{stored.sha256}:{stored.size}"
        if key not in seen:
            seen[key] = check_stored(stored)
        if seen[key] is not None:
            problems.append((stored, seen[key]))
    return problems


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} byte"
