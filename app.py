"""Application factory: configuration, extensions, blueprints, CLI commands."""

from __future__ import annotations

import errno
import os
import secrets
import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError

from domain.jobs import queue as job_queue
from domain.plans.import_limits import ImportLimits
from domain.upkeep.health import health_checks
from extensions import (
    BUSY_TIMEOUT_MS,
    configure_sqlite,
    csrf,
    db,
    htmx,
    is_database_busy,
    login_manager,
    migrate,
)

HERE = Path(__file__).resolve().parent

# Faults that are not the user's doing: (heading, what is wrong, what to do). Nothing was changed in each case.
FAULTS = {
    "busy": ("Hệ thống đang bận",
             "Nhiều người đang ghi dữ liệu cùng lúc nên thao tác của bạn chưa được thực hiện; chưa có gì thay đổi.",
             "Vui lòng thử lại sau vài giây."),
    "database": ("Không kết nối được cơ sở dữ liệu",
                 "Máy chủ cơ sở dữ liệu không trả lời; thao tác chưa được thực hiện.",
                 "Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo quản trị hệ thống."),
    "schema": ("Cơ sở dữ liệu chưa được cập nhật",
               "Cơ sở dữ liệu chưa có đủ các bảng của phiên bản này; thao tác chưa được thực hiện.",
               "Quản trị hệ thống cần chạy “flask --app app db upgrade” rồi khởi động lại ứng dụng."),
    "error": ("Hệ thống gặp lỗi",
              "Đã xảy ra lỗi ngoài ý muốn; thao tác chưa được lưu.",
              "Vui lòng thử lại, nếu vẫn lỗi hãy báo quản trị hệ thống."),
    "storage_full": ("Kho lưu trữ tệp đã đầy",
                     "Ổ đĩa lưu tệp của hệ thống đã hết chỗ trống; thao tác chưa được thực hiện, không có gì thay đổi.",
                     "Vui lòng báo quản trị hệ thống giải phóng dung lượng rồi thử lại."),
    "storage_readonly": ("Không ghi được kho lưu trữ tệp",
                         "Thư mục lưu tệp của hệ thống không cho phép ghi; thao tác chưa được thực hiện, "
                         "không có gì thay đổi.",
                         "Vui lòng báo quản trị hệ thống kiểm tra quyền ghi của thư mục lưu tệp rồi thử lại."),
}
def _unmigrated(exc: BaseException) -> bool:
    """A table the code needs is missing: the database was never migrated, or not to this version."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


def _unreachable(exc: BaseException) -> bool:
    """A database that cannot be reached (connection refused or lost), as opposed to a wrong statement."""
    if getattr(exc, "connection_invalidated", False):
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return any(sign in text for sign in ("connection refused", "could not connect", "connection failed",
                                         "server closed the connection", "unable to open database",
                                         "terminating connection"))


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/ (never in git)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'vanban.sqlite3'}")
    # Heroku-style URLs and the plain driver name both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH", str(HERE / "instance")))
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    config = dict(config or {})

    app.config.from_mapping(
        SECRET_KEY=config.get("SECRET_KEY") or _secret_key(instance),
        SQLALCHEMY_DATABASE_URI=_database_url(instance),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        FILES_DIR=os.environ.get("FILES_DIR", str(instance / "files")),
        CACHE_DIR=os.environ.get("CACHE_DIR", str(instance / "cache")),
        # A page left open over lunch must still submit: the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes"),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=int(os.environ.get("MAX_UPLOAD_MB", "25")) * 1024 * 1024,
        # How long a write waits for SQLite's write lock before the request answers "busy, try again" (503).
        SQLITE_BUSY_TIMEOUT_MS=BUSY_TIMEOUT_MS,
        LOGIN_MAX_FAILURES=5,
        LOGIN_WINDOW_MINUTES=15,
        SHOW_TIMINGS=False,
        # What one plan import may hold (PLAN_IMPORT_MAX_BYTES, _MAX_CHARS, _MAX_PARAGRAPHS, _MAX_PARAGRAPH_CHARS,
        # _MAX_DOCX_XML_BYTES) and its time budget (PLAN_IMPORT_SECONDS): see domain.plans.import_limits.
        **ImportLimits().settings(),
        # The background queue's storage (JOBS_QUEUE, JOBS_SQLITE_PATH, JOBS_REDIS_URL): see domain.jobs.queue.
        **job_queue.settings(app.instance_path),
    )
    if config.get("TESTING") and "JOBS_QUEUE" not in config:
        config["JOBS_QUEUE"] = job_queue.IMMEDIATE  # tests see a job's outcome when the request that asked returns
    app.config.from_pyfile(str(instance / "config.py"), silent=True)  # the instance folder's, not the code's
    app.config.update(config)
    Path(app.config["FILES_DIR"]).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(HERE / "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    job_queue.configure(app)
    with app.app_context():
        configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    import models  # noqa: F401  (registers the tables)
    from blueprints import register_blueprints
    from cli import register_commands

    register_blueprints(app)
    register_commands(app)
    _register_error_handlers(app)
    _register_security_headers(app)

    @app.get("/healthz")
    def healthz():
        """Answer 200 when the database answers, its schema is at the newest migration and files can be written."""
        checks = health_checks(app)
        ok = all(value == "ok" for value in checks.values())
        return jsonify(status="ok" if ok else "error", **checks), 200 if ok else 503

    return app


def _register_error_handlers(app: Flask) -> None:
    def page(template: str, status: int, **ctx):
        if request.headers.get("HX-Request") == "true":
            return render_template("errors/_fragment.html", status=status, **ctx), status
        return render_template(template, status=status, **ctx), status

    @app.errorhandler(403)
    def forbidden(_e):
        return page("errors/403.html", 403)

    @app.errorhandler(404)
    def not_found(_e):
        return page("errors/404.html", 404)

    @app.errorhandler(413)
    def too_large(_e):
        limit_mb = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return page("errors/413.html", 413, limit_mb=limit_mb)

    @app.errorhandler(500)
    def server_error(_e):
        try:
            db.session.rollback()
            return page("errors/500.html", 500)
        except Exception:  # the page itself needs the database; say the same without it
            app.logger.exception("the error page could not be drawn")
            return unavailable("error", status=500)

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        # A form sent after the session ended (its token went with it): sign in again, then back to the page.
        if not current_user.is_authenticated and request.endpoint != app.login_manager.login_view:
            return app.login_manager.unauthorized()
        return page("errors/csrf.html", 400)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(sqlite3.OperationalError)
    def database_fault(exc):
        if is_database_busy(exc):
            return unavailable("busy")
        if _unreachable(exc):
            return unavailable("database")
        if _unmigrated(exc):
            return unavailable("schema")
        raise exc

    @app.errorhandler(OSError)
    def storage_fault(exc):
        if exc.errno not in STORAGE_ERRNOS:
            raise exc
        app.logger.error("file storage: %s", exc)
        return unavailable("storage_full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else "storage_readonly")

    def unavailable(fault: str, status: int = 503):
        """A Vietnamese answer that says what is wrong, drawn without the database (it may be the fault)."""
        try:
            db.session.rollback()
        except Exception:  # the connection itself may be gone; nothing was written
            app.logger.warning("rollback after a %s fault failed", fault)
        heading, message, advice = FAULTS[fault]
        # Straight from the template, not through render_template: its context processors load the signed-in
        # user and count their notifications, asking the database that has just failed, and would fail again.
        if request.headers.get("HX-Request") == "true":
            template, ctx = "errors/_fragment.html", {"fault_message": f"{message} {advice}"}
        else:
            template, ctx = "errors/unavailable.html", {"heading": heading, "message": message, "advice": advice}
        body = app.jinja_env.get_template(template).render(status=status, **ctx)
        return body, status, {"Retry-After": "5" if fault == "busy" else "60"}


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-src 'self'; object-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        # same-origin, not no-referrer: Flask-WTF checks the Referer over HTTPS.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.headers.get("HX-Request"):
            response.vary.add("HX-Request")
        return response
