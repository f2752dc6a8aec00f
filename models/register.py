"""The outgoing register (Sổ văn bản đi): registers, per-year counters, entries, signed copies, search rows."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.choices import CANCELLED, ENTRY_STATUSES, ISSUED, KINDS, RECALLED, RESERVED  # noqa: F401
from models.core import User, utcnow
from models.documents import Document
from models.files import StoredFile
from models.numbers import number_symbol, number_text

ENTRY_STATUS_LABELS = {code: (c.label, c.color) for code, c in ENTRY_STATUSES.items()}


class Register(db.Model):
    """A sequence of numbers. By default one register for all kinds; an admin may keep one per kind."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Comma-separated models.choices.KINDS codes ("KH" or "KH,HD"); NULL = every kind not covered by another register.
    kinds: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def kind_codes(self) -> list[str]:
        return [k for k in (self.kinds or "").split(",") if k]

    @property
    def kinds_label(self) -> str:
        if not self.kind_codes:
            return "Mọi loại văn bản"
        return ", ".join(KINDS[k].name if k in KINDS else k for k in self.kind_codes)

    def covers(self, kind: str) -> bool:
        return not self.kind_codes or kind in self.kind_codes

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "kinds": self.kinds, "active": self.active}


class RegisterCounter(db.Model):
    """The last number given in one register and year; the row is locked while a number is taken."""

    __table_args__ = (UniqueConstraint("register_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class RegisterEntry(db.Model):
    """One line of the register (ND30 Phụ lục IV): an issued document, a reserved number or a cancelled one."""

    __table_args__ = (
        UniqueConstraint("register_id", "year", "number"),
        UniqueConstraint("document_id"),
        CheckConstraint("number >= 1", name="number_positive"),
        # The stored statuses (a recall shows from the document's status); the same text as the migration's.
        CheckConstraint(f"status IN ('{RESERVED}', '{ISSUED}', '{CANCELLED}')", name="status_known"),
        Index("ix_register_entry_year_register", "year", "register_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    year: Mapped[int]
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    kind: Mapped[str | None] = mapped_column(String(10))
    symbol: Mapped[str] = mapped_column(String(60), default="")  # "KH-MTTQ-BTT"; "" while only reserved
    issued_on: Mapped[date | None]  # (2) ngày tháng văn bản, office-local
    title: Mapped[str] = mapped_column(String(600), default="")  # (3) tên loại và trích yếu, as issued
    signer_name: Mapped[str] = mapped_column(String(120), default="")  # (4)
    recipients_text: Mapped[str] = mapped_column(Text, default="")  # (5) one recipient a line
    keeper: Mapped[str] = mapped_column(String(300), default="")  # (6) đơn vị, người nhận bản lưu
    copies: Mapped[int | None]  # (7) số lượng bản
    delivered_on: Mapped[date | None]  # (8) ngày chuyển
    notes: Mapped[str] = mapped_column(Text, default="")  # (10) ghi chú (the reservation's purpose, …)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cancelled_at: Mapped[datetime | None]
    final_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))  # the issued .docx
    # What the issued .docx was written from (docgen.fields.data_to_json): the document's page is drawn from it, so
    # renaming a unit or a signer later changes neither the file nor the page.
    issued_data: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    issued_at: Mapped[datetime | None]

    register: Mapped[Register] = relationship()
    document: Mapped[Document | None] = relationship()
    final_file: Mapped[StoredFile | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])

    @property
    def display_status(self) -> str:
        if self.status == ISSUED and self.document is not None and self.document.status == RECALLED:
            return RECALLED
        return self.status

    @property
    def status_label(self) -> tuple[str, str]:
        return ENTRY_STATUS_LABELS[self.display_status]

    @property
    def number_symbol(self) -> str:
        """Column (1): "05/KH-MTTQ-BTT" (just "05" for a reserved number not yet given a kind)."""
        return number_symbol(self.number, self.symbol) if self.symbol else number_text(self.number)

    @property
    def recipients(self) -> list[str]:
        return [line for line in self.recipients_text.splitlines() if line.strip()]

    @property
    def heading(self) -> str:
        """Column (3): tên loại và trích yếu, "Kế hoạch Tuyên truyền …" / "Công văn V/v …"."""
        info = KINDS.get(self.kind or "")
        if info is None or not self.title:
            return self.title
        return f"{info.name} {info.subject_prefix}{self.title}"

    def summary(self) -> dict[str, Any]:
        return {"register_id": self.register_id, "year": self.year, "number": self.number, "status": self.status,
                "document_id": self.document_id, "symbol": self.symbol,
                "issued_on": self.issued_on.isoformat() if self.issued_on else None, "notes": self.notes,
                "cancel_reason": self.cancel_reason}


class SignedCopy(db.Model):
    """The scanned signed document (or a digitally signed PDF), stored byte for byte as received."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(10), default="pdf")  # "pdf" or "images" (combined into a PDF)
    image_count: Mapped[int] = mapped_column(default=0)
    # What the copy's text layer shows, checked against the register at upload: True, False, or None when the
    # copy has no text to read (an image scan).
    number_found: Mapped[bool | None]
    date_found: Mapped[bool | None]
    title_found: Mapped[bool | None]
    # The check of its digital signatures (domain.register.signatures), written by the worker after the upload:
    # the report as JSON and its one-word outcome for the archive's badge (COPY_SIGNATURE_STATES); None until then.
    signature_report: Mapped[str | None] = mapped_column(Text)
    signature_state: Mapped[str | None] = mapped_column(String(30))
    # The copy's body compared word by word with the issued document's (domain.register.body_check), as JSON.
    body_check: Mapped[str | None] = mapped_column(Text)
    # For a scan: a PDF derived from it by OCR, with an invisible text layer, so a PDF reader can search it
    # (domain.register.scan_reading). A copy for finding words, never the signed original; None for a copy
    # with its own text layer, or until the worker has read it.
    searchable_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))

    stored_file: Mapped[StoredFile] = relationship(lazy="joined", foreign_keys=[stored_file_id])
    searchable_file: Mapped[StoredFile | None] = relationship(foreign_keys=[searchable_file_id])
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def checked(self) -> bool:
        return self.number_found is not None

    @property
    def body_result(self) -> dict | None:
        """The body compared with the issued document's (domain.register.body_check), or None (no text layer)."""
        return json.loads(self.body_check) if self.body_check else None


class DocumentSearch(db.Model):
    """Search keys of an issued document, folded (no diacritics, "đ" -> "d"); written once, at issue.

    The id grows with each issue, so "newest first" is id order, which the full-text indexes can walk backwards
    and stop after one page (no sorting of every match).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    number: Mapped[int]
    issued_on: Mapped[date]
    signer: Mapped[str] = mapped_column(String(200), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")  # number/symbol, title, signer, recipients, body

    __table_args__ = (Index("ix_document_search_year_number", "year", "number"),
                      Index("ix_document_search_year_id", "year", "id"),
                      Index("ix_document_search_kind_year", "kind", "year"))


# ---- full-text acceleration of DocumentSearch.text ------------------------------------------------------
# The text is stored as folded words separated by single spaces, with a space at each end, so that a word-prefix
# match is the same everywhere: LIKE '% tuyen%' (portable), an FTS5 prefix query on SQLite, a tsquery 'tuyen:*'
# on PostgreSQL. The accelerators below are created with the table (create_all) and by the migration
# (`for sql in SEARCH_INDEX_DDL[dialect]: op.execute(sql)`); search falls back to LIKE when they are missing.

SEARCH_INDEX_DDL = {
    "sqlite": [
        # detail='column': a word's doclist keeps which column but not where (every search term is one word, never
        # a phrase), half the size. prefix='1 … 7': a prefix of up to 7 letters (a Vietnamese syllable folded has at
        # most 7) is a doclist of its own, read newest first and stopped after a page, instead of the union of every
        # word it starts built in memory: 'tuyen truyen' 22 ms -> 0.6 ms over 100,000 scanned documents, and the
        # table is smaller than before (172 MB against 371 MB; bench/bench_archive.py).
        "CREATE VIRTUAL TABLE IF NOT EXISTS document_search_fts USING fts5(text, signer, recipients, "
        "content='document_search', content_rowid='id', tokenize='unicode61', prefix='1 2 3 4 5 6 7', "
        "detail='column')",
        "CREATE TRIGGER IF NOT EXISTS document_search_fts_insert AFTER INSERT ON document_search BEGIN "
        "INSERT INTO document_search_fts(rowid, text, signer, recipients) "
        "VALUES (new.id, new.text, new.signer, new.recipients); END",
        "CREATE TRIGGER IF NOT EXISTS document_search_fts_delete AFTER DELETE ON document_search BEGIN "
        "INSERT INTO document_search_fts(document_search_fts, rowid, text, signer, recipients) "
        "VALUES ('delete', old.id, old.text, old.signer, old.recipients); END",
        "CREATE TRIGGER IF NOT EXISTS document_search_fts_update AFTER UPDATE ON document_search BEGIN "
        "INSERT INTO document_search_fts(document_search_fts, rowid, text, signer, recipients) "
        "VALUES ('delete', old.id, old.text, old.signer, old.recipients); "
        "INSERT INTO document_search_fts(rowid, text, signer, recipients) "
        "VALUES (new.id, new.text, new.signer, new.recipients); END",
        "INSERT INTO document_search_fts(document_search_fts) VALUES ('rebuild')",
    ],
    "postgresql": [
        # A stored tsvector: the planner has statistics on it and checking a row costs no re-parsing.
        "ALTER TABLE document_search ADD COLUMN IF NOT EXISTS text_tsv tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED",
        "CREATE INDEX IF NOT EXISTS ix_document_search_text_tsv ON document_search USING gin (text_tsv)",
        # Word frequencies deep enough that a rare word is estimated as rare: the planner then reads the few
        # matches from the GIN index instead of walking every document newest first (1.1 s -> 1 ms at 100,000).
        "ALTER TABLE document_search ALTER COLUMN text_tsv SET STATISTICS 10000",
    ],
}


@event.listens_for(DocumentSearch.__table__, "after_create")
def _create_search_index(_table, connection, **_kw):
    for sql in SEARCH_INDEX_DDL.get(connection.dialect.name, []):
        connection.exec_driver_sql(sql)


@event.listens_for(DocumentSearch.__table__, "before_drop")
def _drop_search_index(_table, connection, **_kw):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TABLE IF EXISTS document_search_fts")


def include_in_schema_comparison(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the search accelerators out of autogenerate: they are created by SEARCH_INDEX_DDL, not the models."""
    if type_ == "table" and name and name.startswith("document_search_fts"):
        return False
    if type_ == "column" and name == "text_tsv":
        return False
    if type_ == "index" and name == "ix_document_search_text_tsv":
        return False
    return True
