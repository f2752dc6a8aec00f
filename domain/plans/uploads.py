"""Uploaded plan file (bytes) -> text, safely. Word (.docx, .doc) and plain text (.txt); every refusal is in
Vietnamese.

Text files: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1258 (the Vietnamese code
page of old Word/Notepad exports, which writes tone marks as combining characters: NFC composes
them back).

Word files: the text as Word shows it (domain.plans.word): one paragraph a line, with its automatic number or
bullet in front ("I. MỤC ĐÍCH", "1. Ban Tuyên giáo", "- Tổ chức ..."), tracked changes accepted, the results
of fields, text boxes where they are anchored, no footnotes. How tables come out, so that
`domain.plans.importer` and `domain.plans.extraction` can read them:
- a table of at most two columns holding text is a layout table (the header "ỦY BAN ... | CỘNG HÒA ...", the
  signature "Nơi nhận: ... | TM. BAN THƯỜNG TRỰC ..."): row by row, each cell's paragraphs as
  lines, left cell first;
- any other table is a data table: one line per row, cells between pipes,
  "| 1 | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |";
  several paragraphs in one cell are joined with "; ", a "|" inside a cell becomes "/". A cell spanning columns is
  written once, an empty cell standing for each further column; a cell merged down is written in every row it
  covers (a lead or time shared by several items belongs to each).
Lines starting with "|" are plain paragraphs to domain.text.outline, so the body keeps them as typed.
A .doc (Word 97-2003) is converted to .docx by LibreOffice first (domain.plans.word.legacy).

What a file is comes from its bytes, its name only says what the clerk meant: a .doc that is really a .docx (or
the reverse) is read as what it is; a PDF, a password-protected Word file (stored as a compound file, not a
zip) or a damaged one is refused with what to do instead. The file name is never used as a path.

Safety and limits (domain.plans.import_limits) come before each expensive step: the size before anything is
read, the zip directory and the paragraphs of the raw word/document.xml before it is parsed (package.py), the
text's characters and lines before domain.plans.importer parses it; reading stops when the import's time
budget runs out.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import replace

from domain.plans.import_limits import (
    DEFAULT_LIMITS,
    MAX_UPLOAD_BYTES,
    ImportLimits,
    PlanImportError,
    check_text,
    megabytes,
)
from domain.plans.word.legacy import OLE_SIGNATURE, PROTECTED, RTF_SIGNATURE, doc_to_docx, ole_kind
from domain.plans.word.package import docx_text, not_word

__all__ = ["ACCEPTED", "ACCEPTED_EXTENSIONS", "MAX_UPLOAD_BYTES", "PlanImportError", "UPLOAD_ACCEPT", "file_format",
           "read_plan_file"]  # fmt: skip

WORD_FORMATS = ("docx", "doc")
ACCEPTED_EXTENSIONS = (*WORD_FORMATS, "txt")
# The one list of what is accepted: the file picker's accept attribute (the extensions and their media types) and
# every page and message that names the files ("Word (.docx, .doc) hoặc văn bản (.txt)").
UPLOAD_ACCEPT = ",".join([*(f".{e}" for e in ACCEPTED_EXTENSIONS), "application/vnd.openxmlformats-officedocument"
                          ".wordprocessingml.document", "application/msword", "text/plain"])  # fmt: skip
ACCEPTED = f"Word ({', '.join(f'.{e}' for e in WORD_FORMATS)}) hoặc văn bản (.txt)"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
PDF_REFUSED = f"Không đọc được tệp PDF (kể cả bản chụp, bản quét): hãy tải tệp {ACCEPTED} của kế hoạch."
ONLY = f"Chỉ nhận tệp {ACCEPTED}."
OLE_NOT_WORD = ("Tệp là tệp Office cũ hoặc được đặt mật khẩu, không phải văn bản Word đọc được. Nếu tệp có mật "
                "khẩu, hãy mở bằng Word, bỏ mật khẩu rồi lưu thành .docx; nếu là tệp cũ, hãy lưu lại thành .docx.")  # fmt: skip
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
    if fmt == "pdf" or data.lstrip()[:5] == b"%PDF-":
        raise PlanImportError(PDF_REFUSED)
    if fmt in WORD_FORMATS:
        text = _word_text(fmt, data, limits)
        check_text(text, limits, lines_word="đoạn")
    elif fmt == "txt":
        text = _decode_text(data)
        check_text(text, limits)
    else:
        raise PlanImportError(ONLY)
    if not text.strip():
        raise PlanImportError("Tệp rỗng: không có nội dung để nhập.")
    return text


def _word_text(fmt: str, data: bytes, limits: ImportLimits) -> str:
    """A Word file by what its bytes are: a zip is a .docx, a compound file a .doc or a protected .docx."""
    if data.startswith(ZIP_SIGNATURES):
        return docx_text(data, limits)
    if data.startswith(OLE_SIGNATURE):
        kind = ole_kind(data)
        if kind == "protected":
            raise PlanImportError(PROTECTED)
        if kind != "doc":
            raise PlanImportError(OLE_NOT_WORD)
        return docx_text(doc_to_docx(data), limits)
    if fmt == "doc" and data.startswith(RTF_SIGNATURE):  # Word's "Rich Text" saved under the .doc name
        return docx_text(doc_to_docx(data), limits)
    raise not_word()


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
        raise PlanImportError(f"Tệp không phải văn bản thuần (.txt); hãy tải lên tệp {ACCEPTED}.")
    return unicodedata.normalize("NFC", text)
