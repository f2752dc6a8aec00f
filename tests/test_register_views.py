"""The register through the browser's eyes: who sees it, reserve/cancel forms, issue (double click, stale page),
the .xlsx export, the print view, the numbering mode, the issued .docx."""

from __future__ import annotations

import io

import pytest
from conftest import field_error
from docx import Document as Docx
from openpyxl import load_workbook
from register_fixtures import make_document, office_time, user
from sqlalchemy import func, select

import domain.clock as register_views
from domain.register import numbering as reg
from extensions import db
from models import AuditEvent, Document, RegisterEntry

NOW = office_time(2026, 3, 10, 9, 30)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    clock = {"now": NOW}
    monkeypatch.setattr(register_views, "now", lambda: clock["now"])
    return clock


def approved(app, title="Tuyên truyền Chỉ thị 07", **kwargs) -> int:
    with app.app_context():
        document = make_document(title, **kwargs)
        db.session.commit()
        return document.id


def entries(app) -> list[RegisterEntry]:
    with app.app_context():
        rows = db.session.scalars(select(RegisterEntry).order_by(RegisterEntry.year, RegisterEntry.number)).all()
        db.session.expunge_all()
        return rows


@pytest.mark.parametrize(("username", "status"), [
    ("records", 200), ("clerk", 200), ("approver", 200), ("admin", 200), ("reporter", 403),
])
def test_the_register_is_for_office_staff(client, login, people, username, status):
    login(username)
    assert client.get("/register").status_code == status
    assert client.get("/register/export.xlsx").status_code == status
    assert client.get("/register/print").status_code == status


@pytest.mark.parametrize(("path", "allowed"), [
    ("/register/settings", {"admin"}),
    ("/documents/{doc}/issue", {"records"}),
])
def test_forms_for_one_role_only(app, client, login, people, path, allowed):
    doc = approved(app)
    for username in ("records", "clerk", "approver", "admin", "reporter"):
        login(username)
        response = client.get(path.format(doc=doc))
        assert (response.status_code == 200) == (username in allowed), (username, response.status_code)


def test_navigation_shows_the_register_to_staff_and_the_archive_to_everyone(client, login, people):
    login("records")
    page = client.get("/").get_data(as_text=True)
    assert "Sổ văn bản đi" in page and "Lưu trữ" in page
    login("reporter")
    page = client.get("/").get_data(as_text=True)
    assert "Sổ văn bản đi" not in page and "Lưu trữ" in page


def test_reserving_a_number_needs_a_note_then_shows_it_in_the_register(app, client, login, people):
    login("records")
    client.get("/register")  # creates the default register
    empty = client.post("/register/reserve", data={"register_id": "1", "note": "  "})
    assert empty.status_code == 200
    assert "Vui lòng ghi rõ số được giữ cho văn bản nào." in field_error(empty.get_data(as_text=True))
    assert entries(app) == []
    done = client.post("/register/reserve", data={"register_id": "1", "note": "Công văn gửi Tỉnh ủy"})
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã giữ trước số 01 năm 2026" in page and "Công văn gửi Tỉnh ủy" in page and "Giữ số trước" in page
    with app.app_context():
        audit_row = db.session.scalar(select(AuditEvent).filter_by(action="register.reserve"))
        assert audit_row.user.username == "records"


def test_an_htmx_reservation_answers_with_the_register_fragment(client, login, people):
    login("records")
    client.get("/register")
    response = client.post("/register/reserve", data={"register_id": "1", "note": "Giữ số"},
                           headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="register-body"' in body and "<html" not in body
    assert "01" in body and "Giữ số trước" in body


def test_cancelling_a_reserved_number_needs_a_reason_and_keeps_the_number_used(app, client, login, people):
    login("records")
    client.get("/register")
    client.post("/register/reserve", data={"register_id": "1", "note": "Giữ số"})
    entry_id = entries(app)[0].id
    refused = client.post(f"/register/entries/{entry_id}/cancel", data={"reason": ""})
    assert refused.status_code == 200 and "Vui lòng ghi lý do hủy số." in refused.get_data(as_text=True)
    assert entries(app)[0].status == "reserved"
    done = client.post(f"/register/entries/{entry_id}/cancel", data={"reason": "Không ban hành nữa"})
    assert done.status_code == 303
    page = client.get("/register").get_data(as_text=True)
    assert "Số đã hủy" in page and "Không ban hành nữa" in page
    doc = approved(app)
    client.post(f"/documents/{doc}/issue", data={"expected_status": "approved"})
    assert [(e.number, e.status) for e in entries(app)] == [(1, "cancelled"), (2, "issued")]


def test_issuing_redirects_to_the_record_with_the_number_and_date(app, client, login, people):
    doc = approved(app)
    login("records")
    response = client.post(f"/documents/{doc}/issue", data={"expected_status": "approved", "copies": "12",
                                                            "notes": "Gửi qua hệ thống điều hành"})
    assert response.status_code == 303 and response.headers["Location"] == f"/archive/{doc}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã cấp số 01/KH-MTTQ-BTT ngày 10/03/2026 và phát hành văn bản." in page
    [entry] = entries(app)
    assert (entry.copies, entry.notes, entry.issued_on.isoformat()) == (12, "Gửi qua hệ thống điều hành", "2026-03-10")


def test_a_double_click_on_issue_takes_one_number_and_answers_with_it(app, client, login, people):
    doc = approved(app)
    login("records")
    first = client.post(f"/documents/{doc}/issue", data={"expected_status": "approved"})
    second = client.post(f"/documents/{doc}/issue", data={"expected_status": "approved"})
    assert first.status_code == second.status_code == 303
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Văn bản đã được cấp số 01/KH-MTTQ-BTT ngày 10/03/2026; không cấp thêm số nào." in page
    assert len(entries(app)) == 1
    with app.app_context():
        assert reg.last_number(reg.register_for("KH"), 2026) == 1


def test_a_stale_issue_page_changes_nothing_and_says_why(app, client, login, people):
    doc = approved(app, status="submitted")  # the clerk withdrew it… the records page still said "approved"
    login("records")
    response = client.post(f"/documents/{doc}/issue", data={"expected_status": "approved"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chờ duyệt" in page and "không có gì bị thay đổi" in page
    assert entries(app) == []
    with app.app_context():
        assert db.session.get(Document, doc).number is None


def test_the_issue_form_offers_the_reserved_numbers(app, client, login, people):
    doc = approved(app)
    login("records")
    client.get("/register")
    client.post("/register/reserve", data={"register_id": "1", "note": "Cho kế hoạch tuyên truyền"})
    form = client.get(f"/documents/{doc}/issue").get_data(as_text=True)
    assert "Cấp số mới (dự kiến 02/KH-MTTQ-BTT)" in form and "Dùng số giữ trước 01/KH-MTTQ-BTT" in form
    reserved_id = entries(app)[0].id
    client.post(f"/documents/{doc}/issue", data={"expected_status": "approved", "reserved_entry_id": reserved_id})
    [entry] = entries(app)
    assert (entry.number, entry.status, entry.document_id) == (1, "issued", doc)


def test_bad_issue_input_is_shown_next_to_the_field(app, client, login, people):
    doc = approved(app)
    login("records")
    response = client.post(f"/documents/{doc}/issue", data={"expected_status": "approved", "copies": "0"})
    assert response.status_code == 200 and "Số lượng bản từ 1 đến 10.000." in field_error(response.get_data(as_text=True))
    bad_reserved = client.post(f"/documents/{doc}/issue", data={"expected_status": "approved", "reserved_entry_id": "999"})
    assert bad_reserved.status_code == 200
    assert "Số giữ trước này không dùng được" in bad_reserved.get_data(as_text=True)
    assert entries(app) == []


def test_numbers_restart_on_new_year_through_the_page(app, client, login, people, frozen_clock):
    login("records")
    frozen_clock["now"] = office_time(2025, 12, 31, 23, 59)
    client.post(f"/documents/{approved(app, 'Báo cáo năm')}/issue", data={"expected_status": "approved"})
    frozen_clock["now"] = office_time(2026, 1, 1, 0, 0)
    client.post(f"/documents/{approved(app, 'Kế hoạch năm mới')}/issue", data={"expected_status": "approved"})
    assert [(e.year, e.number, str(e.issued_on)) for e in entries(app)] == [(2025, 1, "2025-12-31"),
                                                                          (2026, 1, "2026-01-01")]
    page = client.get("/register?year=2025").get_data(as_text=True)
    assert "Báo cáo năm" in page and "Kế hoạch năm mới" not in page


def test_the_xlsx_export_has_the_phu_luc_iv_columns_and_the_year_rows(app, client, login, people):
    doc = approved(app, recipients=[people["district"], "Như trên"])
    login("records")
    client.post(f"/documents/{doc}/issue", data={"expected_status": "approved"})
    response = client.get("/register/export.xlsx?year=2026")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "so-van-ban-di-2026.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM 2026"
    headers = [sheet.cell(row=5, column=c).value for c in range(1, 11)]
    assert headers == ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản",
                       "Người ký", "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản",
                       "Ngày chuyển", "Ký nhận", "Ghi chú"]
    assert [sheet.cell(row=6, column=c).value for c in (1, 10)] == ["(1)", "(10)"]
    row = [sheet.cell(row=7, column=c).value for c in range(1, 11)]
    assert row[:5] == ["01/KH-MTTQ-BTT", "10/03/2026", "Kế hoạch Tuyên truyền Chỉ thị 07", "Đinh Văn Thắng",
                       "Huyện Yên Mô\nNhư trên"]
    assert row[6] == 4 and row[8] in (None, "")
    assert sheet.cell(row=7, column=1).font.name == "Times New Roman"
    assert sheet.column_dimensions["C"].width >= 40


def test_the_print_view_lists_the_ten_columns_and_marks_cancelled_numbers(app, client, login, people):
    login("records")
    client.get("/register")
    client.post("/register/reserve", data={"register_id": "1", "note": "Giữ số"})
    client.post(f"/register/entries/{entries(app)[0].id}/cancel", data={"reason": "Nhầm"})
    page = client.get("/register/print?year=2026").get_data(as_text=True)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM 2026" in page and "(10)" in page and "Ký nhận" in page
    assert "Số đã hủy: Nhầm" in page and "data-print" in page and "<script>" not in page


def test_an_admin_switches_to_one_register_per_kind(app, client, login, people):
    login("admin")
    page = client.get("/register/settings").get_data(as_text=True)
    assert "Một sổ chung" in page
    response = client.post("/register/settings", data={"mode": "per_kind"})
    assert response.status_code == 303
    page = client.get("/register/settings").get_data(as_text=True)
    assert "Sổ văn bản đi — Kế hoạch" in page and "Đã lưu cách đánh số." in page
    bad = client.post("/register/settings", data={"mode": "other"})
    assert bad.status_code == 200
    with app.app_context():
        assert reg.numbering_mode() == reg.PER_KIND


def test_the_issued_docx_carries_the_number_and_the_date(app, client, login, people):
    doc = approved(app)
    login("records")
    client.post(f"/documents/{doc}/issue", data={"expected_status": "approved"})
    response = client.get(f"/documents/{doc}/final.docx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    text = "\n".join(p.text for t in Docx(io.BytesIO(response.data)).tables for row in t.rows for c in row.cells
                     for p in c.paragraphs)
    assert "Số: 01/KH-MTTQ-BTT" in text and "ngày 10 tháng 3 năm 2026" in text
    with app.app_context():
        entry = db.session.scalar(select(RegisterEntry))
        assert entry.final_file is not None and entry.final_file.kind == "docx"
        assert db.session.scalar(select(func.count()).select_from(RegisterEntry)) == 1


def test_a_reporter_cannot_issue_or_reserve(app, client, login, people):
    doc = approved(app)
    login("reporter")
    assert client.post(f"/documents/{doc}/issue", data={"expected_status": "approved"}).status_code == 403
    assert client.post("/register/reserve", data={"register_id": "1", "note": "x"}).status_code == 403
    with app.app_context():
        assert db.session.get(Document, doc).status == "approved"
        assert user("records") is not None


def test_seed_demo_issues_the_chi_thi_07_plan_once(app, client):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["seed-demo", "--password", "demo-12345"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        [entry] = db.session.scalars(select(RegisterEntry)).all()
        plan = entry.document
        assert plan.kind == "KH" and plan.title.startswith("Tuyên truyền thực hiện Chỉ thị số 07")
        assert plan.status == "issued" and plan.number == entry.number == 1
        assert entry.final_file is not None and entry.signer_name
    client.post("/login", data={"username": "huyen-yen-mo", "password": "demo-12345"})
    page = client.get("/archive?q=chi+thi+07").get_data(as_text=True)
    assert "01/KH-MTTQ-BTT" in page and "Tuyên truyền thực hiện Chỉ thị số 07" in page


def test_a_busy_database_changes_nothing_and_asks_to_try_again(app, client, login, people, monkeypatch):
    from sqlalchemy.exc import OperationalError

    doc = approved(app)

    def locked(*_args, **_kwargs):
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    monkeypatch.setattr(reg, "take_number", locked)
    login("records")
    response = client.post(f"/documents/{doc}/issue", data={"expected_status": "approved"})
    assert response.status_code == 303
    assert "Cơ sở dữ liệu đang bận" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert entries(app) == []
    with app.app_context():
        assert db.session.get(Document, doc).status == "approved"


def test_a_recalled_document_stays_in_the_register_marked_with_its_reason(app, client, login, people):
    from domain.documents import workflow

    doc = approved(app)
    login("records")
    client.post(f"/documents/{doc}/issue", data={"expected_status": "approved"})
    with app.app_context():
        workflow.perform(db.session.get(Document, doc), "recall", user("records"), expected_status="issued",
                         reason="Ban hành nhầm đối tượng")
        db.session.commit()
    page = client.get("/register").get_data(as_text=True)
    assert "Đã thu hồi" in page and "Lý do thu hồi: Ban hành nhầm đối tượng" in page
    sheet = load_workbook(io.BytesIO(client.get("/register/export.xlsx").data)).active
    assert sheet.cell(row=7, column=1).value == "01/KH-MTTQ-BTT"
    assert sheet.cell(row=7, column=10).value == "Đã thu hồi: Ban hành nhầm đối tượng"
    next_doc = approved(app, "Kế hoạch thay thế")
    client.post(f"/documents/{next_doc}/issue", data={"expected_status": "approved"})
    assert [e.number for e in entries(app)] == [1, 2]


@pytest.mark.parametrize(("target", "expected"), [
    ("/documents/1", "/documents/1"),
    ("https://evil.example/", "/archive/{doc}"),
    ("//evil.example/", "/archive/{doc}"),
    ("/\\evil.example/", "/archive/{doc}"),
])
def test_after_issuing_only_a_local_next_page_is_followed(app, client, login, people, target, expected):
    doc = approved(app)
    login("records")
    response = client.post(f"/documents/{doc}/issue", data={"expected_status": "approved", "next": target})
    assert response.headers["Location"] == expected.format(doc=doc)
