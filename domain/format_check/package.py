"""A .docx to check, opened safely: the parts the format rules read, or a Vietnamese refusal.

The zip is opened the way the plan import opens it (domain.plans.word.package.open_docx: member count, unzipped
size and compression ratio checked from the zip directory before anything is inflated) and its XML is parsed
without DTDs or entities (domain.plans.word.xml.parse); the paragraphs of word/document.xml are counted raw
before parsing (domain.plans.import_limits.check_docx_xml). Refused, each with what to do instead: an empty or
too large file, a PDF, a .doc or a password-protected file (a compound file, not a zip), a damaged zip, a file
with macros (a .docm renamed: vbaProject.bin or a macroEnabled content type), and a document with no text.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from domain.errors import DomainError
from domain.plans.import_limits import (
    DEFAULT_LIMITS,
    MAX_UPLOAD_BYTES,
    PlanImportError,
    check_docx_xml,
    megabytes,
)
from domain.plans.word.legacy import OLE_SIGNATURE, PROTECTED, ole_kind
from domain.plans.word.package import NOT_WORD, open_docx
from domain.plans.word.xml import W, parse

MAX_BYTES = MAX_UPLOAD_BYTES
DOCUMENT = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

EMPTY = "Tệp rỗng: không có nội dung để kiểm tra."
NO_TEXT = "Tệp Word không có chữ nào: không có gì để kiểm tra thể thức."
PDF = ("Không kiểm tra được tệp PDF: thể thức chỉ đọc được từ tệp Word. Hãy tải tệp Word (.docx) của văn bản.")
DOC = ("Tệp là Word 97–2003 (.doc): hãy mở bằng Word, chọn Lưu thành… định dạng .docx rồi kiểm tra tệp .docx; "
       "bản chuyển đổi tự động có thể làm sai thể thức.")
MACROS = ("Tệp chứa macro (tệp .docm đổi tên thành .docx): không mở để tránh mã độc. Hãy mở bằng Word, chọn Lưu "
          "thành… định dạng “Tài liệu Word (.docx)” (không macro) rồi kiểm tra lại.")


class FormatCheckError(DomainError, ValueError):
    """A file the checker cannot read; `message` is Vietnamese, for the person who uploaded it."""


@dataclass
class Package:
    document: object  # the root of word/document.xml
    styles: object | None
    theme: object | None
    settings: object | None
    headers: dict[str, object] = field(default_factory=dict)  # relationship id -> root of a header part
    footers: dict[str, object] = field(default_factory=dict)


def open_package(data: bytes, max_bytes: int = MAX_BYTES) -> Package:
    """The parts of a .docx; FormatCheckError with a Vietnamese message when it cannot be checked."""
    if not data or not data.strip():
        raise FormatCheckError(EMPTY)
    if len(data) > max_bytes:
        raise FormatCheckError(f"Tệp quá lớn ({megabytes(len(data))}); chỉ kiểm tra tệp đến {megabytes(max_bytes)}.")
    if data.lstrip()[:5] == b"%PDF-":
        raise FormatCheckError(PDF)
    if data.startswith(OLE_SIGNATURE):
        raise FormatCheckError(PROTECTED if ole_kind(data) == "protected" else DOC)
    try:
        archive = open_docx(data)
    except PlanImportError as exc:
        raise FormatCheckError(exc.message) from None
    with archive:
        names = set(archive.namelist())
        try:
            if any(posixpath.basename(n).lower() == "vbaproject.bin" for n in names) or (
                "[Content_Types].xml" in names and b"macroEnabled" in archive.read("[Content_Types].xml")
            ):
                raise FormatCheckError(MACROS)
            check_docx_xml(archive, DEFAULT_LIMITS)
            package = _read(archive, names)
        except FormatCheckError:
            raise
        except PlanImportError as exc:
            raise FormatCheckError(exc.message.replace("kế hoạch nhập được", "kiểm tra được")) from None
        except Exception:  # untrusted input: a member that cannot be inflated or parsed means "unreadable file"
            raise FormatCheckError(NOT_WORD) from None
    body = package.document.find(W + "body")
    if body is None:
        raise FormatCheckError(NOT_WORD)
    if not any((t.text or "").strip() for t in body.iter(W + "t")):
        raise FormatCheckError(NO_TEXT)
    return package


def _read(archive, names: set[str]) -> Package:
    targets = _relationships(archive, names)
    package = Package(
        document=parse(archive.read(DOCUMENT)),
        styles=_part(archive, targets.get("styles", ("word/styles.xml",))[0], names),
        theme=_part(archive, targets.get("theme", ("word/theme/theme1.xml",))[0], names),
        settings=_part(archive, targets.get("settings", ("word/settings.xml",))[0], names),
    )
    for kind, store in (("header", package.headers), ("footer", package.footers)):
        for rel_id, name in zip(targets.get(kind + "_ids", ()), targets.get(kind, ()), strict=True):
            root = _part(archive, name, names)
            if root is not None:
                store[rel_id] = root
    return package


def _relationships(archive, names: set[str]) -> dict[str, tuple]:
    """Part type ("styles", "header", ...) -> the part names; "<type>_ids" -> their relationship ids."""
    found: dict[str, list] = {}
    if _RELS not in names:
        return {}
    for rel in parse(archive.read(_RELS)).iter(_REL):
        if rel.get("TargetMode") == "External":
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        name = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"word/{target}")
        found.setdefault(kind, []).append(name)
        found.setdefault(kind + "_ids", []).append(rel.get("Id"))
    return {key: tuple(value) for key, value in found.items()}


def _part(archive, name: str | None, names: set[str]):
    return parse(archive.read(name)) if name and name in names else None
