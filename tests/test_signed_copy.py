"""The signed copy: a PDF kept byte for byte, images combined into one PDF, checked against the register, bad
uploads refused with nothing changed, downloads audited, `verify-files` catching a changed file."""

from __future__ import annotations

import hashlib
import io
import re

import pikepdf
import pytest
from plans_fixtures import docx_bytes
from register_fixtures import image_bytes, make_document, office_time, pdf_bytes, user
from sqlalchemy import func, select

import domain.clock as register_views
from domain import files
from domain.register import numbering as reg
from domain.register.archive import copy_text_state
from domain.register.signed_copy import images_to_pdf
from extensions import db
from models import AuditEvent, Document, DocumentEvent, SignedCopy, StoredFile
from models.choices import COPY_TEXT_DIFFERS, COPY_TEXT_MATCHES, COPY_TEXT_PARTLY, COPY_TEXT_UNREAD

NOW = office_time(2026, 3, 10, 9, 30)
MATCHING_TEXT = ("Số: 01/KH-MTTQ-BTT", "Ninh Binh, ngay 10 thang 3 nam 2026", "KE HOACH",
                 "Tuyen truyen Chi thi so 07-CT/TW", "cua Ban Bi thu")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(register_views, "now", lambda: NOW)


@pytest.fixture
def issued(app, people) -> int:
    """An issued Kế hoạch 01/KH-MTTQ-BTT of 10/3/2026, addressed to the districts' group."""
    with app.app_context():
        document = make_document("Tuyên truyền Chỉ thị số 07-CT/TW", recipients=[people["group"]])
        db.session.commit()
        reg.issue(document, user("records"), NOW)
        db.session.commit()
        return document.id


def upload(client, document_id, *parts, expected="issued", **headers):
    data = {"expected_status": expected, "file": [(io.BytesIO(content), name) for content, name in parts]}
    return client.post(f"/documents/{document_id}/signed-copy", data=data, content_type="multipart/form-data",
                       **headers)


def state(app, document_id):
    with app.app_context():
        status = db.session.get(Document, document_id).status
        copies = db.session.scalars(select(SignedCopy).where(SignedCopy.document_id == document_id)).all()
        stored = db.session.scalar(select(func.count()).select_from(StoredFile).where(StoredFile.kind == "pdf"))
        return status, len(copies), stored


def test_a_signed_pdf_is_kept_byte_for_byte_and_the_document_is_archived(app, client, login, issued):
    signed = pdf_bytes(*MATCHING_TEXT) + b"%digital-signature-bytes-after-EOF\n\x00\xff"
    login("records")
    response = upload(client, issued, (signed, "KH 01 ký số.pdf"))
    assert response.status_code == 303 and response.headers["Location"] == f"/archive/{issued}"
    with app.app_context():
        copy = db.session.scalar(select(SignedCopy))
        stored = copy.stored_file
        assert files.file_path(stored).read_bytes() == signed
        assert (stored.sha256, stored.size) == (hashlib.sha256(signed).hexdigest(), len(signed))
        assert stored.original_name == "KH 01 ký số.pdf" and copy.uploaded_by.username == "records"
        assert copy.source == "pdf" and (copy.number_found, copy.date_found, copy.title_found) == (True, True, True)
        assert db.session.get(Document, issued).status == "archived"
        event = db.session.scalar(select(DocumentEvent).filter_by(document_id=issued, action="archive"))
        assert event.details["file_id"] == stored.id
    page = client.get(f"/archive/{issued}").get_data(as_text=True)
    assert "KH 01 ký số.pdf" in page and "Số, ký hiệu có trên bản ký" in page and "Đã lưu trữ" in page
    download = client.get(f"/documents/{issued}/signed-copy")
    assert download.status_code == 200 and download.data == signed


def test_a_copy_that_shows_another_number_is_flagged(app, client, login, issued):
    login("records")
    upload(client, issued, (pdf_bytes("Số: 07/KH-MTTQ-BTT", "ngay 09 thang 3 nam 2026", "Mot van ban khac"), "x.pdf"))
    with app.app_context():
        copy = db.session.scalar(select(SignedCopy))
        assert (copy.number_found, copy.date_found, copy.title_found) == (False, False, False)
    page = client.get(f"/archive/{issued}").get_data(as_text=True)
    assert "Số, ký hiệu không thấy trên bản ký" in page
    listing = client.get("/archive").get_data(as_text=True)
    assert 'title="Không khớp với sổ: số, ký hiệu, ngày tháng, trích yếu">Lệch sổ ✗' in listing


def test_the_archive_list_tells_whether_the_latest_copy_matches_the_register(app, client, login, issued):
    login("records")
    assert "Khớp sổ" not in client.get("/archive").get_data(as_text=True)  # no copy yet: no badge
    upload(client, issued, (pdf_bytes("Số: 01/KH-MTTQ-BTT", "ngay 09 thang 3 nam 2026", "KE HOACH"), "a.pdf"))
    listing = client.get("/archive").get_data(as_text=True)
    assert 'title="Không khớp với sổ: ngày tháng, trích yếu">Lệch sổ ✗' in listing
    upload(client, issued, (pdf_bytes(*MATCHING_TEXT), "b.pdf"), expected="archived")
    listing = client.get("/archive").get_data(as_text=True)
    assert ">Khớp sổ ✓<" in listing and "Lệch sổ" not in listing  # the newer copy is the one that counts


@pytest.mark.parametrize(("found", "state"), [
    ((True, True, True), COPY_TEXT_MATCHES), ((True, False, True), COPY_TEXT_DIFFERS),
    ((False, None, None), COPY_TEXT_DIFFERS), ((True, None, True), COPY_TEXT_PARTLY),
    ((None, None, None), COPY_TEXT_UNREAD),
])
def test_three_comparisons_make_one_state(found, state):
    assert copy_text_state(*found) == state


def test_scanned_images_become_one_pdf_with_a_page_each_and_jpeg_kept_as_is(app, client, login, issued):
    jpeg = image_bytes("JPEG", (80, 120), "white")
    png = image_bytes("PNG", (120, 80), "grey")
    login("records")
    response = upload(client, issued, (jpeg, "trang-1.jpg"), (png, "trang-2.png"))
    assert response.status_code == 303
    with app.app_context():
        copy = db.session.scalar(select(SignedCopy))
        pdf = files.read_file(copy.stored_file)
        assert pdf.startswith(b"%PDF-") and jpeg in pdf
        boxes = [[round(float(x)) for x in box] for box in page_boxes(pdf)]
        assert boxes == [[0, 0, 595, 842], [0, 0, 842, 595]]  # A4; the wide image gets a landscape page
        assert (copy.source, copy.image_count, copy.stored_file.original_name) == ("images", 2, "trang-1.pdf")
        assert copy.number_found is None  # no text layer: the page asks for a visual check
    assert "Bản quét không có lớp chữ" in client.get(f"/archive/{issued}").get_data(as_text=True)


def page_boxes(pdf: bytes) -> list:
    """Each page's MediaBox, as a PDF reader finds it."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [list(page.mediabox) for page in document.pages]


def test_images_to_pdf_is_readable_by_poppler(tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils not installed")
    path = tmp_path / "scan.pdf"
    path.write_bytes(images_to_pdf([(image_bytes("JPEG"), "jpeg"), (image_bytes("PNG"), "png")]))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M)


@pytest.mark.parametrize(("parts", "message"), [
    ([(b"MZ\x90\x00 this is a program", "ban-ky.pdf")], "phải là tệp PDF (bản quét hoặc bản có chữ ký số) hoặc ảnh quét JPG/PNG"),
    ([(b"", "ban-ky.pdf")], "Tệp rỗng (0 byte)"),
    ([(b"%PDF-1.4\n" + b"0" * 3000, "lon.pdf")], "Tệp quá lớn"),
    ([(pdf_bytes("x"), "a.pdf"), (image_bytes("PNG"), "b.png")], "không trộn PDF với ảnh"),
    ([(image_bytes("PNG")[:40], "hong.png")], "Ảnh bị hỏng hoặc không đọc được"),
    ([], "Vui lòng chọn tệp bản có chữ ký"),
])
def test_bad_uploads_are_refused_on_the_record_page_and_nothing_changes(app, client, login, issued, parts, message):
    app.config["SIGNED_COPY_MAX_BYTES"] = 2048
    login("records")
    response = upload(client, issued, *parts)
    # A redirect, so reloading the page the browser shows does not post the upload again.
    assert response.status_code == 303 and response.headers["Location"] == f"/archive/{issued}"
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'class="flash flash-error">[^<]*' + re.escape(message), body)
    assert state(app, issued) == ("issued", 0, 0)


def test_the_refusal_of_a_word_file_names_only_what_a_signed_copy_is(app, client, login, issued):
    login("records")
    response = upload(client, issued, (docx_bytes(), "Kế hoạch 01.docx"))
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tệp Word, Excel hay loại tệp khác không phải bản có chữ ký" in body
    assert "DOCX" not in body and "XLSX" not in body
    assert state(app, issued) == ("issued", 0, 0)


def test_a_zip_bomb_dressed_as_docx_is_refused(app, client, login, issued):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
    login("records")
    response = upload(client, issued, (buf.getvalue(), "bom.docx"))
    assert "tỉ lệ nén quá cao" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert state(app, issued) == ("issued", 0, 0)


def test_a_second_submit_of_the_same_upload_page_changes_nothing(app, client, login, issued):
    login("records")
    upload(client, issued, (pdf_bytes(*MATCHING_TEXT), "a.pdf"))
    again = upload(client, issued, (pdf_bytes(*MATCHING_TEXT), "a.pdf"), expected="issued")
    assert again.status_code == 303
    assert "không có gì bị thay đổi" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert state(app, issued)[:2] == ("archived", 1)


def test_an_archived_document_takes_a_corrected_copy_and_keeps_the_first(app, client, login, issued):
    login("records")
    upload(client, issued, (pdf_bytes("ban dau"), "a.pdf"))
    upload(client, issued, (pdf_bytes(*MATCHING_TEXT), "b.pdf"), expected="archived")
    assert state(app, issued)[:2] == ("archived", 2)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).filter_by(action="document.signed_copy_replace")) is not None


def test_only_records_upload(app, client, login, issued):
    for username in ("clerk", "approver", "admin", "reporter"):
        login(username)
        assert upload(client, issued, (pdf_bytes("x"), "a.pdf")).status_code == 403
    assert state(app, issued) == ("issued", 0, 0)


def test_downloads_are_audited_and_follow_the_document_visibility(app, client, login, issued):
    login("records")
    upload(client, issued, (pdf_bytes(*MATCHING_TEXT), "a.pdf"))
    login("reporter")  # Yên Mô is in the addressed group
    assert client.get(f"/documents/{issued}/signed-copy?inline=1").status_code == 200
    login("other_reporter")  # Kim Sơn too: same group
    assert client.get(f"/documents/{issued}/signed-copy").status_code == 200
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).filter_by(action="document.signed_copy_download")
                                  .order_by(AuditEvent.id)).all()
        assert [(r.user.username, r.object_type, r.object_id) for r in rows] == [
            ("reporter", "document", issued), ("other_reporter", "document", issued)]
        assert "xem bản có chữ ký" in rows[0].summary
    login("records")
    history = client.get(f"/archive/{issued}").get_data(as_text=True)
    assert "Lã Thị Thanh" in history and "tải bản có chữ ký" in history


def test_a_document_not_addressed_to_the_reporter_is_not_found(app, client, login, people):
    with app.app_context():
        document = make_document("Công văn riêng", recipients=[people["office"]])
        db.session.commit()
        reg.issue(document, user("records"), NOW)
        db.session.commit()
        document_id = document.id
    login("reporter")
    assert client.get(f"/archive/{document_id}").status_code == 404
    assert client.get(f"/documents/{document_id}/signed-copy").status_code == 404
    assert client.get(f"/documents/{document_id}/final.docx").status_code == 404


def test_a_changed_file_is_never_served_and_verify_files_reports_it(app, client, login, issued):
    login("records")
    upload(client, issued, (pdf_bytes(*MATCHING_TEXT), "a.pdf"))
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["verify-files"])
    assert ok.exit_code == 0 and "tất cả nguyên vẹn" in ok.output
    with app.app_context():
        path = files.file_path(db.session.scalar(select(SignedCopy)).stored_file)
    path.chmod(0o640)
    path.write_bytes(path.read_bytes().replace(b"01/KH", b"02/KH"))
    bad = runner.invoke(args=["verify-files"])
    assert bad.exit_code == 1 and "ĐÃ BỊ THAY ĐỔI" in bad.output and "a.pdf" in bad.output
    response = client.get(f"/documents/{issued}/signed-copy")
    assert response.status_code == 500 and b"02/KH" not in response.data
    assert "verify-files" in response.get_data(as_text=True)
