"""`verify-files` finds what a killed server leaves in the file store (temporary files, orphans) and, with --clean,
removes what is old enough to be certainly dead; files a row refers to and damaged copies are never removed."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import file_kinds, files
from domain.upkeep.leftovers import clean_leftovers, leftovers
from extensions import db
from models import AuditEvent, StoredFile

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HOURS = 3600


def files_dir(app) -> Path:
    return Path(app.config["FILES_DIR"])


def left_behind(app, rel: str, data: bytes, *, hours_old: float = 2) -> Path:
    """A file as a killed process leaves it, last written `hours_old` hours ago."""
    path = files_dir(app) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    then = time.time() - hours_old * HOURS
    os.utime(path, (then, then))
    return path


def content_address(data: bytes) -> str:
    return files.relative_path(hashlib.sha256(data).hexdigest())


def orphan(app, data: bytes, **age) -> Path:
    return left_behind(app, content_address(data), data, **age)


def kept(app, data: bytes, *, hours_old: float = 2) -> Path:
    """A file stored and committed with its row, its bytes as old as a leftover's."""
    with app.app_context():
        stored = files.store_file(data, "ban-ky.pdf", allowed_kinds={file_kinds.PDF}, max_bytes=1 << 20, user=None)
        db.session.commit()
        path = files.file_path(stored)
    then = time.time() - hours_old * HOURS
    os.utime(path, (then, then))
    return path


def verify(app, *args: str):
    return app.test_cli_runner().invoke(args=["verify-files", *args])


def listed(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(item.kind, item.path) for item in leftovers()]


@pytest.fixture
def store(app):
    """A kept file, an orphan, two temporary files (one young) and a damaged copy, all but one hours old."""
    kept_file = kept(app, PDF + b"%kept")
    sha = hashlib.sha256(PDF + b"%kept").hexdigest()
    return {
        "kept": kept_file,
        "orphan": orphan(app, PDF + b"%orphan"),
        "old_tmp": left_behind(app, "ab/cd/.tmp-k9x2", b"half written"),
        "young_tmp": left_behind(app, "ef/01/.tmp-a7q1", b"being written", hours_old=0),
        "damaged": left_behind(app, f"{files.relative_path(sha)}.damaged-20260310093000000000", b"changed"),
    }


def test_orphans_temporary_files_and_damaged_copies_are_listed_and_fail_the_check(app, store):
    result = verify(app)
    assert result.exit_code == 1
    assert "Đã kiểm tra 1 tệp: tất cả nguyên vẹn." in result.output  # the file a row refers to is intact
    lines = result.output.splitlines()
    assert f"TỆP MỒ CÔI: {content_address(PDF + b'%orphan')} (76 byte, 2 giờ trước)" in lines
    assert "TỆP TẠM: ab/cd/.tmp-k9x2 (12 byte, 2 giờ trước)" in lines
    assert any(line.startswith("TỆP TẠM: ef/01/.tmp-a7q1 (13 byte, ") for line in lines)
    assert any(line.startswith("BẢN HỎNG ĐỂ RIÊNG: ") and ".damaged-" in line for line in lines)
    assert "4 tệp thừa" in result.output and "--clean" in result.output


def test_leftovers_name_path_kind_size_and_age_and_ignore_the_lock(app, store):
    (files_dir(app) / files.LOCK_FILE).touch()
    with app.app_context():
        found = {item.path: item for item in leftovers()}
    assert sorted(item.kind for item in found.values()) == ["damaged", "orphan", "temporary", "temporary"]
    old = found["ab/cd/.tmp-k9x2"]
    assert old.size == 12 and abs(old.age_seconds - 2 * HOURS) < 60
    assert files.LOCK_FILE not in found and not any(path.endswith(store["kept"].name) for path in found)


def test_clean_removes_only_old_temporary_and_orphan_files_and_audits_it(app, store):
    result = verify(app, "--clean")
    assert result.exit_code == 0, result.output
    assert not store["orphan"].exists() and not store["old_tmp"].exists()
    assert store["young_tmp"].exists() and store["damaged"].exists() and store["kept"].exists()
    assert "ĐÃ XÓA TỆP TẠM: ab/cd/.tmp-k9x2" in result.output and "ĐÃ XÓA TỆP MỒ CÔI: " in result.output
    assert "Đã xóa 2 tệp thừa (88 byte)." in result.output
    assert [kind for kind, _path in listed(app)] == ["damaged", "temporary"]  # still listed, left alone
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).filter_by(action="files.clean")).all()
        assert event.summary == "Dọn kho tệp: xóa 1 tệp tạm và 1 tệp mồ côi (88 byte)."
        removed = json.loads(event.after_json)["removed"]
        assert sorted(item["kind"] for item in removed) == ["orphan", "temporary"]
        assert files.verify_all() == []


def test_min_age_decides_what_is_old_enough(app, store):
    assert verify(app, "--clean", "--min-age", str(3 * HOURS)).exit_code == 0
    assert store["orphan"].exists() and store["old_tmp"].exists()
    assert verify(app, "--clean", "--min-age", "0").exit_code == 0
    assert [kind for kind, _path in listed(app)] == ["damaged"] and store["kept"].exists()


def test_clean_still_fails_on_a_missing_file_and_keeps_its_messages(app, store):
    store["kept"].unlink()
    result = verify(app, "--clean")
    assert result.exit_code == 1 and "MẤT TỆP: #1 ban-ky.pdf" in result.output
    assert "1 trên 1 tệp có vấn đề." in result.output and not store["orphan"].exists()


def test_a_file_referenced_by_a_committed_row_is_never_reported(app):
    kept(app, PDF + b"%a", hours_old=48)
    kept(app, PDF + b"%a", hours_old=48)  # the same bytes uploaded twice: two rows, one file
    result = verify(app, "--clean", "--min-age", "0")
    assert result.exit_code == 0 and "Đã xóa 0 tệp thừa (0 byte)." in result.output
    assert listed(app) == [] and verify(app).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).filter_by(action="files.clean")) is None


def test_an_orphan_whose_row_commits_while_cleaning_is_kept(app):
    """The list is read in an older snapshot; the row committed since is seen by the check made before removing."""
    data = PDF + b"%late"
    path = orphan(app, data)
    with app.app_context():
        db.session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        assert db.session.scalars(select(StoredFile)).all() == []  # the snapshot: no row yet
        with Session(bind=db.engine) as other:
            other.add(StoredFile(sha256=hashlib.sha256(data).hexdigest(), size=len(data), kind=file_kinds.PDF,
                                 content_type="application/pdf", original_name="muon.pdf",
                                 storage_path=content_address(data)))
            other.commit()
        assert [item.kind for item in leftovers()] == ["orphan"]  # as the old snapshot sees it
        assert clean_leftovers() == []
        db.session.rollback()
    assert path.exists() and listed(app) == []
