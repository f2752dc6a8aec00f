"""Browser tests: Debian's Chromium driven by Playwright against the app served on a free local port."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from domain.jobs import queue
from domain.jobs.consumer import work_in_thread
from extensions import db

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DEMO_PASSWORD = "demo-vanban-2026"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI ({CHROMIUM})")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The demo organization served on 127.0.0.1 for the whole browser session."""
    from demo import seed_demo

    base = tmp_path_factory.mktemp("live")
    # Background jobs wait in memory and a thread of this process works them, as `flask --app app worker` would.
    app = create_app({"TESTING": False, "SECRET_KEY": "e2e", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'e2e.sqlite3'}",
                      "FILES_DIR": str(base / "files"), "CACHE_DIR": str(base / "cache"),
                      "JOBS_QUEUE": queue.MEMORY, "JOBS_RETRY_BACKOFF_SECONDS": 0})
    with app.app_context():
        db.create_all()
        seed_demo(DEMO_PASSWORD)
        db.session.commit()
    jobs_worker = work_in_thread(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    server.shutdown()
    jobs_worker.set()


@pytest.fixture
def page(page):
    """Every browser test fails on a console error or an uncaught page error."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(10_000)
    page.console_errors = errors  # a test that provokes an error on purpose clears it
    yield page
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def sign_in(page, live_server):
    def do(username: str, password: str = DEMO_PASSWORD):
        page.goto(live_server["url"] + "/login")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(live_server["url"] + "/")

    return do
