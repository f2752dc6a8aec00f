"""OCR of scanned signed copies: an issued document printed, scanned a little crooked and speckled, saved as JPEG
and filed; the worker reads it with Tesseract (Vietnamese), finds the register's number, date and trích yếu in it,
shows the text each was matched against, and the archive then finds the scan by what is printed on it. Bad files
(a huge image, a PDF of 20,000 pages, a damaged file) end with a clear message and the next job still runs."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pytest
from register_fixtures import write_pdf
from scan_fixtures import ocr_world, pdf_pages_png, scanned
from sqlalchemy import select

from docgen import pdf as docgen_pdf
from domain import files
from domain.jobs import queue, runner
from domain.register import archive, ocr
from extensions import db
from models import SignedCopy, User
from models.choices import DONE, FAILED
from models.jobs import Job
from models.ocr import ScanReading

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not ocr.available(), reason="Tesseract with Vietnamese (tesseract-ocr-vie) is not installed"),
    pytest.mark.skipif(docgen_pdf.libreoffice_path() is None, reason="LibreOffice (soffice) is not installed"),
]

TITLE = "Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư về tăng cường công tác dân vận"
BODY = "Ban Thường trực tổ chức tuyên truyền sâu rộng trong Nhân dân về phong trào hiến máu tình nguyện ở khu dân cư."
DOCUMENTS = 6  # the scanned one, one for the page without a worker, three for bad files, one after them


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One app with issued documents, the first printed to PDF (LibreOffice), drawn at 200 dpi and scanned."""
    world = ocr_world(tmp_path_factory.mktemp("ocr"), [
        {"title": TITLE if i == 0 else f"Tổ chức hội nghị lần {i}", "body": BODY,
         "recipients": ["Ban Thường trực Ủy ban MTTQ các huyện"]} for i in range(DOCUMENTS)])
    page = pdf_pages_png(world.printed(0)[0], dpi=200)[0]
    world.scan = scanned(page, angle=1.5, noise=0.01, quality=70)
    yield world
    world.close()


def upload(world, document_id, content: bytes, name: str):
    data = {"expected_status": "issued", "file": [(io.BytesIO(content), name)]}
    return world.client.post(f"/documents/{document_id}/signed-copy", data=data, content_type="multipart/form-data")


def reading_job(document_id) -> Job:
    copy = db.session.scalar(select(SignedCopy).where(SignedCopy.document_id == document_id))
    return db.session.scalar(select(Job).where(Job.dedupe_key == f"read_scan:{copy.id}"))


def searched(world, text: str) -> list[int]:
    with world.app.app_context():
        rows, _ = archive.search(db.session.scalar(select(User).filter_by(username="records")),
                                 archive.ArchiveQuery(text=text))
        return [r.document.id for r in rows]


def test_a_scanned_copy_is_read_and_the_registers_number_date_and_trich_yeu_are_found(world):
    document_id = world.ids[0]
    assert searched(world, "Độc lập Tự do Hạnh phúc") == []  # printed on the page, not in the register's keys
    response = upload(world, document_id, world.scan, "ban-ky-quet.jpg")
    assert response.status_code == 303
    with world.app.app_context():
        copy = db.session.scalar(select(SignedCopy).where(SignedCopy.document_id == document_id))
        assert files.read_file(copy.stored_file).count(world.scan) == 1  # the JPEG kept inside the PDF as it was
        assert reading_job(document_id).state == DONE
        reading = db.session.scalar(select(ScanReading).where(ScanReading.signed_copy_id == copy.id))
        assert (reading.pages_read, reading.pages_total) == (1, 1)
        assert [m["found"] for m in reading.matches] == [True, True, True]
        assert (copy.number_found, copy.date_found, copy.title_found) == (True, True, True)
        number, date, title = (m["seen"] for m in reading.matches)
        assert "01" in number and "KH" in number and "2026" in date and "dân vận" in title
    page = world.client.get(f"/archive/{document_id}").get_data(as_text=True)
    assert "Nhận dạng chữ (OCR)" in page and "Đọc được trên bản quét" in page
    assert "ngày 05 tháng 01 năm 2026" in page.replace("\n", " ")  # the text the date was matched against


def test_the_archive_finds_the_scan_by_a_phrase_printed_on_it(world):
    if not searched(world, "hien mau tinh nguyen"):
        test_a_scanned_copy_is_read_and_the_registers_number_date_and_trich_yeu_are_found(world)
    assert searched(world, "Độc lập Tự do Hạnh phúc") == [world.ids[0]]  # only OCR put these words in the keys
    assert searched(world, "doc lap tu do hanh phuc") == [world.ids[0]]


def test_without_a_worker_the_page_says_the_reading_waits_and_the_worker_does_it_later(world, monkeypatch):
    monkeypatch.setattr(queue.huey, "immediate", False)  # the message stays in the queue: no worker runs
    document_id = world.ids[1]
    assert upload(world, document_id, world.scan, "quet.jpg").status_code == 303
    page = world.client.get(f"/archive/{document_id}").get_data(as_text=True)
    assert "Nhận dạng chữ (OCR) trên bản quét có chữ ký" in page and "Đang chờ" in page
    assert "chưa có tiến trình xử lý nền nào chạy" in page
    with world.app.app_context():
        job_id = reading_job(document_id).id
    runner.run(job_id, world.app)  # what the worker does with the message
    with world.app.app_context():
        assert db.session.get(Job, job_id).state == DONE
    assert "Đọc được trên bản quét" in world.client.get(f"/archive/{document_id}").get_data(as_text=True)


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels (its data would be gigabytes; the header is enough to refuse it)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def many_pages_pdf(pages: int) -> bytes:
    """A PDF bomb by page count: a small file whose page tree lists one blank page `pages` times."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", f"<</Type/Pages/Count {pages}/Kids[{' 3 0 R' * pages}]>>".encode(),
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"]
    return write_pdf(objects)


def test_an_image_of_20000_by_20000_pixels_is_refused_with_its_size(world):
    huge = png_header(20_000, 20_000)
    with pytest.raises(ocr.OcrError, match="Ảnh quá lớn"):
        ocr.read_image(huge)
    response = upload(world, world.ids[2], huge, "khong-lo.png")
    assert response.status_code == 303
    page = world.client.get(f"/archive/{world.ids[2]}").get_data(as_text=True)
    assert "Ảnh quá lớn" in page and "20.000 × 20.000" in page
    with world.app.app_context():
        assert db.session.scalar(select(SignedCopy).where(SignedCopy.document_id == world.ids[2])) is None


def test_a_pdf_of_20000_pages_is_read_for_its_first_pages_only_and_says_so(world, monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PAGES", 2)  # the cap itself, not its size, is under test: keep it quick
    assert upload(world, world.ids[3], many_pages_pdf(20_000), "20000-trang.pdf").status_code == 303
    with world.app.app_context():
        assert reading_job(world.ids[3]).state == DONE
        copy = db.session.scalar(select(SignedCopy).where(SignedCopy.document_id == world.ids[3]))
        reading = db.session.scalar(select(ScanReading).where(ScanReading.signed_copy_id == copy.id))
        # poppler refuses to draw pages of such a tree: each page tried says so, and nothing hangs.
        assert reading.pages_total == 20_000 and reading.pages_read <= 2
        assert "Tệp có 20.000 trang; chỉ nhận dạng chữ 2 trang đầu." in reading.note
        assert copy.number_found is None  # blank pages: nothing to compare, not "not found"
    assert "chỉ nhận dạng chữ 2 trang đầu" in world.client.get(f"/archive/{world.ids[3]}").get_data(as_text=True)


def test_a_damaged_file_fails_its_job_with_a_clear_message_and_the_next_job_still_runs(world):
    with pytest.raises(ocr.OcrError, match="Ảnh bị hỏng"):
        ocr.read_image(world.scan[: len(world.scan) // 3])  # a JPEG cut short
    damaged = b"%PDF-1.4\n" + bytes(range(256)) * 40  # a PDF header, then nothing a reader can use
    assert upload(world, world.ids[4], damaged, "hong.pdf").status_code == 303
    with world.app.app_context():
        job = reading_job(world.ids[4])
        assert job.state == FAILED and job.attempts == 1  # no retry can mend it
        assert job.error == ocr.MSG_UNREADABLE_PDF
    assert "có mật khẩu; không đọc được các trang" in world.client.get(f"/archive/{world.ids[4]}").get_data(as_text=True)
    # The queue goes on: the next scan filed is read as usual.
    assert upload(world, world.ids[5], world.scan, "quet-lai.jpg").status_code == 303
    with world.app.app_context():
        assert reading_job(world.ids[5]).state == DONE
        copy = db.session.scalar(select(SignedCopy).where(SignedCopy.document_id == world.ids[5]))
        # ... and it is the scan of another document (01, not 06): the number and trích yếu are not found.
        assert (copy.number_found, copy.date_found, copy.title_found) == (False, True, False)


def test_pdf_report_of_a_scan_prints_what_ocr_read(world, tmp_path):
    path = tmp_path / "ban-ky-quet.jpg"
    path.write_bytes(world.scan)
    result = world.app.test_cli_runner().invoke(args=["pdf-report", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ocr"] is True and "01/KH-MTTQ-BTT" in report["text"] and "dân vận" in report["text"]
    assert path.read_bytes() == world.scan
