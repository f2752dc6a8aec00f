"""What OCR read on a scanned signed copy (a PDF without a text layer, or images combined into one): its text, how many
pages were read, and how the register's number, date and trích yếu were found in it.

The uploaded bytes are never changed: this row is what the worker derived from them (domain.register.scan_reading).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.core import utcnow
from models.register import SignedCopy


class ScanReading(db.Model):
    """The OCR text of one signed copy, written once by the worker (again only if the copy is read again)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    signed_copy_id: Mapped[int] = mapped_column(ForeignKey("signed_copy.id"), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    pages_read: Mapped[int] = mapped_column(default=0)
    pages_total: Mapped[int] = mapped_column(default=0)
    # Why fewer pages were read than the file has, or why nothing was read (Vietnamese, for the page).
    note: Mapped[str] = mapped_column(String(500), default="")
    seconds: Mapped[float] = mapped_column(default=0.0)
    # [number, date, trích yếu], each {"found": bool, "seen": the text it was matched against, "score": 0-100}.
    matches_json: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signed_copy: Mapped[SignedCopy] = relationship()

    @property
    def matches(self) -> list[dict[str, Any]]:
        return json.loads(self.matches_json or "[]")
