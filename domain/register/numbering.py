"""The outgoing register: per-year numbering, reservation, cancellation and issue. Concurrency-safe.

Numbers run per register and calendar year from 01 (Nghị định 30, Điều 15; format-spec §4.1). A number is
taken from a counter row (register, year) in the same transaction that records it, and the row stays locked
until that transaction ends:

- PostgreSQL: ``INSERT … ON CONFLICT (register_id, year) DO UPDATE SET last_number = last_number + 1
  RETURNING last_number``: the updated row is locked until commit, a second issuer waits for it.
- SQLite: the transaction starts with ``BEGIN IMMEDIATE`` (the database write lock), then the same upsert.

A rolled-back transaction gives its number back (no gap); the unique constraint on (register, year, number) is
the last line of defence. Never MAX()+1, never a sequence. The year and date of a number are the office's
(domain.office.office_date) at `now`, which callers pass explicitly.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from domain.documents import workflow
from domain.errors import DomainError
from domain.office import office_date
from domain.register.archive import heading, index_document, search_text  # noqa: F401  (heading: the register's column 3)
from domain.text.vietnamese import clean_text, number_text
from extensions import begin_write, db, in_write_transaction
from models.choices import KINDS
from models.core import Organization, Unit, User, audit, utcnow
from models.documents import Document
from models.register import (
    CANCELLED,
    ISSUED,
    RESERVED,
    Register,
    RegisterCounter,
    RegisterEntry,
)

DEFAULT_REGISTER_NAME = "Sổ văn bản đi"
SINGLE, PER_KIND = "single", "per_kind"
ARCHIVE_COPIES = 2  # "Lưu: VT, <đơn vị soạn thảo>": the office keeps two copies


class RegisterError(DomainError):
    """A register action that cannot be done; `message` is Vietnamese, `field` the form field at fault."""


# ---- time ----------------------------------------------------------------------------------------------


def utc_naive(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now


# ---- registers -----------------------------------------------------------------------------------------


def active_registers() -> list[Register]:
    return list(db.session.scalars(select(Register).where(Register.active.is_(True)).order_by(Register.id)))


def all_registers() -> list[Register]:
    return list(db.session.scalars(select(Register).order_by(Register.active.desc(), Register.id)))


def _general_register() -> Register:
    """The register for all kinds, created or re-activated on first need."""
    register = db.session.scalar(select(Register).where(Register.kinds.is_(None)).order_by(Register.id).limit(1))
    if register is None:
        register = Register(name=DEFAULT_REGISTER_NAME, kinds=None, active=True)
        db.session.add(register)
        db.session.flush()
    register.active = True
    return register


def _kind_register(kind: str) -> Register:
    """The register of one kind, created or re-activated on first need."""
    register = db.session.scalar(select(Register).where(Register.kinds == kind).order_by(Register.id).limit(1))
    if register is None:
        register = Register(name=f"{DEFAULT_REGISTER_NAME} — {KINDS[kind].name}", kinds=kind)
        db.session.add(register)
        db.session.flush()
    register.active = True
    return register


def register_for(kind: str) -> Register:
    """The active register that numbers this kind: its own register if there is one, else the general one. With
    one register per kind, a kind added to the vocabulary after the switch gets its own register too (not the
    general one, which would quietly bring back a shared sequence)."""
    registers = active_registers()
    for register in registers:
        if kind in register.kind_codes:
            return register
    for register in registers:
        if not register.kind_codes:
            return register
    if registers and kind in KINDS:
        return _kind_register(kind)
    return _general_register()


def numbering_mode() -> str:
    registers = active_registers()
    return PER_KIND if registers and all(r.kind_codes for r in registers) else SINGLE


def set_numbering_mode(mode: str, user: User) -> bool:
    """One register for all kinds, or one per kind. Switching back re-uses the same registers and counters."""
    if mode not in (SINGLE, PER_KIND):
        raise RegisterError("Cách đánh số không hợp lệ.", field="mode")
    before = {"mode": numbering_mode(), "registers": [r.summary() for r in active_registers()]}
    if before["mode"] == mode and active_registers():
        return False
    if mode == SINGLE:
        general = _general_register()
        for register in all_registers():
            register.active = register.id == general.id
    else:
        for code in KINDS:
            _kind_register(code)
        for register in all_registers():
            if not register.kind_codes or register.kinds not in KINDS:
                register.active = False
    db.session.flush()
    after = {"mode": mode, "registers": [r.summary() for r in active_registers()]}
    audit("register.mode", None, user=user, object_type="register",
          summary=("Chuyển sang một sổ văn bản đi chung cho mọi loại văn bản" if mode == SINGLE
                   else "Chuyển sang sổ văn bản đi riêng cho từng loại văn bản"), before=before, after=after)
    return True


# ---- numbers -------------------------------------------------------------------------------------------


def take_number(register: Register, year: int) -> int:
    """The next number of the register in that year; the counter row stays locked until the caller commits."""
    dialect = db.session.get_bind().dialect.name
    if not in_write_transaction():
        raise RuntimeError("take_number() on SQLite must run after begin_write() (BEGIN IMMEDIATE)")
    table = RegisterCounter.__table__
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    stmt = (
        insert(table)
        .values(register_id=register.id, year=year, last_number=1)
        .on_conflict_do_update(index_elements=[table.c.register_id, table.c.year],
                               set_={"last_number": table.c.last_number + 1})
        .returning(table.c.last_number)
    )
    return db.session.execute(stmt).scalar_one()


def last_number(register: Register, year: int) -> int:
    return db.session.scalar(select(RegisterCounter.last_number).where(
        RegisterCounter.register_id == register.id, RegisterCounter.year == year)) or 0


def reserve(register: Register, user: User, now: datetime, note: str) -> RegisterEntry:
    """Take the next number in advance ("lấy số trước"); the entry waits for a document. Caller commits."""
    note = clean_text(note or "").strip()
    if not note:
        raise RegisterError("Vui lòng ghi rõ số được giữ cho văn bản nào.", field="note")
    begin_write()
    if not register.active:
        raise RegisterError("Sổ văn bản này không còn được dùng.", field="register_id")
    year = office_date(now).year
    number = take_number(register, year)
    entry = RegisterEntry(register_id=register.id, year=year, number=number, status=RESERVED, notes=note,
                          created_by_id=user.id, created_at=utc_naive(now))
    db.session.add(entry)
    db.session.flush()
    audit("register.reserve", entry, user=user, object_type="register_entry",
          summary=f"Giữ trước số {number_text(number)} ({register.name}, năm {year}): {note}"[:500], after=entry.summary())
    return entry


def cancel_reserved(entry: RegisterEntry, user: User, reason: str, now: datetime | None = None) -> RegisterEntry:
    """Cancel a reserved number with a reason. The number stays used: it is never given again. Caller commits."""
    reason = clean_text(reason or "").strip()
    if not reason:
        raise RegisterError("Vui lòng ghi lý do hủy số.", field="reason")
    begin_write()
    db.session.refresh(entry, with_for_update=True)
    before = entry.summary()
    if entry.status != RESERVED:
        raise RegisterError(f"Số {number_text(entry.number)} không còn ở trạng thái giữ trước; không thể hủy.")
    entry.status = CANCELLED
    entry.cancel_reason = reason
    entry.cancelled_by_id = user.id
    entry.cancelled_at = utc_naive(now) if now else utcnow()
    db.session.flush()
    audit("register.cancel", entry, user=user, object_type="register_entry",
          summary=f"Hủy số giữ trước {number_text(entry.number)} năm {entry.year}: {reason}"[:500],
          before=before, after=entry.summary())
    return entry


def open_reservations(register: Register, year: int) -> list[RegisterEntry]:
    return list(db.session.scalars(select(RegisterEntry).where(
        RegisterEntry.register_id == register.id, RegisterEntry.year == year, RegisterEntry.status == RESERVED,
    ).order_by(RegisterEntry.number)))


# ---- issue ---------------------------------------------------------------------------------------------


def recipient_lines(document: Document) -> list[str]:
    return [r.label for r in document.recipients if r.label]


def default_copies(document: Document) -> int:
    """Số lượng bản: one per recipient (a group counts its active members) plus the office's archive copies."""
    total = 0
    for r in document.recipients:
        unit: Unit | None = r.unit
        total += len(unit.active_members()) if unit is not None and unit.is_group and unit.active_members() else 1
    return total + ARCHIVE_COPIES


def default_keeper(document: Document, org: Organization | None = None) -> str:
    """Đơn vị, người nhận bản lưu: the records office and the drafting unit (and person)."""
    org = org or Organization.current()
    author = document.created_by
    if author is not None and author.unit is not None:
        return f"Văn thư; {author.unit.name} ({author.full_name})"
    return f"Văn thư; {org.archive_unit}"


def issue(document: Document, user: User, now: datetime, *, expected_status: str = workflow.APPROVED,
          reserved_entry_id: int | None = None, copies: int | None = None, keeper: str | None = None,
          notes: str = "") -> RegisterEntry:
    """Give the document its number and date and record it in the register; the caller commits.

    Starts its own write transaction (begin_write) and locks the document row, so a double click or two
    clerks at once see the first issue and get StaleAction; TransitionRefused when the role or status forbids it.
    """
    begin_write()
    db.session.refresh(document, with_for_update=True)
    if document.status != expected_status:
        raise workflow.StaleAction(document.status)
    if reason := workflow.refusal(document, "issue", user):
        raise workflow.TransitionRefused(reason)
    if copies is not None and not 1 <= copies <= 10000:
        raise RegisterError("Số lượng bản phải từ 1 đến 10.000.", field="copies")

    issued_on = office_date(now)
    year = issued_on.year
    register = register_for(document.kind)
    organization = Organization.current()
    symbol = KINDS[document.kind].symbol(organization.symbol_suffix)
    note = clean_text(notes or "").strip()
    fields = dict(
        status=ISSUED, document_id=document.id, kind=document.kind, symbol=symbol, issued_on=issued_on,
        delivered_on=issued_on, title=document.title,
        signer_name=document.signer.full_name if document.signer else "",
        recipients_text="\n".join(recipient_lines(document)),
        keeper=clean_text(keeper, multiline=False).strip() if keeper else default_keeper(document, organization),
        copies=copies or default_copies(document), issued_by_id=user.id, issued_at=utc_naive(now),
    )
    if reserved_entry_id:
        entry = db.session.get(RegisterEntry, reserved_entry_id, with_for_update=True, populate_existing=True)
        if entry is None or entry.status != RESERVED or entry.register_id != register.id or entry.year != year:
            raise RegisterError("Số giữ trước này không dùng được cho văn bản này (đã dùng, đã hủy, khác sổ "
                                "hoặc khác năm). Hãy chọn lại.", field="reserved_entry_id")
        number = entry.number
        fields["notes"] = "\n".join(x for x in (entry.notes, note) if x)
        for key, value in fields.items():
            setattr(entry, key, value)
    else:
        number = take_number(register, year)
        entry = RegisterEntry(register_id=register.id, year=year, number=number, created_by_id=user.id,
                              created_at=utc_naive(now), notes=note, **fields)
        db.session.add(entry)
    db.session.flush()

    document.number = number
    document.issued_on = issued_on
    document.year = year
    workflow.perform(document, "issue", user, expected_status=expected_status, register_entry_id=entry.id,
                     number=entry.number_symbol)
    index_document(document, entry)
    return entry
