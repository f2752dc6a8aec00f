"""Documents as files: .docx download, PDF for the reviewer, the export command, the seed plan, document_data."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest
from documents_fixtures import docx_text, docx_xml, editor_form, make_document
from sqlalchemy import func, select

from demo.documents import seed_plan_text
from docgen import pdf as docgen_pdf
from docgen.layout import noi_nhan_lines
from docgen.records import document_data
from domain.jobs import queue, runner
from domain.text.vietnamese import clean_text
from extensions import db
from models import AuditEvent, Document, Organization
from models.choices import QUEUED
from models.jobs import Job

FIXTURES = Path(__file__).resolve().parent / "fixtures"


# ---- .docx -------------------------------------------------------------------------------------------------


def test_docx_download_is_named_from_kind_number_and_date_and_holds_the_text(app, client, login, people):
    with app.app_context():
        draft = make_document(recipients=[(people["district"], "")])
        issued = make_document(title="Kế hoạch đã ban hành", status="issued", number=5, issued_on=date(2026, 5, 1))
        ids = draft.id, issued.id
    login("clerk")
    response = client.get(f"/documents/{ids[0]}/docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.headers["Content-Disposition"] == "attachment; filename=KH-du-thao.docx"
    text = docx_text(response.data)
    assert "Tuyên truyền Chỉ thị số 07-CT/TW" in text and "I. MỤC ĐÍCH, YÊU CẦU" in text
    assert "- Huyện Yên Mô;" in text and "- Lưu: VT, BTG." in text and "báo cáo kết quả./." in text
    named = client.get(f"/documents/{ids[1]}/docx")
    assert named.headers["Content-Disposition"] == "attachment; filename=KH-05-2026-05-01.docx"
    assert "Số: 05/KH-MTTQ-BTT" in docx_text(named.data)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).filter_by(action="document_download")).all()
        assert [(e.object_id, e.after["format"]) for e in events] == [(ids[0], "docx"), (ids[1], "docx")]


def test_html_and_control_characters_are_literal_text_in_the_docx(app, client, login, people):
    login("clerk")
    script = "<script>alert('x')</script> & <b>đậm</b>"
    form = editor_form(title=script, body=f"I. {script}\n- dòng\x01 có ký tự điều khiển", references_text=script,
                       recipient_unit=[""], recipient_text=[script])
    assert client.post("/documents/new", data=form).status_code == 303
    with app.app_context():
        doc_id = db.session.scalar(select(Document.id))
    content = client.get(f"/documents/{doc_id}/docx").data
    text = docx_text(content)
    assert script in text and f"I. {script.upper()}" in text and "- dòng có ký tự điều khiển" in text
    assert f"- {script};" in text
    xml = docx_xml(content)
    assert "&lt;script&gt;" in xml and "<script>" not in xml and "<b>" not in xml
    docx.Document(io.BytesIO(content))  # python-docx opens it


def test_cong_van_docx_has_v_v_kinh_gui_and_nhu_tren(app, client, login, people):
    with app.app_context():
        doc_id = make_document(kind="CV", title="tổ chức Hội nghị", kinh_gui="Ban Thường trực các huyện").id
    login("clerk")
    text = docx_text(client.get(f"/documents/{doc_id}/docx").data)
    assert "V/v tổ chức Hội nghị" in text and "Kính gửi: Ban Thường trực các huyện" in text
    assert "- Như trên;" in text and "Số:      /MTTQ-BTT" in text


def test_document_data_fills_docgen_from_the_record_and_the_settings(app, people):
    with app.app_context():
        document = make_document(recipients=[(people["group"], ""), (None, "Các tổ chức thành viên")],
                                 kinh_gui="bỏ qua với kế hoạch")
        document.signing_deputy_line = "KT. CHỦ TỊCH"
        org = Organization.current()
        data = document_data(document, org)
        assert data.issuer.parent_lines == ["ỦY BAN MTTQ VIỆT NAM", "TỈNH NINH BÌNH"]
        assert data.issuer.full_name == org.full_name and data.issuer.archive_unit == "BTG"
        assert (data.signature.authority, data.signature.deputy_line) == ("TM. BAN THƯỜNG TRỰC", "KT. CHỦ TỊCH")
        assert (data.signature.title, data.signature.name) == ("PHÓ CHỦ TỊCH", "Đinh Văn Thắng")  # from the signer
        assert data.recipients == ["Các huyện, thành phố", "Các tổ chức thành viên"]
        assert data.kinh_gui == [] and data.number is None and data.year == 2026
        document.signer_title = "CHỦ TỊCH"
        assert document_data(document, org).signature.title == "CHỦ TỊCH"


# ---- PDF ---------------------------------------------------------------------------------------------------


# Everything a clerk may paste: markup, Word's tabs and non-breaking spaces, smart quotes, decomposed letters.
NASTY = "<script>alert('x')</script> & “trích dẫn”\tTuyê\u0302n\u00a0truyền \x0c]]>"


@pytest.mark.libreoffice
def test_pdf_is_converted_by_libreoffice_cached_and_shown_inline(app, client, login, people, monkeypatch):
    """LibreOffice opens a document full of pasted oddities; the PDF is cached by content."""
    if docgen_pdf.libreoffice_path() is None:
        pytest.skip("LibreOffice is not installed")
    with app.app_context():
        doc_id = make_document(title=NASTY, body=f"I. {NASTY}\n- {NASTY}", kind="CV", kinh_gui=NASTY,
                               recipients=[(None, NASTY)]).id
    runs = []
    convert = docgen_pdf._convert
    monkeypatch.setattr(docgen_pdf, "_convert", lambda *args: runs.append(args) or convert(*args))
    app.config["PDF_WAIT_SECONDS"] = 60  # the conversion itself, not the "being prepared" page (test_pdf_progress)
    login("approver")
    response = client.get(f"/documents/{doc_id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == 'inline; filename="CV-du-thao.pdf"'
    import shutil
    import subprocess
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout
        assert "<script>alert('x')</script>" in text.decode("utf-8")
    assert list((Path(app.config["CACHE_DIR"]) / "pdf").glob("*.pdf"))
    assert client.get(f"/documents/{doc_id}/pdf").data == response.data
    assert len(runs) == 1  # the second request is served from the cache, without LibreOffice


def test_without_libreoffice_the_pdf_page_says_so_and_offers_the_docx(app, client, login, people, monkeypatch):
    monkeypatch.setattr(docgen_pdf, "libreoffice_path", lambda: None)
    with app.app_context():
        doc_id = make_document().id
    login("approver")
    response = client.get(f"/documents/{doc_id}/pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Máy chủ chưa cài LibreOffice" in page and f'href="/documents/{doc_id}/docx"' in page


def test_a_failed_conversion_is_explained_and_a_slow_one_shows_a_waiting_page(app, client, login, people,
                                                                              monkeypatch):
    def failing(docx_bytes, cache_dir, timeout=60):
        raise docgen_pdf.PdfConversionFailed("Không tạo được bản PDF: LibreOffice chạy quá 60 giây.")

    monkeypatch.setattr(docgen_pdf, "convert_docx_to_pdf", failing)
    app.config["JOBS_RETRY_BACKOFF_SECONDS"] = 0  # both attempts at once, in this request (immediate mode)
    with app.app_context():
        doc_id = make_document().id
    login("clerk")
    response = client.get(f"/documents/{doc_id}/pdf")
    assert response.status_code == 503 and "LibreOffice chạy quá 60 giây" in response.get_data(as_text=True)

    app.config.update(JOBS_QUEUE=queue.MEMORY, PDF_WAIT_SECONDS=0.05)  # the job waits for the worker
    queue.configure(app)
    monkeypatch.setattr(docgen_pdf, "convert_docx_to_pdf", lambda docx_bytes, cache_dir, timeout=60: b"%PDF-1.7 slow")
    waiting = client.get(f"/documents/{doc_id}/pdf")
    assert waiting.status_code == 202 and '<meta http-equiv="refresh" content="3">' in waiting.get_data(as_text=True)
    with app.app_context():
        job_id = db.session.scalar(select(Job.id).where(Job.state == QUEUED))
    runner.run(job_id, app)  # what the worker does
    assert client.get(f"/documents/{doc_id}/pdf").data == b"%PDF-1.7 slow"  # the same job, now finished


# ---- the export command ------------------------------------------------------------------------------------


def test_export_docx_writes_one_or_every_document(app, people, tmp_path):
    with app.app_context():
        first, second = make_document().id, make_document(kind="BC", title="Báo cáo quý").id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export-docx", "--all", "--out", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert files == [f"{first:04d}-KH-du-thao.docx", f"{second:04d}-BC-du-thao.docx"]
    assert "Đã ghi 2 văn bản" in result.output and "Báo cáo quý" in result.output
    one = runner.invoke(args=["export-docx", str(second), str(tmp_path / "bc.docx")])
    assert one.exit_code == 0 and "bc.docx" in one.output
    assert "Báo cáo quý" in docx_text((tmp_path / "bc.docx").read_bytes())
    missing = runner.invoke(args=["export-docx", "999", str(tmp_path / "x.docx")])
    assert missing.exit_code != 0 and "Không có văn bản số hiệu 999" in missing.output
    assert runner.invoke(args=["export-docx", "--all"]).exit_code == 2  # --out is required


# ---- demo data ---------------------------------------------------------------------------------------------


def test_seed_demo_adds_the_chi_thi_07_plan_once_with_the_exact_text(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["seed-demo", "--password", "demo-12345"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        text = seed_plan_text()
        plans = db.session.scalars(select(Document).where(Document.title == text["title"])).all()
        assert len(plans) == 1
        plan = plans[0]
        expected_body = clean_text((FIXTURES / "ke-hoach-chi-thi-07-body.txt").read_text(encoding="utf-8")).rstrip("\n")
        assert plan.body == expected_body
        assert plan.body.startswith("I. MỤC ĐÍCH, YÊU CẦU") and plan.body.endswith("để tổng hợp báo cáo./.")
        assert plan.title.startswith("Tuyên truyền thực hiện Chỉ thị số 07- CT/TW của Ban Bí thư (khóa XII)")
        assert plan.references == [text["references"]]
        assert plan.references[0].startswith("Thực hiện Hướng dẫn số 20-HD/BTGTU, ngày 03/5/2017")
        assert (plan.kind, plan.created_by.username, plan.signer.username) == ("KH", "chuyenvien", "phochutich")
        assert (plan.signing_authority, plan.signer_title) == ("TM. BAN THƯỜNG TRỰC", "PHÓ CHỦ TỊCH")
        assert [r.label for r in plan.recipients] == [
            "Ban Tuyên giáo Ủy ban Trung ương MTTQVN", "Ban Tuyên giáo Tỉnh ủy Ninh Bình",
            "Ban Thường trực Ủy ban MTTQVN tỉnh", "Ban Thường trực UBMTTQVN các huyện, thành phố"]
        data = document_data(plan, Organization.current())
        assert noi_nhan_lines(data)[-1] == "- Lưu: VT, Ban Tuyên giáo MTTQ tỉnh."
        assert db.session.scalar(select(func.count()).select_from(Document)) >= 1


def test_the_seed_text_is_a_copy_of_the_offices_file():
    text = seed_plan_text()
    fixture = (FIXTURES / "ke-hoach-chi-thi-07-body.txt").read_text(encoding="utf-8")
    assert text["body"] == clean_text(fixture).rstrip("\n")
