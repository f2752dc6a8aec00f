"""The organization, its units and users, the audit log and notifications."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from models.choices import MAIL_IMMEDIATE, MAIL_NOT_WANTED, NOTE_GENERAL, ROLE_LABELS, UNIT_KIND_LABELS

# Werkzeug's scrypt default; tests lower the cost (conftest) because hashing dominates their run time.
PASSWORD_HASH_METHOD = "scrypt"


def hash_password(password: str) -> str:
    """The stored form of a password (slow on purpose: scrypt takes a tenth of a second or more)."""
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Organization(db.Model):
    """The issuing body's settings: one row. Printed in every document header."""

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_lines: Mapped[str] = mapped_column(String(300))  # "ỦY BAN MTTQ VIỆT NAM\nTỈNH NINH BÌNH"
    name_lines: Mapped[str] = mapped_column(String(300))  # "BAN THƯỜNG TRỰC"
    # Sentence case, for running text: "(Kèm theo Kế hoạch số … của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình)"
    full_name: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(100))  # "Ninh Bình", for the date line
    symbol_suffix: Mapped[str] = mapped_column(String(50))  # "MTTQ-BTT"
    archive_unit: Mapped[str] = mapped_column(String(100))  # "BTG", for "Lưu: VT, BTG."
    # Ô 13: address, e-mail, website, telephone, one item a line, printed at the foot of page 1 (empty: none).
    address_block: Mapped[str] = mapped_column(Text, default="")
    forbid_self_approval: Mapped[bool] = mapped_column(default=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")

    @classmethod
    def current(cls) -> Organization:
        org = db.session.scalar(select(cls).order_by(cls.id).limit(1))
        if org is None:
            org = cls(
                parent_lines="ỦY BAN MTTQ VIỆT NAM\nTỈNH NINH BÌNH",
                name_lines="BAN THƯỜNG TRỰC",
                full_name="Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình",
                place="Ninh Bình",
                symbol_suffix="MTTQ-BTT",
                archive_unit="BTG",
            )
            db.session.add(org)
            db.session.flush()
        return org

    def summary(self) -> dict[str, Any]:
        return {
            "parent_lines": self.parent_lines,
            "name_lines": self.name_lines,
            "full_name": self.full_name,
            "place": self.place,
            "symbol_suffix": self.symbol_suffix,
            "archive_unit": self.archive_unit,
            "address_block": self.address_block or "",
            "forbid_self_approval": self.forbid_self_approval,
        }


class Unit(db.Model):
    """A unit in the directory. A unit with children can stand for them as a group in plans and Nơi nhận."""

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(255))  # full name
    recipient_name: Mapped[str] = mapped_column(String(255))  # as written in a Nơi nhận list
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    is_group: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.sort_order, Unit.name")

    @property
    def kind_label(self) -> str:
        return UNIT_KIND_LABELS.get(self.kind, self.kind)

    def ancestors(self) -> list[Unit]:
        chain, node, seen = [], self.parent, {self.id}
        while node is not None and node.id not in seen:
            chain.append(node)
            seen.add(node.id)
            node = node.parent
        return chain

    def would_be_own_ancestor(self, new_parent: Unit | None) -> bool:
        """True if making new_parent the parent would put this unit inside its own subtree."""
        if new_parent is None or self.id is None:
            return False
        return new_parent.id == self.id or any(a.id == self.id for a in new_parent.ancestors())

    def active_members(self) -> list[Unit]:
        return [c for c in self.children if c.active]

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "recipient_name": self.recipient_name,
            "slug": self.slug,
            "kind": self.kind,
            "parent_id": self.parent_id,
            "sort_order": self.sort_order,
            "is_group": self.is_group,
            "active": self.active,
        }


class UserRole(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    position_title: Mapped[str] = mapped_column(String(120), default="")  # "PHÓ CHỦ TỊCH", for signature blocks
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout, password change and deactivation: every other session then stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")  # as given at onboarding, for the office to call
    mail_mode: Mapped[str] = mapped_column(String(20), default=MAIL_IMMEDIATE)  # choices.MAIL_MODES
    # A one-time password given by the administrator: every page leads to the password change until it is changed.
    must_change_password: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[Unit | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    # Flask-Login asks is_active to refuse sign-in and loading of deactivated users.
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def set_roles(self, roles: set[str] | list[str]) -> None:
        wanted = set(roles) & set(ROLE_LABELS)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[r] for r in ROLE_LABELS if r in self.roles]

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_other_sessions(self) -> None:
        self.session_version += 1

    def summary(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "full_name": self.full_name,
            "position_title": self.position_title,
            "unit_id": self.unit_id,
            "roles": sorted(self.roles),
            "active": self.active,
        }


class LoginAttempt(db.Model):
    """Failed and successful sign-ins, kept in the database so the lock-out holds across workers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    success: Mapped[bool]
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[int | None] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(String(500), default="")
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()

    @property
    def before(self) -> dict | None:
        return json.loads(self.before_json) if self.before_json else None

    @property
    def after(self) -> dict | None:
        return json.loads(self.after_json) if self.after_json else None

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, old, new) for every field that differs between before and after."""
        before, after = self.before or {}, self.after or {}
        return [(k, before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]


class Notification(db.Model):
    """An in-app message to one user (a message to a unit is one row per member); shown in the header.

    `key` names the event ("deadline_soon:assignment:12"): one notification per user and key, whoever asks again."""

    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)  # the unit it concerns
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    message: Mapped[str] = mapped_column(String(1000))
    link: Mapped[str] = mapped_column(String(300), default="")
    read_at: Mapped[datetime | None]
    kind: Mapped[str] = mapped_column(String(30), default=NOTE_GENERAL)  # choices.NOTIFICATION_KINDS
    key: Mapped[str | None] = mapped_column(String(120))
    mail_state: Mapped[str] = mapped_column(String(20), default=MAIL_NOT_WANTED, index=True)  # choices.MAIL_STATES
    mail_attempts: Mapped[int] = mapped_column(default=0)
    mailed_at: Mapped[datetime | None]


def audit(action: str, obj: Any = None, *, user: User | None = None, summary: str = "",
          before: dict | None = None, after: dict | None = None, object_type: str | None = None) -> AuditEvent:
    """Record an action in the current transaction; the caller's commit makes both durable together."""
    event = AuditEvent(
        action=action,
        object_type=object_type or (type(obj).__name__.lower() if obj is not None else ""),
        object_id=getattr(obj, "id", None),
        user_id=user.id if user is not None else None,
        summary=summary[:500],
        before_json=json.dumps(before, ensure_ascii=False, default=str) if before is not None else None,
        after_json=json.dumps(after, ensure_ascii=False, default=str) if after is not None else None,
    )
    db.session.add(event)
    return event
