""" "Chuẩn hóa": a Word file made elsewhere becomes a draft of the application, which docgen writes in the format of
Nghị định 30; and the proof that no word of it was lost on the way.

The file is read by the plan importer (domain.plans.uploads.read_plan_file, domain.plans.importer.parse_plan): kind
(from the tên loại or the symbol), trích yếu, the opening (căn cứ) lines, the body's outline, the signature block and
Nơi nhận. What the importer leaves in the opening and this page needs is taken out here: a Công văn's "V/v …" line
(its trích yếu) and the "Kính gửi:" block. The draft's number and date stay blank (the register gives them on
issue), the signer is the approver of that name when there is one, the Nơi nhận lines are linked to the units of
the directory they name, and "Như trên" and the "Lưu: …" line are left to docgen, which writes them itself.

    draft_from_file(filename, data, user, today) -> Draft     the Document (DRAFT, audited) and notes for the clerk
    compare_texts(original, new) -> Comparison                 word by word, with the words only in the original
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from domain.documents.workflow import approvers
from domain.errors import DomainError
from domain.plans.importer import parse_plan
from domain.plans.tasks import unit_directory
from domain.plans.units import match_unit, unit_key
from domain.plans.uploads import PlanImportError, read_plan_file
from domain.text.textdiff import DELETE, EQUAL, INSERT, DiffLine, diff_lines
from domain.text.vietnamese import clean_text, fold
from extensions import db
from models.choices import DRAFT, KINDS
from models.core import Unit, User, audit
from models.documents import (
    BODY_MAX,
    KINH_GUI_MAX,
    RECIPIENT_TEXT_MAX,
    RECIPIENTS_MAX,
    REFERENCES_MAX,
    SIGNATURE_LINE_MAX,
    TITLE_MAX,
    Document,
)

_SUBJECT_RE = re.compile(r"^\s*V/v\.?\s*", re.IGNORECASE)
_KINH_GUI_RE = re.compile(r"^\s*Kính\s+gửi\s*:?\s*(.*)$", re.IGNORECASE)
_ENTRY_RE = re.compile(r"^\s*[-–—+•]\s*")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


class NormalizeError(DomainError):
    """The file cannot become a draft (unreadable, or not an official document); `message` says why."""


@dataclass
class Draft:
    document: Document
    notes: list[str] = field(default_factory=list)  # what the clerk should check in the editor


def _entry(line: str) -> str:
    return _ENTRY_RE.sub("", line).strip().rstrip(";.,").strip()


def split_opening(opening: str) -> tuple[str, list[str], list[str]]:
    """A Công văn's trích yếu ("V/v …" without the prefix), the Kính gửi names, and the other opening lines."""
    subject, kinh_gui, rest = "", [], []
    lines = [line for line in opening.splitlines() if line.strip()]
    in_kinh_gui = False
    for n, line in enumerate(lines):
        addressed = _KINH_GUI_RE.match(line)
        if n == 0 and _SUBJECT_RE.match(line):
            subject = _SUBJECT_RE.sub("", line).strip()
        elif addressed:
            in_kinh_gui = True
            if addressed[1].strip():
                kinh_gui.append(_entry(addressed[1]))
        elif in_kinh_gui and _ENTRY_RE.match(line):
            kinh_gui.append(_entry(line))
        else:
            in_kinh_gui = False
            rest.append(line)
    return subject, [k for k in kinh_gui if k], rest


def _signer(name: str) -> User | None:
    wanted = fold(" ".join(name.split()))
    return next((u for u in approvers() if wanted and fold(u.full_name) == wanted), None)


def _recipients(lines: list[str]) -> list[tuple[int | None, str]]:
    """Nơi nhận entries: a unit of the directory when the line names one, else the line as written."""
    directory = unit_directory()
    entries = []
    for line in (clean_text(r, multiline=False).strip() for r in lines):
        if not line or fold(line).startswith(("nhu tren", "luu:", "luu ")):
            continue  # docgen writes "Như trên" (after a Kính gửi) and the office's own "Lưu: VT, …" line
        found = match_unit(line, directory)
        unit = db.session.get(Unit, found.id) if found else None
        if unit is None:
            entries.append((None, line[:RECIPIENT_TEXT_MAX]))
        else:  # linked to the unit; the wording is kept when it differs from the unit's Nơi nhận spelling
            entries.append(
                (
                    unit.id,
                    "" if unit_key(unit.recipient_name) == unit_key(line) else line[:RECIPIENT_TEXT_MAX],
                )
            )
    return entries[:RECIPIENTS_MAX]


def _fit(value: str, limit: int, label: str, multiline: bool = True) -> str:
    value = clean_text(value, multiline=multiline).strip()
    if len(value) > limit:
        raise NormalizeError(
            f"{label} của tệp quá dài ({len(value):,} ký tự; tối đa {limit:,}): không chuẩn hóa "
            "được.".replace(",", ".")
        )
    return value


def draft_from_file(filename: str, data: bytes, user: User, today: date) -> Draft:
    """A new draft (DRAFT, created by `user`, its first revision kept, audited) from a Word file's text.
    NormalizeError with the reason in Vietnamese when the file cannot be read as an official document."""
    try:
        plan = parse_plan(
            read_plan_file("ban-goc.docx", data)
        )  # a .docx the checker has read: its name says nothing more
    except PlanImportError as refused:
        raise NormalizeError(refused.message) from None
    subject, kinh_gui, opening = split_opening(plan.opening)
    kind = KINDS[plan.kind]
    notes = []
    signature = plan.signature or {}
    signer = _signer(signature.get("name", ""))
    if signature.get("name") and signer is None:
        notes.append(
            f"Người ký “{signature['name']}” chưa có trong danh sách người duyệt: hãy chọn người ký."
        )
    elif not signature.get("name"):
        notes.append("Tệp không ghi họ tên người ký: hãy chọn người ký.")
    if plan.number or plan.issued_on:
        notes.append("Số, ký hiệu và ngày của tệp không được chép: dự thảo được cấp số và ngày khi ban hành.")
    document = Document(
        kind=kind.code, status=DRAFT, year=today.year, created_by_id=user.id,
        title=_fit(plan.title or subject, TITLE_MAX, "Trích yếu", multiline=False),
        references_text=_fit("\n".join(opening), REFERENCES_MAX, "Phần mở đầu"),
        body=_fit(plan.body, BODY_MAX, "Nội dung"),
        kinh_gui_text=_fit("\n".join(kinh_gui), KINH_GUI_MAX, "Phần Kính gửi"),
        signer_id=signer.id if signer else None,
        signing_authority=_fit(signature.get("authority", ""), SIGNATURE_LINE_MAX, "Quyền hạn ký", False),
        signing_deputy_line=_fit(signature.get("deputy_line", ""), SIGNATURE_LINE_MAX, "Dòng ký thay", False),
        signer_title=_fit(signature.get("title", ""), SIGNATURE_LINE_MAX, "Chức vụ người ký", False),
    )  # fmt: skip
    db.session.add(document)
    document.set_recipients(_recipients(plan.recipients))
    db.session.flush()
    document.save_revision(user, f"Chuẩn hóa từ tệp {filename}"[:200])
    audit("format_check.normalize", document, user=user,
          summary=f"Chuẩn hóa thể thức từ tệp {filename}: {kind.name.lower()} “{document.title[:120]}”",
          after={**document.summary(), "filename": filename})  # fmt: skip
    return Draft(document, notes + [w for w in plan.warnings if "nhiệm vụ" not in w and "kế hoạch" not in w])


@dataclass
class Comparison:
    lines: list[DiffLine]
    lost: list[tuple[str, int]]  # words of the original found nowhere in the new text (case aside), how often
    inserted_words: int
    deleted_words: int

    @property
    def nothing_lost(self) -> bool:
        return not self.lost


def _words(text: str) -> Counter:
    return Counter(w.lower() for w in _WORD_RE.findall(text))


def compare_texts(original: str, new: str) -> Comparison:
    """The two texts word by word (line-aligned, domain.text.textdiff), and the words of the original that the new
    text does not have anywhere, whatever their place: what was really lost, not merely moved."""
    lines = [line for line in diff_lines(_plain(original), _plain(new))]
    counts = {INSERT: 0, DELETE: 0}
    for line in lines:
        for piece in line.pieces:
            if piece.op != EQUAL:
                counts[piece.op] += len(_WORD_RE.findall(piece.text))
    missing = _words(original) - _words(new)
    spelled: dict[str, str] = {}  # each word as the original first writes it ("BTG", "Nguyễn")
    for word in _WORD_RE.findall(original):
        spelled.setdefault(word.lower(), word)
    return Comparison(
        lines, [(spelled[w], n) for w, n in sorted(missing.items())], counts[INSERT], counts[DELETE]
    )


def _plain(text: str) -> str:
    """One line per paragraph, blank lines dropped: the layout's empty paragraphs are not text."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
