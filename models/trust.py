"""Digital signatures: the certificates the office trusts, uploaded by the administrator (none by default)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.choices import TRUSTED_CERT_KINDS, choice_of
from models.core import User, utcnow


class TrustedCertificate(db.Model):
    """A root certificate (a chain that ends here is trusted) or an intermediate one (helps build the chain)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # TRUSTED_CERT_KINDS
    subject: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(500))
    serial: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)  # of the DER bytes
    not_before: Mapped[datetime]
    not_after: Mapped[datetime]
    der: Mapped[bytes] = mapped_column(LargeBinary)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    added_by: Mapped[User | None] = relationship()

    @property
    def kind_choice(self):
        return choice_of(TRUSTED_CERT_KINDS, self.kind)

    def summary(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "issuer": self.issuer, "serial": self.serial,
                "sha256": self.sha256}
