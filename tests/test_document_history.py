"""A document's history shows what happened to it (transitions, comments, numbering, its signed copy handed out);
reading its .docx or PDF is one count there, while every read stays in the audit log."""

from sqlalchemy import func, select
from workflow_fixtures import make_document, user

from extensions import db
from models import AuditEvent, Document
from models.core import audit


def _history(client, document_id: int) -> str:
    return client.get(f"/documents/{document_id}/workflow").get_data(as_text=True).split("Lịch sử", 1)[1]


def test_ten_downloads_are_one_line_of_history_and_ten_rows_of_the_audit_log(app, client, login, people):
    with app.app_context():
        document_id = make_document(status="submitted").id
        db.session.commit()
    login("clerk")
    for _ in range(8):
        assert client.get(f"/documents/{document_id}/docx").status_code == 200
    with app.app_context():
        document = db.session.get(Document, document_id)
        for _ in range(2):  # as the PDF view writes it (the conversion itself is test_pdf_progress's)
            audit("document_download", document, user=user("approver"), summary="Xem KH-du-thao.pdf",
                  after={"format": "pdf"})
        audit("document.signed_copy_download", document, user=user("records"), object_type="document",
              summary="Lê Thị Hồng Nhung tải bản có chữ ký (ban-ky.pdf)")
        db.session.commit()
    history = _history(client, document_id)
    assert history.count("Đã xem/tải 10 lần") == 1
    assert "bản .docx: 8 lần" in history and "bản PDF: 2 lần" in history and "2 người" in history
    assert "Tải " not in history and "Xem KH-du-thao.pdf" not in history
    assert "tải bản có chữ ký (ban-ky.pdf)" in history  # a signed copy handed out is listed, with who
    assert "đã trình duyệt" in history  # the transition is still there, not buried
    with app.app_context():
        reads = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "document_download"))
        assert reads == 10


def test_a_document_never_read_shows_no_count(app, client, login, people):
    with app.app_context():
        document_id = make_document(status="submitted").id
        db.session.commit()
    login("clerk")
    assert "Đã xem/tải" not in _history(client, document_id)
