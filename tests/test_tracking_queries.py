"""The tracking page and the dashboard cost the same number of SQL queries for 10 units as for 200 (x 15 tasks)."""

from __future__ import annotations

from contextlib import contextmanager

from plans_fixtures import big_plan
from sqlalchemy import event, select, update

from extensions import db as _db
from models import User
from models.plans import Assignment, PlanTask


@contextmanager
def counted(engine):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def queries(app, client, url: str) -> int:
    client.get(url)  # warm up: templates compiled, session loaded
    with app.app_context():
        engine = _db.engine
    with counted(engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_the_tracking_page_and_the_dashboard_do_not_grow_with_the_number_of_units(app, client, login, people):
    with app.app_context():
        small = big_plan(10, title="Kế hoạch nhỏ").id
        _db.session.commit()
    login("clerk")
    small_page, small_dashboard = queries(app, client, f"/plans/{small}"), queries(app, client, "/")
    small_matrix = queries(app, client, f"/plans/{small}?status=done")
    with app.app_context():
        large = big_plan(200, title="Kế hoạch lớn").id
        _db.session.commit()
    large_page, large_dashboard = queries(app, client, f"/plans/{large}"), queries(app, client, "/")
    large_matrix = queries(app, client, f"/plans/{large}?status=done")
    assert (small_page, small_dashboard, small_matrix) == (large_page, large_dashboard, large_matrix)
    assert small_page < 30 and small_dashboard < 40
    page = client.get(f"/plans/{large}").get_data(as_text=True)
    assert page.count('class="cell cell-') == 200 * 15


def test_a_units_list_of_tasks_does_not_grow_with_its_number_of_tasks(app, client, login, people):
    with app.app_context():
        document = big_plan(3, tasks=2, title="Ít")
        unit_id = _db.session.scalar(select(Assignment.unit_id).join(PlanTask).where(PlanTask.document_id == document.id))
        reporter = _db.session.scalar(select(User).where(User.username == "reporter"))
        reporter.unit_id = unit_id
        _db.session.commit()
    login("reporter")
    few = queries(app, client, "/my-tasks")
    with app.app_context():
        more = big_plan(3, tasks=15, title="Nhiều")  # 15 more tasks, handed to the reporter's unit
        other = _db.session.scalar(select(Assignment.unit_id).join(PlanTask).where(PlanTask.document_id == more.id))
        _db.session.execute(update(Assignment).where(Assignment.unit_id == other).values(unit_id=unit_id))
        _db.session.commit()
    assert queries(app, client, "/my-tasks") == few
