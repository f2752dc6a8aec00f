"""Photos as phones make them, attached to a task's report: the original stored byte for byte (with its SHA-256), a
reduced copy for display made once (upright by the EXIF orientation, ≤ 1600 px, JPEG), HEIC from iPhones read too;
what is no image, or too big, is refused with a clear message and nothing is saved."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from PIL import Image
from plans_fixtures import assignment_of, tracked_plan, user
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from domain import files, photos
from domain.file_kinds import HEIC, JPEG, detect_kind
from domain.office import office_today
from domain.plans.progress import Report, ReportInvalid, report_progress
from extensions import db
from models import StoredFile
from models.plans import Assignment, AssignmentUpdate, Evidence

HTMX = {"HX-Request": "true"}
LIMIT = 10 * 1024 * 1024


def jpeg(size: tuple[int, int], orientation: int | None = None, quality: int = 85) -> bytes:
    """A photo as a camera writes it: pixels as the sensor saw them, the way to hold it in EXIF Orientation.
    Left half red, right half blue, so a turn can be seen."""
    image = Image.new("RGB", size, (220, 30, 30))
    image.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x010F] = "Test Phone"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def heic(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 160, 60)).save(out, "HEIF", quality=60)
    return out.getvalue()


@pytest.fixture
def mine(app, people) -> int:
    with app.app_context():
        _plan, districts, _monthly = tracked_plan(people, due_on=office_today() + timedelta(days=3))
        db.session.commit()
        return assignment_of(districts, people["district"]).id


def _report(assignment_id: int, *uploads: tuple[str, bytes]):
    assignment = db.session.get(Assignment, assignment_id)
    return report_progress(assignment, user("reporter"), Report(status="in_progress", narrative="Ảnh hội nghị",
                                                                files=list(uploads)),
                           today=office_today(), max_file_bytes=LIMIT)


# ---- the display copy --------------------------------------------------------------------------------------------

def test_a_photo_taken_sideways_is_shown_upright_by_its_exif_orientation():
    sideways = jpeg((400, 200), orientation=6)  # "rotate 90° clockwise to view"
    shown = Image.open(io.BytesIO(photos.display_copy(sideways)))
    assert shown.format == "JPEG" and shown.size == (200, 400)
    top, bottom = shown.getpixel((100, 20)), shown.getpixel((100, 380))
    assert top[0] > 150 and top[2] < 100, "the left of the sensor is the top once turned"
    assert bottom[2] > 150 and bottom[0] < 100
    assert not shown.getexif(), "the copy carries no metadata (no orientation to apply twice, no GPS)"


def test_a_12_megapixel_photo_is_reduced_to_1600_px_on_its_long_side():
    shown = Image.open(io.BytesIO(photos.display_copy(jpeg((4000, 3000)))))
    assert shown.size == (1600, 1200)


def test_a_small_photo_is_not_enlarged():
    assert Image.open(io.BytesIO(photos.display_copy(jpeg((640, 480))))).size == (640, 480)


def test_heic_from_an_iphone_is_recognised_by_its_content_and_read():
    data = heic((1200, 1600))
    assert detect_kind(data) == HEIC
    shown = Image.open(io.BytesIO(photos.display_copy(data)))
    assert shown.format == "JPEG" and shown.size == (1200, 1600)


@pytest.mark.parametrize("data", [
    b"\xff\xd8\xff\xe0" + b"not really a photo" * 50,  # a JPEG's first bytes, then anything
    jpeg((800, 600))[:600],  # cut off in transfer
])
def test_what_only_looks_like_a_photo_is_refused(data):
    with pytest.raises(photos.PhotoUnreadable) as refused:
        photos.display_copy(data)
    assert "không phải là ảnh đọc được" in refused.value.message


def test_a_photo_claiming_a_huge_canvas_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 1000)
    with pytest.raises(photos.PhotoUnreadable) as refused:
        photos.display_copy(jpeg((400, 300)))
    assert "kích thước quá lớn" in refused.value.message


# ---- stored with a report ----------------------------------------------------------------------------------------

def test_the_original_is_stored_byte_for_byte_and_its_display_copy_beside_it(app, people, mine):
    original = jpeg((4000, 3000), orientation=6)
    with app.app_context():
        update = _report(mine, ("IMG_0412.JPG", original))
        db.session.commit()
        stored = db.session.scalar(select(Evidence).where(Evidence.update_id == update.id)).stored_file
        assert files.read_file(stored) == original
        assert stored.sha256 == hashlib.sha256(original).hexdigest() and stored.kind == JPEG
        assert stored.original_name == "IMG_0412.JPG"
        display = stored.display_file
        assert display is not None and display.kind == JPEG and display.original_name == "IMG_0412-xem.jpg"
        assert Image.open(io.BytesIO(files.read_file(display))).size == (1200, 1600)  # upright: portrait


def test_an_iphone_heic_is_kept_as_heic_with_a_jpeg_to_show(app, people, mine):
    original = heic((900, 1200))
    with app.app_context():
        update = _report(mine, ("IMG_0001.HEIC", original))
        db.session.commit()
        stored = db.session.scalar(select(Evidence).where(Evidence.update_id == update.id)).stored_file
        assert (stored.kind, stored.content_type, stored.kind_label) == (HEIC, "image/heic", "Ảnh HEIC")
        assert files.read_file(stored) == original
        assert Image.open(io.BytesIO(files.read_file(stored.display_file))).size == (900, 1200)


def _post_big(client, url: str, data: bytes, name: str, headers: dict | None = None):
    """A report with one big photo, its body built in memory (the test client would spool it to a temporary file
    that nobody closes when the server refuses it unread)."""
    boundary, body = encode_multipart({"csrf_token": client.csrf_token(), "status": "in_progress",
                                       "files": FileStorage(io.BytesIO(data), filename=name)})
    return client.post(url, data=body, headers=headers or {}, content_type=f"multipart/form-data; boundary={boundary}")


def _nothing_saved(app) -> None:
    with app.app_context():
        assert db.session.scalar(select(func.count(StoredFile.id))) == 0
        assert db.session.scalar(select(func.count(AssignmentUpdate.id))) == 0
        assert not any(p.is_file() and not p.name.startswith(".") for p in files.files_dir().rglob("*"))


@pytest.mark.parametrize("name, data, message", [
    ("anh-hoi-nghi.jpg", b"Day khong phai la anh, chi la chu.", "Tệp không đúng định dạng cho phép (ảnh JPG, PNG, HEIC"),
    ("IMG_0413.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 4000, "không phải là ảnh đọc được"),
])
def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_saved(app, people, mine, name, data, message):
    with app.app_context(), pytest.raises(ReportInvalid) as refused:
        _report(mine, ("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n"), (name, data))
    assert message in refused.value.errors["files"] and name in refused.value.errors["files"]
    _nothing_saved(app)


# ---- through the pages --------------------------------------------------------------------------------------------

def test_the_reporters_photo_is_shown_reduced_on_the_page_and_downloads_as_taken(client, login, app, mine):
    original = jpeg((3000, 2000), orientation=8)
    login("reporter")
    response = client.post(f"/assignments/{mine}/report", headers=HTMX, data={
        "status": "in_progress", "narrative": "Có ảnh", "files": [(io.BytesIO(original), "IMG_0500.jpg")]},
        content_type="multipart/form-data")
    assert "Đã gửi. Đã ghi nhận lúc" in response.get_data(as_text=True)
    with app.app_context():
        evidence = db.session.scalar(select(Evidence))
    page = client.get(f"/assignments/{mine}").get_data(as_text=True)
    assert f'src="/evidence/{evidence.id}/photo"' in page
    shown = client.get(f"/evidence/{evidence.id}/photo")
    assert shown.mimetype == "image/jpeg" and Image.open(io.BytesIO(shown.data)).size == (1067, 1600)
    assert client.get(f"/evidence/{evidence.id}").data == original


def test_a_photo_stored_before_display_copies_gets_one_on_first_view_and_only_once(client, login, app, people, mine):
    with app.app_context():
        update = _report(mine, ("cu.jpg", jpeg((2400, 1800))))
        stored = db.session.scalar(select(Evidence).where(Evidence.update_id == update.id)).stored_file
        stored.display_file = None  # as stored before this change
        db.session.commit()
        evidence_id = db.session.scalar(select(Evidence.id))
        before = db.session.scalar(select(func.count(StoredFile.id)))
    login("reporter")
    for _ in range(2):
        assert Image.open(io.BytesIO(client.get(f"/evidence/{evidence_id}/photo").data)).size == (1600, 1200)
    with app.app_context():
        assert db.session.scalar(select(func.count(StoredFile.id))) == before + 1


def test_a_40_mb_photo_is_refused_with_a_clear_message_and_nothing_saved(client, login, app, mine):
    assert app.config["MAX_CONTENT_LENGTH"] < 40 * 1024 * 1024 and app.config.get("EVIDENCE_MAX_BYTES", LIMIT) == LIMIT
    login("reporter")
    huge = b"\xff\xd8\xff\xe1" + b"\x00" * (40 * 1024 * 1024)
    response = _post_big(client, f"/assignments/{mine}/report", huge, "IMG_4000.jpg")
    assert response.status_code == 413 and "Tệp quá lớn" in response.get_data(as_text=True)
    _nothing_saved(app)


def test_a_photo_over_the_evidence_limit_is_refused_beside_the_field_and_nothing_saved(client, login, app, mine):
    login("reporter")
    big = b"\xff\xd8\xff\xe1" + b"\x00" * (12 * 1024 * 1024)
    response = _post_big(client, f"/assignments/{mine}/report", big, "IMG_4001.jpg", HTMX)
    html = response.get_data(as_text=True)
    assert "“IMG_4001.jpg”: Tệp quá lớn (12,0 MB); giới hạn là 10,0 MB." in html
    assert "<details class=\"update-box\" open>" in html
    _nothing_saved(app)


def test_the_page_offers_the_camera_and_says_the_limit(client, login, mine):
    login("reporter")
    page = client.get("/my-tasks").get_data(as_text=True)
    assert 'accept="image/*" capture="environment"' in page
    assert f'data-max-bytes="{LIMIT}"' in page and "mỗi tệp đến 10 MB" in page

