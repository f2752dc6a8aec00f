"""Stored files: one row per upload or generated file; the bytes live content-addressed under FILES_DIR."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.core import User, utcnow

# Vietnamese labels of the kinds of files we accept, for messages and lists.
FILE_KIND_LABELS = {
    "pdf": "PDF",
    "png": "Ảnh PNG",
    "jpeg": "Ảnh JPG",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "heic": "Ảnh HEIC",
}


class StoredFile(db.Model):
    """A file as it was received or generated. Several rows may share the same bytes (same sha256)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # lowercase hex of the bytes
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))  # pdf, png, jpeg, docx, xlsx: detected from the content
    original_name: Mapped[str] = mapped_column(String(200))  # sanitised: no path, NFC
    # Relative to FILES_DIR: "ab/cd/abcd…"; computed from sha256, never from anything a person typed.
    storage_path: Mapped[str] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # A photo's reduced copy for display (domain.photos: upright, ≤ 1600 px, JPEG), made once and stored like any
    # file; the original stays as it was received.
    display_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))

    created_by: Mapped[User | None] = relationship()
    display_file: Mapped[StoredFile | None] = relationship(remote_side="StoredFile.id", foreign_keys=[display_file_id])

    @property
    def kind_label(self) -> str:
        return FILE_KIND_LABELS.get(self.kind, self.kind)

    def summary(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size, "kind": self.kind, "original_name": self.original_name}
