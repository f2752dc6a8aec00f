"""Pages fed turned: a signed copy scanned sideways or upside down (90°, 180°, 270°), a little crooked as well,
speckled and saved as JPEG, is read as if it were upright — the register's number, date and trích yếu are found —
and so is the turned page of a multi-page scanned PDF whose other page lies upright. The searchable copy holds each
turned page set upright, its text layer in reading order."""

from __future__ import annotations

import io

import img2pdf
import pikepdf
import pytest
from scan_fixtures import ocr_world, pdf_pages_png, pdf_text, scanned
from sqlalchemy import select

from docgen import pdf as docgen_pdf
from domain import files
from domain.register import archive, ocr
from extensions import db
from models import SignedCopy, User
from models.ocr import ScanReading

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not ocr.available(), reason="Tesseract with Vietnamese (tesseract-ocr-vie) is not installed"),
    pytest.mark.skipif(docgen_pdf.libreoffice_path() is None, reason="LibreOffice (soffice) is not installed"),
]

BODY = "Ban Thường trực tổ chức tuyên truyền sâu rộng trong Nhân dân về phong trào hiến máu tình nguyện ở khu dân cư."
TITLES = {90: "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư năm 2026",
          180: "Vận động ủng hộ Quỹ Vì người nghèo và an sinh xã hội năm 2026",
          270: "Tổ chức tiếp xúc cử tri trước kỳ họp thứ 12 Hội đồng nhân dân tỉnh khóa XV"}
# Two pages: the register's fields on the first, this sentence alone at the end of the second.
LONG_TITLE = "Hướng dẫn tổ chức hội nghị quán triệt Nghị quyết ở khu dân cư"
LONG_BODY = "\n".join(
    f"{i}. Ban Thường trực Ủy ban Mặt trận Tổ quốc các huyện tổ chức hội nghị quán triệt đợt {i} cho cán bộ Mặt trận "
    "ở khu dân cư và báo cáo kết quả về Ban Thường trực trước ngày 30 hằng tháng." for i in range(1, 17))
LAST_PAGE = "Cuối đợt, Ban Thường trực biểu dương các khu dân cư làm tốt công tác hòa giải ở cơ sở."


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Three one-page documents and a two-page one, issued, printed and drawn at 200 dpi."""
    world = ocr_world(tmp_path_factory.mktemp("turned"),
                      [{"title": TITLES[a], "body": BODY, "recipients": ["district"]} for a in (90, 180, 270)]
                      + [{"title": LONG_TITLE, "kind": "HD", "body": f"{LONG_BODY}\n{LAST_PAGE}",
                          "recipients": ["district"]}])
    printed = world.printed(0, 1, 2, 3)
    world.pages = [pdf_pages_png(pdf, dpi=200)[0] for pdf in printed[:3]]
    world.long_pages = pdf_pages_png(printed[3], dpi=200, pages=2)
    with pikepdf.open(io.BytesIO(printed[3])) as pdf:
        assert len(pdf.pages) == 2
    yield world
    world.close()


def upload(world, document_id: int, content: bytes, name: str):
    data = {"expected_status": "issued", "file": [(io.BytesIO(content), name)]}
    response = world.client.post(f"/documents/{document_id}/signed-copy", data=data, content_type="multipart/form-data")
    assert response.status_code == 303


def filed(document_id: int) -> tuple[SignedCopy, ScanReading]:
    copy = db.session.scalar(select(SignedCopy).where(SignedCopy.document_id == document_id))
    return copy, db.session.scalar(select(ScanReading).where(ScanReading.signed_copy_id == copy.id))


def upright_pages(pdf: bytes) -> list[bool]:
    """For each page: portrait and shown as it lies (no /Rotate)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [float(p.mediabox[3]) > float(p.mediabox[2]) and int(p.obj.get("/Rotate", 0)) == 0
                for p in document.pages]


def turned(page, degrees: int) -> bytes:
    """The page fed `degrees` counter-clockwise, then crooked by 1.5°, speckled and saved as JPEG of quality 70."""
    return scanned(page.rotate(degrees, expand=True), angle=1.5, noise=0.01, quality=70)


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_page_scanned_sideways_or_upside_down_is_read_upright(world, degrees):
    index = (90, 180, 270).index(degrees)
    upload(world, world.ids[index], turned(world.pages[index], degrees), f"quet-xoay-{degrees}.jpg")
    with world.app.app_context():
        copy, reading = filed(world.ids[index])
        assert [m["found"] for m in reading.matches] == [True, True, True]
        assert (copy.number_found, copy.date_found, copy.title_found) == (True, True, True)
        assert "hiến máu tình nguyện" in reading.text  # the body, not only the header, read the right way up
        number, date, _title = (m["seen"] for m in reading.matches)
        assert f"0{index + 1}/KH-MTTQ-BTT" in number and "ngày 05 tháng 01 năm 2026" in date
        # The searchable copy holds the page set upright (portrait, not turned for display) and its text in order.
        derived = files.read_file(copy.searchable_file)
        assert upright_pages(derived) == [True]
        assert "hiến máu tình nguyện ở khu dân cư" in pdf_text(derived)


def test_the_turned_page_of_a_multi_page_scanned_pdf_is_read(world):
    first, second = world.long_pages
    # As a scanner makes it: one JPEG per page; the first page lies upright, the second was fed upside down.
    scan_pdf = img2pdf.convert([scanned(first, angle=-1.0, noise=0.01, quality=75, seed=2), turned(second, 180)])
    upload(world, world.ids[3], scan_pdf, "quet-2-trang.pdf")
    with world.app.app_context():
        copy, reading = filed(world.ids[3])
        assert (reading.pages_read, reading.pages_total) == (2, 2)
        assert [m["found"] for m in reading.matches] == [True, True, True]
        assert "04/HD-MTTQ-BTT" in reading.matches[0]["seen"]
        assert "biểu dương các khu dân cư làm tốt công tác hòa giải" in reading.text.replace("\n", " ")
        assert files.read_file(copy.stored_file) == scan_pdf  # the upload kept as it came, upside-down page and all
        derived = files.read_file(copy.searchable_file)
        assert upright_pages(derived) == [True, True]
        assert "làm tốt công tác hòa giải ở cơ sở" in pdf_text(derived, page=2)
        assert "hòa giải" not in pdf_text(derived, page=1)
        records = db.session.scalar(select(User).filter_by(username="records"))
        rows, _ = archive.search(records, archive.ArchiveQuery(text="hoa giai o co so"))
        assert [r.document.id for r in rows] == [world.ids[3]]  # found by a phrase printed upside down
