"""Content-addressed file storage: type checks by content, SHA-256, atomic writes, verification.

Layout: FILES_DIR/ab/cd/abcd… (the full SHA-256 as file name). A file is written once, through a temporary file
in the same directory, fsync and rename, and is never overwritten: the same hash means the same bytes, so a
second upload of the same file reuses the first one. Each upload still gets its own StoredFile row (who, when,
under which name).
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import re
import stat
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from domain.errors import DomainError
from domain.text.vietnamese import clean_text
from extensions import db
from models.core import User, audit, utcnow
from models.files import StoredFile

PDF, PNG, JPEG, DOCX, XLSX = "pdf", "png", "jpeg", "docx", "xlsx"
ALL_KINDS = frozenset({PDF, PNG, JPEG, DOCX, XLSX})
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx"}

# Limits for looking inside a .docx/.xlsx (a zip) without extracting it.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
ZIP_MAX_RATIO = 200  # uncompressed / compressed for any entry bigger than ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 1024 * 1024
CONTENT_TYPES_XML_MAX = 1024 * 1024

NAME_MAX = 200
LOCK_FILE = ".lock"
WRITTEN = "files_written"  # session.info key: files written in the current transaction
MISSING, CHANGED = "missing", "changed"

MSG_EMPTY = "Tệp rỗng (0 byte). Vui lòng chọn lại tệp."
MSG_TYPE = "Tệp không đúng định dạng cho phép (PDF, DOCX, XLSX, JPG, PNG)."
MSG_BOMB = "Tệp nén có cấu trúc bất thường (quá nhiều thành phần hoặc tỉ lệ nén quá cao), không thể nhận."


class FileRejected(DomainError, ValueError):
    """An upload that cannot be stored; the message is for the person who sent it (Vietnamese)."""


class FileDamaged(RuntimeError):
    """A stored file is missing or its bytes no longer match the recorded SHA-256."""

    def __init__(self, stored: StoredFile, problem: str):
        super().__init__(f"stored file {stored.id} ({stored.storage_path}): {problem}")
        self.stored = stored
        self.problem = problem


# ---- what a file is ------------------------------------------------------------------------------------


def _zip_problem(data: bytes) -> str | None:
    """Why a zip must not be opened further (None when it looks sane). Reads only the central directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError):
        return MSG_TYPE
    if len(infos) > ZIP_MAX_ENTRIES:
        return MSG_BOMB
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            return MSG_BOMB
    if total > ZIP_MAX_TOTAL_UNCOMPRESSED:
        return MSG_BOMB
    return None


def _office_kind(data: bytes) -> str | None:
    """DOCX or XLSX from the package's [Content_Types].xml and main part, never from the name."""
    if _zip_problem(data) is not None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            info = zf.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if info is None or info.file_size > CONTENT_TYPES_XML_MAX:
                return None
            with zf.open(info) as fh:  # bounded read of one small entry; nothing is written anywhere
                types = fh.read(CONTENT_TYPES_XML_MAX + 1)
    except (zipfile.BadZipFile, RuntimeError, ValueError, EOFError, NotImplementedError, OSError):
        return None
    # Macro-enabled documents (.docm/.xlsm) declare other main content types and are refused.
    if b"wordprocessingml.document.main+xml" in types and any(n.startswith("word/") for n in names):
        return DOCX
    if b"spreadsheetml.sheet.main+xml" in types and any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def detect_kind(data: bytes) -> str | None:
    """The kind of file by its content (magic bytes), or None when it is none of the accepted kinds."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


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
def _storage_lock():
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
        with _storage_lock():
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
        with _storage_lock(), db.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            for rel, sha in created:
                if conn.scalar(select(StoredFile.id).where(StoredFile.sha256 == sha).limit(1)) is None:
                    (files_dir() / rel).unlink(missing_ok=True)
    except Exception:  # the database may be the reason the transaction failed; `verify-files --clean` finishes
        current_app.logger.warning("files of a failed transaction left for verify-files --clean: %s", created)


# ---- the verbs -----------------------------------------------------------------------------------------


def check_upload(data: bytes, *, allowed_kinds: Iterable[str], max_bytes: int) -> str:
    """The kind of an acceptable upload; FileRejected with a Vietnamese reason otherwise."""
    if not data:
        raise FileRejected(MSG_EMPTY)
    if len(data) > max_bytes:
        raise FileRejected(f"Tệp quá lớn ({size_text(len(data))}); giới hạn là {size_text(max_bytes)}.")
    if data.startswith(b"PK\x03\x04") and (problem := _zip_problem(data)) is not None:
        raise FileRejected(problem)
    kind = detect_kind(data)
    if kind is None or kind not in set(allowed_kinds):
        raise FileRejected(MSG_TYPE)
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


# ---- leftovers -------------------------------------------------------------------------------------------
# What a killed process leaves in FILES_DIR: the temporary file it was writing (".tmp-*") and files written for a
# transaction that never committed (orphans: content-addressed files that no StoredFile row refers to). Damaged
# copies set aside by _write_once are listed as well, but never removed here: they are kept for inspection.

TEMPORARY, ORPHAN, DAMAGED = "temporary", "orphan", "damaged"
# Far longer than any request takes between writing a file and committing its row. A younger orphan may belong to
# a transaction still running: removed, it would be lost at that commit (only reused bytes are written back).
CLEAN_MIN_AGE_SECONDS = 3600
_SHA256_NAME = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Leftover:
    path: str  # relative to FILES_DIR
    kind: str  # TEMPORARY, ORPHAN or DAMAGED
    size: int
    age_seconds: int  # since the file was last written


def _leftover_kind(name: str) -> str | None:
    """The kind a file name suggests; ORPHAN for every content-addressed name, before the rows are checked."""
    if name.startswith(".tmp-"):
        return TEMPORARY
    if ".damaged-" in name:
        return DAMAGED
    if _SHA256_NAME.fullmatch(name):
        return ORPHAN
    return None  # the lock file, and anything else that is not ours to judge


def leftovers() -> list[Leftover]:
    """Temporary files (at any depth), orphans and damaged copies under FILES_DIR, sorted by path."""
    root = files_dir()
    now = time.time()
    found: list[Leftover] = []
    for folder, _subfolders, names in os.walk(root):
        for name in names:
            if (kind := _leftover_kind(name)) is None:
                continue
            path = Path(folder) / name
            try:
                info = path.lstat()
            except FileNotFoundError:  # renamed into place or removed since the folder was read
                continue
            if stat.S_ISREG(info.st_mode):
                found.append(Leftover(path.relative_to(root).as_posix(), kind, info.st_size,
                                      int(max(now - info.st_mtime, 0))))
    referenced = set(db.session.scalars(select(StoredFile.sha256).distinct()))
    return sorted((item for item in found if not (item.kind == ORPHAN and _name(item) in referenced)),
                  key=lambda item: item.path)


def clean_leftovers(min_age_seconds: int = CLEAN_MIN_AGE_SECONDS, user: User | None = None) -> list[Leftover]:
    """Remove the temporary and orphan files older than min_age_seconds; those removed. The caller commits.

    Under the storage lock, each orphan is looked up again on a connection of its own, which sees every row
    committed by then (the caller's transaction may be reading an older snapshot). A transaction that reuses an
    orphan's bytes and commits after that look-up writes them back after its commit: _files_committed waits for
    this lock. One audit row lists what was removed (none when nothing was: no noise from a cron job).
    """
    removed: list[Leftover] = []
    with _storage_lock(), db.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        for item in leftovers():
            if item.kind == DAMAGED or item.age_seconds < min_age_seconds:
                continue
            if item.kind == ORPHAN and conn.scalar(
                    select(StoredFile.id).where(StoredFile.sha256 == _name(item)).limit(1)) is not None:
                continue
            (files_dir() / item.path).unlink(missing_ok=True)
            removed.append(item)
    if removed:
        temporary = sum(1 for item in removed if item.kind == TEMPORARY)
        audit("files.clean", user=user, object_type="file",
              summary=f"Dọn kho tệp: xóa {temporary} tệp tạm và {len(removed) - temporary} tệp mồ côi "
                      f"({size_text(sum(item.size for item in removed))}).",
              after={"min_age_seconds": min_age_seconds, "removed": [asdict(item) for item in removed]})
    return removed


def _name(item: Leftover) -> str:
    return PurePosixPath(item.path).name


def age_text(seconds: int) -> str:
    """How old, in Vietnamese: "45 giây", "12 phút", "3 giờ", "2 ngày"."""
    for unit, name in ((86400, "ngày"), (3600, "giờ"), (60, "phút")):
        if seconds >= unit:
            return f"{seconds // unit} {name}"
    return f"{seconds} giây"
