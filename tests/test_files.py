"""Content-addressed file storage: kinds by content, rejections, atomic write-once, verification."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile

import pytest
from PIL import Image

from domain import files
from domain.file_kinds import ALL_KINDS, detect_kind
from domain.files import (
    FileDamaged,
    FileRejected,
    read_file,
    sanitize_name,
    store_file,
    verify_all,
)
from models import User

ALL = ALL_KINDS
MB = 1024 * 1024

# A digitally signed PDF keeps its signature only if every byte stays as it was, including the trailing
# bytes after %%EOF and the binary comment line; this one has both.
SIGNED_PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"3 0 obj<</Type/Sig/Filter/Adobe.PPKLite/ByteRange[0 120 200 40]/Contents<3082aa55>>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\r\n\x00\x01"
)


def image_bytes(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, fmt)
    return buf.getvalue()


def office_bytes(kind: str) -> bytes:
    main = {"docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
            "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
            "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")}[kind]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    f'<?xml version="1.0"?><Types><Override PartName="/{main[0]}" ContentType="{main[1]}"/></Types>')
        zf.writestr(main[0], "<document/>")
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A .docx-looking package whose one entry inflates 1,000-fold (20 MB of zeros in about 20 KB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<Types ContentType="wordprocessingml.document.main+xml"/>')
        zf.writestr("word/document.xml", b"\0" * (20 * MB))
    return buf.getvalue()


@pytest.fixture
def user(db, people):
    return db.session.query(User).filter_by(username="records").one()


@pytest.mark.parametrize(("data", "kind"), [
    (SIGNED_PDF, "pdf"),
    (image_bytes("PNG"), "png"),
    (image_bytes("JPEG"), "jpeg"),
    (office_bytes("docx"), "docx"),
    (office_bytes("xlsx"), "xlsx"),
    (office_bytes("docm"), None),
    (b"MZ\x90\x00 an exe renamed to .pdf", None),
    (b"PK\x03\x04 not really a zip", None),
    (b"<html>%PDF-1.4</html>", None),
    (b"", None),
])
def test_the_kind_of_a_file_comes_from_its_content(data, kind):
    assert detect_kind(data) == kind


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\văn thư\\Bản ký.pdf", "Bản ký.pdf"),
    ("Ba\u0309n ky\u0301.pdf", "Bản ký.pdf"),  # decomposed (NFD-ish) input becomes NFC
    ("a\x00b\nc.pdf", "ab c.pdf"),
    ("...", "tep.pdf"),
    ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
])
def test_original_names_are_sanitised(name, expected):
    assert sanitize_name(name, "pdf") == expected


def test_a_signed_pdf_is_stored_byte_for_byte_under_its_content_address(app, db, user):
    stored = store_file(SIGNED_PDF, "Kế hoạch ký số.pdf", allowed_kinds=ALL, max_bytes=MB, user=user)
    digest = hashlib.sha256(SIGNED_PDF).hexdigest()
    assert stored.sha256 == digest and stored.size == len(SIGNED_PDF) and stored.kind == "pdf"
    assert stored.content_type == "application/pdf" and stored.created_by_id == user.id
    assert stored.storage_path == f"{digest[:2]}/{digest[2:4]}/{digest}"
    assert files.file_path(stored).read_bytes() == SIGNED_PDF
    assert read_file(stored) == SIGNED_PDF
    # No temporary files are left next to it.
    assert os.listdir(files.file_path(stored).parent) == [digest]


def test_the_same_bytes_twice_share_one_file_but_keep_two_records(app, db, user):
    a = store_file(SIGNED_PDF, "a.pdf", allowed_kinds=ALL, max_bytes=MB, user=user)
    mtime = files.file_path(a).stat().st_mtime_ns
    b = store_file(SIGNED_PDF, "b.pdf", allowed_kinds=ALL, max_bytes=MB, user=None)
    assert a.id != b.id and a.storage_path == b.storage_path
    assert files.file_path(b).stat().st_mtime_ns == mtime  # not rewritten
    assert (a.original_name, b.original_name) == ("a.pdf", "b.pdf")


def test_a_damaged_copy_on_disk_is_kept_aside_not_overwritten_when_the_same_file_comes_again(app, db, user):
    a = store_file(SIGNED_PDF, "a.pdf", allowed_kinds=ALL, max_bytes=MB, user=user)
    path = files.file_path(a)
    path.chmod(0o640)
    path.write_bytes(b"%PDF-1.7 tampered")
    store_file(SIGNED_PDF, "a.pdf", allowed_kinds=ALL, max_bytes=MB, user=user)
    assert path.read_bytes() == SIGNED_PDF
    aside = [p for p in path.parent.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == b"%PDF-1.7 tampered"


@pytest.mark.parametrize(("data", "allowed", "limit", "message"), [
    (b"", ALL, MB, "Tệp rỗng"),
    (SIGNED_PDF, ALL, 100, "Tệp quá lớn"),
    (b"MZ\x90\x00", ALL, MB, "Tệp không đúng định dạng cho phép (PDF, DOCX, XLSX, JPG, PNG)"),
    (office_bytes("docx"), {"pdf", "png", "jpeg"}, MB, "Tệp không đúng định dạng cho phép"),
    (zip_bomb(), ALL, MB, "tỉ lệ nén quá cao"),
])
def test_bad_uploads_are_refused_with_a_reason_and_nothing_is_written(app, db, user, data, allowed, limit, message):
    with pytest.raises(FileRejected) as refused:
        store_file(data, "x.pdf", allowed_kinds=allowed, max_bytes=limit, user=user)
    assert message in refused.value.message
    assert db.session.query(files.StoredFile).count() == 0
    assert not any(files.files_dir().rglob("*"))


def test_verify_all_reports_changed_and_missing_files(app, db, user):
    good = store_file(image_bytes("PNG"), "ok.png", allowed_kinds=ALL, max_bytes=MB, user=user)
    changed = store_file(SIGNED_PDF, "changed.pdf", allowed_kinds=ALL, max_bytes=MB, user=user)
    missing = store_file(office_bytes("docx"), "gone.docx", allowed_kinds=ALL, max_bytes=MB, user=user)
    db.session.commit()
    assert verify_all() == []
    path = files.file_path(changed)
    path.chmod(0o640)
    path.write_bytes(SIGNED_PDF.replace(b"Count 0", b"Count 1"))  # same size, one byte different
    files.file_path(missing).unlink()
    assert [(s.id, p) for s, p in verify_all()] == [(changed.id, files.CHANGED), (missing.id, files.MISSING)]
    assert read_file(good) == image_bytes("PNG")
    with pytest.raises(FileDamaged):
        read_file(changed)
