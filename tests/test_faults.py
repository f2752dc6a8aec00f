"""Faults that are not the user's doing: a disk that cannot be written, a database that cannot be reached, a write
lock that is not free in time. Each answers 503 with a Vietnamese page (or fragment) and changes nothing;
/healthz names the check that failed."""

from __future__ import annotations

import errno
import io
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import CsrfClient
from documents_fixtures import editor_form
from flask_migrate import stamp
from plans_fixtures import PNG, assignment_of, tracked_plan
from register_fixtures import make_document, pdf_bytes
from sqlalchemy import func, select
from sqlalchemy import text as sqlalchemy_text

from app import create_app
from extensions import db
from models import AuditEvent, Document, RegisterEntry, SignedCopy, StoredFile
from models.plans import AssignmentUpdate, Evidence

HTMX = {"HX-Request": "true"}
UNREACHABLE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/vanban"  # nothing listens on port 1
READ_ONLY = ("Không ghi được kho lưu trữ tệp", "quyền ghi của thư mục lưu tệp")
FULL = ("Kho lưu trữ tệp đã đầy", "giải phóng dung lượng")


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def text(response) -> str:
    return response.get_data(as_text=True)


# ---- making the disk fail ------------------------------------------------------------------------------


class Storage:
    """FILES_DIR on a small tmpfs of its own, made read-only or filled up for real: the tests run as root, whom
    file permissions do not stop. Where mounting is not allowed (not root), `tempfile.mkstemp` (used for every
    file written to FILES_DIR, uploads and the health check alike) is patched to fail with the same errno."""

    def __init__(self, directory: Path, monkeypatch):
        self.directory = directory
        self.monkeypatch = monkeypatch
        self.mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(directory)],
                                      capture_output=True).returncode == 0

    def read_only(self) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(self.directory)], check=True)
        else:
            self._fail_writes(errno.EROFS)

    def full(self) -> None:
        if not self.mounted:
            self._fail_writes(errno.ENOSPC)
            return
        with open(self.directory / "filler", "wb") as fh:
            try:
                while True:
                    fh.write(bytes(64 * 1024))
                    fh.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC

    def _fail_writes(self, code: int) -> None:
        def mkstemp(*_args, **_kwargs):
            raise OSError(code, "simulated by the test")

        self.monkeypatch.setattr(tempfile, "mkstemp", mkstemp)

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.directory)], check=True)


@pytest.fixture
def storage(app, monkeypatch):
    storage = Storage(Path(app.config["FILES_DIR"]), monkeypatch)
    yield storage
    storage.unmount()


@pytest.fixture
def issued(app, client, login, people, storage) -> int:
    """A document issued through the page (its .docx stored) with a signed copy filed, on a writable disk."""
    with app.app_context():
        document_id = make_document("Tuyên truyền Chỉ thị số 07-CT/TW", recipients=[people["group"]]).id
        db.session.commit()
    login("records")
    assert client.post(f"/documents/{document_id}/issue", data={"expected_status": "approved"}).status_code == 303
    return document_id


def upload_signed_copy(client, document_id, **kwargs):
    data = {"expected_status": "issued", "file": [(io.BytesIO(pdf_bytes("Số: 01/KH-MTTQ-BTT")), "ban-ky.pdf")]}
    return client.post(f"/documents/{document_id}/signed-copy", data=data, content_type="multipart/form-data",
                       **kwargs)


@pytest.mark.parametrize(("fault", "message"), [("read_only", READ_ONLY), ("full", FULL)])
def test_a_signed_copy_that_cannot_be_written_answers_503_and_the_document_stays_issued(
        app, client, issued, storage, fault, message):
    files_before = count(app, StoredFile)
    getattr(storage, fault)()
    response = upload_signed_copy(client, issued)
    assert response.status_code == 503 and all(part in text(response) for part in message)
    assert "không có gì thay đổi" in text(response)
    with app.app_context():
        assert db.session.get(Document, issued).status == "issued"
    assert (count(app, SignedCopy), count(app, StoredFile)) == (0, files_before)


def test_issuing_on_a_read_only_disk_takes_no_number(app, client, login, people, storage):
    with app.app_context():
        document_id = make_document("Công văn gửi các huyện").id
        db.session.commit()
    storage.read_only()
    login("records")
    response = client.post(f"/documents/{document_id}/issue", data={"expected_status": "approved"})
    assert response.status_code == 503 and READ_ONLY[0] in text(response)
    with app.app_context():
        assert db.session.get(Document, document_id).status == "approved"
    assert (count(app, RegisterEntry), count(app, StoredFile)) == (0, 0)


def test_a_reporters_evidence_on_a_full_disk_answers_with_the_fragment_and_records_nothing(
        app, client, login, people, storage):
    with app.app_context():
        _plan, districts, _monthly = tracked_plan(people)
        assignment_id = assignment_of(districts, people["district"]).id
        db.session.commit()
    storage.full()
    login("reporter")
    response = client.post(f"/assignments/{assignment_id}/report", headers=HTMX, content_type="multipart/form-data",
                           data={"status": "in_progress", "files": (io.BytesIO(PNG), "ảnh.png")})
    assert response.status_code == 503 and "<html" not in text(response) and FULL[1] in text(response)
    assert (count(app, AssignmentUpdate), count(app, Evidence), count(app, StoredFile)) == (0, 0, 0)


def test_issued_documents_still_download_from_a_read_only_disk(app, client, issued, storage):
    assert upload_signed_copy(client, issued).status_code == 303
    storage.read_only()
    docx = client.get(f"/documents/{issued}/final.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    signed = client.get(f"/documents/{issued}/signed-copy")
    assert signed.status_code == 200 and signed.data.startswith(b"%PDF-")
    with app.app_context():  # the download is audited: the database is still written
        assert db.session.scalar(select(AuditEvent).filter_by(action="document.signed_copy_download")) is not None


# ---- the database ----------------------------------------------------------------------------------------


@contextmanager
def twin(app, client, **config):
    """A second instance of the application beside `app` (same secret key, files and, unless `config` says
    otherwise, database), with the session cookie of `client`: the same signed-in user."""
    other = create_app({"TESTING": True, "SECRET_KEY": app.secret_key, **{
        key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "FILES_DIR", "CACHE_DIR")}, **config})
    other.test_client_class = CsrfClient
    other_client = other.test_client()
    if (cookie := client.get_cookie(app.config["SESSION_COOKIE_NAME"])) is not None:
        other_client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value)
    try:
        yield other_client
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def write_lock_held(app):
    """Another connection holds SQLite's write lock (as a long write by another worker would)."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_signed_in_user_is_told_in_vietnamese_that_the_database_is_unreachable(app, client, login, people):
    login("clerk")
    with twin(app, client, SQLALCHEMY_DATABASE_URI=UNREACHABLE_DATABASE) as down:
        page = down.get("/")
        fragment = down.get("/documents", headers=HTMX)
        save = down.post("/documents/new", data=editor_form())
    for response in (page, fragment, save):
        assert response.status_code == 503 and response.headers["Retry-After"] == "60"
        assert "Internal Server Error" not in text(response)
    assert "<html" in text(page) and "Không kết nối được cơ sở dữ liệu" in text(page)
    assert "<html" not in text(fragment) and "Máy chủ cơ sở dữ liệu không trả lời" in text(fragment)
    assert "Máy chủ cơ sở dữ liệu không trả lời" in text(save)


def test_a_signed_in_user_is_told_in_vietnamese_that_the_database_needs_its_migrations(app, client, login, people):
    login("clerk")
    with app.app_context():
        db.session.execute(sqlalchemy_text("DROP TABLE notification"))
        db.session.commit()
    page = client.get("/")
    assert page.status_code == 503 and "Internal Server Error" not in text(page)
    assert "Cơ sở dữ liệu chưa được cập nhật" in text(page) and "db upgrade" in text(page)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_write_that_cannot_get_the_lock_in_time_answers_busy_and_changes_nothing(
        app, client, login, people, headers):
    login("clerk")
    audited = count(app, AuditEvent)
    with twin(app, client, SQLITE_BUSY_TIMEOUT_MS=200) as busy, write_lock_held(app):
        response = busy.post("/documents/new", data=editor_form(), headers=headers)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert ("<html" in text(response)) == (not headers)
    assert ("Hệ thống đang bận" if not headers else "Nhiều người đang ghi dữ liệu") in text(response)
    assert (count(app, Document), count(app, AuditEvent)) == (0, audited)


# ---- /healthz --------------------------------------------------------------------------------------------


def health(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, response.get_json()


def test_healthz_is_ok_on_a_migrated_instance(client):
    assert health(client) == (200, {"status": "ok", "database": "ok", "migrations": "ok", "files": "ok"})


def test_healthz_names_an_empty_unmigrated_database(tmp_path):
    empty = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "FILES_DIR": str(tmp_path / "files"),
                        "CACHE_DIR": str(tmp_path / "cache"),
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})  # no create_all
    status, checks = health(empty.test_client())
    with empty.app_context():
        db.engine.dispose()
    assert status == 503 and checks["status"] == "error" and checks["database"] == "ok" and checks["files"] == "ok"
    assert checks["migrations"].startswith("not migrated")


def test_healthz_names_a_database_at_an_older_revision(app, client):
    with app.app_context():
        stamp(revision="3b12cb59c1a4", purge=True)
    status, checks = health(client)
    assert status == 503 and checks["migrations"].startswith("not at head") and checks["database"] == "ok"


@pytest.mark.parametrize("fault", ["read_only", "full"])
def test_healthz_names_files_that_cannot_be_written(client, storage, fault):
    getattr(storage, fault)()
    status, checks = health(client)
    assert status == 503 and checks["files"] == "FILES_DIR not writable"
    assert (checks["database"], checks["migrations"]) == ("ok", "ok")


def test_healthz_names_an_unreachable_database(app, client):
    with twin(app, client, SQLALCHEMY_DATABASE_URI=UNREACHABLE_DATABASE) as down:
        status, checks = health(down)
    assert status == 503 and checks["database"].startswith("unreachable") and checks["migrations"] == "unknown"
    assert checks["files"] == "ok"
