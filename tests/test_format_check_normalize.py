"""Chuẩn hóa from the Kiểm tra thể thức page: only clerks and administrators; the draft (DRAFT, the clerk's, audited,
its first revision kept) made from the file through the importer; the comparison and the words only in the original."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from extensions import db
from models.choices import DRAFT
from models.core import AuditEvent
from models.documents import Document

try:
    from format_check_fixtures import broken, correct
    from format_page_fixtures import counts, queued, upload
except ImportError:  # pragma: no cover
    from tests.format_check_fixtures import broken, correct
    from tests.format_page_fixtures import counts, queued, upload

__all__ = ["queued"]  # a fixture, used by name


def test_only_a_clerk_or_an_administrator_makes_a_draft_from_the_file(app, client, login, queued):
    login("approver")
    address = upload(client, correct("plan")).headers["Location"]
    assert "/normalize" not in client.get(address).get_data(as_text=True)
    assert client.post(address + "/normalize").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Document.id))) == 0


def test_normalizing_makes_a_draft_by_the_clerk_audited_and_shows_that_no_word_was_lost(
    app, client, login, queued
):
    login("clerk")
    address = upload(client, correct("draft"), "ke-hoach.docx").headers["Location"]
    assert client.post(address + "/normalize", csrf=False).status_code == 400
    response = client.post(address + "/normalize")
    assert response.status_code == 303
    with app.app_context():
        document = db.session.scalar(select(Document))
        assert (document.status, document.kind, document.created_by.username) == (DRAFT, "KH", "clerk")
        assert document.title.startswith("Tuyên truyền thực hiện Chỉ thị số 07-CT/TW")
        assert document.body.startswith("I. ") and document.signer_title == "PHÓ CHỦ TỊCH"
        assert [r.label for r in document.recipients][:1] == ["Ban Tuyên giáo Ủy ban Trung ương MTTQVN"]
        assert document.last_revision() is not None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "format_check.normalize"))
        assert event is not None and event.object_id == document.id
    assert counts(app)[0] == 0  # nothing stored: the draft is data, its .docx is drawn when asked for
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Không mất chữ nào" in html
    assert f'href="/documents/{document.id}"' in html


def test_the_comparison_shows_the_words_only_in_the_original(app, client, login, queued):
    """An issued plan: its number, its date and a signer without an account here are not carried into the draft,
    and a line typed below the signature block is not either; each of those words is listed as lost."""
    login("clerk")
    address = upload(client, broken("plan", lambda word: word.add_paragraph("Zyxwv"))).headers["Location"]
    response = client.post(address + "/normalize")
    messages = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Người ký “Nguyễn Văn An” chưa có trong danh sách người duyệt" in messages
    html = messages[messages.index("fc-compare-title") :]
    lost = re.search(r'class="wf-note fc-lost".*?</div>', html, re.S)[0]
    assert "7 từ của tệp gốc không có trong dự thảo mới" in lost
    assert re.findall(r"<del>([^<]+)</del>", lost) == [
        "01",
        "05",
        "5",
        "An",
        "Nguyễn",
        "văn",
        "Zyxwv",
    ]  # as first written
    assert "Số: <del>05</del>/KH-MTTQ-BTT" in html


def test_a_file_that_is_no_official_document_is_not_normalized_and_says_why(app, client, login, queued):
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_paragraph("Danh sách khách mời dự hội nghị")
    word.add_paragraph("Ông Nguyễn Văn A, Bà Trần Thị B")
    out = io.BytesIO()
    word.save(out)
    login("clerk")
    address = upload(client, out.getvalue(), "danh-sach.docx").headers["Location"]
    response = client.post(address + "/normalize")
    assert response.status_code == 303 and response.headers["Location"] == address
    assert "Không chuẩn hóa được: Không nhận ra cấu trúc" in client.get(address).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Document.id))) == 0
