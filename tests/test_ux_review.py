"""Small things a user would stumble on, found by walking through the application (UX review)."""

from __future__ import annotations

from datetime import date

import pytest
from plans_fixtures import tracked_plan, user
from sqlalchemy import select

from domain.tracking import remind_late_units
from models import Notification


@pytest.mark.parametrize(("title", "expected"), [
    ("Tuyên truyền Chỉ thị 07", "trong Kế hoạch “Tuyên truyền Chỉ thị 07”."),
    ("Tuyên truyền về “Đẩy mạnh công tác”", "trong Kế hoạch Tuyên truyền về “Đẩy mạnh công tác”."),
])
def test_a_reminder_names_the_plan_with_one_pair_of_quotation_marks(db, people, title, expected):
    document, _districts, _monthly = tracked_plan(people)
    document.title = title
    remind_late_units(document, user("clerk"), date(2026, 5, 2), "/my-tasks")
    messages = {n.message for n in db.session.scalars(select(Notification))}
    assert messages and all(expected in m and "””" not in m for m in messages)
