"""The office's mail server: one row of SMTP settings, kept by the administrator (Quản trị > Thư điện tử)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.choices import SMTP_STARTTLS
from models.core import utcnow


class MailSettings(db.Model):
    """How to reach the SMTP server and what links in e-mails start with. No row, or no host: no e-mail is sent."""

    id: Mapped[int] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    host: Mapped[str] = mapped_column(String(255), default="")
    port: Mapped[int] = mapped_column(default=587)
    security: Mapped[str] = mapped_column(String(20), default=SMTP_STARTTLS)  # choices.SMTP_SECURITY
    username: Mapped[str] = mapped_column(String(255), default="")
    # Stored as typed: the server needs it back to sign in; only administrators read this table.
    password: Mapped[str] = mapped_column(String(255), default="")
    sender: Mapped[str] = mapped_column(String(255), default="")  # "Văn phòng <vanphong@mttq.ninhbinh.vn>"
    base_url: Mapped[str] = mapped_column(String(255), default="")  # "https://vanban.mttq.ninhbinh.vn"
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @classmethod
    def current(cls) -> MailSettings:
        """The one row (made on first use, switched off)."""
        row = db.session.scalar(select(cls).order_by(cls.id).limit(1))
        if row is None:
            row = cls(enabled=False, host="", port=587, security=SMTP_STARTTLS, username="", password="",
                      sender="", base_url="")
            db.session.add(row)
            db.session.flush()
        return row

    @property
    def ready(self) -> bool:
        return bool(self.enabled and self.host and self.sender and self.base_url)

    def summary(self) -> dict[str, Any]:
        """For the audit log: everything but the password (only whether one is set)."""
        return {"enabled": self.enabled, "host": self.host, "port": self.port, "security": self.security,
                "username": self.username, "password_set": bool(self.password), "sender": self.sender,
                "base_url": self.base_url}
