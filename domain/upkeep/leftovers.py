"""What a killed process leaves in the file store, found and cleaned by `verify-files`.

The temporary file it was writing (".tmp-*"), and files written for a transaction that never committed (orphans:
content-addressed files that no StoredFile row refers to). Damaged copies set aside by domain.files (a stored file
whose bytes changed on disk) are listed as well, but never removed here: they are kept for inspection.
"""

from __future__ import annotations

import os
import re
import stat
import time
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from domain.files import files_dir, size_text, storage_lock
from extensions import db
from models.core import User, audit
from models.files import StoredFile

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
    orphan's bytes and commits after that look-up writes them back after its commit, under this same lock
    (domain.files). One audit row lists what was removed (none when nothing was: no noise from a cron job).
    """
    removed: list[Leftover] = []
    with storage_lock(), db.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
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
