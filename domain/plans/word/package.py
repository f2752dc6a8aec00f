"""A .docx file (a zip of XML parts) opened safely, and its text.

Safety: a .docx must be a zip whose declared members (read from the zip directory, before any inflating) stay
under 20 MB in total and under a 100:1 compression ratio, which stops zip bombs. zipfile refuses members that
inflate past their declared size (CRC and length checks), so the declared sizes can be trusted. The paragraphs
of word/document.xml are counted in its raw XML before it is parsed (domain.plans.import_limits), and the XML is
parsed without DTDs or entities. Any failure inside means an unreadable file, said in Vietnamese.

The parts read: word/document.xml (the body), word/styles.xml and word/numbering.xml where the document's
relationships name them (Word's names otherwise). Headers, footers, footnotes, endnotes and comments are not
read: they are not the plan's text.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from domain.plans.import_limits import ImportLimits, PlanImportError, check_docx_xml
from domain.plans.word.numbering import Numbering
from domain.plans.word.reader import BodyReader
from domain.plans.word.styles import Styles
from domain.plans.word.xml import W, parse

MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 1000
DOCUMENT = "word/document.xml"
_RELATIONSHIPS = "word/_rels/document.xml.rels"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_PART_TYPES = {"styles": "word/styles.xml", "numbering": "word/numbering.xml"}

NOT_WORD = "Tệp .docx bị hỏng hoặc không phải tệp Word (.docx); hãy lưu lại bằng Word rồi thử lại."


def not_word() -> PlanImportError:
    return PlanImportError(NOT_WORD)


def docx_text(data: bytes, limits: ImportLimits) -> str:
    """The text of a .docx as Word shows it (see reader.py and tables.py); PlanImportError if unreadable."""
    archive = _open(data)
    with archive:
        try:
            check_docx_xml(archive, limits)
            names = _part_names(archive)
            document = parse(archive.read(DOCUMENT))
            styles = Styles(_optional_part(archive, names["styles"]))
            numbering = Numbering(_optional_part(archive, names["numbering"]), styles)
        except PlanImportError:
            raise
        except Exception:  # untrusted input: a member that cannot be inflated or parsed means "unreadable file"
            raise not_word() from None
    body = document.find(W + "body")
    if body is None:
        raise not_word()
    try:
        return "\n".join(BodyReader(numbering).blocks(body).lines)
    except PlanImportError:  # the time budget ran out
        raise
    except Exception:  # untrusted input: any surprise in its structure means "unreadable file"
        raise not_word() from None


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception:  # untrusted input: BadZipFile, EOFError, NotImplementedError (a damaged version field) ...
        raise not_word() from None
    unzipped = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if (
        len(members) > MAX_ZIP_MEMBERS
        or unzipped > MAX_UNZIPPED_BYTES
        or unzipped > MAX_COMPRESSION_RATIO * max(packed, 1)
    ):
        archive.close()
        raise PlanImportError(
            "Tệp .docx có nội dung nén bất thường (quá lớn khi giải nén), không thể đọc an toàn."
        )
    if DOCUMENT not in {m.filename for m in members}:
        archive.close()
        raise not_word()
    return archive


# The same safe opening for any reader of uploaded Word files (the format checker too).
open_docx = _open


def _part_names(archive: zipfile.ZipFile) -> dict[str, str | None]:
    """Where the styles and the numbering are: as the document's relationships say, else Word's usual names."""
    present = set(archive.namelist())
    names: dict[str, str | None] = {kind: name if name in present else None for kind, name in _PART_TYPES.items()}
    if _RELATIONSHIPS not in present:
        return names
    for rel in parse(archive.read(_RELATIONSHIPS)).iter(_REL):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if kind in names and rel.get("TargetMode") != "External":
            name = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"word/{target}")
            if name in present:
                names[kind] = name
    return names


def _optional_part(archive: zipfile.ZipFile, name: str | None):
    return parse(archive.read(name)) if name else None
