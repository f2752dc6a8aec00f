"""Small things a user would stumble on, found by walking through the application (UX review)."""

from __future__ import annotations

from datetime import date

import pytest
from plans_fixtures import tracked_plan, user
from reports_fixtures import open_round, report_plan
from sqlalchemy import select

from blueprints.reports.panels import reporter_panel
from domain.plans.lateness import remind_late_units
from models import Notification


@pytest.mark.parametrize(("title", "expected"), [
    ("Tuyên truyền Chỉ thị 07", "trong Kế hoạch “Tuyên truyền Chỉ thị 07”."),
    ("Tuyên truyền về “Đẩy mạnh công tác”", "trong Kế hoạch Tuyên truyền về “Đẩy mạnh công tác”."),
])
def test_a_reminder_names_the_plan_with_one_pair_of_quotation_marks(db, people, title, expected):
    document, _districts, _monthly = tracked_plan(people)
    document.title = title
    remind_late_units(document, user("clerk"), date(2026, 5, 2), "/my-tasks")
    messages = {n.message for n in db.session.scalars(select(Notification).where(Notification.message.like("Nhắc việc%")))}
    assert messages and all(expected in m and "””" not in m for m in messages)


@pytest.mark.parametrize(("due", "late"), [(date(2020, 1, 6), True), (date(2999, 1, 6), False)])
def test_a_reporters_dashboard_says_when_the_report_is_past_due(db, people, due, late):
    plan, _districts, _monthly = report_plan(people)
    rnd = open_round(plan, people)
    rnd.due_on = due  # the form refuses a past date; the round may simply have run out of time
    db.session.flush()
    panel = reporter_panel(user("reporter"))
    assert [r.id for r, _sub in panel["rows"]] == [rnd.id]
    assert (rnd.id in panel["past_due"]) is late
