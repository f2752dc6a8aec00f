"""Who a new report round asks: by default the committees assigned in the plan that have an active reporting account;
units without one are named with a warning and left unticked; the office's own departments are never asked by
default. A unit that was never asked is never counted or named as one that did not report."""

from __future__ import annotations

import pytest
from conftest import make_unit, make_user
from plans_fixtures import make_task
from reports_fixtures import open_round, report_plan, submit, user
from sqlalchemy import select

from domain.plans.tracking import start_tracking
from domain.reports import scope
from domain.reports.drafts import draft_report
from domain.reports.rounds import round_tally, unit_rows
from extensions import db
from models import Document, Unit
from models.choices import UNIT_DEPARTMENT, UNIT_REPORTER
from models.reports import ReportRound


@pytest.fixture
def plan_id(app, people):
    """The tracked plan of the districts' group, plus: a district with no account, a district whose only reporter is
    deactivated, and one of the office's departments that has a task of its own (and even an account)."""
    with app.app_context():
        plan, _districts, _monthly = report_plan(people)
        group, office = db.session.get(Unit, people["group"]), db.session.get(Unit, people["office"])
        make_unit("Huyện Nho Quan", parent=group)
        left = make_unit("Huyện Gia Viễn", parent=group)
        make_user("left_reporter", {UNIT_REPORTER}, unit=left, active=False)
        department = make_unit("Ban Tuyên giáo", kind=UNIT_DEPARTMENT, parent=office)
        make_user("department_reporter", {UNIT_REPORTER}, unit=department)
        make_task(plan, "Biên soạn tài liệu hỏi - đáp", department.id)
        start_tracking(plan, user("clerk"))  # the new units and the new task get their assignments
        db.session.commit()
        return plan.id


def _names(ids) -> list[str]:
    return [db.session.get(Unit, i).name for i in ids]


def test_by_default_a_round_asks_the_assigned_committees_that_have_an_active_reporting_account(app, people, plan_id):
    with app.app_context():
        plan = db.session.get(Document, plan_id)
        assert set(scope.assigned_units(plan)) >= {people["district"], people["other_district"]}
        assert sorted(_names(scope.default_unit_ids(plan))) == ["Huyện Kim Sơn", "Huyện Yên Mô"]
        assert sorted(u.name for u in scope.units_without_account(plan)) == ["Huyện Gia Viễn", "Huyện Nho Quan"]


def test_the_offices_departments_are_never_asked_by_default_nor_listed_as_missing_an_account(app, people, plan_id):
    with app.app_context():
        plan = db.session.get(Document, plan_id)
        department = db.session.scalar(select(Unit).where(Unit.name == "Ban Tuyên giáo"))
        assert department.id in scope.assigned_units(plan)
        assert department.id in scope.reporting_unit_ids()
        assert department.id not in scope.default_unit_ids(plan)
        assert department not in scope.units_without_account(plan)


def test_the_new_round_page_warns_of_the_units_left_out_and_leaves_them_unticked(client, login, people, plan_id):
    login("clerk")
    page = client.get(f"/plans/{plan_id}/reports").get_data(as_text=True)
    warning = page[page.index("rp-no-account"):]
    warning = warning[:warning.index("</div>")]
    assert "2 đơn vị được giao nhiệm vụ nhưng chưa có tài khoản báo cáo" in warning
    assert "Huyện Nho Quan" in warning and "Huyện Gia Viễn" in warning and "Ban Tuyên giáo" not in warning
    boxes = dict((name.strip(), "checked" in attrs) for attrs, name in
                 __import__("re").findall(r'<input([^>]*name="unit_ids"[^>]*)>\s*<label[^>]*>([^<]+)</label>', page))
    assert boxes["Huyện Yên Mô"] and boxes["Huyện Kim Sơn"]
    assert not boxes["Huyện Nho Quan (chưa có tài khoản báo cáo)"]
    assert not boxes["Huyện Gia Viễn (chưa có tài khoản báo cáo)"]
    assert not boxes["Ban Tuyên giáo"]


def test_the_clerk_may_still_ask_a_unit_without_an_account(client, login, app, people, plan_id):
    with app.app_context():
        nho_quan = db.session.scalar(select(Unit).where(Unit.name == "Huyện Nho Quan"))
        plan = db.session.get(Document, plan_id)
        task_ids = [str(t) for t in scope.default_task_ids(plan, [nho_quan.id])]
    login("clerk")
    response = client.post(f"/plans/{plan_id}/reports", data={
        "title": "Kết quả 6 tháng", "cutoff_on": "2026-06-30", "due_on": "2026-07-05", "task_ids": task_ids,
        "unit_ids": [str(people["district"]), str(nho_quan.id)], "questions": ""})
    assert response.status_code == 303
    with app.app_context():
        rnd = db.session.scalar(select(ReportRound))
        assert sorted(ru.unit.name for ru in rnd.units) == ["Huyện Nho Quan", "Huyện Yên Mô"]


def test_a_unit_never_asked_is_not_counted_nor_named_as_not_reporting(app, people, plan_id):
    with app.app_context():
        plan = db.session.get(Document, plan_id)
        rnd = open_round(plan, people, unit_ids=scope.default_unit_ids(plan))
        submit(rnd, people["district"], "reporter", {"Số buổi tuyên truyền": "3"}, "Tổ chức 3 buổi.")
        db.session.flush()
        active, _removed = unit_rows(rnd)
        assert sorted(r.unit.name for r in active) == ["Huyện Kim Sơn", "Huyện Yên Mô"]
        tally = round_tally(rnd)
        assert (tally.asked, tally.submitted) == (2, 1)
        body = draft_report(rnd, user("clerk")).document.body
        assert "Có 1/2 đơn vị gửi báo cáo" in body
        assert "Đơn vị chưa gửi báo cáo: Huyện Kim Sơn" in body
        for never_asked in ("Huyện Nho Quan", "Huyện Gia Viễn", "Ban Tuyên giáo"):
            assert never_asked not in body
