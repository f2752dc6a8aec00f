"""Notifications that reach people: who is told of what, once per event, and every link opens a page the
recipient may see. The bell counts what is unread; "mark all as read" clears it."""

from __future__ import annotations

import re
from datetime import date

from click.testing import CliRunner
from conftest import make_unit, make_user
from plans_fixtures import PLAN_DATE, assignment_of, make_plan, make_task, tracked_plan, user
from reports_fixtures import open_round, report_plan, submit
from sqlalchemy import func, select
from workflow_fixtures import make_document

from blueprints.reports import my_link
from domain.plans.deadline_notices import notify_deadlines
from domain.plans.tracking import start_tracking
from domain.reports.submissions import return_submission
from extensions import db as _db
from models import AuditEvent, Notification, Unit, User
from models.choices import (
    CLERK,
    DONE,
    NOTE_DEADLINE_SOON,
    NOTE_DOCUMENT_RETURNED,
    NOTE_GENERAL,
    NOTE_OVERDUE,
    NOTE_REVIEW_REQUESTED,
    NOTE_ROUND_OPENED,
    NOTE_SUBMISSION_RETURNED,
    NOTE_TASKS_ASSIGNED,
    NOTIFICATION_KINDS,
    ONE_DATE,
    UNIT_DEPARTMENT,
)


def _notes(kind: str | None = None) -> list[Notification]:
    stmt = select(Notification).order_by(Notification.id)
    return list(_db.session.scalars(stmt.where(Notification.kind == kind) if kind else stmt))


def _every_kind_of_event(app, client, login, people) -> None:
    """One of each event the issue names, made the way the application makes it."""
    with app.app_context(), app.test_request_context():
        plan, districts, _monthly = report_plan(people)  # tracking started: tasks assigned to the districts
        assignment_of(districts, people["district"]).task.due_on = date(2026, 4, 30)
        notify_deadlines(date(2026, 4, 28))  # 2 days before the districts' task
        notify_deadlines(date(2026, 5, 2))  # past it
        rnd = open_round(plan, people)
        rnd_id = rnd.id
        sub = submit(rnd, people["district"], "reporter", {"Số buổi tuyên truyền": "3"})
        return_submission(sub, user("clerk"), "Bổ sung số liệu kinh phí.", link=my_link(rnd))
        draft = make_document(title="Công văn về việc tổng kết năm")
        _db.session.commit()
        draft_id = draft.id
    login("clerk")
    with app.app_context():
        approver_id = user("approver").id
    assert client.post(f"/documents/{draft_id}/submit", data={"expected_status": "draft",
                                                              "approver_id": approver_id}).status_code == 303
    login("approver")
    assert client.post(f"/documents/{draft_id}/return", data={"expected_status": "submitted",
                                                              "comment": "Sửa trích yếu."}).status_code == 303
    assert rnd_id


def test_every_kind_of_notification_opens_a_page_its_recipient_may_see(app, client, login, people):
    _every_kind_of_event(app, client, login, people)
    with app.app_context():
        notes = [(n.id, n.kind, n.link, _db.session.get(User, n.user_id).username) for n in _notes()]
    kinds = {kind for _id, kind, _link, _who in notes}
    assert {NOTE_TASKS_ASSIGNED, NOTE_DEADLINE_SOON, NOTE_OVERDUE, NOTE_ROUND_OPENED, NOTE_SUBMISSION_RETURNED,
            NOTE_REVIEW_REQUESTED, NOTE_DOCUMENT_RETURNED} <= kinds
    for note_id, kind, link, username in notes:
        login(username)
        assert link or kind not in kinds - {NOTE_GENERAL}, (kind, username)  # every named event links somewhere
        opened = client.post(f"/notifications/{note_id}/read")  # what a click on it does
        target = opened.headers["Location"]
        assert opened.status_code == 303 and target == (link or "/notifications")
        page = client.get(target, follow_redirects=True)
        assert page.status_code == 200, (kind, username, link)


def test_a_units_notifications_go_to_its_reporting_accounts_only(app, people):
    """An office department has no reporting account: its clerk is not told to report (the page would be 403)."""
    with app.app_context(), app.test_request_context():
        department = make_unit("Ban Tuyên giáo", kind=UNIT_DEPARTMENT, parent=_db.session.get(Unit, people["office"]))
        make_user("btg_clerk", {CLERK}, unit=department)
        plan = make_plan(status="issued", issued_on=PLAN_DATE)
        make_task(plan, "Tuyên truyền ở cơ sở", people["district"])
        make_task(plan, "Biên soạn tài liệu", department.id)
        start_tracking(plan, user("clerk"))
        told = {n.user_id for n in _notes(NOTE_TASKS_ASSIGNED)}
        assert told == {user("reporter").id}


def test_tasks_assigned_are_told_once_per_unit_and_plan_and_not_again_on_a_second_sync(app, people):
    with app.app_context(), app.test_request_context():
        plan, _districts, _monthly = tracked_plan(people)
        notes = _notes(NOTE_TASKS_ASSIGNED)
        assert sorted(n.user_id for n in notes) == sorted([user("reporter").id, user("other_reporter").id])
        assert "được giao 2 nhiệm vụ" in notes[0].message and "Chỉ thị số 07-CT/TW" in notes[0].message
        start_tracking(plan, user("clerk"))  # again: nothing new to assign, nobody told again
        assert len(_notes(NOTE_TASKS_ASSIGNED)) == 2


def test_the_deadline_check_tells_each_unit_once_per_task_and_event(app, people):
    with app.app_context(), app.test_request_context():
        _plan, districts, _monthly = tracked_plan(people, due_on=date(2026, 4, 30))
        assert notify_deadlines(date(2026, 4, 26)).soon == 0  # 4 days before: not yet
        first = notify_deadlines(date(2026, 4, 27))
        again = notify_deadlines(date(2026, 4, 28))  # the next day: the same event, nobody told twice
        assert first.soon >= 2 and again.soon == 0
        soon = [n for n in _notes(NOTE_DEADLINE_SOON) if "Tuyên truyền Chỉ thị số 07" in n.message]
        assert len(soon) == 2 and "còn 3 ngày, 30/4/2026" in soon[0].message
        late = notify_deadlines(date(2026, 5, 1))
        assert late.overdue >= 2 and notify_deadlines(date(2026, 5, 2)).overdue == 0
        assert any("Quá hạn" in n.message for n in _notes(NOTE_OVERDUE))
        mine = assignment_of(districts, people["district"])
        [note] = [n for n in _notes(NOTE_OVERDUE) if n.key == f"{NOTE_OVERDUE}:assignment:{mine.id}:2026-04-30"]
        assert note.user_id == user("reporter").id and note.link == f"/assignments/{mine.id}"
        assert _db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "notify_deadlines"))


def test_a_task_done_is_not_announced_as_due_or_overdue(app, people):
    with app.app_context(), app.test_request_context():
        plan = make_plan(status="issued", issued_on=PLAN_DATE)
        task = make_task(plan, "Tổ chức hội nghị", people["district"], deadline_kind=ONE_DATE,
                         due_on=date(2026, 4, 30))
        start_tracking(plan, user("clerk"))
        assignment_of(task, people["district"]).status = DONE
        result = notify_deadlines(date(2026, 5, 5))
        assert (result.soon, result.overdue) == (0, 0)


def test_notify_deadlines_command_runs_the_check(app, people):
    with app.app_context():
        tracked_plan(people, due_on=date(2026, 4, 30))
        _db.session.commit()
    runner = CliRunner()
    with app.app_context():
        result = runner.invoke(app.cli, ["notify-deadlines", "--date", "2026-05-01"])
        assert result.exit_code == 0, result.output
        assert "thông báo quá hạn" in result.output
        assert _notes(NOTE_OVERDUE)
        again = runner.invoke(app.cli, ["notify-deadlines", "--date", "2026-05-01"])
        assert "0 thông báo quá hạn" in again.output


def test_the_bell_counts_unread_and_mark_all_read_clears_it_by_htmx(app, client, login, people):
    with app.app_context(), app.test_request_context():
        tracked_plan(people)
        _db.session.commit()
    login("reporter")
    page = client.get("/notifications").get_data(as_text=True)
    assert re.search(r'id="unread-count">1<', page) and "Đánh dấu tất cả là đã đọc" in page
    assert "Được giao nhiệm vụ" in page
    refused = client.post("/notifications/read", csrf=False, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    response = client.post("/notifications/read", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="notification-list"' in body and 'id="bell"' in body and 'hx-swap-oob="true"' in body
    assert "unread-count" not in body and "Đánh dấu tất cả" not in body
    with app.app_context():
        assert all(n.read_at for n in _notes() if n.user_id == user("reporter").id)
        assert not any(n.read_at for n in _notes() if n.user_id == user("other_reporter").id)
    plain = client.post("/notifications/read")
    assert plain.status_code == 303


def test_every_notification_kind_has_a_vietnamese_label():
    assert all(choice.label and choice.label[0].isupper() for choice in NOTIFICATION_KINDS.values())
