"""The document ready for signing and back: the issued document as PDF/A-2b for the văn thư (made by the worker
with LibreOffice), and the signed PDF's text compared word by word with the issued document's body before it is
filed, tolerant of what a PDF's text layer does (diacritics, line breaks, page furniture)."""

from __future__ import annotations

import json
import re

import pytest
import signature_fixtures as F
import test_signed_copy as upload_tests
from register_fixtures import image_bytes, pdf_bytes
from sqlalchemy import select

from domain.jobs import queue
from domain.register.body_check import check_body
from domain.text.textdiff import word_agreement
from extensions import db
from models import AuditEvent, Document, SignedCopy
from models.choices import CERT_ROOT, COPY_SIGNED_VALID
from models.trust import TrustedCertificate

issued, frozen_clock, upload, NOW = upload_tests.issued, upload_tests.frozen_clock, upload_tests.upload, upload_tests.NOW
HEAD = upload_tests.MATCHING_TEXT
BODY = "Ban Thuong truc to chuc tuyen truyen sau rong trong Nhan dan."  # the fixture's body, folded as Helvetica shows it


def test_word_agreement_ignores_case_diacritics_breaks_and_extra_words():
    found = "KẾ HOẠCH\nban thuong\ntruc to chuc tuyen-\ntruyen sau rong 2 trong Nhan dan\nNơi nhận: - Như trên"
    agreement = word_agreement("Ban Thường trực tổ chức tuyên truyền sâu rộng trong Nhân dân.", found)
    assert (agreement.words, agreement.matched, agreement.missing) == (12, 12, [])


def test_word_agreement_names_the_words_that_are_not_there():
    agreement = word_agreement("Các huyện báo cáo trước ngày 15 tháng 3.", "Cac huyen bao cao truoc ngay 25 thang 3")
    assert agreement.ratio == pytest.approx(8 / 9) and agreement.missing == ["15"]


def test_a_scan_without_text_has_no_body_check(app, issued):
    with app.app_context():
        assert check_body(db.session.get(Document, issued), "  \n\f ") is None


@pytest.mark.parametrize(("body", "ok", "absent"), [
    (BODY, True, []),
    ("Ban Thuong truc to chuc hoc tap sau rong trong Nhan dan.", False, ["tuyên truyền"]),
])
def test_the_signed_copy_body_is_compared_before_it_is_filed(app, client, login, issued, body, ok, absent):
    login("records")
    upload(client, issued, (pdf_bytes(*HEAD, body), "ban-ky.pdf"))
    with app.app_context():
        result = db.session.scalar(select(SignedCopy)).body_result
        assert (result["ok"], result["absent"], result["words"]) == (ok, absent, 12)
    page = client.get(f"/archive/{issued}").get_data(as_text=True)
    assert "Nội dung: " in page and ("Thiếu hoặc khác: “tuyên truyền”" in page) == (not ok)


def test_images_get_no_body_check(app, client, login, issued):
    login("records")
    upload(client, issued, (image_bytes("PNG"), "trang-1.png"))
    with app.app_context():
        assert db.session.scalar(select(SignedCopy)).body_result is None


def test_only_the_records_clerk_gets_the_pdf_for_signing(client, login, issued):
    login("clerk")
    assert client.get(f"/documents/{issued}/signing.pdf").status_code == 403


@pytest.mark.libreoffice
def test_the_issued_document_as_pdfa_signed_outside_comes_back_valid_and_with_its_text(app, client, login, issued):
    """The round trip: download PDF/A-2b, sign it with the leader's certificate, upload it: the signature holds,
    and the number, date, trích yếu and body are found in it."""
    with app.app_context():
        db.session.add(TrustedCertificate(kind=CERT_ROOT, subject="Root", issuer="Root", serial="1", sha256="r" * 64,
                                          der=F.authority().root.der, not_before=NOW.replace(tzinfo=None),
                                          not_after=NOW.replace(tzinfo=None)))
        db.session.commit()
    login("records")
    assert "Tải bản PDF/A để ký số" in client.get(f"/archive/{issued}").get_data(as_text=True)
    response = client.get(f"/documents/{issued}/signing.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdfa = response.data
    assert re.search(rb"pdfaid:part>2<", pdfa) and re.search(rb"pdfaid:conformance>B<", pdfa)
    signed = F.sign(pdfa, F.authority().leader, [F.authority().intermediate, F.authority().root])
    upload(client, issued, (signed, "ban-ky-so.pdf"))
    with app.app_context():
        copy = db.session.scalar(select(SignedCopy))
        assert copy.signature_state == COPY_SIGNED_VALID
        assert (copy.number_found, copy.date_found, copy.title_found) == (True, True, True)
        assert copy.body_result["ok"] and copy.body_result["ratio"] == 1.0
        assert json.loads(copy.signature_report)["signatures"][0]["covers_whole_file"] is True
        assert db.session.scalar(select(AuditEvent).filter_by(action="document.signing_pdf_download")) is not None


def test_while_no_worker_runs_the_pdf_for_signing_waits_and_says_so(app, client, login, issued):
    app.config["JOBS_QUEUE"] = queue.MEMORY  # the job waits for a worker that is not there
    queue.configure(app)
    try:
        login("records")
        response = client.get(f"/documents/{issued}/signing.pdf")
        page = response.get_data(as_text=True)
        assert response.status_code == 202 and "Bản PDF/A để ký số" in page and "Đang chờ" in page
        assert f"next=/documents/{issued}/signing.pdf" in page.replace("%2F", "/")
    finally:
        app.config["JOBS_QUEUE"] = queue.IMMEDIATE
        queue.configure(app)
