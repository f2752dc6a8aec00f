"""`backup` and `restore`: one archive with the database and every stored file, brought back into an empty
instance on SQLite and PostgreSQL; an instance that is not empty or an archive that does not match its manifest
is refused with nothing changed; a backup taken while rows are written restores to a consistent database."""

from __future__ import annotations

import io
import json
import tarfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import make_user
from documents_fixtures import make_document, user
from flask_migrate import stamp
from pg import throwaway_database
from sqlalchemy import select, text

from app import create_app
from domain.files import store_file, verify_all
from domain.upkeep.health import migrations_head
from extensions import db
from models import AuditEvent, Organization
from models.choices import APPROVER, CLERK
from models.core import audit
from models.files import StoredFile

SIGNED_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\r\n\x00\x01"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"  # what kind detection reads; enough to be stored
ALLOWED = {"pdf", "png"}
MB = 1024 * 1024


@contextmanager
def instance(root: Path, url: str | None = None):
    """An application on its own database (by default a SQLite file not yet there) and FILES_DIR, nothing else."""
    url = url or f"sqlite:///{root / 'vanban.sqlite3'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
                      "FILES_DIR": str(root / "files"), "CACHE_DIR": str(root / "cache")})
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def office_with_files() -> None:
    """Documents, users, audit events and stored files (two uploads share their bytes), committed."""
    clerk = user("clerk")
    make_document(title="Kế hoạch tuyên truyền Chỉ thị số 07-CT/TW")
    make_document(title="Báo cáo sơ kết 6 tháng", kind="BC", status="approved")
    for data, name in [(SIGNED_PDF, "Bản ký số.pdf"), (SIGNED_PDF, "Bản ký số (lần 2).pdf"),
                       (PNG + b"red", "Minh chứng đỏ.png"), (PNG + b"blue", "Minh chứng xanh.png")]:
        stored = store_file(data, name, allowed_kinds=ALLOWED, max_bytes=MB, user=clerk)
        audit("file.upload", stored, user=clerk, summary=f"Tải lên {stored.original_name}")
    db.session.commit()


def backed_up(app, archive: Path) -> Path:
    """The archive of the `app` fixture's instance once office_with_files() has run in it."""
    with app.app_context():
        office_with_files()
    assert run(app, "backup", archive).exit_code == 0
    return archive


def start_office() -> None:
    """What the `app` and `people` fixtures give, for a database made here (PostgreSQL)."""
    db.create_all()
    stamp()
    Organization.current()
    make_user("clerk", {CLERK}, full_name="Nguyễn Thị Thu Hà")
    make_user("approver", {APPROVER}, full_name="Đinh Văn Thắng", position_title="PHÓ CHỦ TỊCH")
    db.session.commit()


def every_row(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        return {table.name: [tuple(row) for row in db.session.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}


def stored_bytes(app) -> dict[str, bytes]:  # FILES_DIR's files by relative path
    root = Path(app.config["FILES_DIR"])
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and p.name != ".lock" and not p.name.startswith(".tmp-")}


def untouched(app) -> bool:
    """Nothing was written: no SQLite file, no stored file."""
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    return not database.exists() and stored_bytes(app) == {}


def run(app, *args):
    return app.test_cli_runner().invoke(args=[str(arg) for arg in args])


def assert_restored(source, target) -> None:
    rows = every_row(target)
    assert rows == every_row(source)
    assert len(rows["user"]) >= 2 and len(rows["document"]) == 2
    assert len(rows["stored_file"]) == 4 and len(rows["audit_event"]) >= 4
    assert stored_bytes(target) == stored_bytes(source) and len(stored_bytes(target)) == 3
    with target.app_context():
        assert verify_all() == []
        assert all(p.stat().st_mode & 0o777 == 0o440 for p in Path(target.config["FILES_DIR"]).rglob("*/*/*"))


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "manifest.json"
        return json.load(tar.extractfile("manifest.json"))



def test_sqlite_instance_is_backed_up_and_restored_into_a_fresh_instance(app, people, tmp_path):
    with app.app_context():
        office_with_files()
    archive = tmp_path / "vanban-2026-01-15.tar.gz"

    backup = run(app, "backup", archive)

    assert backup.exit_code == 0, backup.output
    assert "Đã sao lưu cơ sở dữ liệu và 3 tệp" in backup.output and str(archive) in backup.output
    manifest = manifest_of(archive)
    with app.app_context():
        assert manifest["alembic_revision"] in migrations_head(app)
    assert (manifest["dialect"], manifest["app_version"], manifest["members"][0]["path"]) == \
        ("sqlite", "0.1.0", "database.sqlite3")
    assert all(len(m["sha256"]) == 64 and m["size"] > 0 for m in manifest["members"])
    assert b"test-secret" not in archive.read_bytes() and not list(tmp_path.glob(".*tmp*"))

    with instance(tmp_path / "fresh") as fresh:
        restore = run(fresh, "restore", archive)

        assert restore.exit_code == 0, restore.output
        assert "Đã khôi phục cơ sở dữ liệu và 3 tệp" in restore.output and "tất cả nguyên vẹn" in restore.output
        assert_restored(app, fresh)


@pytest.mark.postgres
def test_postgresql_instance_is_backed_up_and_restored_into_a_fresh_database(tmp_path):
    archive = tmp_path / "vanban.tar"
    with throwaway_database() as source_url, instance(tmp_path / "source", source_url) as source:
        with source.app_context():
            start_office()
            office_with_files()
        backup = run(source, "backup", archive)
        assert backup.exit_code == 0, backup.output
        assert manifest_of(archive)["dialect"] == "postgresql"
        with instance(tmp_path / "sqlite") as sqlite_app:
            assert "của cơ sở dữ liệu postgresql" in run(sqlite_app, "restore", archive).output

        with throwaway_database() as target_url, instance(tmp_path / "target", target_url) as target:
            restore = run(target, "restore", archive)

            assert restore.exit_code == 0, restore.output
            assert_restored(source, target)
            with target.app_context():  # sequences came along: the next row gets the next id
                clerk = user("clerk")
                stored = store_file(PNG + b"green", "Mới.png", allowed_kinds=ALLOWED, max_bytes=MB, user=clerk)
                db.session.commit()
                assert stored.id == 5



def test_restore_refuses_an_instance_whose_database_has_tables(app, people, tmp_path):
    archive = backed_up(app, tmp_path / "vanban.tar")
    rows, files = every_row(app), stored_bytes(app)

    refused = run(app, "restore", archive)

    assert refused.exit_code == 1
    assert "Không khôi phục vì cơ sở dữ liệu đã có" in refused.output and "Chưa có gì thay đổi" in refused.output
    assert every_row(app) == rows and stored_bytes(app) == files


def test_restore_refuses_an_instance_whose_files_directory_has_files(app, people, tmp_path):
    archive = backed_up(app, tmp_path / "vanban.tar")
    database = tmp_path / "fresh" / "vanban.sqlite3"
    with instance(tmp_path / "fresh") as fresh:
        left = Path(fresh.config["FILES_DIR"]) / "ab" / "cd" / ("abcd" + "0" * 60)
        left.parent.mkdir(parents=True)
        left.write_bytes(b"left over")

        refused = run(fresh, "restore", archive)

        assert refused.exit_code == 1 and "thư mục tệp" in refused.output
        assert stored_bytes(fresh) == {"ab/cd/abcd" + "0" * 60: b"left over"} and not database.exists()


def rewritten(archive: Path, out: Path, change) -> Path:
    """A copy of the archive with its members passed through change([(TarInfo, bytes)])."""
    with tarfile.open(archive) as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar.getmembers()]
    with tarfile.open(out, "w") as tar:
        for info, data in change(members):
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def flip_last_byte(members):
    return [(info, data[:-1] + bytes([data[-1] ^ 1]) if info.name.startswith("files/") else data)
            for info, data in members]


def drop_a_file(members):
    first_file = next(m for m in members if m[0].name.startswith("files/"))
    return [m for m in members if m is not first_file]


def plus(name: str):
    return lambda members: [*members, (tarfile.TarInfo(name), b"#!/bin/sh\necho pwned\n")]


@pytest.mark.parametrize("change, message", [
    (flip_last_byte, "sai kích thước hoặc SHA-256"),
    (drop_a_file, "thiếu"),
    (plus("files/00/11/0011" + "f" * 60), "thừa"),
    (plus("../../etc/cron.d/vanban"), "không an toàn: '../../etc/cron.d/vanban'"),
    (plus("/tmp/vanban-absolute"), "không an toàn: '/tmp/vanban-absolute'"),
], ids=["changed bytes", "missing member", "extra member", "parent path", "absolute path"])
def test_restore_refuses_an_archive_that_does_not_match_its_manifest(app, people, tmp_path, change, message):
    bad = rewritten(backed_up(app, tmp_path / "vanban.tar"), tmp_path / "tampered.tar", change)
    with instance(tmp_path / "fresh") as fresh:

        refused = run(fresh, "restore", bad)

        assert refused.exit_code == 1 and message in refused.output, refused.output
        assert "Chưa có gì thay đổi" in refused.output and untouched(fresh)
        assert not (tmp_path / "etc").exists() and not Path("/tmp/vanban-absolute").exists()


def test_restore_refuses_a_truncated_archive(app, people, tmp_path):
    good = backed_up(app, tmp_path / "vanban.tar.gz")
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with instance(tmp_path / "fresh") as fresh:

        refused = run(fresh, "restore", cut)

        assert refused.exit_code == 1 and "hỏng hoặc bị cắt cụt" in refused.output
        assert untouched(fresh)


def test_backup_into_a_missing_folder_fails_with_a_message(app, tmp_path):
    failed = run(app, "backup", tmp_path / "no-such-folder" / "vanban.tar")

    assert failed.exit_code == 1 and "không tồn tại" in failed.output



def test_sqlite_backup_taken_while_rows_are_written_restores_a_consistent_database(app, people, tmp_path):
    """Each write commits a stored file with its audit event: the restore has whole pairs and all their files."""
    stop, committed = threading.Event(), []

    def keep_uploading():
        with app.app_context():
            clerk = user("clerk")
            while not stop.is_set():
                n = len(committed) + 1
                data = SIGNED_PDF + f"% bản {n}\n".encode()
                stored = store_file(data, f"Bản {n}.pdf", allowed_kinds=ALLOWED, max_bytes=MB, user=clerk)
                audit("file.upload", stored, user=clerk, summary=f"Tải lên bản {n}")
                db.session.commit()
                committed.append(n)
            db.session.remove()

    writer = threading.Thread(target=keep_uploading)
    writer.start()
    try:
        while len(committed) < 5 and writer.is_alive():
            stop.wait(0.01)
        archive = tmp_path / "vanban.tar"
        backup = run(app, "backup", archive)
        during = len(committed)
        while len(committed) < during + 3 and writer.is_alive():  # the writer went on after the backup
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join()
    assert backup.exit_code == 0, backup.output

    with instance(tmp_path / "fresh") as fresh:
        assert run(fresh, "restore", archive).exit_code == 0
        with fresh.app_context():
            files = db.session.scalars(select(StoredFile.id).order_by(StoredFile.id)).all()
            events = db.session.scalars(select(AuditEvent.object_id).where(AuditEvent.action == "file.upload")
                                        .order_by(AuditEvent.object_id)).all()
            assert 5 <= len(files) <= during + 1 and files == events
            assert verify_all() == [] and len(stored_bytes(fresh)) == len(files)
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
