"""Uploaded plan file (bytes) -> text, safely. Only .txt and .docx; every refusal is in Vietnamese.

Text files: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1258 (the Vietnamese code
page of old Word/Notepad exports, which writes tone marks as combining characters: NFC composes
them back).

Word files: paragraphs and tables in document order. How tables come out, so that
`domain.plans.importer` and `domain.plans.extraction` can read them:
- a table of at most two columns is a layout table (the header "ỦY BAN ... | CỘNG HÒA ...", the
  signature "Nơi nhận: ... | TM. BAN THƯỜNG TRỰC ..."): row by row, each cell's paragraphs as
  lines, left cell first;
- any other table is a data table: one line per row, cells between pipes,
  "| 1 | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |";
  several paragraphs in one cell are joined with "; ", a "|" inside a cell becomes "/".
Lines starting with "|" are plain paragraphs to domain.text.outline, so the body keeps them as typed.

Safety: the size limit is checked before anything is parsed; a .docx must be a zip whose
declared members (read from the zip directory, before any inflating) stay under 20 MB in total
and under a 100:1 compression ratio, which stops zip bombs. zipfile refuses members that inflate
past their declared size (CRC and length checks), so the declared sizes can be trusted. The file
name is only looked at for its extension and is never used as a path.

Limits (domain.plans.import_limits) come before each expensive step: a .docx's paragraphs are counted in
its raw word/document.xml before python-docx loads it, and the text's characters and lines before
domain.plans.importer parses it; reading a .docx stops when the import's time budget runs out.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from dataclasses import replace

from domain.plans.import_limits import (
    DEFAULT_LIMITS,
    MAX_UPLOAD_BYTES,
    ImportLimits,
    PlanImportError,
    check_docx_xml,
    check_text,
    check_time,
    megabytes,
)

__all__ = ["MAX_UPLOAD_BYTES", "PlanImportError", "file_format", "read_plan_file"]

MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 1000
# Control characters that make a .txt binary: all but tabs, line and page breaks and DOS's end-of-file mark.
_BINARY_CONTROLS_RE = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")


def file_format(filename: str) -> str:
    """The extension, lower case, without the dot ("" when there is none)."""
    base = filename or ""
    return base.rsplit(".", 1)[1].lower().strip() if "." in base else ""


def read_plan_file(filename: str, data: bytes, max_bytes: int | None = None,
                   limits: ImportLimits = DEFAULT_LIMITS) -> str:
    """The text of an uploaded plan, within `limits` (`max_bytes` overrides its size limit).

    Raises PlanImportError with a Vietnamese message.
    """
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    max_bytes = limits.max_bytes
    name = filename or ""
    if any(c in name for c in "/\\\x00") or name.strip(" .") == "":
        raise PlanImportError("Tên tệp không hợp lệ: tên tệp không được chứa đường dẫn (“/”, “\\”, “..”).")
    if len(data) > max_bytes:
        raise PlanImportError(
            f"Tệp quá lớn ({megabytes(len(data))}); chỉ nhận tệp đến {megabytes(max_bytes)}."
        )
    if not data.strip():
        raise PlanImportError("Tệp rỗng: không có nội dung để nhập.")
    fmt = file_format(name)
    if fmt == "pdf" or data.startswith(b"%PDF-"):
        raise PlanImportError("Tệp PDF chưa được hỗ trợ; hãy tải lên .docx hoặc .txt")
    if fmt == "docx":
        text = _docx_text(data, limits)
        check_text(text, limits, lines_word="đoạn")
    elif fmt == "txt":
        text = _decode_text(data)
        check_text(text, limits)
    elif fmt == "doc":
        raise PlanImportError(
            "Tệp .doc (Word 97–2003) chưa được hỗ trợ; hãy mở bằng Word, lưu thành .docx rồi tải lên."
        )
    else:
        raise PlanImportError("Chỉ nhận tệp .docx hoặc .txt.")
    if not text.strip():
        raise PlanImportError("Tệp rỗng: không có nội dung để nhập.")
    return text


def _decode_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    # Tabs, line and page breaks and DOS's end-of-file mark (Ctrl-Z) are normal in old exports.
    controls = len(_BINARY_CONTROLS_RE.findall(text))
    if "\x00" in text or controls > len(text) // 100:
        raise PlanImportError("Tệp không phải văn bản thuần (.txt); hãy tải lên .docx hoặc .txt.")
    return unicodedata.normalize("NFC", text)


def _docx_text(data: bytes, limits: ImportLimits) -> str:
    not_word = PlanImportError(
        "Tệp .docx bị hỏng hoặc không phải tệp Word (.docx); hãy lưu lại bằng Word rồi thử lại."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise not_word from None
    unzipped = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if (
        len(members) > MAX_ZIP_MEMBERS
        or unzipped > MAX_UNZIPPED_BYTES
        or unzipped > MAX_COMPRESSION_RATIO * max(packed, 1)
    ):
        raise PlanImportError(
            "Tệp .docx có nội dung nén bất thường (quá lớn khi giải nén), không thể đọc an toàn."
        )
    if "word/document.xml" not in {m.filename for m in members}:
        raise not_word
    try:  # python-docx takes ~70 µs a paragraph and ~15 µs a run: count them before it loads the file
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_docx_xml(archive, limits)
    except PlanImportError:
        raise
    except Exception:  # untrusted input: a member that cannot be inflated (bad CRC, encrypted, ...) is unreadable
        raise not_word from None
    import docx  # here, not at the top: only Word uploads need python-docx loaded

    try:
        document = docx.Document(io.BytesIO(data))
        return "\n".join(_docx_lines(document))
    except PlanImportError:  # the time budget ran out
        raise
    except Exception:  # untrusted input: any failure inside python-docx/lxml means "unreadable file"
        raise not_word from None


def _docx_lines(document) -> list[str]:
    from docx.table import Table

    lines: list[str] = []
    for item in document.iter_inner_content():
        check_time()
        if isinstance(item, Table):
            lines.extend(_table_lines(item))
        else:
            lines.append(item.text)
    return lines


def _cells(row) -> list:
    """The row's cells once each: python-docx repeats a merged cell for every column it spans."""
    unique = []
    for cell in row.cells:
        if not unique or cell._tc is not unique[-1]._tc:
            unique.append(cell)
    return unique


def _table_lines(table) -> list[str]:
    rows = [_cells(row) for row in table.rows]
    if max((len(r) for r in rows), default=0) <= 2:
        return [p.text for row in rows for cell in row for p in cell.paragraphs]
    lines = []
    for row in rows:
        check_time()
        texts = ["; ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()) for cell in row]
        lines.append("| " + " | ".join(t.replace("|", "/").replace("\n", " ") for t in texts) + " |")
    return lines
