"""The searchable copy of a scanned signed copy: after OCR the worker keeps, beside the upload (never changed), a PDF
of the scan with an invisible text layer, as a stored file of its own with its own SHA-256; the record page offers it
as a derived copy, downloaded under the same access rules as the original and audited like it; a copy that has its
own text layer gets none; reading the scan again makes no second one; a backup holds it."""

from __future__ import annotations

import hashlib
import io
import tarfile

import pikepdf
import pytest
from conftest import PASSWORD
from scan_fixtures import ocr_world, pdf_pages_png, pdf_text, scanned
from sqlalchemy import func, select

from docgen import pdf as docgen_pdf
from domain import files
from domain.jobs import queue, runner
from domain.register import ocr
from domain.register.scan_reading import reading_job, request_reading
from extensions import db
from models import AuditEvent, SignedCopy, StoredFile
from models.choices import DONE
from models.ocr import ScanReading

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not ocr.available(), reason="Tesseract with Vietnamese (tesseract-ocr-vie) is not installed"),
    pytest.mark.skipif(docgen_pdf.libreoffice_path() is None, reason="LibreOffice (soffice) is not installed"),
]

TITLE = "Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư về tăng cường công tác dân vận"
BODY = "Ban Thường trực tổ chức tuyên truyền sâu rộng trong Nhân dân về phong trào hiến máu tình nguyện ở khu dân cư."
LINK = "Tải bản PDF có thể tìm kiếm (bản sao từ OCR)"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A document addressed to Yên Mô, filed as a JPEG scan with no worker running (so the upload can be looked at
    before it is read), then read by the worker; and one filed as the PDF LibreOffice printed (a text layer)."""
    world = ocr_world(tmp_path_factory.mktemp("searchable"), [
        {"title": TITLE, "body": BODY, "recipients": ["district"]},
        {"title": "Tổ chức hội nghị giao ban quý I", "body": BODY, "recipients": ["district"]}])
    scan_id, text_id = world.ids
    printed = world.printed(0, 1)
    jpeg = scanned(pdf_pages_png(printed[0], dpi=200)[0], angle=1.5, noise=0.01, quality=70)
    queue.huey.immediate = False  # the reading waits in the queue, as it does for the worker
    try:
        upload(world, scan_id, jpeg, "ban-ky-quet.jpg")
    finally:
        queue.huey.immediate = True
    with world.app.app_context():
        copy = db.session.scalar(select(SignedCopy).where(SignedCopy.document_id == scan_id))
        world.original = files.read_file(copy.stored_file)
        world.original_sha256 = copy.stored_file.sha256
        assert copy.searchable_file is None  # nothing derived before the worker has read it
        job_id = reading_job(copy).id
    runner.run(job_id, world.app)  # what the worker does with the message
    upload(world, text_id, printed[1], "ban-ky-so.pdf")
    yield world
    world.close()


def upload(world, document_id: int, content: bytes, name: str) -> None:
    data = {"expected_status": "issued", "file": [(io.BytesIO(content), name)]}
    response = world.client.post(f"/documents/{document_id}/signed-copy", data=data, content_type="multipart/form-data")
    assert response.status_code == 303


def copy_of(document_id: int) -> SignedCopy:
    return db.session.scalar(select(SignedCopy).where(SignedCopy.document_id == document_id))


def sign_in(world, username: str) -> None:
    world.client.post("/logout")
    assert world.client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 303


def test_after_ocr_a_scan_has_a_searchable_pdf_with_its_number_and_body_in_a_text_layer(world):
    with world.app.app_context():
        copy = copy_of(world.ids[0])
        derived = copy.searchable_file
        data = files.read_file(derived)
        assert data.startswith(b"%PDF-") and derived.kind == "pdf"
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == 1
            assert "không phải bản gốc có chữ ký" in str(pdf.docinfo["/Subject"])
        text = pdf_text(data)
        assert "01/KH-MTTQ-BTT" in text and "phong trào hiến máu tình nguyện ở khu dân cư" in text
        assert ocr.text_layer(world.original).strip() == ""  # the scan itself has none
        # A file of its own, with its own SHA-256; the upload is unchanged, byte for byte.
        assert derived.sha256 == hashlib.sha256(data).hexdigest() != copy.stored_file.sha256
        assert copy.stored_file.sha256 == world.original_sha256
        assert files.read_file(copy.stored_file) == world.original
        assert derived.original_name == "ban-ky-quet-ban-sao-ocr.pdf"
        made = db.session.scalar(select(AuditEvent).filter_by(action="document.searchable_copy"))
        assert made.user_id is None and made.object_id == world.ids[0]


def test_a_copy_with_its_own_text_layer_gets_no_searchable_copy(world):
    with world.app.app_context():
        copy = copy_of(world.ids[1])
        assert ocr.has_text_layer(ocr.text_layer(files.read_file(copy.stored_file)))
        assert copy.searchable_file_id is None and reading_job(copy) is None
    sign_in(world, "records")
    page = world.client.get(f"/archive/{world.ids[1]}").get_data(as_text=True)
    assert "Tải về" in page and LINK not in page
    assert world.client.get(f"/documents/{world.ids[1]}/signed-copy/searchable").status_code == 404


def test_the_record_page_offers_it_beside_the_original_as_a_derived_copy(world):
    sign_in(world, "records")
    page = world.client.get(f"/archive/{world.ids[0]}").get_data(as_text=True)
    original = page.index(f"/documents/{world.ids[0]}/signed-copy?copy=")
    derived = page.index(LINK)
    assert original < derived < page.index("Nhận dạng chữ (OCR)")  # under the original's links, in its row
    assert "không phải bản gốc có chữ ký" in page[derived:derived + 400]


def test_the_searchable_copy_is_downloaded_by_whoever_may_see_the_document_and_audited(world):
    sign_in(world, "reporter")  # Yên Mô: the document is addressed to it
    with world.app.app_context():
        copy = copy_of(world.ids[0])
        expected = files.read_file(copy.searchable_file)
        copy_id, file_id = copy.id, copy.searchable_file_id
    response = world.client.get(f"/documents/{world.ids[0]}/signed-copy/searchable?copy={copy_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == expected
    assert "ban-ky-quet-ban-sao-ocr.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    with world.app.app_context():
        event = db.session.scalar(select(AuditEvent).filter_by(action="document.searchable_copy_download"))
        assert (event.user.username, event.object_type, event.object_id) == ("reporter", "document", world.ids[0])
        assert event.after["file_id"] == file_id and "bản sao từ OCR" in event.summary


def test_someone_who_may_not_see_the_document_gets_404_for_the_searchable_copy(world):
    sign_in(world, "other_reporter")  # Kim Sơn: not addressed
    assert world.client.get(f"/documents/{world.ids[0]}/signed-copy").status_code == 404
    assert world.client.get(f"/documents/{world.ids[0]}/signed-copy/searchable").status_code == 404
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .filter_by(action="document.searchable_copy_download", object_id=world.ids[0])
                                 .where(AuditEvent.user.has(username="other_reporter"))) == 0
    world.client.post("/logout")
    signed_out = world.client.get(f"/documents/{world.ids[0]}/signed-copy/searchable")
    assert signed_out.status_code in (302, 303) and "/login" in signed_out.headers["Location"]


def test_reading_the_scan_again_keeps_the_one_searchable_copy(world):
    with world.app.app_context():
        copy = copy_of(world.ids[0])
        first = copy.searchable_file_id
        stored_files = db.session.scalar(select(func.count()).select_from(StoredFile))
        job = request_reading(copy, None)
        db.session.commit()  # sent, and in tests run, at the commit
        job_id = job.id
    with world.app.app_context():
        assert db.session.get(type(job), job_id).state == DONE
        copy = copy_of(world.ids[0])
        assert copy.searchable_file_id == first
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == stored_files
        assert db.session.scalar(select(func.count()).select_from(ScanReading)
                                 .where(ScanReading.signed_copy_id == copy.id)) == 1
        assert files.read_file(copy.stored_file) == world.original


def test_a_backup_holds_the_searchable_copy(world, tmp_path):
    with world.app.app_context():
        derived = copy_of(world.ids[0]).searchable_file
        member, size, sha256 = f"files/{derived.storage_path}", derived.size, derived.sha256
    archive = tmp_path / "sao-luu.tar"
    result = world.app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        data = tar.extractfile(member).read()
    assert (len(data), hashlib.sha256(data).hexdigest()) == (size, sha256)


def test_a_searchable_copy_that_would_be_too_large_is_not_made_and_the_reading_says_so(world, monkeypatch):
    monkeypatch.setattr(ocr, "SEARCHABLE_MAX_BYTES", 100_000)  # the limit, not its size, is under test
    reading = ocr.read_pdf(world.original, searchable=True)
    assert reading.searchable is None
    assert "Không tạo bản PDF có thể tìm kiếm: các trang quá lớn." in reading.note
    assert "hiến máu tình nguyện" in reading.text  # the text is read all the same
