"""Official documents, their distribution list and every saved revision."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from extensions import db
from models.choices import ADMIN, APPROVER, CLERK, DRAFT, EDITABLE, KINDS, RECORDS, DocumentKind  # noqa: F401
from models.core import Unit, User, utcnow

# Longest accepted input per field (characters, after clean-up); forms check these before anything is saved.
TITLE_MAX = 500
REFERENCES_MAX = 10_000
BODY_MAX = 100_000
KINH_GUI_MAX = 3_000
SIGNATURE_LINE_MAX = 120
RECIPIENT_TEXT_MAX = 300
RECIPIENTS_MAX = 60
REVISION_REASON_MAX = 200

# What a person types or chooses in the editor (besides the Nơi nhận list).
CONTENT_FIELDS = ("kind", "title", "references_text", "body", "kinh_gui_text", "signer_id", "signing_authority",
                  "signing_deputy_line", "signer_title", "urgency", "internal_only", "particulars_json")
PARTICULAR_MAX = 500  # characters of one of a kind's own fields (a Giấy mời's place, a Biên bản's attendees, ...)

# Who drafts and edits documents (while the workflow keeps them editable), and who reads every document
# (domain.access holds the other role groups).
EDITOR_ROLES = (CLERK, ADMIN)
READER_ROLES = (CLERK, ADMIN, APPROVER, RECORDS)


class Document(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)  # models.choices.KINDS code
    title: Mapped[str] = mapped_column(String(500), default="")  # trích yếu
    references_text: Mapped[str] = mapped_column(Text, default="")  # "Thực hiện …" paragraphs, one per line
    body: Mapped[str] = mapped_column(Text, default="")  # outline text (domain/outline.py)
    # fold(title), kept by a flush hook: search without diacritics on SQLite and PostgreSQL alike.
    title_search: Mapped[str] = mapped_column(String(500), default="")
    kinh_gui_text: Mapped[str] = mapped_column(Text, default="")  # Công văn: "Kính gửi" lines, one per line
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    signing_authority: Mapped[str] = mapped_column(String(120), default="TM. BAN THƯỜNG TRỰC")
    signing_deputy_line: Mapped[str] = mapped_column(String(120), default="")  # "" or "KT. CHỦ TỊCH"
    signer_title: Mapped[str] = mapped_column(String(120), default="")  # "PHÓ CHỦ TỊCH"
    urgency: Mapped[str] = mapped_column(String(20), default="")  # models.choices.URGENCIES code, or ""
    internal_only: Mapped[bool] = mapped_column(default=False)  # printed "LƯU HÀNH NỘI BỘ" (ô 11)
    # The kind's own fields (models.choices P_* keys: a Giấy mời's time and place, a Biên bản's secretary), as JSON.
    particulars_json: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    number: Mapped[int | None]  # given by the register when issued
    issued_on: Mapped[date | None] = mapped_column(index=True)
    year: Mapped[int] = mapped_column(index=True)  # the year of the document (of issue once issued)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic lock: a page submitted from a stale copy is refused instead of overwriting newer work.
    lock_version: Mapped[int] = mapped_column(default=1)

    signer: Mapped[User | None] = relationship(foreign_keys=[signer_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    recipients: Mapped[list[DocumentRecipient]] = relationship(
        order_by="DocumentRecipient.position", cascade="all, delete-orphan", lazy="selectin"
    )
    revisions: WriteOnlyMapped[DocumentRevision] = relationship(
        order_by="DocumentRevision.number", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def kind_info(self) -> DocumentKind:
        return KINDS[self.kind]

    @property
    def references(self) -> list[str]:
        return [line for line in self.references_text.splitlines() if line.strip()]

    @property
    def particulars(self) -> dict[str, str]:
        """The fields of this document's kind that are filled in."""
        try:
            data = json.loads(self.particulars_json or "{}")
        except ValueError:
            return {}
        keys = {c.code for c in KINDS[self.kind].particulars} if self.kind in KINDS else set()
        return {k: str(v) for k, v in data.items() if k in keys and str(v).strip()} if isinstance(data, dict) else {}

    @property
    def kinh_gui(self) -> list[str]:
        return [line for line in self.kinh_gui_text.splitlines() if line.strip()]

    def editable_by(self, user: User) -> bool:
        """Clerks and admins change the content while the workflow keeps the document editable."""
        return self.status in EDITABLE and user.has_role(*EDITOR_ROLES)

    def set_recipients(self, entries: list[tuple[int | None, str]]) -> None:
        """Replace the Nơi nhận list with (unit id or None, free text) entries, in order."""
        self.recipients = [DocumentRecipient(position=i, unit_id=unit_id, text=text)
                           for i, (unit_id, text) in enumerate(entries)]

    def content(self) -> dict[str, Any]:
        """Everything a person typed or chose: what a revision keeps."""
        return {
            "kind": self.kind,
            "title": self.title,
            "references": self.references_text,
            "body": self.body,
            "kinh_gui": self.kinh_gui_text,
            "signer_id": self.signer_id,
            "signing_authority": self.signing_authority,
            "signing_deputy_line": self.signing_deputy_line,
            "signer_title": self.signer_title,
            "urgency": self.urgency or "",
            "internal_only": bool(self.internal_only),
            "particulars_json": self.particulars_json or "",
            "recipients": [{"unit_id": r.unit_id, "text": r.text} for r in self.recipients],
        }

    def last_revision(self) -> DocumentRevision | None:
        # order_by(None): the relationship already orders by number ascending, which would win otherwise.
        return db.session.scalar(self.revisions.select().order_by(None).order_by(DocumentRevision.number.desc())
                                 .limit(1))

    def save_revision(self, author: User | None, reason: str = "Lưu") -> DocumentRevision | None:
        """Keep the current content as a new revision, unless it equals the last one."""
        last = self.last_revision()
        content = self.content()
        if last is not None and last.data == content:
            return None
        revision = DocumentRevision(number=(last.number + 1) if last else 1, author_id=author.id if author else None,
                                    content_json=json.dumps(content, ensure_ascii=False), reason=reason[:200])
        self.revisions.add(revision)
        return revision

    def update_content(self, fields: dict[str, Any], recipients: list[tuple[int | None, str]], author: User | None,
                       reason: str = "") -> DocumentRevision | None:
        """Apply what the editor posted (CONTENT_FIELDS and the Nơi nhận entries) and keep a revision.

        Returns the new revision, or None when nothing changed (then nothing is written at all). A document that
        has no revision yet (made by other code) first gets one of its content as it was, so nothing is lost.
        """
        before = self.content()
        if self.id is not None and self.last_revision() is None:
            self.save_revision(None, "Nội dung trước lần sửa đầu tiên")
        for name in CONTENT_FIELDS:
            if name in fields and getattr(self, name) != fields[name]:
                setattr(self, name, fields[name])
        if [(r.unit_id, r.text) for r in self.recipients] != list(recipients):
            self.set_recipients(list(recipients))
        if self.content() == before:
            return None
        self.updated_at = utcnow()  # the row changes even when only the Nơi nhận did: lock_version moves on
        return self.save_revision(author, reason or "Lưu")

    def summary(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, "status": self.status, "number": self.number,
                "issued_on": self.issued_on.isoformat() if self.issued_on else None}


class DocumentRecipient(db.Model):
    """One line of the Nơi nhận list: a unit from the directory (a group stands for its members) or free text."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    text: Mapped[str] = mapped_column(String(300), default="")

    unit: Mapped[Unit | None] = relationship(lazy="joined")

    @property
    def label(self) -> str:
        return self.text or (self.unit.recipient_name if self.unit else "")


class DocumentRevision(db.Model):
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    content_json: Mapped[str] = mapped_column(Text)

    author: Mapped[User | None] = relationship()

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.content_json)


def document_revisions(document_id: int) -> list[DocumentRevision]:
    return list(db.session.scalars(
        select(DocumentRevision).where(DocumentRevision.document_id == document_id).order_by(DocumentRevision.number)
    ))
