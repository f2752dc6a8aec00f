"""Saving an onboarding plan: the new units, then one reporting account per reporter with a one-time password that
must be changed at first sign-in. All in the caller's transaction: a fault leaves nothing behind.

    one_time_passwords(count, progress)   the passwords and their hashes (the slow part, before any write)
    create_all(plan, admin, credentials)  the units and accounts, each account with its password from credentials
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from domain.onboarding.checks import Plan
from extensions import db
from models.choices import MAIL_IMMEDIATE, UNIT_REPORTER
from models.core import Unit, User, audit, hash_password

# No 0/O, 1/l/I: the password is read off paper and typed on a phone.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 10
SORT_START = 1000  # imported units come after the ones made by hand, in the file's order


def one_time_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(PASSWORD_LENGTH))


def one_time_passwords(count: int, progress: Callable[[int], None] | None = None) -> list[tuple[str, str]]:
    """`count` new passwords, each with its stored hash; progress(done) after each one. Hashing is what takes the
    time (scrypt, a tenth of a second or more each), so it is done before the transaction writes anything."""
    made = []
    for done in range(1, count + 1):
        password = one_time_password()
        made.append((password, hash_password(password)))
        if progress is not None:
            progress(done)
    return made


@dataclass
class Issued:
    """What the administrator prints and hands over: one account and its password, under its unit."""

    unit_name: str
    full_name: str
    username: str
    password: str
    phone: str
    email: str


def create_all(plan: Plan, admin: User | None, credentials: list[tuple[str, str]], job_id: int | None = None
               ) -> list[Issued]:
    """Make the plan's units and accounts (the plan must be ok), the n-th account with the n-th (password, hash)
    of `credentials`; the accounts and passwords, in the file's order."""
    if not plan.ok:
        raise ValueError("an onboarding plan with faults is never saved")
    if len(credentials) != plan.accounts:
        raise ValueError(f"{plan.accounts} accounts need as many passwords, not {len(credentials)}")
    passwords = iter(credentials)
    units: dict[str, Unit] = {}
    for position, line in enumerate(plan.lines):
        if line.existing_id is not None:
            units[line.slug] = db.session.get(Unit, line.existing_id)
            continue
        units[line.slug] = Unit(name=line.name, recipient_name=line.name, slug=line.slug, kind=line.kind,
                                is_group=line.is_group, sort_order=SORT_START + position, active=True)
    db.session.add_all([u for u in units.values() if u.id is None])
    for line in plan.lines:  # parents in a second pass: a row may name a parent written below it
        unit = units[line.slug]
        if line.existing_id is None:
            unit.parent = units[line.parent_slug] if line.parent_slug else (
                db.session.get(Unit, line.parent_id) if line.parent_id else None)
    db.session.flush()
    issued: list[Issued] = []
    for line in plan.lines:
        if line.existing_id is None:
            audit("unit_create", units[line.slug], user=admin, summary=f"Tạo đơn vị (nhập từ tệp): {line.name}",
                  after=units[line.slug].summary())
        if not line.reporter:
            continue
        password, hashed = next(passwords)
        user = User(username=line.username, full_name=line.reporter, unit_id=units[line.slug].id,
                    password_hash=hashed, active=True, email=line.email, phone=line.phone, mail_mode=MAIL_IMMEDIATE,
                    must_change_password=True)
        user.set_roles({UNIT_REPORTER})
        db.session.add(user)
        db.session.flush()
        audit("user_create", user, user=admin, summary=f"Tạo tài khoản báo cáo (nhập từ tệp): {user.username}",
              after=user.summary())
        issued.append(Issued(units[line.slug].name, line.reporter, line.username, password, line.phone, line.email))
    audit("onboarding.import", None, user=admin, object_type="unit",
          summary=f"Nhập từ tệp: {plan.new_units} đơn vị mới, {len(issued)} tài khoản báo cáo",
          after={"units": plan.new_units, "accounts": len(issued), "job": job_id})
    return issued
