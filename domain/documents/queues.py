"""The dashboard's queues: what waits for whom (documents submitted to an approver, returned to their clerk,
approved and waiting for a number), oldest first, each in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from domain.documents.workflow import APPROVED, RETURNED, SUBMITTED
from extensions import db
from models.core import User, utcnow
from models.documents import Document
from models.workflow import DocumentEvent


@dataclass
class QueueRow:
    document: Document
    since: datetime
    who: str = ""
    comment: str = ""

    @property
    def waiting(self) -> str:
        """How long it has waited, in words: "3 ngày 2 giờ", "45 phút"."""
        minutes = max(int((utcnow() - self.since).total_seconds() // 60), 0)
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        if days:
            return f"{days} ngày {hours} giờ" if hours else f"{days} ngày"
        if hours:
            return f"{hours} giờ {mins} phút" if mins else f"{hours} giờ"
        return f"{mins} phút" if mins else "vừa xong"


def _latest_events(status: str, action: str, *where) -> list[tuple[Document, DocumentEvent]]:
    """Documents in `status` with their most recent `action` event, oldest event first (one query)."""
    latest = (select(DocumentEvent.document_id, func.max(DocumentEvent.id).label("event_id"))
              .where(DocumentEvent.action == action).group_by(DocumentEvent.document_id).subquery())
    rows = db.session.execute(
        select(Document, DocumentEvent)
        .join(latest, latest.c.document_id == Document.id)
        .join(DocumentEvent, DocumentEvent.id == latest.c.event_id)
        .where(Document.status == status, *where)
        .options(selectinload(DocumentEvent.user))
        .order_by(DocumentEvent.at, DocumentEvent.id)
    ).all()
    return [(d, e) for d, e in rows]


def waiting_for_review(user: User) -> list[QueueRow]:
    """Documents submitted to this approver, oldest first."""
    return [QueueRow(d, e.at, e.user.full_name if e.user else "", e.comment)
            for d, e in _latest_events(SUBMITTED, "submit") if e.details.get("approver_id") == user.id]


def returned_to(user: User) -> list[QueueRow]:
    """This clerk's documents returned for changes (written or submitted by them), with the reviewer's note."""
    submitted_by_me = select(DocumentEvent.document_id).where(DocumentEvent.action == "submit",
                                                               DocumentEvent.user_id == user.id)
    mine = (Document.created_by_id == user.id) | Document.id.in_(submitted_by_me)
    return [QueueRow(d, e.at, e.user.full_name if e.user else "", e.comment)
            for d, e in _latest_events(RETURNED, "return", mine)]


def awaiting_issue() -> list[QueueRow]:
    """Approved documents the records clerk has still to number and issue, oldest approval first."""
    return [QueueRow(d, e.at, e.user.full_name if e.user else "", e.comment)
            for d, e in _latest_events(APPROVED, "approve")]
