"""A document's history of transitions, and the reviewers' comments anchored to it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.core import User, utcnow
from models.documents import Document


class DocumentEvent(db.Model):
    """One transition of a document: who moved it from which status to which, when, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    # {"approver_id": 3} on submit, {"content_ok": true, "format_ok": true} on approve, {"reason": …} on recall
    details_json: Mapped[str] = mapped_column(Text, default="{}")

    user: Mapped[User | None] = relationship()

    @property
    def details(self) -> dict[str, Any]:
        return json.loads(self.details_json or "{}")

    @details.setter
    def details(self, value: dict[str, Any]) -> None:
        self.details_json = json.dumps(value, ensure_ascii=False, default=str)


class DocumentComment(db.Model):
    """A reviewer's remark on one revision, optionally anchored to a line of the body."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int | None]  # the revision the author was reading
    anchor_line: Mapped[int | None]  # 1-based line of the body text; None: the whole document
    anchor_excerpt: Mapped[str] = mapped_column(String(300), default="")  # the line as it read then
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


def document_events(document_id: int) -> list[DocumentEvent]:
    return list(db.session.scalars(
        select(DocumentEvent).where(DocumentEvent.document_id == document_id).order_by(DocumentEvent.at, DocumentEvent.id)
    ))


def document_comments(document_id: int) -> list[DocumentComment]:
    return list(db.session.scalars(
        select(DocumentComment).where(DocumentComment.document_id == document_id)
        .order_by(DocumentComment.created_at, DocumentComment.id)
    ))


def last_event(document: Document, action: str) -> DocumentEvent | None:
    return db.session.scalar(
        select(DocumentEvent).where(DocumentEvent.document_id == document.id, DocumentEvent.action == action)
        .order_by(DocumentEvent.at.desc(), DocumentEvent.id.desc()).limit(1)
    )


def current_approver(document: Document) -> User | None:
    """The approver chosen at the last submission (None before the first one)."""
    event = last_event(document, "submit")
    if event is None:
        return None
    approver_id = event.details.get("approver_id")
    return db.session.get(User, approver_id) if approver_id else None
