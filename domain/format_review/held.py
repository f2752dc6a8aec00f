"""An uploaded .docx held for a short while, per user, in the cache folder: never a StoredFile, gone by itself.

Why hold it at all instead of posting it again: the pictures of its pages are drawn by the background worker (a
process of its own, which needs the bytes), and "Chuẩn hóa" is a later click on the findings page; a browser
cannot post a chosen file again without the person choosing it again. So the bytes wait in
<root>/<user id>/<token>.docx (only their owner's requests find them: the token is random and looked up under
the signed-in user's own folder) for HOLD_SECONDS, and each person keeps at most MAX_HELD files (the oldest go
first), so a folder never holds more than MAX_HELD x the upload limit. Every hold sweeps what has expired, for
everyone. What is derived from a held file (its PDF and page pictures, keyed by its SHA-256) is swept with the
same age rule by `sweep`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

HOLD_SECONDS = 2 * 3600
MAX_HELD = 5
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Held:
    token: str
    user_id: int
    filename: str  # as the person's computer named it: shown, never used as a path
    sha256: str
    held_at: float  # seconds since the epoch
    path: Path

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()

    def expires_at(self) -> float:
        return self.held_at + HOLD_SECONDS


def _user_dir(root: Path, user_id: int) -> Path:
    return Path(root) / "held" / str(int(user_id))


def pages_dir(root: Path, sha256: str) -> Path:
    """Where the PDF and the page pictures of a file with this SHA-256 are kept."""
    if not _SHA_RE.match(sha256):
        raise ValueError("not a SHA-256")
    return Path(root) / "pages" / sha256


def hold(root: Path, user_id: int, filename: str, data: bytes, now: float | None = None) -> Held:
    """Keep `data` for this user; returns what the findings page is addressed by (its token)."""
    now = time.time() if now is None else now
    sweep(root, now)
    folder = _user_dir(root, user_id)
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(18)
    meta = {"filename": (filename or "")[:200], "sha256": hashlib.sha256(data).hexdigest(), "held_at": now}
    _write_private(folder / f"{token}.docx", data)
    _write_private(folder / f"{token}.json", json.dumps(meta, ensure_ascii=False).encode())
    for old in _held_of(root, user_id)[MAX_HELD:]:
        _drop(old)
    return Held(token, user_id, meta["filename"], meta["sha256"], now, folder / f"{token}.docx")


def held(root: Path, user_id: int, token: str, now: float | None = None) -> Held | None:
    """This user's held file by its token, or None (unknown, someone else's, or expired: then it is removed)."""
    if not _TOKEN_RE.match(token or ""):
        return None
    meta_path = _user_dir(root, user_id) / f"{token}.json"
    found = _read(meta_path, user_id)
    if found is None:
        return None
    if (time.time() if now is None else now) >= found.expires_at():
        _drop(found)
        return None
    return found


def sweep(root: Path, now: float | None = None) -> int:
    """Remove every held file and every page folder older than HOLD_SECONDS; how many were removed."""
    now = time.time() if now is None else now
    removed = 0
    held_root = Path(root) / "held"
    for meta_path in held_root.glob("*/*.json") if held_root.is_dir() else ():
        user = meta_path.parent.name
        found = _read(meta_path, int(user)) if user.isdigit() else None
        if found is None or now >= found.expires_at():
            meta_path.unlink(missing_ok=True)
            meta_path.with_suffix(".docx").unlink(missing_ok=True)
            removed += 1
    pages_root = Path(root) / "pages"
    for folder in pages_root.iterdir() if pages_root.is_dir() else ():
        if now - folder.stat().st_mtime >= HOLD_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _held_of(root: Path, user_id: int) -> list[Held]:
    """This user's held files, newest first."""
    found = [_read(p, user_id) for p in _user_dir(root, user_id).glob("*.json")]
    return sorted((h for h in found if h is not None), key=lambda h: h.held_at, reverse=True)


def _read(meta_path: Path, user_id: int) -> Held | None:
    docx = meta_path.with_suffix(".docx")
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        if not docx.is_file():
            return None
        return Held(
            meta_path.stem, user_id, str(meta["filename"]), str(meta["sha256"]), float(meta["held_at"]), docx
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _drop(found: Held) -> None:
    found.path.unlink(missing_ok=True)
    found.path.with_suffix(".json").unlink(missing_ok=True)


def _write_private(path: Path, data: bytes) -> None:
    """Only the application's own user may read a held file; written whole or not at all."""
    tmp = path.with_name(f".tmp-{path.name}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
