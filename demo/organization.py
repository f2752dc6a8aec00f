"""The demonstration organization: the Ninh Bình provincial MTTQ office, its units and its people. Idempotent."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from extensions import db
from models import Organization, Unit, User
from models.choices import (
    ADMIN,
    APPROVER,
    CLERK,
    RECORDS,
    UNIT_DEPARTMENT,
    UNIT_EXTERNAL,
    UNIT_OFFICE,
    UNIT_REPORTER,
    UNIT_SUBORDINATE,
)

OFFICE = "ban-thuong-truc-tinh"
DRAFTING_DEPARTMENT = "ban-tuyen-giao"
DISTRICTS_GROUP = "cac-huyen-thanh-pho"

# (slug, name, recipient name, kind, parent slug, is_group)
UNITS = [
    (OFFICE, "Ban Thường trực Ủy ban MTTQVN tỉnh", "Ban Thường trực Ủy ban MTTQVN tỉnh", UNIT_OFFICE, None, False),
    (DRAFTING_DEPARTMENT, "Ban Tuyên giáo", "Ban Tuyên giáo MTTQ tỉnh", UNIT_DEPARTMENT, OFFICE, False),
    (DISTRICTS_GROUP, "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố",
     "Ban Thường trực UBMTTQVN các huyện, thành phố", UNIT_SUBORDINATE, OFFICE, True),
]
DISTRICTS = [
    ("thanh-pho-ninh-binh", "Thành phố Ninh Bình", "Vũ Minh Tuấn"),
    ("thanh-pho-tam-diep", "Thành phố Tam Điệp", "Hoàng Thị Lan"),
    ("huyen-nho-quan", "Huyện Nho Quan", "Bùi Văn Dũng"),
    ("huyen-gia-vien", "Huyện Gia Viễn", "Trịnh Thị Mai"),
    ("huyen-hoa-lu", "Huyện Hoa Lư", "Đỗ Văn Hải"),
    ("huyen-yen-khanh", "Huyện Yên Khánh", "Phạm Thị Hương"),
    ("huyen-kim-son", "Huyện Kim Sơn", "Ngô Văn Bình"),
    ("huyen-yen-mo", "Huyện Yên Mô", "Lã Thị Thanh"),
]
EXTERNAL = [
    ("ban-tuyen-giao-ubtw-mttqvn", "Ban Tuyên giáo Ủy ban Trung ương MTTQVN"),
    ("ban-tuyen-giao-tinh-uy-ninh-binh", "Ban Tuyên giáo Tỉnh ủy Ninh Bình"),
]
# The people each demonstration step acts as.
ADMIN_USERNAME, CLERK_USERNAME, VICE_CHAIR_USERNAME, RECORDS_USERNAME = "admin", "chuyenvien", "phochutich", "vanthu"
# (username, full name, position title, unit slug, roles)
STAFF = [
    (ADMIN_USERNAME, "Phạm Quốc Khánh", "", OFFICE, {ADMIN}),
    (CLERK_USERNAME, "Nguyễn Thị Thu Hà", "CHUYÊN VIÊN", DRAFTING_DEPARTMENT, {CLERK}),
    (VICE_CHAIR_USERNAME, "Đinh Văn Thắng", "PHÓ CHỦ TỊCH", OFFICE, {APPROVER}),
    (RECORDS_USERNAME, "Lê Thị Hồng Nhung", "VĂN THƯ", OFFICE, {RECORDS}),
]


def person(username: str) -> User | None:
    """A demonstration person by user name (None when the administrator has removed them)."""
    return db.session.scalar(select(User).where(User.username == username))


def _unit(slug: str, **fields) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.slug == slug))
    if unit is None:
        unit = Unit(slug=slug)
        db.session.add(unit)
    for key, value in fields.items():
        setattr(unit, key, value)
    db.session.flush()
    return unit


def seed_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for order, (slug, name, recipient, kind, parent, is_group) in enumerate(UNITS):
        units[slug] = _unit(slug, name=name, recipient_name=recipient, kind=kind, is_group=is_group,
                            parent_id=units[parent].id if parent else None, sort_order=(order + 1) * 10, active=True)
    for order, (slug, name, _person) in enumerate(DISTRICTS):
        recipient = f"Ban Thường trực Ủy ban MTTQVN {name[0].lower()}{name[1:]}"
        units[slug] = _unit(slug, name=name, recipient_name=recipient, kind=UNIT_SUBORDINATE, is_group=False,
                            parent_id=units[DISTRICTS_GROUP].id, sort_order=(order + 1) * 10, active=True)
    for order, (slug, name) in enumerate(EXTERNAL):
        units[slug] = _unit(slug, name=name, recipient_name=name, kind=UNIT_EXTERNAL, is_group=False,
                            parent_id=None, sort_order=100 + order * 10, active=True)
    return units


def _user(username: str, full_name: str, position: str, unit: Unit, roles: set[str], password: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, password_hash="")
        db.session.add(user)
    user.full_name, user.position_title, user.unit_id, user.active = full_name, position, unit.id, True
    user.set_roles(roles)
    user.set_password(password)
    return user


def seed_organization(password: str | None = None) -> tuple[dict[str, Unit], dict[str, str]]:
    """Create or refresh the organization, its units and people; returns (units by slug, {username: password})."""
    org = Organization.current()
    org.parent_lines = "ỦY BAN MTTQ VIỆT NAM\nTỈNH NINH BÌNH"
    org.name_lines = "BAN THƯỜNG TRỰC"
    org.full_name = "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình"
    org.place = "Ninh Bình"
    org.symbol_suffix = "MTTQ-BTT"
    org.archive_unit = "Ban Tuyên giáo MTTQ tỉnh"
    units = seed_units()
    credentials: dict[str, str] = {}
    people = [(u, n, p, units[s], r) for u, n, p, s, r in STAFF]
    people += [(slug, person, "", units[slug], {UNIT_REPORTER}) for slug, _name, person in DISTRICTS]
    for username, full_name, position, unit, roles in people:
        credentials[username] = password or secrets.token_urlsafe(9)
        _user(username, full_name, position, unit, roles, credentials[username])
    db.session.flush()
    return units, credentials
