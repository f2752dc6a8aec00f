"""An issued document never changes: every download gives the .docx stored when it was issued."""

from register_fixtures import make_document, office_time, user

from extensions import db
from models import Document, Unit


def test_downloads_of_an_issued_document_keep_what_was_issued_after_the_directory_changes(app, client, login, people):
    from domain.register import numbering as reg

    with app.app_context():
        document = make_document("Tuyên truyền Chỉ thị số 07-CT/TW", recipients=[people["district"]])
        db.session.commit()
        reg.issue(document, user("records"), office_time(2026, 3, 2, 9, 0))
        db.session.commit()
        document_id = document.id
    login("clerk")
    issued = client.get(f"/documents/{document_id}/final.docx").data  # stored at (or on first need after) issue
    assert client.get(f"/documents/{document_id}/docx").data == issued

    with app.app_context():  # later: the district is renamed and the signer's name corrected
        db.session.get(Unit, people["district"]).recipient_name = "Ban Thường trực Ủy ban MTTQVN huyện Yên Mô (mới)"
        user("approver").full_name = "Đinh Văn Thắng Mới"
        db.session.commit()
        assert db.session.get(Document, document_id).status == "issued"

    assert client.get(f"/documents/{document_id}/docx").data == issued
    assert client.get(f"/documents/{document_id}/final.docx").data == issued


def test_a_draft_is_drawn_from_its_current_data(app, client, login, people):
    with app.app_context():
        document = make_document("Dự thảo kế hoạch", status="draft", recipients=[people["district"]])
        db.session.commit()
        document_id = document.id
    login("clerk")
    before = client.get(f"/documents/{document_id}/docx").data
    with app.app_context():
        db.session.get(Unit, people["district"]).recipient_name = "Tên mới của huyện"
        db.session.commit()
    assert client.get(f"/documents/{document_id}/docx").data != before


def test_the_page_of_an_issued_document_shows_it_as_it_was_issued(app, client, login, people):
    from models.choices import APPROVED

    with app.app_context():
        document = make_document("Tuyên truyền Chỉ thị số 07-CT/TW", status=APPROVED, recipients=[people["district"]])
        db.session.commit()
        document_id = document.id
    login("records")
    assert client.post(f"/documents/{document_id}/issue",
                       data={"expected_status": APPROVED, "reserved_entry_id": "0"}).status_code == 303
    login("clerk")
    page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "Huyện Yên Mô" in page and "Đinh Văn Thắng" in page

    with app.app_context():  # later: the district is renamed and the signer's name corrected
        db.session.get(Unit, people["district"]).recipient_name = "Tên mới của huyện"
        user("approver").full_name = "Tên Mới Của Người Ký"
        db.session.commit()

    page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "Huyện Yên Mô" in page and "Đinh Văn Thắng" in page
    assert "Tên mới của huyện" not in page and "Tên Mới Của Người Ký" not in page
