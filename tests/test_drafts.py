"""What a reporter typed survives an ended session: the form sent without a session is answered with the sign-in page,
which leads back to the page the form was on (never to the address of the POST); nothing is saved; a save the server
confirmed tells the next page to let the browser's draft go. (The browser's part: tests/e2e/test_phone_reporter.py.)"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import PASSWORD
from plans_fixtures import assignment_of, tracked_plan
from reports_fixtures import open_round, report_plan
from sqlalchemy import func, select

from domain.office import office_today
from extensions import db
from models import User
from models.plans import AssignmentUpdate

HTMX = {"HX-Request": "true"}


@pytest.fixture
def mine(app, people) -> int:
    with app.app_context():
        _plan, districts, _monthly = tracked_plan(people, due_on=office_today() + timedelta(days=3))
        db.session.commit()
        return assignment_of(districts, people["district"]).id


def _next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["next"][0]


def _end_session(client) -> None:
    """The session cookie is gone (expired, or the phone cleared it); the token the page carries stays in the form."""
    client.delete_cookie("session")
    client.delete_cookie("remember_token")


def test_a_task_update_sent_with_htmx_after_the_session_ended_leads_to_sign_in_and_back_to_the_page(
        client, login, app, mine):
    login("reporter")
    token = client.csrf_token()
    _end_session(client)
    response = client.post(f"/assignments/{mine}/report", csrf=False, headers={
        **HTMX, "HX-Current-URL": f"http://localhost/my-tasks#a-{mine}"},
        data={"csrf_token": token, "status": "in_progress", "narrative": "Đã làm một nửa"})
    assert response.status_code == 200 and response.get_data() == b""  # nothing to put inside the form's box
    target = response.headers["HX-Redirect"]
    assert urlsplit(target).path == "/login" and _next_of(target) == f"/my-tasks#a-{mine}"
    page = client.get(target).get_data(as_text=True)
    assert "Phiên đăng nhập đã hết hạn nên nội dung chưa được gửi" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(AssignmentUpdate.id))) == 0


def test_signing_in_again_leads_back_to_the_form_page(client, login, people, mine):
    response = client.post(f"/login?next=/my-tasks%23a-{mine}", data={"username": "reporter", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/my-tasks#a-{mine}")


def test_a_report_sent_without_htmx_after_the_session_ended_goes_to_sign_in_then_to_the_form_page(
        client, login, app, people):
    with app.app_context():
        plan, _districts, _monthly = report_plan(people)
        round_id = open_round(plan, people).id
        db.session.commit()
    login("reporter")
    token = client.csrf_token()
    _end_session(client)
    response = client.post(f"/reports/{round_id}/my", csrf=False, headers={"Referer": f"http://localhost/reports/{round_id}/my"},
                           data={"csrf_token": token, "action": "submit"})
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert _next_of(response.headers["Location"]) == f"/reports/{round_id}/my"


def test_a_session_signed_out_elsewhere_never_leads_back_to_the_address_of_a_post(client, login, app, mine):
    login("reporter")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "reporter"))
        user.end_other_sessions()  # e.g. the password was changed on another device
        db.session.commit()
    response = client.post(f"/assignments/{mine}/report", headers={"Referer": "http://localhost/my-tasks"},
                           data={"status": "in_progress"})
    assert response.status_code == 303 and _next_of(response.headers["Location"]) == "/my-tasks"


def test_a_form_from_another_site_never_becomes_the_way_back(client, login, mine):
    login("reporter")
    token = client.csrf_token()
    _end_session(client)
    response = client.post(f"/assignments/{mine}/report", csrf=False, headers={"Referer": "https://evil.example/x"},
                           data={"csrf_token": token, "status": "in_progress"})
    assert _next_of(response.headers["Location"]) == "/"


def test_a_confirmed_save_tells_the_next_page_to_let_the_draft_go_once(client, login, app, people, mine):
    login("reporter")
    with app.app_context():
        reporter_id = db.session.scalar(select(User.id).where(User.username == "reporter"))
    key = f"{reporter_id}:task-update:{mine}"
    page = client.get("/my-tasks").get_data(as_text=True)
    assert f'data-draft="{key}"' in page and "data-draft-clear" not in page
    client.post(f"/assignments/{mine}/report", data={"status": "in_progress", "narrative": "Bắt đầu"})
    assert f'data-draft-clear="{key}"' in client.get("/my-tasks").get_data(as_text=True)
    assert "data-draft-clear" not in client.get("/my-tasks").get_data(as_text=True)


def test_a_confirmed_htmx_save_answers_with_the_sent_state_that_clears_the_draft(client, login, mine):
    login("reporter")
    response = client.post(f"/assignments/{mine}/report", headers=HTMX,
                           data={"status": "in_progress", "narrative": "Bắt đầu"})
    html = response.get_data(as_text=True)
    assert 'class="sent-state"' in html and "data-draft-clear=" in html and "Đã gửi. Đã ghi nhận lúc" in html


def test_a_refused_update_keeps_the_draft(client, login, mine):
    login("reporter")
    html = client.post(f"/assignments/{mine}/report", headers=HTMX,
                       data={"status": "failed", "narrative": "Chưa làm được"}).get_data(as_text=True)
    assert "data-draft-clear" not in html and "<details class=\"update-box\" open>" in html


def test_a_form_without_its_token_while_signed_in_still_gets_the_invalid_form_message(client, login, mine):
    login("reporter")
    response = client.post(f"/assignments/{mine}/report", csrf=False, data={"status": "in_progress"})
    assert response.status_code == 400

