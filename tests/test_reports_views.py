"""Report rounds through the browser's requests: the clerk opens a round, units report (prefilled, validated,
frozen once sent), the clerk follows up, returns, reminds, and drafts the aggregated Báo cáo, which follows the
same ND30 format rules as every document."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from conftest import field_error
from docgen_fixtures import DocxView, text_of
from reports_fixtures import (
    DUE,
    SUPERIOR,
    at_utc,
    open_round,
    report_plan,
    set_assignment_values,
    submit,
    user,
)
from sqlalchemy import func, select
from test_docx_format import RULES, signature_cells

from extensions import db
from models import Document, Notification
from models.reports import ReportRound, Submission, SubmissionEvent


@pytest.fixture
def plan_ids(app, people):
    with app.app_context():
        plan, districts, monthly = report_plan(people)
        set_assignment_values(districts, people["district"], {"Số buổi tuyên truyền": "12",
                                                              "Số lượt người tham dự": "4500"},
                              narrative="Tổ chức 12 buổi tuyên truyền tại các xã.")
        db.session.commit()
        return {"plan": plan.id, "districts": districts.id, "monthly": monthly.id,
                "indicators": {i.name: i.id for i in districts.indicators}}


@pytest.fixture
def round_id(app, people, plan_ids):
    with app.app_context():
        rnd = open_round(db.session.get(Document, plan_ids["plan"]), people)
        db.session.commit()
        return rnd.id


def _form(plan_ids, **figures) -> dict:
    ids = plan_ids["indicators"]
    data = {f"figure-{ids['Số buổi tuyên truyền']}": "15", f"figure-{ids['Số lượt người tham dự']}": "8.500",
            f"figure-{ids['Kinh phí']}": "12,5", f"narrative-{plan_ids['districts']}": "Tổ chức 15 buổi.",
            "answer-0": "Thiếu tài liệu.", "answer-1": "Đề nghị cấp thêm tài liệu.", "action": "submit"}
    data.update({f"figure-{ids[k]}": v for k, v in figures.items()})
    return data


# ---- opening a round -----------------------------------------------------------------------------------------------

def test_clerk_opens_a_round_with_the_assigned_units_and_tasks_proposed(client, login, app, people, plan_ids):
    login("clerk")
    assert f'href="/plans/{plan_ids["plan"]}/reports"' in client.get("/reports").get_data(as_text=True)
    page = client.get(f"/plans/{plan_ids['plan']}/reports").get_data(as_text=True)
    for unit in ("district", "other_district"):
        assert re.search(rf'value="{people[unit]}" checked', page) or re.search(
            rf'checked[^>]*value="{people[unit]}"', page)
    assert "Khó khăn, vướng mắc" in page
    response = client.post(f"/plans/{plan_ids['plan']}/reports", data={
        "title": "Kết quả tuyên truyền 6 tháng", "cutoff_on": "2026-06-30", "due_on": "2026-07-05",
        "task_ids": [str(plan_ids["districts"]), str(plan_ids["monthly"])],
        "unit_ids": [str(people["district"]), str(people["other_district"])],
        "questions": "Khó khăn, vướng mắc\nĐề xuất, kiến nghị"})
    assert response.status_code == 303
    with app.app_context():
        rnd = db.session.scalar(select(ReportRound))
        assert response.headers["Location"].endswith(f"/reports/{rnd.id}")
        assert rnd.questions == ["Khó khăn, vướng mắc", "Đề xuất, kiến nghị"]
        told = db.session.scalars(select(Notification.user_id).where(Notification.message.like("Đề nghị báo cáo%")))
        assert set(told) == {user("reporter").id, user("other_reporter").id}


@pytest.mark.parametrize("changes, field, message", [
    ({"due_on": "2026-06-01"}, "due_on", "Hạn gửi báo cáo không được trước ngày chốt số liệu."),
    ({"unit_ids": []}, "unit_ids", "Hãy chọn ít nhất một đơn vị"),
    ({"task_ids": []}, "task_ids", "Hãy chọn ít nhất một nhiệm vụ"),
    ({"cutoff_on": "30/6/2026"}, "cutoff_on", "Ngày không hợp lệ."),
    ({"title": " "}, "title", "Vui lòng ghi nội dung báo cáo."),
    ({"unit_ids": ["abc"]}, "unit_ids", "Đơn vị không hợp lệ"),
])
def test_opening_a_round_with_bad_input_explains_and_saves_nothing(client, login, app, people, plan_ids,
                                                                     changes, field, message):
    login("clerk")
    data = {"title": "Kết quả", "cutoff_on": "2026-06-30", "due_on": "2026-07-05",
            "task_ids": [str(plan_ids["districts"])], "unit_ids": [str(people["district"])], "questions": ""}
    data.update(changes)
    response = client.post(f"/plans/{plan_ids['plan']}/reports", data=data)
    assert response.status_code == 200
    assert any(message in e for e in field_error(response.get_data(as_text=True)))
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportRound.id))) == 0


# ---- a unit reports -------------------------------------------------------------------------------------------------

def test_the_unit_form_is_prefilled_from_its_task_reports(client, login, round_id, plan_ids):
    login("reporter")
    page = client.get(f"/reports/{round_id}/my").get_data(as_text=True)
    ids = plan_ids["indicators"]
    assert f'name="figure-{ids["Số buổi tuyên truyền"]}" type="text" inputmode="decimal" autocomplete="off" value="12"' \
        in page
    assert 'value="4500"' in page and "Tổ chức 12 buổi tuyên truyền tại các xã." in page


@pytest.mark.parametrize("typed, message", [
    ("mười lăm", "Số liệu phải là một số"),
    ("-4", "Số liệu không được âm."),
    ("2000000000", "Số liệu quá lớn"),
    ("15,5", "số nguyên"),
])
def test_bad_figures_are_explained_next_to_the_box_and_nothing_is_saved(client, login, app, round_id, plan_ids,
                                                                         typed, message):
    login("reporter")
    response = client.post(f"/reports/{round_id}/my", data=_form(plan_ids, **{"Số buổi tuyên truyền": typed}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert any(message in e for e in field_error(page))
    assert f'value="{typed}"' in page  # what was typed is still there to correct
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 0


def test_a_sent_report_is_frozen_until_it_is_returned_and_then_resent(client, login, app, people, round_id, plan_ids):
    login("reporter")
    assert client.post(f"/reports/{round_id}/my", data=_form(plan_ids)).status_code == 303
    again = client.post(f"/reports/{round_id}/my", data=_form(plan_ids, **{"Số buổi tuyên truyền": "99"}))
    assert again.status_code == 200 and "chỉ có thể sửa khi Ban Thường trực trả lại" in again.get_data(as_text=True)
    with app.app_context():
        sub = db.session.scalar(select(Submission))
        assert sub.status == "submitted" and sub.figures[plan_ids["indicators"]["Số buổi tuyên truyền"]] == 15
        version = sub.version

    login("clerk")
    no_reason = client.post(f"/reports/{round_id}/units/{people['district']}/return",
                            data={"version": version, "expected_status": "submitted", "comment": ""})
    assert no_reason.status_code == 200
    assert "Vui lòng ghi rõ lý do trả lại" in " ".join(field_error(no_reason.get_data(as_text=True)))
    returned = client.post(f"/reports/{round_id}/units/{people['district']}/return",
                           data={"version": version, "expected_status": "submitted",
                                 "comment": "Bổ sung số lượt người của xã Yên Thành."})
    assert returned.status_code == 303

    login("reporter")
    page = client.get(f"/reports/{round_id}/my").get_data(as_text=True)
    assert "Bổ sung số lượt người của xã Yên Thành." in page and "Gửi lại báo cáo" in page
    assert client.post(f"/reports/{round_id}/my", data=_form(plan_ids, **{"Số buổi tuyên truyền": "16"})
                       ).status_code == 303
    with app.app_context():
        sub = db.session.scalar(select(Submission))
        assert sub.status == "submitted" and sub.version == 2
        events = db.session.scalars(select(SubmissionEvent).order_by(SubmissionEvent.id)).all()
        assert [e.action for e in events] == ["submit", "return", "resubmit"]
        ids = str(plan_ids["indicators"]["Số buổi tuyên truyền"])
        assert [e.content["figures"][ids] for e in events if e.content] == ["15", "16"]  # both versions kept
        assert db.session.scalar(select(Notification).where(Notification.message.like("Báo cáo bị trả lại%")))


def test_accepting_a_report(client, login, app, people, round_id, plan_ids):
    login("reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("clerk")
    stale = client.post(f"/reports/{round_id}/units/{people['district']}/accept",
                        data={"version": 7, "expected_status": "submitted"})
    assert stale.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Submission)).status == "submitted"  # the page was out of date
    client.post(f"/reports/{round_id}/units/{people['district']}/accept",
                data={"version": 1, "expected_status": "submitted"})
    with app.app_context():
        assert db.session.scalar(select(Submission)).status == "accepted"
    login("reporter")
    assert "Ban Thường trực đã tiếp nhận báo cáo" in client.get(f"/reports/{round_id}/my").get_data(as_text=True)


def test_a_draft_can_be_saved_and_finished_later(client, login, app, round_id, plan_ids):
    login("reporter")
    data = _form(plan_ids, **{"Kinh phí": ""})
    data["action"] = "save"
    assert client.post(f"/reports/{round_id}/my", data=data).status_code == 303
    with app.app_context():
        sub = db.session.scalar(select(Submission))
        assert sub.status == "draft" and plan_ids["indicators"]["Kinh phí"] not in sub.figures
    page = client.get(f"/reports/{round_id}/my").get_data(as_text=True)
    assert 'value="8500"' in page and "Gửi báo cáo" in page


def test_a_unit_may_upload_its_signed_report(client, login, app, round_id, plan_ids):
    from io import BytesIO

    from plans_fixtures import PDF

    login("reporter")
    data = _form(plan_ids)
    data["file"] = (BytesIO(PDF), "bao-cao-yen-mo.pdf")
    assert client.post(f"/reports/{round_id}/my", data=data, content_type="multipart/form-data").status_code == 303
    with app.app_context():
        sub = db.session.scalar(select(Submission))
        assert sub.stored_file.kind == "pdf"
        unit_id = sub.unit_id
    assert client.get(f"/reports/{round_id}/units/{unit_id}/file").data == PDF


def test_an_unacceptable_file_is_refused_with_nothing_saved(client, login, app, round_id, plan_ids):
    from io import BytesIO

    login("reporter")
    data = _form(plan_ids)
    data["file"] = (BytesIO(b"MZ\x90\x00 not a document"), "bao-cao.exe")
    response = client.post(f"/reports/{round_id}/my", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and "không đúng định dạng" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 0


# ---- isolation ---------------------------------------------------------------------------------------------------

def test_a_unit_reporter_cannot_see_other_units_reports(client, login, app, people, round_id, plan_ids):
    login("other_reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("reporter")
    assert client.get(f"/reports/{round_id}/units/{people['other_district']}").status_code == 404
    assert client.get(f"/reports/{round_id}/units/{people['district']}").status_code == 404
    assert client.get(f"/reports/{round_id}/units/{people['other_district']}/file").status_code == 404
    overview = client.get(f"/reports/{round_id}")
    assert overview.status_code == 303 and overview.headers["Location"].endswith(f"/reports/{round_id}/my")
    page = client.get(f"/reports/{round_id}/my").get_data(as_text=True)
    assert "Huyện Kim Sơn" not in page  # nothing of the other district's report


def test_a_reporter_of_a_unit_not_asked_gets_not_found(client, login, app, people, plan_ids):
    with app.app_context():
        rnd = open_round(db.session.get(Document, plan_ids["plan"]), people, unit_ids=[people["district"]])
        db.session.commit()
        rid = rnd.id
    login("other_reporter")
    assert client.get(f"/reports/{rid}").status_code == 404
    assert client.get(f"/reports/{rid}/my").status_code == 404
    assert client.post(f"/reports/{rid}/my", data=_form(plan_ids)).status_code == 404
    assert "Kết quả tuyên truyền" not in client.get("/reports").get_data(as_text=True)


# ---- closing, removing, reminding ----------------------------------------------------------------------------------

def test_a_submission_after_the_round_is_closed_is_refused_and_nothing_is_lost(client, login, app, people, round_id,
                                                                               plan_ids):
    login("other_reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("clerk")
    client.post(f"/reports/{round_id}/close")
    login("reporter")
    response = client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    assert response.status_code == 200 and "Đợt báo cáo đã kết thúc" in response.get_data(as_text=True)
    with app.app_context():
        subs = db.session.scalars(select(Submission)).all()
        assert [s.unit_id for s in subs] == [people["other_district"]] and subs[0].status == "submitted"
    login("clerk")
    client.post(f"/reports/{round_id}/reopen")
    login("reporter")
    assert client.post(f"/reports/{round_id}/my", data=_form(plan_ids)).status_code == 303


def test_a_unit_removed_after_submitting_keeps_its_submission(client, login, app, people, round_id, plan_ids):
    login("reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("clerk")
    assert client.post(f"/reports/{round_id}/units/{people['district']}/remove").status_code == 303
    page = client.get(f"/reports/{round_id}").get_data(as_text=True)
    assert "Đơn vị đã rút khỏi đợt" in page and "Xem báo cáo đã gửi" in page
    assert client.get(f"/reports/{round_id}/units/{people['district']}").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Submission)).status == "submitted"
        assert [e.action for e in db.session.scalars(select(SubmissionEvent))] == ["submit", "remove"]
    login("reporter")
    refused = client.post(f"/reports/{round_id}/my", data=_form(plan_ids, **{"Số buổi tuyên truyền": "1"}))
    assert "rút khỏi đợt báo cáo" in refused.get_data(as_text=True)
    login("clerk")
    client.post(f"/reports/{round_id}/units", data={"unit_id": people["district"]})  # asked again: it comes back
    with app.app_context():
        assert db.session.scalar(select(Submission)).figures[plan_ids["indicators"]["Số buổi tuyên truyền"]] == 15


def test_reminding_tells_only_the_units_that_have_not_reported(client, login, app, people, round_id, plan_ids):
    login("reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("clerk")
    response = client.post(f"/reports/{round_id}/remind", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and 'id="completeness"' in body
    assert "Đã nhắc 1 đơn vị" in body
    with app.app_context():
        reminded = db.session.scalars(select(Notification.user_id).where(Notification.message.like("Nhắc báo cáo%")))
        assert list(reminded) == [user("other_reporter").id]


@pytest.mark.parametrize("local_time, late", [("23:30", False), ("00:30 next day", True)])
def test_lateness_is_judged_in_the_offices_time_zone(client, login, app, people, round_id, plan_ids, monkeypatch,
                                                     local_time, late):
    # 23:30 on 5 July in Hà Nội is 16:30 UTC; 00:30 on 6 July is 17:30 UTC on 5 July.
    at_utc(monkeypatch, datetime(2026, 7, 5, 16, 30) if not late else datetime(2026, 7, 5, 17, 30))
    login("reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("clerk")
    page = client.get(f"/reports/{round_id}").get_data(as_text=True)
    row = page[page.index(f'id="unit-{people["district"]}"'):]
    row = row[:row.index("</tr>")]
    assert ("Nộp muộn" in row) is late and ("Đã nộp" in row) is not late
    assert DUE.isoformat() == "2026-07-05"


# ---- the aggregated report --------------------------------------------------------------------------------------

def test_the_clerk_drafts_the_aggregated_report_from_the_submissions(client, login, app, people, round_id, plan_ids):
    login("reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("clerk")
    assert client.post(f"/reports/{round_id}/generate").status_code == 303
    with app.app_context():
        rnd = db.session.get(ReportRound, round_id)
        doc = rnd.report_document
        assert (doc.kind, doc.status, doc.title) == ("BC", "draft", rnd.title)
        assert doc.references[0].startswith(
            "Thực hiện Kế hoạch số 07/KH-MTTQ-BTT ngày 02/3/2026 của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh")
        assert doc.signer_id == user("approver").id and doc.signer_title == "PHÓ CHỦ TỊCH"
        assert [r.label for r in doc.recipients] == [SUPERIOR]  # the superior body, not the districts
        assert "Huyện Yên Mô 15 buổi" in doc.body and "8.500 lượt người" in doc.body
        assert "- Đơn vị chưa gửi báo cáo: Huyện Kim Sơn." in doc.body
    page = client.get(f"/reports/{round_id}").get_data(as_text=True)
    assert "Cập nhật báo cáo tổng hợp" in page
    docx = client.get(f"/reports/{round_id}/report.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"


def test_an_issued_report_downloads_from_its_round_as_it_was_issued(client, login, app, people, round_id, plan_ids):
    from models import Unit
    from models.choices import APPROVED

    login("reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("clerk")
    client.post(f"/reports/{round_id}/generate")
    with app.app_context():
        report = db.session.get(ReportRound, round_id).report_document
        report.status, report_id = APPROVED, report.id
        db.session.commit()
    login("records")
    issued = client.post(f"/documents/{report_id}/issue", data={"expected_status": APPROVED, "reserved_entry_id": "0"})
    assert issued.status_code == 303
    stored = client.get(f"/documents/{report_id}/final.docx").data
    with app.app_context():  # later, the superior body and a district are renamed
        for unit in db.session.scalars(select(Unit)):
            unit.recipient_name, unit.name = unit.recipient_name + " (mới)", unit.name + " (mới)"
        db.session.commit()
    login("clerk")
    assert client.get(f"/reports/{round_id}/report.docx").data == stored


def test_redrafting_after_a_late_report_keeps_the_clerks_edits(client, login, app, people, round_id, plan_ids):
    login("reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("clerk")
    client.post(f"/reports/{round_id}/generate")
    with app.app_context():
        doc = db.session.get(ReportRound, round_id).report_document
        body = doc.body.replace("- Huyện Yên Mô: Tổ chức 15 buổi.",
                                "- Huyện Yên Mô: Tổ chức 15 buổi, có mô hình loa phát thanh ở khu dân cư.")
        assert body != doc.body
        doc.update_content({"body": body}, [(r.unit_id, r.text) for r in doc.recipients], user("clerk"), "Sửa")
        db.session.commit()
    login("other_reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids, **{"Số buổi tuyên truyền": "10"}))
    login("clerk")
    response = client.post(f"/reports/{round_id}/generate", follow_redirects=True)
    assert "Các phần chuyên viên đã sửa được giữ nguyên: II.1 (kết quả của các đơn vị)" in \
        response.get_data(as_text=True)
    with app.app_context():
        doc = db.session.get(ReportRound, round_id).report_document
        assert "có mô hình loa phát thanh ở khu dân cư" in doc.body
        assert "tổng cộng 25 buổi (Huyện Kim Sơn 10 buổi; Huyện Yên Mô 15 buổi)" in doc.body
        assert "Đơn vị chưa gửi báo cáo" not in doc.body


def test_a_report_sent_for_review_is_not_redrafted(client, login, app, people, round_id, plan_ids):
    login("reporter")
    client.post(f"/reports/{round_id}/my", data=_form(plan_ids))
    login("clerk")
    client.post(f"/reports/{round_id}/generate")
    with app.app_context():
        doc = db.session.get(ReportRound, round_id).report_document
        doc.status = "submitted"
        body = doc.body
        db.session.commit()
    response = client.post(f"/reports/{round_id}/generate", follow_redirects=True)
    assert "chỉ cập nhật được khi còn là dự thảo hoặc bị trả lại" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ReportRound, round_id).report_document.body == body


def test_the_request_letter_is_a_cong_van_to_the_units_asked(client, login, app, people, round_id):
    login("clerk")
    assert client.post(f"/reports/{round_id}/request-letter").status_code == 303
    with app.app_context():
        letter = db.session.get(ReportRound, round_id).request_letter
        assert letter.kind == "CV" and letter.status == "draft"
        assert letter.title == "báo cáo kết quả thực hiện Kế hoạch số 07/KH-MTTQ-BTT ngày 02/3/2026"
        assert letter.kinh_gui == ["Các huyện, thành phố"]  # exactly the group's members: the group is named
        assert "chậm nhất ngày 05/7/2026" in letter.body


def test_dashboard_panels(client, login, round_id):
    login("clerk")
    assert "Đợt báo cáo đang mở" in client.get("/").get_data(as_text=True)
    login("reporter")
    page = client.get("/").get_data(as_text=True)
    assert "Báo cáo cần gửi" in page and f"/reports/{round_id}/my" in page


# ---- the generated Báo cáo passes the format rules of every document ------------------------------------------------

# Rules of test_docx_format that check the seed plan's own words (its number 05, "KẾ HOẠCH", its title, its first
# and last sentences, its Nơi nhận) or another fixture document; the Báo cáo's own words are checked below instead.
BOUND_TO_THEIR_FIXTURE = {
    "so.regex_13pt_not_italic", "date.regex_italic_14", "title.caps_bold_centered_14",
    "trich_yeu.bold_centered_14_under_title", "trich_yeu.bold_centered_rule", "body.ends_with_./.",
    "body.follows_the_outline_in_order", "references.body_paragraphs_before_the_outline",
    "khoan.titled_bold_untitled_regular", "diem_dash_plus.regular_upright", "noi_nhan.entries_11_dash_semicolon_last_luu_dot",
    "signature.name_bold_14_after_signing_space",
}
# Rules that expect the signature table to be the document's last table: true of the pages before the annex only.
BEFORE_THE_ANNEX = {"header_table.no_borders_fixed_widths_in_tcW_and_tblGrid", "rules.solid_single_line_centred",
                    "signature.table_no_borders_cantsplit"}
GENERIC = [r for r, (doc, _) in RULES.items() if doc == "plan" and r not in BOUND_TO_THEIR_FIXTURE]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A round of two districts (one reported, one did not) aggregated into a Báo cáo: the .docx as downloaded,
    and the same document without its annex."""
    from conftest import make_unit, make_user

    from app import create_app
    from blueprints.reports.rendering import report_data
    from docgen import build_docx
    from domain.reports.drafts import draft_report
    from models import Organization
    from models.choices import APPROVER, CLERK, UNIT_OFFICE, UNIT_REPORTER

    base = tmp_path_factory.mktemp("bc")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'db.sqlite3'}",
                      "FILES_DIR": str(base / "files"), "CACHE_DIR": str(base / "cache")})
    with app.app_context():
        db.create_all()
        org = Organization.current()
        org.archive_unit = "BTG"
        office = make_unit("Ban Thường trực Ủy ban MTTQVN tỉnh", slug="office", kind=UNIT_OFFICE)
        group = make_unit("Các huyện, thành phố", slug="districts", parent=office, is_group=True)
        district, other = make_unit("Huyện Yên Mô", parent=group), make_unit("Huyện Kim Sơn", parent=group)
        make_user("clerk", {CLERK}, unit=office)
        make_user("approver", {APPROVER}, unit=office, full_name="Đinh Văn Thắng")
        make_user("reporter", {UNIT_REPORTER}, unit=district)
        people = {"office": office.id, "group": group.id, "district": district.id, "other_district": other.id}
        plan, _districts, _monthly = report_plan(people)
        rnd = open_round(plan, people)
        submit(rnd, district.id, "reporter", {"Số buổi tuyên truyền": "15", "Số lượt người tham dự": "8.500",
                                              "Kinh phí": "12,5"}, "Tổ chức 15 buổi tại 27 xã, thị trấn.",
               ["Tài liệu tuyên truyền còn ít.", "Đề nghị cấp thêm tài liệu."])
        document = draft_report(rnd, user("clerk")).document
        data = report_data(document, org)
        full = DocxView(build_docx(data))
        data.annexes = []
        body_only = DocxView(build_docx(data))
        db.session.commit()
    yield {"full": full, "body_only": body_only}
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("rule_id", GENERIC)
def test_the_generated_report_follows_the_format_rule(generated, rule_id):
    _doc, check = RULES[rule_id]
    check(generated["body_only"])
    if rule_id not in BEFORE_THE_ANNEX:
        check(generated["full"])


def test_the_generated_report_has_its_annex_on_landscape_pages(generated):
    RULES["annex.landscape_section_numbering_restarts"][1](generated["full"])


def test_the_generated_report_reads_as_a_bao_cao(generated):
    d = generated["full"]
    assert d.bold(d.find("^BÁO CÁO$")) and d.bold(d.find("^Kết quả tuyên truyền Chỉ thị số 07-CT/TW 6 tháng"))
    assert text_of(d.find("^Số:")) == "Số:      /BC-MTTQ-BTT"  # a draft: the register gives the number
    texts = [text_of(p) for p in d.body_paragraphs()]
    assert texts[0].startswith("Thực hiện Kế hoạch số 07/KH-MTTQ-BTT ngày 02/3/2026 của Ban Thường trực")
    assert [t for t in texts if re.match(r"^[IV]+\. ", t)] == [
        "I. CÔNG TÁC TRIỂN KHAI", "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG, KIẾN NGHỊ"]
    assert texts[-1].endswith("tỉnh Ninh Bình./.")
    assert "- Số lượt người tham dự: tổng cộng 8.500 lượt người (Huyện Yên Mô 8.500 lượt người);" in texts
    assert "- Huyện Yên Mô: Tổ chức 15 buổi tại 27 xã, thị trấn." in texts  # names the reporting unit
    assert "- Đơn vị chưa gửi báo cáo: Huyện Kim Sơn." in texts
    left, right = signature_cells(d)
    assert [text_of(p) for p in d.paragraphs(left)] == ["Nơi nhận:", f"- {SUPERIOR};", "- Lưu: VT, BTG."]
    assert [text_of(p) for p in d.paragraphs(right)][:2] == ["TM. BAN THƯỜNG TRỰC", "PHÓ CHỦ TỊCH"]
    assert text_of(d.paragraphs(right)[-1]) == "Đinh Văn Thắng"


def test_the_annex_table_lists_the_reporting_units_with_a_total_row(generated):
    from docx.oxml.ns import qn

    d = generated["full"]
    table = d.tables()[-1]
    rows = [[text_of(tc) for tc in tr.findall(qn("w:tc"))] for tr in d.rows(table)]
    assert rows[0] == ["STT", "Đơn vị", "Số buổi tuyên truyền (buổi)", "Số lượt người tham dự (lượt người)",
                       "Kinh phí (triệu đồng)"]
    assert rows[1:] == [["1", "Huyện Yên Mô", "15", "8.500", "12,5"], ["", "Tổng cộng", "15", "8.500", "12,5"]]
    assert d.rows(table)[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(d.bold(p) for tc in d.rows(table)[-1].findall(qn("w:tc")) for p in d.paragraphs(tc) if text_of(p))
    assert d.find("^SỐ LIỆU KẾT QUẢ THỰC HIỆN CỦA CÁC ĐƠN VỊ$") is not None


def test_seed_demo_adds_a_round_with_six_of_eight_districts_reported_and_a_drafted_bao_cao(app, tmp_path):
    runner = app.test_cli_runner()
    for _ in range(2):  # idempotent
        result = runner.invoke(args=["seed-demo", "--password", "demo-12345"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        rnd = db.session.scalar(select(ReportRound))
        assert db.session.scalar(select(func.count(ReportRound.id))) == 1
        from domain.reports.rounds import unit_rows

        active, _ = unit_rows(rnd)
        states = [r.state for r in active]
        assert len(active) == 8 and states.count("on_time") == 5 and states.count("late") == 1
        assert rnd.report_document.kind == "BC" and "Huyện Hoa Lư" in rnd.report_document.body
    out = tmp_path / "all"
    result = runner.invoke(args=["export-docx", "--all", "--out", str(out)])
    assert result.exit_code == 0, result.output
    exported = [p for p in out.iterdir() if p.name.split("-", 1)[1].startswith("BC")]
    assert exported
    # The Báo cáo as any download or export writes it carries the round's annex table with its total row.
    import docx

    tables = docx.Document(str(exported[0])).tables
    assert tables and tables[-1].rows[-1].cells[1].text == "Tổng cộng"
    result = runner.invoke(args=["aggregate-report", str(rnd.id), "--out", str(tmp_path / "bc.docx")])
    assert result.exit_code == 0 and "6 đơn vị đã báo cáo, 1 muộn, 2 chưa báo cáo" in result.output
    assert (tmp_path / "bc.docx").read_bytes()[:2] == b"PK"


def test_a_save_from_a_stale_page_is_refused_and_what_was_typed_stays(client, login, app, round_id, plan_ids):
    login("reporter")
    draft = _form(plan_ids)
    draft["action"] = "save"
    client.post(f"/reports/{round_id}/my", data=draft)  # created: lock 1
    client.post(f"/reports/{round_id}/my", data={**draft, "lock": "1"})  # saved again in another tab: lock 2
    stale = _form(plan_ids, **{"Số buổi tuyên truyền": "42"})
    stale.update(action="save", lock="1")
    response = client.post(f"/reports/{round_id}/my", data=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Báo cáo vừa được lưu ở nơi khác" in page and 'value="42"' in page
    with app.app_context():
        assert db.session.scalar(select(Submission)).figures[plan_ids["indicators"]["Số buổi tuyên truyền"]] == 15
