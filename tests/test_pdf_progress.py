"""“Xem bản PDF” never leaves a blank tab: the PDF is made by the background worker; one not ready at once gets a
page that shows it is being prepared (or waiting, when no worker runs), asks every second, turns into the PDF when
the job is done, and says so plainly when it fails. Here the queue waits in memory and the test plays the worker."""

import pytest
from documents_fixtures import make_document
from sqlalchemy import func, select

from docgen import pdf as docgen_pdf
from domain.jobs import queue, runner
from domain.jobs.workers import start_worker
from extensions import db
from models import AuditEvent
from models.choices import FAILED, JOB_PDF_PREVIEW
from models.jobs import Job

HTMX = {"HX-Request": "true"}


@pytest.fixture
def queued(app, monkeypatch):
    """Jobs wait in memory until the test runs them (the worker's part); retries are due at once."""
    app.config.update(JOBS_QUEUE=queue.MEMORY, PDF_WAIT_SECONDS=0.05, JOBS_RETRY_BACKOFF_SECONDS=0)
    queue.configure(app)
    converted = []

    def convert(docx_bytes, cache_dir, timeout=60):
        converted.append(docx_bytes)
        return b"%PDF-1.7 from the worker"

    monkeypatch.setattr(docgen_pdf, "convert_docx_to_pdf", convert)
    return converted


def _viewed(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "document_download"))


def _work(app) -> list[Job]:
    """Run every preview job that waits, as the worker would; their states after."""
    with app.app_context():
        ids = db.session.scalars(select(Job.id).where(Job.kind == JOB_PDF_PREVIEW)).all()
        db.session.commit()
        for job_id in ids:
            runner.run(job_id)
        db.session.expire_all()
        return db.session.scalars(select(Job).order_by(Job.id)).all()


def test_a_pdf_not_ready_shows_progress_then_turns_into_the_pdf(app, client, login, people, queued):
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

    assert [job.state for job in _work(app)] == ["done"]
    done = client.get(f"/documents/{doc_id}/pdf/progress", headers=HTMX)
    assert done.headers["HX-Redirect"] == f"/documents/{doc_id}/pdf"
    assert _viewed(app) == 0  # only the PDF itself counts as a view
    shown = client.get(done.headers["HX-Redirect"])
    assert shown.mimetype == "application/pdf" and shown.data == b"%PDF-1.7 from the worker"
    assert _viewed(app) == 1 and len(queued) == 1


def test_without_a_worker_the_page_says_the_pdf_is_waiting_and_why(app, client, login, people, queued):
    with app.app_context():
        doc_id = make_document().id
    login("clerk")
    html = client.get(f"/documents/{doc_id}/pdf").get_data(as_text=True)
    assert "Đang chờ:" in html and "chưa có tiến trình xử lý nền nào chạy" in html
    with app.app_context():
        start_worker()  # a worker that beats: the job is simply on its way
    fragment = client.get(f"/documents/{doc_id}/pdf/progress", headers=HTMX).get_data(as_text=True)
    assert "Đang chờ:" not in fragment and "LibreOffice đang chuyển" in fragment


def test_the_same_pdf_asked_for_twice_is_one_job_and_one_conversion(app, client, login, people, queued):
    with app.app_context():
        doc_id = make_document().id
    login("clerk")
    assert client.get(f"/documents/{doc_id}/pdf").status_code == 202
    login("approver")
    assert client.get(f"/documents/{doc_id}/pdf").status_code == 202
    assert len(_work(app)) == 1 and len(queued) == 1
    assert client.get(f"/documents/{doc_id}/pdf").mimetype == "application/pdf"


def test_a_failed_conversion_replaces_the_progress_with_the_reason(app, client, login, people, queued, monkeypatch):
    def failing(docx_bytes, cache_dir, timeout=60):
        raise docgen_pdf.PdfConversionFailed("Không tạo được bản PDF: LibreOffice chạy quá 60 giây.")

    monkeypatch.setattr(docgen_pdf, "convert_docx_to_pdf", failing)
    with app.app_context():
        doc_id = make_document().id
    login("clerk")
    assert client.get(f"/documents/{doc_id}/pdf").status_code == 202
    _work(app)  # the first attempt fails; the job waits for its second
    assert "hx-trigger" in client.get(f"/documents/{doc_id}/pdf/progress", headers=HTMX).get_data(as_text=True)
    assert [(job.state, job.attempts) for job in _work(app)] == [(FAILED, 2)]
    answer = client.get(f"/documents/{doc_id}/pdf/progress", headers=HTMX).get_data(as_text=True)
    assert "Không tạo được bản PDF" in answer and "LibreOffice chạy quá 60 giây" in answer
    assert 'role="alert"' in answer and "hx-trigger" not in answer  # the asking stops


def test_progress_is_for_those_who_may_read_the_document(app, client, login, people):
    with app.app_context():
        doc_id = make_document().id
    login("reporter")
    assert client.get(f"/documents/{doc_id}/pdf/progress", headers=HTMX).status_code == 404
