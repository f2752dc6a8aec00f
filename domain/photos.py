"""Photos as phones make them. The original is kept exactly as received (12 megapixels, its EXIF as taken, HEIC from
an iPhone), like every stored file (domain.files: SHA-256, written once). What pages show is a reduced copy made
once: turned upright by the EXIF orientation, at most DISPLAY_EDGE px on its long side, a plain JPEG without the
original's metadata (no GPS position in every page view), stored as a file of its own and linked to the original.

    display_copy(data) -> bytes                 the reduced JPEG, or PhotoUnreadable (not a readable image)
    store_photo(data, name, display, ...)       the original and its copy, stored and linked
    ensure_display_copy(stored, user)           the copy of a photo stored before copies were made
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import PurePosixPath

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from domain import files
from domain.file_kinds import JPEG, PHOTO_KINDS
from models.core import User
from models.files import StoredFile

pillow_heif.register_heif_opener()  # Image.open reads HEIC/HEIF too

DISPLAY_EDGE = 1600
DISPLAY_QUALITY = 82
# A 50-megapixel phone photo is read; a "decompression bomb" (a small file claiming a huge canvas) is refused
# before any pixel is decoded.
MAX_PIXELS = 64_000_000

MSG_UNREADABLE = "Tệp không phải là ảnh đọc được (ảnh bị hỏng, hoặc tệp chỉ mang tên của ảnh)."
MSG_TOO_MANY_PIXELS = "Ảnh có kích thước quá lớn ({mp} megapixel; tối đa {max_mp})."


class PhotoUnreadable(files.FileRejected):
    """A file that says it is a photo but cannot be read as one; nothing is stored."""


def is_photo(kind: str | None) -> bool:
    return kind in PHOTO_KINDS


def display_copy(data: bytes) -> bytes:
    """The photo upright, at most DISPLAY_EDGE px on its long side, as a JPEG without metadata."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise PhotoUnreadable(MSG_TOO_MANY_PIXELS.format(mp=image.width * image.height // 1_000_000,
                                                                 max_mp=MAX_PIXELS // 1_000_000))
            # A JPEG decodes straight at 1/2, 1/4 or 1/8 scale when that is still large enough: 12 MP in ~0.1 s.
            image.draft("RGB", (DISPLAY_EDGE, DISPLAY_EDGE))
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((DISPLAY_EDGE, DISPLAY_EDGE), Image.Resampling.LANCZOS)
            if upright.mode in ("RGBA", "LA", "P"):  # a screenshot with transparency: on white, as a page shows it
                rgba = upright.convert("RGBA")
                upright = Image.new("RGB", rgba.size, (255, 255, 255))
                upright.paste(rgba, mask=rgba.getchannel("A"))
            out = io.BytesIO()
            upright.convert("RGB").save(out, "JPEG", quality=DISPLAY_QUALITY)
            return out.getvalue()
    except PhotoUnreadable:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise PhotoUnreadable(MSG_UNREADABLE) from None


def _display_name(original_name: str) -> str:
    stem = PurePosixPath(files.sanitize_name(original_name)).stem or "anh"
    return f"{stem}-xem.jpg"


def store_photo(data: bytes, original_name: str, display: bytes | None, *, allowed_kinds: Iterable[str],
                max_bytes: int, user: User | None) -> StoredFile:
    """Store an upload as received and, for a photo, its display copy (made by display_copy during the checks)."""
    stored = files.store_file(data, original_name, allowed_kinds=allowed_kinds, max_bytes=max_bytes, user=user)
    if display is not None:
        stored.display_file = files.store_file(display, _display_name(original_name), allowed_kinds={JPEG},
                                               max_bytes=len(display), user=user)
    return stored


def ensure_display_copy(stored: StoredFile, user: User | None) -> StoredFile:
    """The display copy of a stored photo, made now if it was stored before copies were (once: it is kept)."""
    if stored.display_file is None:
        display = display_copy(files.read_file(stored))
        stored.display_file = files.store_file(display, _display_name(stored.original_name), allowed_kinds={JPEG},
                                               max_bytes=len(display), user=user)
    return stored.display_file
