"""Signing in and out: one message for every failure, lock-out, sessions that end when they should."""

from datetime import timedelta

from conftest import PASSWORD
from freezegun_free_clock import shift_attempts

from domain.accounts import LOGIN_FAILED
from extensions import db
from models import AuditEvent, User


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def test_sign_in_lands_on_the_dashboard_with_the_users_name(client, people):
    response = sign_in(client, "clerk")
    assert response.status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Nguyễn Thị Thu Hà" in page and "Đăng xuất" in page


def test_unknown_user_and_wrong_password_get_the_same_message(client, people):
    unknown = sign_in(client, "nobody").get_data(as_text=True)
    wrong = sign_in(client, "clerk", "sai-mat-khau").get_data(as_text=True)
    assert LOGIN_FAILED in unknown and LOGIN_FAILED in wrong


def test_pages_require_sign_in(client, people):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_five_failures_lock_the_account_even_for_the_right_password(client, people):
    for _ in range(5):
        assert LOGIN_FAILED in sign_in(client, "clerk", "sai").get_data(as_text=True)
    page = sign_in(client, "clerk").get_data(as_text=True)
    assert "tạm khóa" in page
    assert client.get("/").status_code == 302  # still signed out


def test_the_lock_out_ends_after_the_window(app, client, people):
    for _ in range(5):
        sign_in(client, "clerk", "sai")
    with app.app_context():
        shift_attempts("clerk", -timedelta(minutes=16))
    assert sign_in(client, "clerk").status_code == 303


def test_four_failures_then_success_does_not_lock(client, people):
    for _ in range(4):
        sign_in(client, "clerk", "sai")
    assert sign_in(client, "clerk").status_code == 303


def test_deactivated_user_cannot_sign_in_and_their_session_ends(app, client, people):
    other = app.test_client()
    assert sign_in(other, "clerk").status_code == 303
    assert sign_in(client, "admin").status_code == 303
    with app.app_context():
        clerk = db.session.scalar(db.select(User).filter_by(username="clerk"))
        data = {"username": "clerk", "full_name": clerk.full_name, "position_title": "", "unit_id": clerk.unit_id,
                "roles": ["clerk"]}  # "active" unchecked
    assert client.post(f"/admin/users/{clerk.id}", data=data).status_code == 303
    assert other.get("/").status_code == 302
    assert LOGIN_FAILED in sign_in(other, "clerk").get_data(as_text=True)


def test_logout_ends_the_users_other_sessions(app, client, people):
    other = app.test_client()
    sign_in(other, "clerk")
    sign_in(client, "clerk")
    assert client.post("/logout").status_code == 303
    assert other.get("/").status_code == 302


def test_logout_needs_a_csrf_token(client, people):
    sign_in(client, "clerk")
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/").status_code == 200


def test_login_form_needs_a_csrf_token(client, people):
    response = client.post("/login", data={"username": "clerk", "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "Phiên làm việc không hợp lệ" in response.get_data(as_text=True)


def test_next_only_redirects_within_the_site(client, people):
    assert sign_in(client, "clerk", next=None).status_code == 303
    client.post("/logout")
    response = client.post("/login?next=//evil.example/x", data={"username": "clerk", "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/notifications", data={"username": "clerk", "password": PASSWORD})
    assert response.headers["Location"] == "/notifications"


def test_remember_me_is_off_by_default_and_cookie_is_httponly_lax(client, people):
    response = sign_in(client, "clerk")
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(c.startswith("remember_token") for c in cookies)
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_user_changes_own_password_and_other_sessions_end(app, client, people):
    other = app.test_client()
    sign_in(other, "clerk")
    sign_in(client, "clerk")
    bad = client.post("/account/password", data={"current": "sai", "new": "mat-khau-moi-2026", "confirm": "mat-khau-moi-2026"})
    assert "Mật khẩu hiện tại không đúng." in bad.get_data(as_text=True)
    short = client.post("/account/password", data={"current": PASSWORD, "new": "ngan", "confirm": "ngan"})
    assert "ít nhất 8 ký tự" in short.get_data(as_text=True)
    ok = client.post("/account/password", data={"current": PASSWORD, "new": "mat-khau-moi-2026", "confirm": "mat-khau-moi-2026"})
    assert ok.status_code == 303
    assert client.get("/").status_code == 200  # this session continues
    assert other.get("/").status_code == 302  # the other one ended
    client.post("/logout")
    assert sign_in(client, "clerk", "mat-khau-moi-2026").status_code == 303


def test_sign_in_is_audited_and_passwords_are_never_stored_or_logged(app, client, people):
    sign_in(client, "clerk")
    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent)).all()
        assert [e.action for e in events] == ["login"]
        clerk = db.session.scalar(db.select(User).filter_by(username="clerk"))
        assert PASSWORD not in clerk.password_hash and clerk.password_hash.startswith("pbkdf2:")
        assert all(PASSWORD not in (e.summary + (e.after_json or "")) for e in events)
