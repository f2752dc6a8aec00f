"""What a file is, by its content and never by its name: the kinds we accept, and how a .docx or .xlsx (a zip) is
looked into without being extracted. Plain Python over bytes: no database, no storage.
"""

from __future__ import annotations

import io
import zipfile

PDF, PNG, JPEG, DOCX, XLSX, HEIC = "pdf", "png", "jpeg", "docx", "xlsx", "heic"
ALL_KINDS = frozenset({PDF, PNG, JPEG, DOCX, XLSX})
# Photos as phones make them (an iPhone's camera writes HEIC): accepted as a report's evidence.
PHOTO_KINDS = frozenset({JPEG, PNG, HEIC})
EVIDENCE_KINDS = ALL_KINDS | PHOTO_KINDS
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    HEIC: "image/heic",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx", HEIC: ".heic"}
# The brands of an ISO media file (its "ftyp" box) that mean a HEIF image coded in HEVC: what iPhones write.
HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})

# Limits for looking inside a .docx/.xlsx (a zip) without extracting it.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
ZIP_MAX_RATIO = 200  # uncompressed / compressed for any entry bigger than ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 1024 * 1024
CONTENT_TYPES_XML_MAX = 1024 * 1024

MSG_TYPE = "Tệp không đúng định dạng cho phép (PDF, DOCX, XLSX, JPG, PNG)."
MSG_EVIDENCE_TYPE = "Tệp không đúng định dạng cho phép (ảnh JPG, PNG, HEIC; PDF, DOCX, XLSX)."
MSG_BOMB = "Tệp nén có cấu trúc bất thường (quá nhiều thành phần hoặc tỉ lệ nén quá cao), không thể nhận."


def zip_problem(data: bytes) -> str | None:
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
    if zip_problem(data) is not None:
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
    if _is_heic(data):
        return HEIC
    return None


def _is_heic(data: bytes) -> bool:
    """An ISO media file whose major brand, or (for the generic "mif1") a compatible brand, is HEIC's."""
    if data[4:8] != b"ftyp":
        return False
    size = int.from_bytes(data[:4], "big")
    brands = [data[8:12]] + [data[i:i + 4] for i in range(16, min(size, 64), 4)]
    return brands[0] in HEIC_BRANDS or (brands[0] in (b"mif1", b"msf1") and any(b in HEIC_BRANDS for b in brands))
