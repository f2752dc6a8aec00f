"""The Nơi nhận picker: the list as posted by the editor form, and the small edits its buttons ask for.

The list lives in the form until the document is saved: each row posts a `recipient_unit` (a unit id or "")
and a `recipient_text` (a free line, or "" for a unit), in order. The buttons post `op` = "up:2", "down:0",
"remove:1", "add-unit" (with `add_unit`) or "add-text" (with `add_text`). The same code serves a plain form
post (the whole page comes back) and an htmx request (only the picker comes back).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from blueprints.params import parse_id, parse_int
from domain.text.vietnamese import clean_text
from extensions import db
from models import Unit
from models.choices import UNIT_EXTERNAL
from models.documents import RECIPIENT_TEXT_MAX, RECIPIENTS_MAX

OPS = ("up", "down", "remove", "add-unit", "add-text")


@dataclass
class Entry:
    unit_id: int | None
    text: str
    unit: Unit | None = None

    @property
    def label(self) -> str:
        return self.text or (self.unit.recipient_name if self.unit else "")


def _line(value: str | None) -> str:
    return clean_text(value or "", multiline=False).strip()


def attach_units(entries: list[Entry]) -> list[Entry]:
    """Load the units of unit rows in one query; rows naming no unit and no text are dropped."""
    ids = {e.unit_id for e in entries if e.unit_id}
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))} if ids else {}
    kept = []
    for entry in entries:
        entry.unit = units.get(entry.unit_id) if entry.unit_id else None
        if entry.unit_id and entry.unit is None:
            continue  # a unit that does not exist (a forged id) is dropped, never stored
        if entry.unit is not None:
            entry.text = ""
        if entry.label:
            kept.append(entry)
    return kept


def content_entries(content: Mapping) -> list[Entry]:
    """The rows of a Document.content() or revision dictionary."""
    return attach_units([Entry(r.get("unit_id"), r.get("text") or "") for r in content.get("recipients", [])])


def posted_entries(form: Mapping) -> list[Entry]:
    """The rows of the picker as the form posted them, in order; empty and unknown rows are dropped."""
    units = form.getlist("recipient_unit")
    texts = form.getlist("recipient_text")
    rows = [Entry(parse_id(u), _line(t)) for u, t in zip(units, texts + [""] * (len(units) - len(texts)), strict=False)]
    return attach_units(rows)


def apply(entries: list[Entry], op: str, form: Mapping) -> tuple[list[Entry], str | None]:
    """Carry out one picker button on the list; returns the new list and a message for the person, if any."""
    name, _, arg = op.partition(":")
    entries = list(entries)
    index = parse_int(arg)
    if name in ("up", "down", "remove"):
        if index is None or not 0 <= index < len(entries):
            return entries, None
        if name == "remove":
            entries.pop(index)
        else:
            other = index - 1 if name == "up" else index + 1
            if 0 <= other < len(entries):
                entries[index], entries[other] = entries[other], entries[index]
        return entries, None
    if len(entries) >= RECIPIENTS_MAX:
        return entries, f"Nơi nhận có tối đa {RECIPIENTS_MAX} dòng."
    if name == "add-unit":
        unit = db.session.get(Unit, parse_id(form.get("add_unit")) or 0)
        if unit is None or not unit.active:
            return entries, "Hãy chọn một đơn vị trong danh mục."
        if any(e.unit_id == unit.id for e in entries):
            return entries, f"“{unit.recipient_name}” đã có trong Nơi nhận."
        return entries + [Entry(unit.id, "", unit)], None
    if name == "add-text":
        text = _line(form.get("add_text")).lstrip("-–• ").rstrip(";.,").strip()
        if not text:
            return entries, "Hãy nhập nội dung dòng cần thêm."
        if len(text) > RECIPIENT_TEXT_MAX:
            return entries, f"Mỗi dòng Nơi nhận tối đa {RECIPIENT_TEXT_MAX} ký tự."
        return entries + [Entry(None, text)], None
    return entries, None


def problems(entries: list[Entry]) -> list[str]:
    """Why this list cannot be saved (empty: it can)."""
    out = []
    if len(entries) > RECIPIENTS_MAX:
        out.append(f"Nơi nhận có tối đa {RECIPIENTS_MAX} dòng (hiện có {len(entries)}).")
    if any(len(e.text) > RECIPIENT_TEXT_MAX for e in entries):
        out.append(f"Mỗi dòng Nơi nhận tối đa {RECIPIENT_TEXT_MAX} ký tự.")
    return out


@dataclass
class DirectoryGroup:
    label: str
    units: list[Unit]


def _tree_order(units: list[Unit]) -> list[Unit]:
    """Parents before their children, siblings by sort order (units whose parent is not listed start a tree)."""
    listed = {u.id for u in units}
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id if u.parent_id in listed else None, []).append(u)
    out: list[Unit] = []

    def walk(parent_id: int | None) -> None:
        for u in children.get(parent_id, []):
            out.append(u)
            walk(u.id)

    walk(None)
    return out


def directory() -> list[DirectoryGroup]:
    """Active units to choose from: groups first (each stands for its members), then single units in tree
    order, then outside bodies that only receive documents."""
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.name)).all()
    groups = [u for u in units if u.is_group]
    outside = [u for u in units if u.kind == UNIT_EXTERNAL and not u.is_group]
    single = _tree_order([u for u in units if u.kind != UNIT_EXTERNAL and not u.is_group])
    return [g for g in (DirectoryGroup("Nhóm đơn vị", groups), DirectoryGroup("Đơn vị", single),
                        DirectoryGroup("Cơ quan bên ngoài", outside)) if g.units]
