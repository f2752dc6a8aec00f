"""Uploaded plan file (bytes) -> text, safely. Only .txt and .docx; every refusal is in Vietnamese.

Text files: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1258 (the Vietnamese code
page of old Word/Notepad exports, which writes tone marks as combining characters: NFC composes
them back).

Word files: paragraphs and tables in document order. How tables come out, so that
`domain.importer` and `domain.plans` can read them:
- a table of at most two columns is a layout table (the header "ỦY BAN ... | CỘNG HÒA ...", the
  signature "Nơi nhận: ... | TM. BAN THƯỜNG TRỰC ..."): row by row, each cell's paragraphs as
  lines, left cell first;
- any other table is a data table: one line per row, cells between pipes,
  "| 1 | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |";
  several paragraphs in one cell are joined with "; ", a "|" inside a cell becomes "/".
Lines starting with "|" are plain paragraphs to domain.outline, so the body keeps them as typed.

Safety: the size limit is checked before anything is parsed; a .docx must be a zip whose
declared members (read from the zip directory, before any inflating) stay under 20 MB in total
and under a 100:1 compression ratio, which stops zip bombs. zipfile refuses members that inflate
past their declared size (CRC and length checks), so the declared sizes can be trusted. The file
name is only looked at for its extension and is never used as a path.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
import zipfile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 1000


class PlanImportError(ValueError):
    """A file or text that cannot be imported; `message` is Vietnamese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def file_format(filename: str) -> str:
    """The extension, lower case, without the dot ("" when there is none)."""
    base = filename or ""
    return base.rsplit(".", 1)[1].lower().strip() if "." in base else ""


def read_plan_file(filename: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The text of an uploaded plan. Raises PlanImportError with a Vietnamese message."""
    name = filename or ""
    if any(c in name for c in "/\\\x00") or name.strip(" .") == "":
        raise PlanImportError("Tên tệp không hợp lệ: tên tệp không được chứa đường dẫn (“/”, “\\”, “..”).")
    if len(data) > max_bytes:
        raise PlanImportError(
            f"Tệp quá lớn ({_megabytes(len(data))}); chỉ nhận tệp đến {_megabytes(max_bytes)}."
        )
    if not data.strip():
        raise PlanImportError("Tệp rỗng: không có nội dung để nhập.")
    fmt = file_format(name)
    if fmt == "pdf" or data.startswith(b"%PDF-"):
        raise PlanImportError("Tệp PDF chưa được hỗ trợ; hãy tải lên .docx hoặc .txt")
    if fmt == "docx":
        text = _docx_text(data)
    elif fmt == "txt":
        text = _decode_text(data)
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
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\x0b\x0c\x1a")
    if "\x00" in text or controls > len(text) // 100:
        raise PlanImportError("Tệp không phải văn bản thuần (.txt); hãy tải lên .docx hoặc .txt.")
    return unicodedata.normalize("NFC", text)


def _docx_text(data: bytes) -> str:
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
    import docx  # here, not at the top: only Word uploads need python-docx loaded

    try:
        document = docx.Document(io.BytesIO(data))
        return "\n".join(_docx_lines(document))
    except Exception:  # untrusted input: any failure inside python-docx/lxml means "unreadable file"
        raise not_word from None


def _docx_lines(document) -> list[str]:
    from docx.table import Table

    lines: list[str] = []
    for item in document.iter_inner_content():
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
        texts = ["; ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()) for cell in row]
        lines.append("| " + " | ".join(t.replace("|", "/").replace("\n", " ") for t in texts) + " |")
    return lines
