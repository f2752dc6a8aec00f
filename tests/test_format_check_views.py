"""The Kiểm tra thể thức page: who may use it, bad files refused with the checker's message, nothing stored, the
findings grouped by element, a held file only its owner's, the pages drawn and each finding pinned on them.

The background queue keeps its jobs here (memory), so no test but the one that says so runs LibreOffice."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from sqlalchemy import select

from extensions import db
from models.choices import DRAFT, JOB_FORMAT_CHECK_PAGES
from models.core import AuditEvent
from models.documents import Document
from models.jobs import Job

try:
    from format_check_fixtures import correct
    from format_page_fixtures import counts, queued, upload
except ImportError:  # pragma: no cover
    from tests.format_check_fixtures import correct
    from tests.format_page_fixtures import counts, queued, upload

__all__ = ["queued"]  # a fixture, used by name


def with_macros() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(correct("cv"))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/vbaProject.bin", b"\x00" * 100)
    return out.getvalue()


def without_text() -> bytes:
    out = io.BytesIO()
    WordDocument().save(out)
    return out.getvalue()


@pytest.mark.parametrize("username,status", [("clerk", 200), ("approver", 200), ("records", 200), ("admin", 200),
                                             ("reporter", 403)])  # fmt: skip
def test_the_page_is_for_office_staff_only(client, login, queued, username, status):
    login(username)
    page = client.get("/format-check/")
    assert page.status_code == status
    dashboard = client.get("/").get_data(as_text=True)
    assert ("Kiểm tra thể thức" in dashboard) == (status == 200)


def test_a_unit_reporter_cannot_upload_and_nothing_is_held(app, client, login, queued):
    login("reporter")
    before = counts(app)
    assert upload(client, correct("draft")).status_code == 403
    assert counts(app) == before


def test_an_upload_without_the_csrf_token_is_refused_and_nothing_is_held(app, client, login, queued):
    login("clerk")
    before = counts(app)
    response = upload(client, correct("draft"), csrf=False)
    assert response.status_code == 400
    assert counts(app) == before


BAD = {
    "not Word": (b"hello world, not a word file", "hỏng hoặc không phải tệp Word"),
    "PDF": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "Không kiểm tra được tệp PDF"),
    "empty": (b"", "Tệp rỗng"),
    "truncated": (correct("cv")[:4000], "hỏng hoặc không phải tệp Word"),
    ".docm renamed": (with_macros(), "Tệp chứa macro"),
    "no text": (without_text(), "không có chữ nào"),
    "huge": (b"PK\x03\x04" + b"\x00" * 64 * 1024, "Tệp quá lớn (hơn 0,1 MB)"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_gets_the_checkers_message_and_nothing_is_stored_or_held(app, client, login, queued, case):
    data, message = BAD[case]
    app.config["FORMAT_CHECK_MAX_BYTES"] = 64 * 1024  # the checker's own 10 MB limit is its tests' business
    login("clerk")
    before = counts(app)
    response = upload(client, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts(app) == before


def test_a_check_lists_findings_by_element_errors_first_and_stores_no_file(app, client, login, queued):
    login("clerk")
    stored, jobs, held = counts(app)
    response = upload(client, correct("draft"), "du-thao.docx")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "du-thao.docx" in html
    # A draft: blank number and date, no signer's name: three findings, each under its element's heading.
    headings = re.findall(r'<h3 class="fc-element">([^<]+)</h3>', html)
    assert headings == ["Số, ký hiệu", "Địa danh, ngày tháng", "Chữ ký (quyền hạn, chức vụ, họ tên)"]
    assert "Cần:" in html and "Căn cứ:" in html and "Đoạn 44" in html
    assert "Đang chuẩn bị hình các trang" in html and 'hx-trigger="every 2s"' in html
    assert counts(app) == (stored, jobs + 1, held + 1)  # the job to draw the pages; the file held, not stored
    with app.app_context():
        assert db.session.scalar(select(Job.kind).order_by(Job.id.desc())) == JOB_FORMAT_CHECK_PAGES
        assert (
            db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()))
            == "format_check.check"
        )


def test_while_the_pages_are_drawn_the_findings_poll_themselves_as_a_fragment(client, login, queued):
    login("approver")
    address = upload(client, correct("draft")).headers["Location"]
    fragment = client.get(address + "/results", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="fc-results"')
    assert f'hx-get="{address}/results"' in fragment and "Số, ký hiệu" in fragment
    assert "chưa có tiến trình xử lý nền nào chạy" in fragment


def test_opening_the_page_removes_files_held_past_their_time(app, client, login, queued):
    import time

    from domain.format_review.held import HOLD_SECONDS, hold

    root = Path(app.config["CACHE_DIR"]) / "format_check"
    hold(root, 99, "cu.docx", b"old bytes", now=time.time() - HOLD_SECONDS - 1)
    assert counts(app)[2] == 1
    login("records")
    client.get("/format-check/")
    assert counts(app)[2] == 0


def test_a_held_file_is_only_its_owners(client, login, queued):
    login("clerk")
    address = upload(client, correct("draft")).headers["Location"]
    login("approver")
    assert client.get(address).status_code == 404
    assert client.get(address + "/page-1.jpg").status_code == 404
    assert client.get("/format-check/not-a-token-at-all").status_code == 404


def test_a_document_of_the_application_is_checked_from_its_current_docx(app, client, login, queued):
    with app.app_context():
        clerk = db.session.scalar(select(Document).limit(1))
        assert clerk is None
        from models import User

        author = db.session.scalar(select(User).filter_by(username="clerk"))
        document = Document(kind="CV", title="tổ chức hội nghị", body="Đề nghị các đơn vị cử đại biểu.",
                            status=DRAFT, year=2026, created_by_id=author.id)  # fmt: skip
        db.session.add(document)
        db.session.commit()
        document_id = document.id
    login("records")
    before = counts(app)
    response = client.post(
        "/format-check/document", data={"document_id": str(document_id), "version": "current"}
    )
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Số, ký hiệu" in html  # a draft has no number yet
    refused = client.post(
        "/format-check/document", data={"document_id": str(document_id), "version": "issued_copy"}
    )
    assert refused.status_code == 422 and "chưa ban hành" in refused.get_data(as_text=True)
    assert counts(app)[0] == before[0]


def test_the_pages_are_drawn_and_each_finding_is_pinned_where_it_is_printed(app, client, login, people):
    """The one test here that runs LibreOffice: the queue runs the job when the upload's transaction commits."""
    login("clerk")
    address = upload(client, correct("draft")).headers["Location"]
    html = client.get(address).get_data(as_text=True)
    assert "hx-trigger" not in html  # drawn: nothing left to wait for
    pins = dict(re.findall(r'<figure class="fc-page" id="fc-page-(\d+)">(.*?)</figure>', html, re.S))
    assert len(pins) == 3 and all(f"page-{n}.jpg" in pins[n] for n in pins)
    marked = {n: sorted(re.findall(r'data-findings="([^"]+)"', svg)) for n, svg in pins.items()}
    assert marked == {
        "1": ["1", "2"],
        "2": [],
        "3": ["3"],
    }  # number and date in the header, the name at the end
    assert 'href="#fc-page-3"' in html  # the finding links to its page
    with client.get(address + "/page-1.jpg") as picture:
        assert (
            picture.status_code == 200
            and picture.mimetype == "image/jpeg"
            and picture.data[:3] == b"\xff\xd8\xff"
        )


def test_an_issued_document_is_checked_from_the_docx_kept_when_it_was_issued(
    app, client, login, queued, people
):
    from register_fixtures import registered_document, user

    from docgen.records import store_issued_docx
    from domain.register.signed_copy import entry_of

    with app.app_context():
        document_id = registered_document(people)
        document = db.session.get(Document, document_id)
        store_issued_docx(document, entry_of(document), user("records"))  # as the register's issuing does
        db.session.commit()
    login("records")
    before = counts(app)
    response = client.post(
        "/format-check/document", data={"document_id": str(document_id), "version": "issued_copy"}
    )
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"<h1>KH-0*1-2026-03-02\.docx</h1>", html)  # the issued file, with its number and date
    assert "Số, ký hiệu" not in html  # numbered and dated: no blank left
    assert counts(app)[0] == before[0]


def test_when_the_drawing_failed_the_page_says_why_and_offers_to_try_again(app, client, login, queued):
    from models.choices import FAILED

    login("clerk")
    address = upload(client, correct("draft")).headers["Location"]
    with app.app_context():
        job = db.session.scalar(select(Job).order_by(Job.id.desc()))
        job.state, job.error = FAILED, "Không tạo được bản PDF: LibreOffice chạy quá 60 giây."
        db.session.commit()
    html = client.get(address).get_data(as_text=True)
    assert "Không vẽ được các trang: Không tạo được bản PDF: LibreOffice chạy quá 60 giây." in html
    assert "hx-trigger" not in html and f'action="{address}/redraw"' in html
    jobs_before = counts(app)[1]
    assert client.post(address + "/redraw").status_code == 303
    assert counts(app)[1] == jobs_before + 1
    assert "Đang chuẩn bị hình các trang" in client.get(address).get_data(as_text=True)
