"""The plans pages through the browser's eyes (test client): tasks, tracking matrix, reports, reminders, panels."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from plans_fixtures import PNG, assignment_of, make_plan, make_task, tracked_plan
from sqlalchemy import func, select

from domain.office import office_today
from extensions import db as _db
from models import Document, Notification, StoredFile, Unit
from models.plans import Assignment, AssignmentUpdate, Evidence, Indicator, PlanTask, PlanTracking

HTMX = {"HX-Request": "true"}


@pytest.fixture
def plan(app, people):
    """A plan followed up since 2/3/2026: a dated task and a monthly one, both for the districts' group."""
    with app.app_context():
        document, districts, monthly = tracked_plan(people, due_on=office_today() + timedelta(days=3))
        _db.session.commit()
        return {"id": document.id, "districts": districts.id, "monthly": monthly.id,
                "mine": assignment_of(districts, people["district"]).id,
                "theirs": assignment_of(districts, people["other_district"]).id,
                "indicators": [i.id for i in districts.indicators]}


def text(response) -> str:
    return response.get_data(as_text=True)


# ------------------------------------------------------------------------------------------------ the clerk


def test_the_clerk_takes_the_seed_tasks_edits_one_and_starts_tracking(client, login, app, people):
    with app.app_context():
        document = make_plan()
        group = _db.session.get(Unit, people["group"])
        group.name = group.recipient_name = "Các đơn vị cấp huyện"  # not how the seed writes it
        _db.session.commit()
        doc_id = document.id
    login("clerk")
    page = client.get(f"/plans/{doc_id}")
    assert "Lấy nhiệm vụ từ mục “Tổ chức thực hiện”" in text(page)
    response = client.post(f"/plans/{doc_id}/tasks/propose", headers=HTMX)
    assert response.status_code == 200 and "<html" not in text(response)
    assert "Đã lấy 5 nhiệm vụ" in text(response)
    with app.app_context():
        tasks = _db.session.scalars(select(PlanTask).order_by(PlanTask.position)).all()
        # the office matches the directory; "Các đơn vị cấp huyện" is spelled too differently to be guessed
        assert [t.unit_id for t in tasks] == [people["office"]] * 3 + [None, None]
        task_id = tasks[3].id
    form = {"text": "Xây dựng kế hoạch tuyên truyền Chỉ thị số 07", "unit_id": str(people["group"]),
            "lead_unit_id": "0", "deadline_kind": "date", "due_on": "2026-06-30", "deadline_text": "trước ngày 30/6",
            "indicators-0-name": "Số buổi tuyên truyền", "indicators-0-unit_of_measure": "buổi",
            "indicators-0-value_type": "integer", "indicators-1-name": "", "indicators-1-value_type": "integer"}
    assert client.post(f"/plans/{doc_id}/tasks/{task_id}", data=form).status_code == 303
    edit = text(client.get(f"/plans/{doc_id}/tasks/{task_id}"))
    assert edit.count('value="Số buổi tuyên truyền"') == 1  # the indicator once, then two blank rows
    assert 'name="indicators-2-name"' in edit and 'name="indicators-3-name"' not in edit
    response = client.post(f"/plans/{doc_id}/tracking")
    assert response.status_code == 303
    with app.app_context():
        assert _db.session.scalar(select(func.count(Assignment.id))) == 3 + 2  # the office's three, two districts
        indicator = _db.session.scalar(select(Indicator))
        assert (indicator.name, indicator.unit_of_measure, indicator.value_type) == ("Số buổi tuyên truyền", "buổi",
                                                                                     "integer")
    page = text(client.get(f"/plans/{doc_id}"))
    assert "1 nhiệm vụ chưa có đơn vị thực hiện nên chưa được giao." in page
    assert 'id="matrix"' in page and "Huyện Yên Mô" in page and "Chưa chọn đơn vị" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"text": ""}, "text", "Vui lòng nhập nội dung nhiệm vụ."),
        ({"deadline_kind": "date", "due_on": ""}, "due_on", "Vui lòng chọn ngày hết hạn."),
        ({"deadline_kind": "date", "due_on": "30/6/2026"}, "due_on", "Ngày không hợp lệ."),
        ({"deadline_kind": "monthly", "day_of_month": "40"}, "day_of_month", "Ngày trong tháng từ 1 đến 31."),
        ({"unit_id": "999999"}, "unit_id", "Đơn vị không tồn tại."),
        ({"indicators-0-name": "Số buổi", "indicators-1-name": "số buổi"}, "indicators", "bị trùng"),
    ],
)
def test_a_bad_task_form_is_shown_again_with_the_reason_and_saves_nothing(client, login, app, plan, change, field,
                                                                             message):
    login("clerk")
    form = {"text": "Nội dung", "unit_id": "0", "deadline_kind": "none", "indicators-0-name": "",
            "indicators-0-value_type": "integer", "indicators-1-name": "", "indicators-1-value_type": "integer", **change}
    response = client.post(f"/plans/{plan['id']}/tasks/new", data=form)
    assert response.status_code == 200
    assert message in text(response)
    with app.app_context():
        assert _db.session.scalar(select(func.count(PlanTask.id))) == 2


def test_split_merge_move_and_delete_keep_the_list_in_order(client, login, app, people):
    with app.app_context():
        document = make_plan()
        make_task(document, "Tổ chức hội nghị; tuyên truyền trên trang thông tin", people["office"])
        make_task(document, "Báo cáo kết quả", people["office"])
        _db.session.commit()
        doc_id = document.id
        first, second = _db.session.scalars(select(PlanTask.id).order_by(PlanTask.position)).all()
    login("clerk")
    split = client.get(f"/plans/{doc_id}/tasks/{first}/split")
    assert "Tổ chức hội nghị\ntuyên truyền trên trang thông tin" in text(split)
    client.post(f"/plans/{doc_id}/tasks/{first}/split", data={"parts": "Tổ chức hội nghị\nTuyên truyền trên trang"})

    def order():
        with app.app_context():
            return _db.session.scalars(select(PlanTask.text).order_by(PlanTask.position)).all()

    assert order() == ["Tổ chức hội nghị", "Tuyên truyền trên trang", "Báo cáo kết quả"]
    client.post(f"/plans/{doc_id}/tasks/{second}/move/up", headers=HTMX)
    assert order() == ["Tổ chức hội nghị", "Báo cáo kết quả", "Tuyên truyền trên trang"]
    with app.app_context():
        ids = _db.session.scalars(select(PlanTask.id).order_by(PlanTask.position)).all()
    client.post(f"/plans/{doc_id}/tasks/merge", data={"task_id": [str(ids[0]), str(ids[1])]})
    assert order() == ["Tổ chức hội nghị; Báo cáo kết quả", "Tuyên truyền trên trang"]
    client.post(f"/plans/{doc_id}/tasks/{ids[2]}/delete")
    assert order() == ["Tổ chức hội nghị; Báo cáo kết quả"]


def test_a_task_already_reported_on_cannot_be_deleted_or_split(client, login, app, plan):
    login("reporter")
    client.post(f"/assignments/{plan['mine']}/report", data={"status": "in_progress", "narrative": "Đang làm"})
    login("clerk")
    response = client.post(f"/plans/{plan['id']}/tasks/{plan['districts']}/delete", headers=HTMX)
    assert "Không thể xóa nhiệm vụ" in text(response)
    response = client.post(f"/plans/{plan['id']}/tasks/{plan['districts']}/split", data={"parts": "a\nb"})
    assert "Không thể tách nhiệm vụ" in text(response)
    with app.app_context():
        assert _db.session.scalar(select(func.count(PlanTask.id))) == 2


def test_the_matrix_filters_and_answers_204_while_nothing_changed(client, login, app, plan, people):
    login("clerk")
    page = text(client.get(f"/plans/{plan['id']}"))
    stamp = re.search(r'data-stamp="([^"]+)"', page)[1]
    url = f"/plans/{plan['id']}/matrix?stamp={stamp}"
    assert client.get(url, headers=HTMX).status_code == 204
    login("reporter")
    client.post(f"/assignments/{plan['mine']}/report", data={"status": "done", "narrative": "Xong"})
    login("clerk")
    refreshed = client.get(url, headers=HTMX)
    assert refreshed.status_code == 200 and "<html" not in text(refreshed)
    cell = re.search(rf'id="cell-{people["district"]}-{plan["districts"]}" class="([^"]+)"', text(refreshed))[1]
    assert "cell-green" in cell
    only_done = text(client.get(f"/plans/{plan['id']}?status=done", headers=HTMX))
    assert "Huyện Yên Mô" in only_done and "Huyện Kim Sơn" not in only_done.split("<tbody>")[1]
    assert client.get(url).status_code == 303  # without htmx the matrix URL sends you to the page


# ------------------------------------------------------------------------------------------------ the units


def test_a_reporter_sees_only_their_unit_and_reports_inline(client, login, app, plan):
    login("reporter")
    page = text(client.get("/my-tasks"))
    assert page.count('class="card assignment') == 2
    assert f'id="a-{plan["theirs"]}"' not in page
    sessions = plan["indicators"][0]
    response = client.post(f"/assignments/{plan['mine']}/report", headers=HTMX,
                           data={"status": "done", "done_on": office_today().isoformat(), f"value-{sessions}": "1.250",
                                 "narrative": "Tổ chức 12 buổi", "files": (BytesIO(PNG), "ảnh.png")},
                           content_type="multipart/form-data")
    body = text(response)
    assert response.status_code == 200 and "<html" not in body and f'id="a-{plan["mine"]}"' in body
    assert "Đã ghi nhận lúc" in body and 'value="1250"' in body
    with app.app_context():
        assignment = _db.session.get(Assignment, plan["mine"])
        assert assignment.status == "done" and assignment.values[0].value == 1250
        assert _db.session.scalar(select(func.count(Evidence.id))) == 1


def test_a_refused_report_is_shown_in_its_row_with_what_was_typed(client, login, app, plan):
    login("reporter")
    sessions = plan["indicators"][0]
    response = client.post(f"/assignments/{plan['mine']}/report", headers=HTMX,
                           data={"status": "failed", f"value-{sessions}": "2,5", "narrative": "Giữ lại chữ này"})
    body = text(response)
    assert response.status_code == 200
    assert "Vui lòng ghi rõ lý do không thực hiện được." in body and "số nguyên" in body
    assert "Giữ lại chữ này" in body and 'value="2,5"' in body
    without_js = client.post(f"/assignments/{plan['mine']}/report", data={"status": "failed"})
    assert without_js.status_code == 200 and "Vui lòng ghi rõ lý do" in text(without_js)
    with app.app_context():
        assert _db.session.scalar(select(func.count(AssignmentUpdate.id))) == 0


def test_a_report_without_javascript_redirects_back_to_the_list(client, login, plan):
    login("reporter")
    response = client.post(f"/assignments/{plan['mine']}/report", data={"status": "in_progress"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/my-tasks#a-{plan['mine']}")


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_units_assignment_is_not_found(client, login, plan, method):
    login("reporter")
    url = f"/assignments/{plan['theirs']}" + ("/report" if method == "post" else "")
    response = getattr(client, method)(url, data={"status": "done"} if method == "post" else None)
    assert response.status_code == 404


def test_a_reporter_cannot_open_the_plan_pages_nor_another_units_page(client, login, plan, people):
    login("reporter")
    assert client.get(f"/plans/{plan['id']}").status_code == 403
    assert client.get("/plans").status_code == 403
    assert client.get(f"/plans/{plan['id']}/units/{people['other_district']}").status_code == 404
    assert client.get(f"/plans/{plan['id']}/units/{people['district']}").status_code == 200


def test_history_lists_every_report_and_evidence_downloads_only_for_those_who_may_see_it(client, login, app, plan):
    login("reporter")
    client.post(f"/assignments/{plan['mine']}/report", data={"status": "in_progress", "narrative": "Lần một"})
    client.post(f"/assignments/{plan['mine']}/report", data={"status": "in_progress", "narrative": "Lần hai",
                                                            "files": (BytesIO(PNG), "../../etc/anh.png")},
                content_type="multipart/form-data")
    page = text(client.get(f"/assignments/{plan['mine']}"))
    assert page.index("Lần hai") < page.index("Lần một")
    with app.app_context():
        evidence = _db.session.scalar(select(Evidence))
        assert evidence.stored_file.original_name == "anh.png"
        evidence_id = evidence.id
    download = client.get(f"/evidence/{evidence_id}")
    assert download.status_code == 200 and download.data == PNG
    assert "attachment" in download.headers["Content-Disposition"]
    login("other_reporter")
    assert client.get(f"/evidence/{evidence_id}").status_code == 404
    login("approver")
    assert client.get(f"/evidence/{evidence_id}").status_code == 200


def test_an_oversized_evidence_file_is_refused_and_nothing_is_kept(client, login, app, plan):
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    login("reporter")
    response = client.post(f"/assignments/{plan['mine']}/report", headers=HTMX, content_type="multipart/form-data",
                           data={"status": "in_progress", "files": (BytesIO(PNG + bytes(2048)), "to.png")})
    assert "Tệp quá lớn" in text(response)
    with app.app_context():
        assert _db.session.scalar(select(func.count(StoredFile.id))) == 0


# ------------------------------------------------------------------------------------------------ follow-up


def test_reminders_reach_the_late_units_users_on_their_dashboard(client, login, app, people):
    with app.app_context():
        tracked_plan(people, due_on=date(2026, 3, 10))  # long past
        _db.session.commit()
        doc_id = _db.session.scalar(select(Document.id))
    login("clerk")
    assert client.post(f"/plans/{doc_id}/remind").status_code == 303
    with app.app_context():
        assert _db.session.scalar(select(func.count(Notification.id))
                                  .where(Notification.message.like("Nhắc việc%"))) == 2
    login("reporter")
    dashboard = text(client.get("/"))
    assert "Nhắc việc: đơn vị còn 2 nhiệm vụ quá hạn" in dashboard
    assert "Nhiệm vụ cần thực hiện" in dashboard and "quá hạn" in dashboard


def test_the_office_dashboard_shows_late_and_due_soon_work_and_a_chart(client, login, app, people):
    with app.app_context():
        document, districts, monthly = tracked_plan(people, due_on=office_today() + timedelta(days=2))
        _db.session.commit()
    login("approver")
    page = text(client.get("/"))
    assert "Theo dõi nhiệm vụ các kế hoạch" in page
    assert "Đến hạn trong 7 ngày" in page and "<svg" in page and 'class="chart-bar' not in page  # nothing done yet
    assert page.count('class="chart-track"') == 2  # one bar per district


def test_a_unit_joining_the_group_is_offered_on_the_plan_and_added(client, login, app, plan, people):
    from conftest import make_unit

    with app.app_context():
        make_unit("Huyện Hoa Lư", parent=_db.session.get(Unit, people["group"]))
        _db.session.commit()
    login("clerk")
    page = text(client.get(f"/plans/{plan['id']}"))
    assert "Đơn vị mới trong nhóm:" in page and "Huyện Hoa Lư" in page
    assert "Huyện Hoa Lư" in text(client.get("/plans"))
    client.post(f"/plans/{plan['id']}/sync")
    with app.app_context():
        assert _db.session.scalar(select(func.count(Assignment.id))) == 6


def test_the_plan_list_and_the_document_page_summarise_the_follow_up(client, login, app, plan):
    login("clerk")
    listing = text(client.get("/plans"))
    assert "Tuyên truyền thực hiện Chỉ thị số 07-CT/TW" in listing and "0/4" in listing
    login("approver")
    page = client.get(f"/documents/{plan['id']}")
    if page.status_code == 200:  # the document pages belong to another part of the application
        assert "Nhiệm vụ và theo dõi thực hiện" in text(page) and "0/4 lượt giao" in text(page)


def test_issuing_a_plan_through_the_workflow_starts_tracking(app, people):
    from domain.documents.workflow import AFTER_ISSUE
    from domain.plans.tracking import after_issue

    assert AFTER_ISSUE.count(after_issue) == 1
    with app.app_context():
        document = make_plan(status="issued", issued_on=date(2026, 3, 2))
        make_task(document, "Tuyên truyền ở cơ sở", people["group"])
        after_issue(document)
        assert _db.session.scalar(select(PlanTracking.document_id)) == document.id
        assert _db.session.scalar(select(func.count(Assignment.id))) == 2
