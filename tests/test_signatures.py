"""Digital signatures of signed copies: each case a PDF signed with pyHanko under a certificate authority made in
the test, checked by the worker after the upload against the administrator's trust list; the verdict on the record
page and as a badge in the archive; the stored bytes never change; bad files give a verdict or a message, and the
worker goes on with the next job."""

from __future__ import annotations

import hashlib
import io
import json
import warnings
import zlib
from datetime import UTC, datetime, timedelta

import pytest
import signature_fixtures as F
import test_signed_copy as upload_tests
from register_fixtures import image_bytes
from sqlalchemy import select

from domain import files, jobs
from domain.files import FileRejected
from domain.jobs import queue
from domain.register.scans import images_to_pdf
from domain.register.signatures import verify_pdf
from extensions import db
from models import AuditEvent, SignedCopy
from models.choices import (
    CERT_ROOT,
    COPY_SIGNED_BAD,
    COPY_SIGNED_UNTRUSTED,
    COPY_SIGNED_VALID,
    COPY_UNCHECKABLE,
    COPY_UNSIGNED,
    DONE,
    JOB_VERIFY_SIGNATURES,
    SIG_BROKEN,
    SIG_EXPIRED,
    SIG_MODIFIED,
    SIG_UNREADABLE,
    SIG_UNTRUSTED,
    SIG_VALID,
)
from models.jobs import Job
from models.trust import TrustedCertificate

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

# The issued document and the office clock of the upload tests, and their upload helper.
issued, frozen_clock, upload, NOW = upload_tests.issued, upload_tests.frozen_clock, upload_tests.upload, upload_tests.NOW
CA = F.authority()
CHAIN = [CA.intermediate, CA.root]
ROOTS = [CA.root.der]


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    """Every case, signed once for the module."""
    plain = F.plain_pdf("So 01/KH-MTTQ-BTT")
    leader = F.sign(plain, CA.leader, CHAIN)
    return {
        "plain": plain,
        "valid": leader,
        "tampered": F.tamper(leader, b"So 01/KH", b"So 07/KH"),
        "two": F.sign(leader, CA.office, CHAIN, field="Signature2"),
        "later_update": F.add_page_text(leader, "Them sau khi ky"),
        "expired": F.sign(plain, CA.expired, CHAIN),
        "stranger": F.sign(plain, CA.stranger, [CA.other_root]),
        "bad_certificate": _break_certificate(leader, CA.leader),
    }


def _break_certificate(pdf: bytes, party: F.Party) -> bytes:
    """The signer's certificate inside the signature with its serial number's INTEGER tag made an OCTET STRING."""
    cert = party.der.hex()
    at = pdf.lower().find(cert.encode())
    assert at > 0
    serial_tag = cert.find("a003020102") + 10  # after the version [0] INTEGER 2
    assert cert[serial_tag:serial_tag + 2] == "02"
    broken = cert[:serial_tag] + "04" + cert[serial_tag + 2:]
    return pdf[:at] + broken.encode() + pdf[at + len(cert):]


def verdicts(report: dict) -> list[str]:
    return [s["verdict"] for s in report["signatures"]]


# ---- the check itself --------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "expected", "state"), [
    ("valid", [SIG_VALID], COPY_SIGNED_VALID),
    ("tampered", [SIG_BROKEN], COPY_SIGNED_BAD),
    ("two", [SIG_VALID, SIG_VALID], COPY_SIGNED_VALID),
    ("later_update", [SIG_MODIFIED], COPY_SIGNED_BAD),
    ("expired", [SIG_EXPIRED], COPY_SIGNED_BAD),
    ("stranger", [SIG_UNTRUSTED], COPY_SIGNED_UNTRUSTED),
    ("plain", [], COPY_UNSIGNED),
    ("bad_certificate", [SIG_UNREADABLE], COPY_SIGNED_BAD),
])
def test_each_signed_pdf_gets_its_verdict(pdfs, case, expected, state):
    report = verify_pdf(pdfs[case], ROOTS, [])
    assert (verdicts(report), report["state"], report["problem"]) == (expected, state, "")


def test_a_valid_signature_names_the_signer_the_organization_and_the_certificate(pdfs):
    (s,) = verify_pdf(pdfs["valid"], ROOTS, [])["signatures"]
    assert (s["signer"], s["organization"]) == ("Nguyễn Văn An", F.ORG)
    assert s["serial"] == format(CA.leader.cert.serial_number, "X")
    assert s["issuer"].startswith("CA trung gian thử nghiệm")
    assert s["signing_time"] and s["timestamp"] is None
    assert (s["intact"], s["covers_whole_file"], s["certificate_valid"], s["trusted"]) == (True, True, True, True)
    assert s["revocation_embedded"] is False  # no LTV data in a file signed without it


def test_a_timestamp_token_gives_the_signing_time_and_is_trusted_through_the_same_list():
    at = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)  # the token's time, not the signer's clock
    pdf = F.sign(F.plain_pdf(), CA.leader, CHAIN, timestamp_at=at)
    (s,) = verify_pdf(pdf, ROOTS, [])["signatures"]
    assert (s["verdict"], s["timestamp"], s["signing_time"], s["timestamp_trusted"]) == (
        SIG_VALID, at.isoformat(), at.isoformat(), True)
    (s,) = verify_pdf(pdf, [], [])["signatures"]
    assert (s["verdict"], s["timestamp_trusted"]) == (SIG_UNTRUSTED, False)


def test_a_second_signature_leaves_the_first_valid_but_not_covering_the_whole_file(pdfs):
    first, second = verify_pdf(pdfs["two"], ROOTS, [])["signatures"]
    assert (first["signer"], second["signer"]) == ("Nguyễn Văn An", F.ORG)
    assert (first["covers_whole_file"], first["later_changes_allowed"]) == (False, True)
    assert second["covers_whole_file"] is True


def test_text_added_after_signing_is_a_change_that_is_not_allowed(pdfs):
    (s,) = verify_pdf(pdfs["later_update"], ROOTS, [])["signatures"]
    assert (s["intact"], s["covers_whole_file"], s["later_changes_allowed"]) == (True, False, False)


def test_nothing_is_trusted_until_a_root_is_on_the_list_and_an_intermediate_alone_is_no_root(pdfs):
    assert verdicts(verify_pdf(pdfs["valid"], [], [])) == [SIG_UNTRUSTED]
    assert verdicts(verify_pdf(pdfs["valid"], [], [CA.intermediate.der])) == [SIG_UNTRUSTED]
    assert verdicts(verify_pdf(pdfs["valid"], ROOTS, [CA.intermediate.der])) == [SIG_VALID]


def test_javascript_and_embedded_files_are_reported_as_warnings():
    pdf = F.raw_pdf([
        b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R/Names<</EmbeddedFiles 5 0 R>>>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
        b"<</S/JavaScript/JS(app.alert\\('x'\\))>>",
        b"<</Names[(a.exe) 6 0 R]>>",
        b"<</Type/Filespec/F(a.exe)/EF<</F 7 0 R>>>>",
        b"<</Type/EmbeddedFile/Length 2>>\nstream\nMZ\nendstream",
    ])
    report = verify_pdf(pdf, ROOTS, [])
    assert report["state"] == COPY_UNSIGNED and len(report["warnings"]) == 2
    assert "JavaScript" in report["warnings"][0] and "tệp đính kèm" in report["warnings"][1]


def test_an_encrypted_pdf_is_reported_as_not_checkable():
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(F.plain_pdf())))
    writer.encrypt("chu-so-huu", "mat-khau")
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), ROOTS, [])
    assert report["state"] == COPY_UNCHECKABLE and "mã hóa bằng mật khẩu" in report["problem"]


def test_a_file_that_is_no_pdf_inside_is_reported_not_raised():
    report = verify_pdf(b"%PDF-1.7\n1 0 obj <</Type/Catalog>> endobj\ntrailer <<>>\n%%EOF", ROOTS, [])
    assert report["state"] == COPY_UNCHECKABLE and "Không đọc được cấu trúc tệp PDF" in report["problem"]


def test_an_image_of_20000_by_20000_pixels_is_refused_saying_so():
    png = bytearray(image_bytes("PNG", (10, 10)))
    png[16:24] = (20_000).to_bytes(4, "big") * 2  # the header claims 20,000 x 20,000 pixels
    png[29:33] = zlib.crc32(bytes(png[12:29])).to_bytes(4, "big")  # and its checksum agrees
    with pytest.raises(FileRejected) as refused:
        images_to_pdf([(bytes(png), "png")])
    assert "Ảnh quá lớn (20.000 × 20.000 điểm ảnh)" in refused.value.message


# ---- through the upload, the worker and the pages --------------------------------------------------------


def trust_root(app):
    with app.app_context():
        db.session.add(TrustedCertificate(kind=CERT_ROOT, subject="Root", issuer="Root", serial="1", sha256="r" * 64,
                                          der=CA.root.der, not_before=NOW.replace(tzinfo=None),
                                          not_after=NOW.replace(tzinfo=None)))
        db.session.commit()


def the_copy(app) -> SignedCopy:
    return db.session.scalars(select(SignedCopy).order_by(SignedCopy.id.desc())).first()


def test_an_uploaded_signed_pdf_is_checked_by_the_worker_and_its_bytes_never_change(app, client, login, issued,
                                                                                      pdfs):
    trust_root(app)
    login("records")
    assert upload(client, issued, (pdfs["two"], "KH 01 ký số.pdf")).status_code == 303
    with app.app_context():
        copy = the_copy(app)
        assert copy.signature_state == COPY_SIGNED_VALID
        report = json.loads(copy.signature_report)
        assert report["sha256"] == hashlib.sha256(pdfs["two"]).hexdigest() == copy.stored_file.sha256
        assert files.file_path(copy.stored_file).read_bytes() == pdfs["two"]
    page = client.get(f"/archive/{issued}").get_data(as_text=True)
    assert page.count("Chữ ký hợp lệ, tin cậy") == 2 and "Nguyễn Văn An" in page
    assert "Có phần thêm sau khi ký, được phép" in page
    assert "Chữ ký số hợp lệ" in client.get("/archive").get_data(as_text=True)


@pytest.mark.parametrize(("case", "shown"), [
    ("tampered", "Chữ ký không còn nguyên vẹn"),
    ("later_update", "Văn bản bị sửa sau khi ký"),
    ("expired", "Chứng thư hết hạn hoặc chưa có hiệu lực khi ký"),
    ("stranger", "Chứng thư không thuộc danh sách tin cậy"),
    ("plain", "Tệp không có chữ ký số"),
])
def test_the_record_page_says_what_is_wrong_with_a_signature(app, client, login, issued, pdfs, case, shown):
    trust_root(app)
    login("records")
    upload(client, issued, (pdfs[case], "ban-ky.pdf"))
    assert shown in client.get(f"/archive/{issued}").get_data(as_text=True)


def test_the_page_follows_the_check_until_the_worker_has_done_it(app, client, login, issued, pdfs):
    app.config["JOBS_QUEUE"] = queue.MEMORY  # nothing runs until the worker takes the job
    queue.configure(app)
    try:
        login("records")
        upload(client, issued, (pdfs["valid"], "ban-ky.pdf"))
        page = client.get(f"/archive/{issued}").get_data(as_text=True)
        assert "Đang kiểm tra chữ ký số" in page and "Đang chờ" in page
        with app.app_context():
            job = db.session.scalar(select(Job).where(Job.kind == JOB_VERIFY_SIGNATURES).order_by(Job.id.desc()))
            copy = the_copy(app)
            assert copy.signature_state is None and job.subject == f"document:{issued}"
        assert f"hx-get=\"/jobs/{job.id}?" in page  # the page asks again until the report is there
        jobs.run(job.id, app)
        page = client.get(f"/archive/{issued}").get_data(as_text=True)
        assert "Chứng thư không thuộc danh sách tin cậy" in page and f"hx-get=\"/jobs/{job.id}?" not in page
    finally:
        app.config["JOBS_QUEUE"] = queue.IMMEDIATE
        queue.configure(app)


def test_bad_files_get_a_verdict_and_the_worker_goes_on_with_the_next(app, client, login, issued, pdfs):
    encrypted = copy_into_new_writer(PdfFileReader(io.BytesIO(F.plain_pdf())))
    encrypted.encrypt("chu-so-huu", "mat-khau")
    out = io.BytesIO()
    encrypted.write(out)
    login("records")
    sent = [pdfs["bad_certificate"], out.getvalue(), pdfs["valid"]]
    for i, data in enumerate(sent):
        upload(client, issued, (data, f"ban-{i}.pdf"), expected="issued" if i == 0 else "archived")
    with app.app_context():
        copies = db.session.scalars(select(SignedCopy).order_by(SignedCopy.id)).all()
        assert [c.signature_state for c in copies] == [COPY_SIGNED_BAD, COPY_UNCHECKABLE, COPY_SIGNED_UNTRUSTED]
        assert [files.read_file(c.stored_file) for c in copies] == sent
        assert {j.state for j in db.session.scalars(select(Job).where(Job.kind == JOB_VERIFY_SIGNATURES))} == {DONE}


# ---- the trust list --------------------------------------------------------------------------------------


def test_the_administrator_adds_and_removes_trusted_roots_audited(app, client, login, people):
    login("admin")
    assert client.get("/admin/trust").status_code == 200
    response = client.post("/admin/trust", data={"kind": "root", "certificate": (io.BytesIO(CA.root.pem), "r.pem")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalar(select(TrustedCertificate))
        assert row.der == CA.root.der and row.subject.startswith("Root CA thử nghiệm")
        assert db.session.scalar(select(AuditEvent).filter_by(action="trusted_certificate.add")) is not None
        row_id = row.id
    assert "Root CA thử nghiệm" in client.get("/admin/trust").get_data(as_text=True)
    assert client.post(f"/admin/trust/{row_id}/delete").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(TrustedCertificate)) is None
        assert db.session.scalar(select(AuditEvent).filter_by(action="trusted_certificate.remove")) is not None


@pytest.mark.parametrize(("kind", "data", "message"), [
    ("root", F.authority().leader.pem, "không phải của tổ chức cung cấp dịch vụ chứng thực"),
    ("root", F.authority().intermediate.der, "không phải chứng thư gốc"),
    ("root", b"not a certificate", "không phải chứng thư số X.509"),
    ("root", b"", "Vui lòng chọn tệp chứng thư"),
    ("leaf", F.authority().root.der, "Hãy chọn loại chứng thư"),
])
def test_a_certificate_that_is_no_ca_or_not_one_is_refused_and_nothing_is_stored(app, client, login, people, kind, data,
                                                                                  message):
    login("admin")
    response = client.post("/admin/trust", data={"kind": kind, "certificate": (io.BytesIO(data), "c.cer")},
                           content_type="multipart/form-data")
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(TrustedCertificate)) is None


def test_only_the_administrator_changes_the_trust_list_and_only_with_a_csrf_token(app, client, login, people):
    login("records")
    assert client.get("/admin/trust").status_code == 403
    form = {"kind": "root", "certificate": (io.BytesIO(CA.root.der), "r.cer")}
    assert client.post("/admin/trust", data=form, content_type="multipart/form-data").status_code == 403
    login("admin")
    form = {"kind": "root", "certificate": (io.BytesIO(CA.root.der), "r.cer")}
    assert client.post("/admin/trust", data=form, content_type="multipart/form-data", csrf=False).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(TrustedCertificate)) is None


# ---- the command line --------------------------------------------------------------------------------------


def test_pdf_report_prints_the_signatures_and_the_text_layer(app, pdfs, tmp_path):
    path = tmp_path / "ban-ky.pdf"
    path.write_bytes(pdfs["two"])
    result = app.test_cli_runner().invoke(args=["pdf-report", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [s["signer"] for s in report["signatures"]] == ["Nguyễn Văn An", F.ORG]
    first = report["signatures"][0]
    assert {k: first[k] for k in ("organization", "intact", "covers_whole_file", "trusted", "certificate_valid")} \
        == {"organization": F.ORG, "intact": True, "covers_whole_file": False, "trusted": False,
            "certificate_valid": True}
    assert first["signing_time"] and "So 01/KH-MTTQ-BTT" in report["text"] and report["ocr"] is False
    assert path.read_bytes() == pdfs["two"]
    plain = app.test_cli_runner().invoke(args=["pdf-report", str(path)])
    assert "Chứng thư không thuộc danh sách tin cậy" in plain.output and "Nguyễn Văn An" in plain.output


def test_pdf_report_of_scanned_images_is_the_pdf_an_upload_makes_with_no_signature(app, tmp_path):
    path = tmp_path / "trang-1.jpg"
    path.write_bytes(image_bytes("JPEG", (80, 120)))
    result = app.test_cli_runner().invoke(args=["pdf-report", str(path), "--json"])
    report = json.loads(result.output)
    assert (report["source"], report["images"], report["signatures"], report["state"]) == ("images", 1, [],
                                                                                         COPY_UNSIGNED)


def test_pdf_report_refuses_what_an_upload_refuses(app, tmp_path):
    path = tmp_path / "ban-ky.exe"
    path.write_bytes(b"MZ\x90\x00 this is a program")
    result = app.test_cli_runner().invoke(args=["pdf-report", str(path)])
    assert result.exit_code != 0 and "Bản có chữ ký phải là tệp PDF" in result.output


def test_adding_a_root_checks_the_signed_copies_again(app, client, login, people, issued, pdfs):
    login("records")
    upload(client, issued, (pdfs["valid"], "ban-ky.pdf"))
    with app.app_context():
        assert the_copy(app).signature_state == COPY_SIGNED_UNTRUSTED  # nothing trusted by default
    login("admin")
    client.post("/admin/trust", data={"kind": CERT_ROOT, "certificate": (io.BytesIO(CA.root.der), "r.cer")},
                content_type="multipart/form-data")
    with app.app_context():
        copy = the_copy(app)
        assert copy.signature_state == COPY_SIGNED_VALID
        assert files.read_file(copy.stored_file) == pdfs["valid"]
