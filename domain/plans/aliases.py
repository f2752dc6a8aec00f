"""Names a clerk mapped to a unit while importing a plan, remembered for the next import (models.plans.UnitAlias).

    alias_map() -> {unit_key: unit_id}            what domain.plans.units.find_unit consults first
    remember_alias(name, unit_id, user)          a new mapping, or a changed one; audited; unchanged is a no-op
    delete_alias(alias, user)                    the administrator's undo; audited
    listed_aliases() -> [UnitAlias]              for the administrator's list
    unit_from_name(name, kind, user) -> Unit     a name the clerk chose to make a new unit of; audited

A position ("Đồng chí Phó Chủ tịch Thường trực, phụ trách …") or an outside body is never in the directory by its
own name; mapping it once to the unit it belongs to is exactly what an alias keeps.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from domain.plans.units import unit_key
from domain.text.vietnamese import clean_text, slugify
from extensions import db
from models.core import Unit, User, audit
from models.plans import UnitAlias

KEY_MAX = TEXT_MAX = 300


def alias_map() -> dict[str, int]:
    """Every remembered name's canonical key and the unit it stands for. The key is also worked out again from the
    name as written, so a name remembered before unit_key learnt a new spelling is still found."""
    rows = db.session.execute(select(UnitAlias.key, UnitAlias.text, UnitAlias.unit_id)).all()
    found = {key: unit_id for key, _text, unit_id in rows}
    for _key, text, unit_id in rows:
        found.setdefault(unit_key(text)[:KEY_MAX], unit_id)
    return found


def listed_aliases() -> list[UnitAlias]:
    query = select(UnitAlias).options(joinedload(UnitAlias.unit), joinedload(UnitAlias.created_by))
    return list(db.session.scalars(query.order_by(UnitAlias.text, UnitAlias.id)))


def remember_alias(name: str, unit_id: int, user: User | None) -> UnitAlias | None:
    """Remember that `name` means the unit: a new alias, or the old one given the new unit. None for a blank name
    or a unit that does not exist. The caller commits."""
    text = clean_text(name or "", multiline=False).strip()[:TEXT_MAX]
    key = unit_key(text)[:KEY_MAX]
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if not key or unit is None:
        return None
    alias = db.session.scalar(select(UnitAlias).where(UnitAlias.key == key))
    if alias is None:
        alias = UnitAlias(key=key, text=text, unit_id=unit.id, created_by_id=user.id if user else None)
        db.session.add(alias)
        db.session.flush()
        audit("unit_alias.create", alias, user=user, object_type="unit_alias", after=alias.summary(),
              summary=f"Ghi nhớ “{text}” là {unit.name}"[:500])
    elif alias.unit_id != unit.id:
        before = alias.summary()
        alias.unit_id = unit.id
        db.session.flush()
        audit("unit_alias.update", alias, user=user, object_type="unit_alias", before=before, after=alias.summary(),
              summary=f"Đổi tên đã ghi nhớ “{alias.text}” thành {unit.name}"[:500])
    return alias


def delete_alias(alias: UnitAlias, user: User | None) -> None:
    """Forget a remembered name: the next import asks the clerk again. The caller commits."""
    unit = db.session.get(Unit, alias.unit_id)
    audit("unit_alias.delete", alias, user=user, object_type="unit_alias", before=alias.summary(),
          summary=f"Xóa tên đã ghi nhớ “{alias.text}” ({unit.name if unit else alias.unit_id})"[:500])
    db.session.delete(alias)
    db.session.flush()


def unit_from_name(name: str, kind: str, user: User | None) -> Unit:
    """A unit made from a name in an imported plan, at the end of the directory; its code is made unique."""
    base = slugify(name)[:90] or "don-vi"
    slug, n = base, 1
    taken = set(db.session.scalars(select(Unit.slug).where(Unit.slug.like(f"{base}%"))))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    unit = Unit(name=name[:255], recipient_name=name[:255], slug=slug, kind=kind, is_group=False, active=True,
                sort_order=1000)
    db.session.add(unit)
    db.session.flush()
    audit("unit_create", unit, user=user, summary=f"Tạo đơn vị {unit.name} khi nhập kế hoạch", after=unit.summary())
    return unit
