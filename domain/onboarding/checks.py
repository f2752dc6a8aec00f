"""What an onboarding sheet would make, checked whole before anything is saved: one Vietnamese message per fault,
naming its row. A unit's parent is a unit of the file (by code or name, above or below it) or of the directory; a
code already in the directory is that unit only when the names agree (then only its reporter is added)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from domain.mail.preferences import clean_email
from domain.onboarding.sheet import TITLES, Row
from domain.text.vietnamese import fold, slugify
from extensions import db
from models.choices import UNIT_KINDS, UNIT_SUBORDINATE
from models.core import Unit, User

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NAME_MAX, SLUG_MAX, PERSON_MAX, USERNAME_BASE_MAX = 255, 100, 120, 58


@dataclass
class Line:
    """One row as it will be saved."""

    row: int
    name: str
    slug: str
    kind: str
    parent_text: str
    parent_slug: str | None = None  # a unit of the file
    parent_id: int | None = None  # a unit of the directory
    existing_id: int | None = None  # the row names a unit the directory already has
    is_group: bool = False  # other rows are under it
    reporter: str = ""
    phone: str = ""
    email: str = ""
    username: str = ""


@dataclass
class Plan:
    lines: list[Line] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_units(self) -> int:
        return sum(1 for line in self.lines if line.existing_id is None)

    @property
    def accounts(self) -> int:
        return sum(1 for line in self.lines if line.reporter)


def _kind(text: str) -> str | None:
    if not text:
        return UNIT_SUBORDINATE
    key = fold(text)
    return next((code for code, choice in UNIT_KINDS.items() if key in (fold(choice.label), code)), None)


def _phone(text: str) -> tuple[str, str | None]:
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not digits:
        return "", None
    if not re.fullmatch(r"0\d{8,10}", digits):
        return text, f"số điện thoại “{text}” không hợp lệ (ví dụ 0912 345 678)"
    return digits, None


class _Directory:
    """The units and usernames the database has now, loaded once."""

    def __init__(self):
        units = db.session.execute(select(Unit.id, Unit.slug, Unit.name)).all()
        self.by_slug = {u.slug: u for u in units}
        self.by_name: dict[str, list] = {}
        for u in units:
            self.by_name.setdefault(fold(u.name), []).append(u)
        self.usernames = set(db.session.scalars(select(func.lower(User.username))))


def _read_line(row: Row, errors: list[str]) -> Line:
    v = row.values
    for title in row.formulas:
        errors.append(f"ô cột “{title}” chứa công thức; hãy dán giá trị (Dán đặc biệt → Giá trị)")
    name = v.get("name", "")
    if not name:
        errors.append(f"thiếu “{TITLES['name']}”")
    elif len(name) > NAME_MAX:
        errors.append(f"tên đơn vị dài quá {NAME_MAX} ký tự")
    slug = v.get("slug", "").lower() or slugify(name)[:SLUG_MAX]
    if name and not _SLUG.match(slug) or len(slug) > SLUG_MAX:
        errors.append(f"mã đơn vị “{slug}” chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang")
    kind = _kind(v.get("kind", ""))
    if kind is None:
        errors.append(f"loại đơn vị “{v.get('kind')}” không có; chọn một trong: "
                      + ", ".join(c.label for c in UNIT_KINDS.values()))
    line = Line(row=row.number, name=name, slug=slug, kind=kind or UNIT_SUBORDINATE, parent_text=v.get("parent", ""),
                reporter=v.get("reporter", ""))
    line.phone, problem = _phone(v.get("phone", ""))
    if problem:
        errors.append(problem)
    line.email, problem = clean_email(v.get("email", ""))
    if problem:
        errors.append(f"thư điện tử “{v.get('email')}” không hợp lệ")
    if not line.reporter and (line.phone or line.email):
        errors.append("có số điện thoại hoặc thư điện tử nhưng thiếu họ tên cán bộ báo cáo")
    if len(line.reporter) > PERSON_MAX:
        errors.append(f"họ tên cán bộ báo cáo dài quá {PERSON_MAX} ký tự")
    return line


def _resolve_parent(line: Line, in_file: dict[str, Line], names: dict[str, list[Line]], known: _Directory,
                    errors: list[str]) -> None:
    text = line.parent_text
    if not text:
        return
    key = text.lower()
    if key in in_file:
        line.parent_slug = key
    elif key in known.by_slug:
        line.parent_id = known.by_slug[key].id
    elif len(names.get(fold(text), [])) == 1:
        line.parent_slug = names[fold(text)][0].slug
    elif len(names.get(fold(text), [])) > 1:
        errors.append(f"đơn vị cấp trên “{text}” trùng tên với nhiều dòng; hãy ghi mã đơn vị")
    elif len(known.by_name.get(fold(text), [])) == 1:
        line.parent_id = known.by_name[fold(text)][0].id
    elif known.by_name.get(fold(text)):
        errors.append(f"đơn vị cấp trên “{text}” trùng tên với nhiều đơn vị trong hệ thống; hãy ghi mã đơn vị")
    else:
        errors.append(f"không tìm thấy đơn vị cấp trên “{text}” (trong tệp hay trong hệ thống)")
    if line.parent_slug == line.slug:
        errors.append("đơn vị không thể là cấp trên của chính nó")


def _username(line: Line, taken: set[str]) -> str:
    base = line.slug[:USERNAME_BASE_MAX].strip("-") or "donvi"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def check_rows(rows: list[Row]) -> Plan:
    """Every row checked against the others and the directory; a plan that is `ok` only when no row has a fault."""
    known = _Directory()
    plan = Plan()
    faults: dict[int, list[str]] = {}
    in_file: dict[str, Line] = {}
    for row in rows:
        errors = faults.setdefault(row.number, [])
        line = _read_line(row, errors)
        if line.slug in in_file:
            errors.append(f"mã đơn vị “{line.slug}” trùng với dòng {in_file[line.slug].row}")
        elif line.name:
            in_file[line.slug] = line
        existing = known.by_slug.get(line.slug)
        if existing is not None and line.name:
            if fold(existing.name) == fold(line.name):
                line.existing_id = existing.id
            else:
                errors.append(f"mã đơn vị “{line.slug}” đã dùng cho đơn vị “{existing.name}” trong hệ thống")
        plan.lines.append(line)
    names: dict[str, list[Line]] = {}
    for line in in_file.values():
        names.setdefault(fold(line.name), []).append(line)
    for line in plan.lines:
        _resolve_parent(line, in_file, names, known, faults[line.row])
    _check_cycles(plan.lines, in_file, faults)
    for line in plan.lines:
        if line.parent_slug and line.parent_slug in in_file:
            in_file[line.parent_slug].is_group = True
        if line.reporter:
            line.username = _username(line, known.usernames)
    plan.errors = [(number, f"Dòng {number}: {message}.") for number, messages in faults.items()
                   for message in messages]
    return plan


def _check_cycles(lines: list[Line], in_file: dict[str, Line], faults: dict[int, list[str]]) -> None:
    for line in lines:
        seen, node = {line.slug}, line
        while node.parent_slug and node.parent_slug in in_file:
            node = in_file[node.parent_slug]
            if node.slug in seen:
                faults[line.row].append("các đơn vị cấp trên vòng lại chính nó")
                break
            seen.add(node.slug)
