"""The follow-up on PostgreSQL: fan-out, a report with figures, the matrix, its refresh stamp, the dashboard."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from conftest import CsrfClient, make_unit, make_user
from pg import throwaway_database
from plans_fixtures import assignment_of, tracked_plan
from sqlalchemy import select

from app import create_app
from domain.office import office_today
from extensions import db
from models import Organization
from models.choices import CLERK, UNIT_REPORTER
from models.plans import AssignmentUpdate, IndicatorValue


@pytest.mark.postgres
def test_tracking_works_the_same_on_postgresql(tmp_path):
    with throwaway_database() as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
                          "FILES_DIR": str(tmp_path / "files")})
        app.test_client_class = CsrfClient
        try:
            with app.app_context():
                db.create_all()
                Organization.current()
                office = make_unit("Ban Thường trực", slug="office", kind="office")
                group = make_unit("Các huyện", slug="districts", parent=office, is_group=True)
                district = make_unit("Huyện Yên Mô", parent=group)
                make_unit("Huyện Kim Sơn", parent=group)
                make_user("clerk", {CLERK}, unit=office)
                make_user("reporter", {UNIT_REPORTER}, unit=district)
                people = {"group": group.id, "district": district.id}
                document, districts, _monthly = tracked_plan(people, due_on=office_today() + timedelta(days=2))
                mine = assignment_of(districts, district.id).id
                sessions = districts.indicators[2].id  # "Kinh phí", a decimal
                db.session.commit()
                plan_id = document.id
            client = app.test_client()
            client.post("/login", data={"username": "clerk", "password": "mat-khau-thu-nghiem"})
            page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
            stamp = re.search(r'data-stamp="([^"]+)"', page)[1]
            matrix_url = f"/plans/{plan_id}/matrix?stamp={stamp}"
            assert client.get(matrix_url, headers={"HX-Request": "true"}).status_code == 204
            client.post("/logout")
            client.post("/login", data={"username": "reporter", "password": "mat-khau-thu-nghiem"})
            done = client.post(f"/assignments/{mine}/report",
                               data={"status": "done", f"value-{sessions}": "12,75", "narrative": "Xong"})
            assert done.status_code == 303
            client.post("/logout")
            client.post("/login", data={"username": "clerk", "password": "mat-khau-thu-nghiem"})
            refreshed = client.get(matrix_url, headers={"HX-Request": "true"})
            assert refreshed.status_code == 200 and "cell-green" in refreshed.get_data(as_text=True)
            assert "Theo dõi nhiệm vụ các kế hoạch" in client.get("/").get_data(as_text=True)
            with app.app_context():
                assert db.session.scalar(select(IndicatorValue.value)) == Decimal("12.75")
                assert db.session.scalar(select(AssignmentUpdate.status)) == "done"
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
