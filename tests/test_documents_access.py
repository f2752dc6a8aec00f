"""Who sees which document: office staff see all; a district sees only issued documents addressed to it."""

from __future__ import annotations

from datetime import date

import pytest
from documents_fixtures import make_document, user
from sqlalchemy import select

from domain.access import visible_documents
from extensions import db
from models import Document

ISSUED = {"status": "issued", "number": 12, "issued_on": date(2026, 5, 4)}


def _documents(people) -> dict[str, int]:
    """One document per situation a district reporter can meet."""
    made = {
        "draft_to_district": make_document(title="Dự thảo gửi Yên Mô", recipients=[(people["district"], "")]),
        "issued_to_district": make_document(title="Đã ban hành gửi Yên Mô", recipients=[(people["district"], "")],
                                            **ISSUED),
        "issued_to_group": make_document(title="Đã ban hành gửi các huyện", recipients=[(people["group"], "")],
                                         **ISSUED),
        "issued_to_other": make_document(title="Đã ban hành gửi Kim Sơn", recipients=[(people["other_district"], "")],
                                         **ISSUED),
        "issued_to_office": make_document(title="Đã ban hành gửi Thường trực", recipients=[(people["office"], "")],
                                          **ISSUED),
        "archived_to_district": make_document(title="Đã lưu trữ gửi Yên Mô", recipients=[(people["district"], "")],
                                              status="archived", number=3, issued_on=date(2026, 1, 5)),
        "approved_to_district": make_document(title="Đã duyệt chưa số gửi Yên Mô",
                                              recipients=[(people["district"], "")], status="approved"),
    }
    db.session.commit()
    return {k: d.id for k, d in made.items()}


# (user, documents they may open): office staff open everything; a district only what was issued to it.
SEES = {
    "reporter": {"issued_to_district", "issued_to_group", "archived_to_district"},
    "other_reporter": {"issued_to_group", "issued_to_other"},
}


@pytest.mark.parametrize("username", ["admin", "clerk", "approver", "records", "reporter", "other_reporter"])
def test_every_document_page_answers_only_to_those_who_may_see_it(app, client, login, people, username):
    with app.app_context():
        ids = _documents(people)
    login(username)
    everything = set(ids)
    allowed = SEES.get(username, everything)
    for name, doc_id in ids.items():
        for url in (f"/documents/{doc_id}", f"/documents/{doc_id}/docx"):
            status = client.get(url).status_code
            assert status == (200 if name in allowed else 404), f"{username} {url} ({name}): {status}"
    listed = client.get("/documents").get_data(as_text=True)
    titles = {name for name in ids if f'href="/documents/{ids[name]}"' in listed}
    assert titles == allowed


def test_visible_documents_is_a_select_that_lists_and_gets_agree(app, people):
    with app.app_context():
        ids = _documents(people)
        found = set(db.session.scalars(visible_documents(user("reporter")).with_only_columns(Document.id)))
        assert found == {ids[n] for n in SEES["reporter"]}
        no_unit = user("reporter")
        no_unit.unit_id = None
        db.session.flush()
        db.session.expire(no_unit, ["unit"])
        assert db.session.scalars(visible_documents(no_unit)).all() == []


def test_a_user_without_any_role_sees_no_document(app, client, login, people):
    from conftest import make_user
    with app.app_context():
        make_user("nobody", set())
        db.session.commit()
        doc_id = make_document().id
    login("nobody")
    assert client.get(f"/documents/{doc_id}").status_code == 404
    assert "Chưa có văn bản nào" in client.get("/documents").get_data(as_text=True)


def test_a_reporter_reads_an_issued_document_without_the_drafting_history(app, client, login, people):
    with app.app_context():
        doc_id = make_document(recipients=[(people["district"], "")], **ISSUED).id
    login("reporter")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Số: 12/KH-MTTQ-BTT" in page and "ngày 04 tháng 5 năm 2026" in page
    assert "Các lần lưu" not in page
    assert client.get(f"/documents/{doc_id}/revisions/1").status_code == 403
    assert client.post("/documents/preview", data={"document_id": str(doc_id)}).status_code == 403


def test_the_navigation_shows_van_ban_to_everyone(client, login, people):
    for username in ("clerk", "reporter", "approver"):
        login(username)
        assert '<a href="/documents"' in client.get("/").get_data(as_text=True)


def test_posting_to_a_document_checks_role_before_anything_else(app, client, login, people):
    with app.app_context():
        doc_id = make_document().id
        before = db.session.scalar(select(Document.lock_version).where(Document.id == doc_id))
    login("approver")
    assert client.post(f"/documents/{doc_id}", data={"op": "save", "title": "x"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Document.lock_version).where(Document.id == doc_id)) == before
