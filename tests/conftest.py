"""Shared fixtures in flaskr's shape: app, client, login; small make_* helpers instead of a factory framework."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from flask_migrate import stamp
from itsdangerous import URLSafeTimedSerializer

import models.core
from app import create_app
from extensions import db as _db
from models import Organization, Unit, User
from models.choices import ADMIN, APPROVER, CLERK, RECORDS, UNIT_OFFICE, UNIT_REPORTER, UNIT_SUBORDINATE

PASSWORD = "mat-khau-thu-nghiem"

# Cheap hashing for speed; production keeps scrypt (test_models checks the default).
models.core.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class CsrfClient(FlaskClient):
    """A test client that sends a valid CSRF token with every POST, unless told `csrf=False`."""

    def csrf_token(self) -> str:
        app = self.application
        with self.session_transaction() as session:
            if "csrf_token" not in session:
                import secrets

                session["csrf_token"] = secrets.token_hex(20)
            raw = session["csrf_token"]
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            data = kwargs.setdefault("data", {})
            if isinstance(data, dict) and "csrf_token" not in data:
                data["csrf_token"] = self.csrf_token()
        return super().post(*args, **kwargs)


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "FILES_DIR": str(tmp_path / "files"),
        "CACHE_DIR": str(tmp_path / "cache"),
    })
    app.test_client_class = CsrfClient
    with app.app_context():
        _db.create_all()
        stamp()  # create_all() builds the schema of the newest migration (test_migrations compares them)
        Organization.current()
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


@pytest.fixture
def db(app):
    with app.app_context():
        yield _db


def make_unit(name: str, *, slug: str | None = None, kind: str = UNIT_SUBORDINATE, parent: Unit | None = None,
              is_group: bool = False) -> Unit:
    from domain.text.vietnamese import slugify

    unit = Unit(name=name, recipient_name=name, slug=slug or slugify(name), kind=kind, is_group=is_group,
                parent_id=parent.id if parent else None)
    _db.session.add(unit)
    _db.session.flush()
    return unit


def make_user(username: str, roles: set[str], *, unit: Unit | None = None, full_name: str | None = None,
              position_title: str = "", password: str = PASSWORD, active: bool = True) -> User:
    user = User(username=username, full_name=full_name or username.title(), position_title=position_title,
                unit_id=unit.id if unit else None, password_hash="", active=active)
    user.set_password(password)
    user.set_roles(roles)
    _db.session.add(user)
    _db.session.flush()
    return user


def seed_people() -> dict:
    """One user per role, in an office and one district (inside an app context); returns the units' ids."""
    office = make_unit("Ban Thường trực Ủy ban MTTQVN tỉnh", slug="office", kind=UNIT_OFFICE)
    group = make_unit("Các huyện, thành phố", slug="districts", parent=office, is_group=True)
    district = make_unit("Huyện Yên Mô", parent=group)
    other_district = make_unit("Huyện Kim Sơn", parent=group)
    make_user("admin", {ADMIN}, unit=office, full_name="Quản Trị Viên")
    make_user("clerk", {CLERK}, unit=office, full_name="Nguyễn Thị Thu Hà")
    make_user("approver", {APPROVER}, unit=office, full_name="Đinh Văn Thắng", position_title="PHÓ CHỦ TỊCH")
    make_user("records", {RECORDS}, unit=office, full_name="Lê Thị Hồng Nhung")
    make_user("reporter", {UNIT_REPORTER}, unit=district, full_name="Lã Thị Thanh")
    make_user("other_reporter", {UNIT_REPORTER}, unit=other_district, full_name="Ngô Văn Bình")
    _db.session.commit()
    return {"office": office.id, "group": group.id, "district": district.id, "other_district": other_district.id}


@pytest.fixture
def people(app):
    """One user per role, in an office and one district: the cast of most tests."""
    with app.app_context():
        return seed_people()


@pytest.fixture
def login(client):
    def do(username: str, password: str = PASSWORD):
        client.post("/logout")
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 303, f"sign-in as {username} failed"
        return response

    return do


def field_error(html: str) -> list[str]:
    """The Vietnamese messages shown next to fields."""
    return re.findall(r'<p class="error" role="alert">([^<]+)</p>', html)
