"""“Xem bản PDF” never leaves a blank tab: a PDF not ready at once gets a page that shows it is being prepared,
asks every second, turns into the PDF when LibreOffice is done, and says so plainly when it fails."""

import threading

from documents_fixtures import make_document
from sqlalchemy import func, select

from blueprints.documents import pdf_jobs
from docgen import pdf as docgen_pdf
from extensions import db
from models import AuditEvent

HTMX = {"HX-Request": "true"}


def _viewed(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "document_download"))


def test_a_slow_pdf_shows_progress_then_turns_into_the_pdf(app, client, login, people, monkeypatch):
    release = threading.Event()

    def slow(docx_bytes, cache_dir, timeout=60):
        release.wait(5)
        return b"%PDF-1.7 slow"

    monkeypatch.setattr(docgen_pdf, "convert_docx_to_pdf", slow)
    app.config["PDF_WAIT_SECONDS"] = 0.05
    with app.app_context():
        doc_id = make_document().id
    login("clerk")
    page = client.get(f"/documents/{doc_id}/pdf")
    html = page.get_data(as_text=True)
    assert page.status_code == 202 and "Đang tạo bản PDF" in html and "<progress" in html
    assert f'hx-get="/documents/{doc_id}/pdf/progress"' in html and 'hx-trigger="every 1s"' in html

    still = client.get(f"/documents/{doc_id}/pdf/progress", headers=HTMX)
    fragment = still.get_data(as_text=True)
    assert still.status_code == 200 and "<html" not in fragment and 'hx-trigger="every 1s"' in fragment

    release.set()
    for _ in range(50):  # the conversion thread finishes within moments of its release
        done = client.get(f"/documents/{doc_id}/pdf/progress", headers=HTMX)
        if "HX-Redirect" in done.headers:
            break
        threading.Event().wait(0.05)
    assert done.headers["HX-Redirect"] == f"/documents/{doc_id}/pdf"
    assert _viewed(app) == 0  # only the PDF itself counts as a view
    shown = client.get(done.headers["HX-Redirect"])
    assert shown.mimetype == "application/pdf" and shown.data == b"%PDF-1.7 slow"
    assert _viewed(app) == 1
    assert not pdf_jobs._jobs


def test_a_failed_conversion_replaces_the_progress_with_the_reason(app, client, login, people, monkeypatch):
    release = threading.Event()

    def failing(docx_bytes, cache_dir, timeout=60):
        release.wait(5)
        raise docgen_pdf.PdfConversionFailed("Không tạo được bản PDF: LibreOffice chạy quá 60 giây.")

    monkeypatch.setattr(docgen_pdf, "convert_docx_to_pdf", failing)
    app.config["PDF_WAIT_SECONDS"] = 0.05
    with app.app_context():
        doc_id = make_document().id
    login("clerk")
    assert client.get(f"/documents/{doc_id}/pdf").status_code == 202
    release.set()
    for _ in range(50):
        answer = client.get(f"/documents/{doc_id}/pdf/progress", headers=HTMX).get_data(as_text=True)
        if "hx-trigger" not in answer:
            break
        threading.Event().wait(0.05)
    assert "Không tạo được bản PDF" in answer and "LibreOffice chạy quá 60 giây" in answer
    assert 'role="alert"' in answer and "hx-trigger" not in answer  # the asking stops


def test_progress_is_for_those_who_may_read_the_document(app, client, login, people):
    with app.app_context():
        doc_id = make_document().id
    login("reporter")
    assert client.get(f"/documents/{doc_id}/pdf/progress", headers=HTMX).status_code == 404
