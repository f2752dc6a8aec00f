"""The data model: units as a tree, roles, passwords, the audit log."""

import pytest
from conftest import make_unit, make_user
from sqlalchemy.exc import IntegrityError

import models.core
from models import User
from models.choices import ADMIN, CLERK
from models.core import audit


def test_unit_tree_knows_ancestors_and_refuses_cycles(db):
    province = make_unit("Tỉnh", slug="tinh")
    group = make_unit("Các huyện", slug="cac-huyen", parent=province, is_group=True)
    district = make_unit("Huyện Yên Mô", parent=group)
    db.session.refresh(district)
    assert [u.slug for u in district.ancestors()] == ["cac-huyen", "tinh"]
    assert province.would_be_own_ancestor(district)
    assert group.would_be_own_ancestor(group)
    assert not district.would_be_own_ancestor(province)


def test_group_members_exclude_inactive_units(db):
    group = make_unit("Các huyện", slug="cac-huyen", is_group=True)
    a = make_unit("Huyện A", slug="a", parent=group)
    b = make_unit("Huyện B", slug="b", parent=group)
    b.active = False
    db.session.flush()
    db.session.refresh(group)
    assert group.active_members() == [a]


def test_unit_slugs_are_unique(db):
    make_unit("Huyện A", slug="a")
    with pytest.raises(IntegrityError):
        make_unit("Huyện A khác", slug="a")


def test_usernames_are_unique(db):
    make_user("a", {CLERK})
    with pytest.raises(IntegrityError):
        make_user("a", {ADMIN})


def test_roles_are_a_set_and_unknown_roles_are_ignored(db):
    user = make_user("a", {CLERK})
    user.set_roles({CLERK, ADMIN, "superuser"})
    db.session.flush()
    assert user.roles == {CLERK, ADMIN}
    assert user.has_role(ADMIN) and not user.has_role("superuser")
    assert user.role_labels == ["Chuyên viên", "Quản trị hệ thống"]


def test_passwords_are_hashed_with_scrypt_by_default(db, monkeypatch):
    monkeypatch.setattr(models.core, "PASSWORD_HASH_METHOD", "scrypt")
    user = User(username="a", full_name="A", password_hash="")
    user.set_password("mot-mat-khau-dai")
    assert user.password_hash.startswith("scrypt:") and "mot-mat-khau-dai" not in user.password_hash
    assert user.check_password("mot-mat-khau-dai") and not user.check_password("sai")


def test_session_id_changes_when_other_sessions_end(db):
    user = make_user("a", {CLERK})
    first = user.get_id()
    user.end_other_sessions()
    assert user.get_id() != first


def test_audit_event_records_what_changed(db):
    user = make_user("a", {CLERK})
    event = audit("user_update", user, user=user, before={"full_name": "A", "unit_id": 1},
                  after={"full_name": "Ánh", "unit_id": 1})
    db.session.flush()
    assert event.object_type == "user" and event.object_id == user.id
    assert event.changes() == [("full_name", "A", "Ánh")]
