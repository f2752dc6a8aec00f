"""How much a plan import may read, and for how long: checked before the expensive parsing, so that no upload
holds a web worker for more than a few seconds.

    ImportLimits.from_config(app.config)        the settings PLAN_IMPORT_* (defaults below)
    check_text(text, limits, ...)               characters, lines, longest line of a text
    check_docx_xml(archive, limits)             paragraphs and size of a .docx's word/document.xml, read raw
    with time_budget(seconds): ... check_time() the last line: a parse running past its budget stops
    with outside_budget(): ...                  a step with its own timeout (a .doc's conversion) costs no budget

A real plan is a few pages to a few dozen pages: the largest sample has 35,000 characters, 750 paragraphs and a
1,400-character paragraph, and a 40-page plan with 300 tasks has about 80,000 characters and 500 paragraphs. Each
refusal says, in Vietnamese, what the limit is and what the file had.

The time budget is cooperative: the parser's loops call check_time(), which raises PlanImportError once the
deadline of the enclosing time_budget() has passed (and does nothing outside one). No signals, so it is safe in
any thread or worker.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from domain.errors import DomainError
from domain.text.vietnamese import format_count, format_decimal

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class PlanImportError(DomainError, ValueError):
    """A file or text that cannot be imported; `message` is Vietnamese, for the user."""


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int = MAX_UPLOAD_BYTES  # the uploaded file or the pasted text, in bytes
    max_chars: int = 100_000  # about 40 pages, the most a document body holds (models.documents.BODY_MAX)
    max_paragraphs: int = 5_000  # lines of a text, paragraphs of a .docx (table cells included)
    max_paragraph_chars: int = 20_000  # one line or paragraph: about 8 pages without a line break
    max_docx_xml_bytes: int = 5 * 1024 * 1024  # word/document.xml unzipped; the largest sample's is 0.4 MB
    seconds: float = 3.0  # the time budget of reading and parsing

    @classmethod
    def from_config(cls, config: Mapping) -> ImportLimits:
        return cls(**{name: config[key] for name, key in SETTINGS.items() if key in config})

    def settings(self) -> dict:
        """The app config entries holding these limits (create_app sets the defaults)."""
        return {key: getattr(self, name) for name, key in SETTINGS.items()}


# The app config key of each limit.
SETTINGS = {"max_bytes": "PLAN_IMPORT_MAX_BYTES", "max_chars": "PLAN_IMPORT_MAX_CHARS",
            "max_paragraphs": "PLAN_IMPORT_MAX_PARAGRAPHS", "max_paragraph_chars": "PLAN_IMPORT_MAX_PARAGRAPH_CHARS",
            "max_docx_xml_bytes": "PLAN_IMPORT_MAX_DOCX_XML_BYTES", "seconds": "PLAN_IMPORT_SECONDS"}  # fmt: skip
DEFAULT_LIMITS = ImportLimits()

# Line ends as domain.plans.importer and domain.text.outline see them.
_LINE_BREAK_RE = re.compile(r"\r\n?|[\n\x0b\x0c\x85\u2028\u2029]")
# A paragraph's start tag in WordprocessingML: <w:p>, <w:p w:rsidR="...">, or an empty <w:p/>.
_PARAGRAPH_TAG_RE = re.compile(rb"<w:p[\s>/]")
_CHUNK_BYTES = 256 * 1024


def megabytes(n: int) -> str:
    return f"{format_decimal(n / 1024 / 1024, 1)} MB"


def check_text(text: str, limits: ImportLimits, source: str = "Tệp", lines_word: str = "dòng") -> None:
    """Refuse a text with more characters, lines or characters in one line than a plan has.

    `source` names it in the message ("Tệp", "Nội dung dán vào"); `lines_word` is what its lines are to the
    clerk ("dòng" of a text, "đoạn" of a Word file).
    """
    if len(text) > limits.max_chars:
        raise PlanImportError(f"{source} có {format_count(len(text))} ký tự; kế hoạch nhập được tối đa "
                              f"{format_count(limits.max_chars)} ký tự.")  # fmt: skip
    count, start, longest, longest_at = 1, 0, 0, 1
    for match in _LINE_BREAK_RE.finditer(text):
        if match.start() - start > longest:
            longest, longest_at = match.start() - start, count
        count, start = count + 1, match.end()
    if len(text) - start > longest:
        longest, longest_at = len(text) - start, count
    if count > limits.max_paragraphs:
        raise PlanImportError(f"{source} có {format_count(count)} {lines_word}; kế hoạch nhập được tối đa "
                              f"{format_count(limits.max_paragraphs)} {lines_word}.")  # fmt: skip
    if longest > limits.max_paragraph_chars:
        raise PlanImportError(
            f"{source} có {lines_word} {format_count(longest_at)} dài {format_count(longest)} ký tự; mỗi "
            f"{lines_word} của kế hoạch nhập được tối đa {format_count(limits.max_paragraph_chars)} ký tự."
        )


def check_docx_xml(archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    """Refuse a .docx with more paragraphs, or a larger document.xml, than a plan has, before python-docx loads it.

    The paragraphs are counted in the raw XML, a chunk at a time: the read is bounded by the member's declared
    size (which zipfile enforces, and the caller has already bounded) and takes a few milliseconds per MB.
    """
    info = archive.getinfo("word/document.xml")
    paragraphs, carry = 0, b""
    with archive.open(info) as xml:
        while chunk := xml.read(_CHUNK_BYTES):
            data = carry + chunk
            paragraphs += len(_PARAGRAPH_TAG_RE.findall(data))
            carry = data[-4:]  # a tag cut by the chunk's end; 4 bytes cannot hold a whole one, so none counts twice
    if paragraphs > limits.max_paragraphs:
        raise PlanImportError(f"Tệp có {format_count(paragraphs)} đoạn; kế hoạch nhập được tối đa "
                              f"{format_count(limits.max_paragraphs)} đoạn.")  # fmt: skip
    if info.file_size > limits.max_docx_xml_bytes:
        raise PlanImportError(f"Tệp Word có phần nội dung {megabytes(info.file_size)} khi giải nén; kế hoạch nhập "
                              f"được tối đa {megabytes(limits.max_docx_xml_bytes)}.")  # fmt: skip


# (deadline on time.monotonic(), the budget in seconds) of the import running in this context, if any.
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("plan_import_deadline", default=None)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Inside the block, check_time() refuses the import once `seconds` have passed (an outer budget still holds)."""
    deadline = (time.monotonic() + seconds, seconds)
    outer = _deadline.get()
    token = _deadline.set(min(deadline, outer) if outer else deadline)
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Called in the parser's loops: stop once the import's time budget is spent; nothing outside a budget."""
    budget = _deadline.get()
    if budget is not None and time.monotonic() > budget[0]:
        seconds = f"{budget[1]:g}".replace(".", ",")
        raise PlanImportError(
            f"Tệp quá phức tạp: đọc quá {seconds} giây vẫn chưa xong nên đã dừng (kế hoạch nhập được phải đọc xong "
            f"trong {seconds} giây). Hãy bỏ bớt phần không cần nhập (phụ lục, bảng, mẫu biểu) rồi thử lại."
        )


@contextmanager
def outside_budget() -> Iterator[None]:
    """A step bounded by a timeout of its own (LibreOffice converting a .doc, 1-3 s) does not spend the import's
    time budget: once it is done, the deadline of the budget in force moves on by the time the step took."""
    started = time.monotonic()
    try:
        yield
    finally:
        budget = _deadline.get()
        if budget is not None:
            _deadline.set((budget[0] + time.monotonic() - started, budget[1]))
