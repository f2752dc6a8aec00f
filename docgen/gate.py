"""The format gate: a document of the application checked as the .docx it prints, at submit, approve and issue.

The workflow (domain.documents.workflow.perform) asks every function of its GATES list for blocking reasons before
it takes one of those steps; this module registers `blocking_reasons` there when it is imported (it needs docgen to
build the .docx, so it sits above domain and plugs itself in, as the plan tracking does with AFTER_ISSUE).

What blocks (errors): every error of the format checker (domain.format_check) on the generated .docx, and the
gate's own rules, which need only the data: a signer's name and position (ND30 Phụ lục I, II.7), a trích yếu where
the kind has one (II.5), the Nơi nhận and its Lưu line (II.9). What the approver is shown beside the approve
button: the warnings. A draft has no number and no date yet: the checker's notes saying so are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docgen import build_docx, layout
from docgen.fields import DocumentData
from docgen.pdf import PdfConversionFailed, PdfUnavailable, libreoffice_path
from docgen.records import document_data
from docgen.rendered_checks import check_rendered
from domain.documents import workflow
from domain.documents.readiness import CHECKED_ACTIONS
from domain.format_check import CheckReport, FormatCheckError, check_docx
from models.choices import ERROR, WARNING, get_kind
from models.core import Organization
from models.documents import Document

# A draft is numbered and dated by the register at issue: that these are blank is no finding before then.
NOT_YET = frozenset({"number.blank", "place_date.blank"})


@dataclass
class Rendering:
    """Which steps also check the printed pages (a blank page, page numbers from page 2, the Quốc hiệu on one
    line), through LibreOffice: set by the application (blueprints.workflow), off in tests and where LibreOffice
    is missing (then the step goes ahead on the static checks). Only "issue" is, from the issue page, before the
    register's write lock is taken (printed_problems)."""

    actions: frozenset[str] = frozenset()
    cache_dir: Path | None = None


RENDERING = Rendering()


def configure(actions, cache_dir: Path | None) -> None:
    RENDERING.actions = frozenset(actions)
    RENDERING.cache_dir = cache_dir

NO_SIGNER_NAME = "Chưa có họ tên người ký dưới chức vụ: hãy chọn «Người ký» ở trang soạn thảo."
NO_POSITION = "Chưa có chức vụ người ký (ví dụ PHÓ CHỦ TỊCH): hãy ghi «Chức vụ người ký» ở trang soạn thảo."
NO_SUBJECT = "Văn bản chưa có trích yếu: hãy ghi «Trích yếu» ở trang soạn thảo."
NO_RECIPIENTS = ("Nơi nhận chỉ có dòng «Lưu»: văn bản chưa gửi cho nơi nào; hãy thêm nơi nhận ở trang soạn thảo "
                 "nếu văn bản cần gửi đi.")
NO_ARCHIVE_LINE = "Nơi nhận thiếu dòng cuối «- Lưu: VT, …»."


@dataclass(frozen=True)
class GateNote:
    severity: str  # models.choices ERROR or WARNING
    message: str  # Vietnamese: what is wrong and what to fix
    rule: str = ""  # the checker's rule id, or "gate.<name>" for the gate's own rules


@dataclass
class GateReport:
    notes: list[GateNote] = field(default_factory=list)

    @property
    def errors(self) -> list[GateNote]:
        return [n for n in self.notes if n.severity == ERROR]

    @property
    def warnings(self) -> list[GateNote]:
        return [n for n in self.notes if n.severity == WARNING]


def own_rules(data: DocumentData) -> list[GateNote]:
    """The gate's rules on the data itself: they hold whatever the checker recognizes in the .docx."""
    kind = get_kind(data.kind)
    notes = []
    if not layout.line(data.signature.name):
        notes.append(GateNote(ERROR, NO_SIGNER_NAME, "gate.signer_name"))
    if not layout.line(data.signature.title):
        notes.append(GateNote(ERROR, NO_POSITION, "gate.signer_position"))
    if kind.needs_subject and not layout.line(data.title):
        notes.append(GateNote(ERROR, NO_SUBJECT, "gate.subject"))
    lines = layout.noi_nhan_lines(data)
    if not lines or not lines[-1].startswith("- Lưu:"):
        notes.append(GateNote(ERROR, NO_ARCHIVE_LINE, "gate.archive_line"))
    elif len(lines) == 1:
        notes.append(GateNote(WARNING, NO_RECIPIENTS, "gate.recipients"))
    return notes


def _where(finding) -> str:
    return f" («{finding.text}»)" if finding.text and finding.text not in finding.message else ""


def checker_notes(docx: bytes, kind: str, checker: Callable[..., CheckReport] | None = None,
                  render: bool = False) -> list[GateNote]:
    try:
        report = (checker or check_docx)(docx, kind=kind)
    except FormatCheckError as exc:  # the generator wrote something the checker cannot read: never let it through
        return [GateNote(ERROR, f"Không kiểm tra được thể thức của văn bản: {exc}", "gate.unreadable")]
    notes = []
    if render and libreoffice_path() is not None:
        try:
            report = check_rendered(docx, report, RENDERING.cache_dir)
        except (PdfUnavailable, PdfConversionFailed) as exc:
            notes.append(GateNote(WARNING, f"Chưa kiểm tra được trang in: {exc}", "gate.not_rendered"))
    return notes + [GateNote(f.severity, f.message + _where(f), f.rule) for f in report.findings
                    if f.rule not in NOT_YET]


def check_data(data: DocumentData, render: bool = False) -> GateReport:
    """Every note on this data: the gate's own rules, then the checker's on the .docx built from it (and on its
    printed pages when `render`); the same message twice (the signer missing, say both) is kept once."""
    notes, seen = [], set()
    for note in own_rules(data) + checker_notes(build_docx(data), data.kind, render=render):
        if note.message not in seen:
            seen.add(note.message)
            notes.append(note)
    # The checker finds a missing name under its own wording: one message per missing thing is enough.
    if any(n.rule == "gate.signer_name" for n in notes):
        notes = [n for n in notes if n.rule != "signature.name"]
    return GateReport(notes)


def check_document(document: Document, organization: Organization | None = None, render: bool = False) -> GateReport:
    return check_data(document_data(document, organization or Organization.current()), render)


def blocking_reasons(document: Document, action: str) -> list[str]:
    """The errors that stop submit, approve or issue (registered in the workflow's GATES)."""
    if action not in CHECKED_ACTIONS:
        return []
    errors = check_document(document).errors
    if not errors:
        return []
    return ["Văn bản chưa đúng thể thức, cần sửa trước khi tiếp tục:"] + [f"{n.message}" for n in errors]


if blocking_reasons not in workflow.GATES:
    workflow.GATES.append(blocking_reasons)


def printed_problems(document: Document) -> list[str]:
    """The errors of the printed pages (a blank page, numbers, the Quốc hiệu's line), for the issue page to check
    before it takes the register's write lock (LibreOffice takes seconds); [] when rendering is off."""
    if "issue" not in RENDERING.actions:
        return []
    errors = [n for n in check_document(document, render=True).errors if n.rule.startswith("rendered.")]
    return ["Bản in của văn bản chưa đúng thể thức, cần sửa trước khi phát hành:"] + [n.message for n in errors] \
        if errors else []
