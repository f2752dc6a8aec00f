"""Sign-in under concurrency, against gunicorn -w 4 on SQLite and on PostgreSQL.

40 simultaneous wrong passwords for one name: exactly 5 are counted as failures, the rest find the name locked.
24 simultaneous right passwords: 24 working sessions and 24 audit rows, no 5xx. A session is set only once the
sign-in is committed.
"""

from __future__ import annotations

import threading

import pytest
import requests
from live_server import CSRF_META, PASSWORD, LiveServer
from pg import throwaway_database
from sqlalchemy import func, select

from domain.accounts import LOGIN_FAILED

LOCKED_WORDS = "Tài khoản tạm khóa"


def _all_at_once(count: int, attempt) -> list:
    """Run `attempt(i)` in `count` threads released together; their results in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        barrier.wait(30)
        results[i] = attempt(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _login_form(server: LiveServer) -> tuple[requests.Session, str]:
    http = requests.Session()
    page = http.get(server.url + "/login", timeout=30)
    return http, CSRF_META.search(page.text).group(1)


def _sign_in(server: LiveServer, prepared, username: str, password: str) -> tuple[int, str, requests.Session]:
    http, token = prepared
    response = http.post(server.url + "/login", data={"username": username, "password": password,
                                                      "csrf_token": token}, allow_redirects=False, timeout=60)
    return response.status_code, response.text, http


def _check(server: LiveServer) -> None:
    from models import AuditEvent, LoginAttempt, User

    server.prepare().start()
    try:
        forms = [_login_form(server) for _ in range(40)]
        wrong = _all_at_once(40, lambda i: _sign_in(server, forms[i], "chuyenvien", "sai-mat-khau"))
        forms = [_login_form(server) for _ in range(24)]
        right = _all_at_once(24, lambda i: _sign_in(server, forms[i], "phochutich", PASSWORD))
        dashboards = [http.get(server.url + "/", allow_redirects=False, timeout=30) for _, _, http in right]
    finally:
        server.stop()

    assert [s for s, _, _ in wrong + right if s >= 500] == [], server.log_text()[-3000:]
    failed = [text for status, text, _ in wrong if LOGIN_FAILED in text]
    locked = [text for status, text, _ in wrong if LOCKED_WORDS in text]
    assert (len(failed), len(locked)) == (5, 35)
    assert all(status == 303 for status, _, _ in right)
    assert all(d.status_code == 200 and "Văn bản &amp; Nhiệm vụ" in d.text for d in dashboards)
    with server.app_context() as db:
        counted = db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == "chuyenvien", LoginAttempt.success.is_(False)))
        vice_chair = db.session.scalar(select(User).where(User.username == "phochutich"))
        sign_ins = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "login", AuditEvent.user_id == vice_chair.id))
    assert counted == 5
    assert sign_ins == 24


def test_sqlite_counts_exactly_five_failures_and_lets_every_right_password_in(tmp_path):
    _check(LiveServer(tmp_path, letters=0))


@pytest.mark.postgres
def test_postgresql_counts_exactly_five_failures_and_lets_every_right_password_in(tmp_path):
    with throwaway_database() as url:
        _check(LiveServer(tmp_path, database_url=url.replace("postgresql+psycopg://", "postgresql://"), letters=0))
