"""Every route that changes data: refused without a CSRF token, refused to the wrong role.

Later capabilities add their routes to ROUTES; test_every_post_route_is_in_the_table fails until they do.
"""

from datetime import datetime

import plans_fixtures
import pytest
import register_fixtures
import reports_fixtures
from workflow_fixtures import make_document
from workflow_fixtures import user as wf_user

from extensions import db
from models import Notification, User
from models.choices import CERT_ROOT, DONE, JOB_ONBOARDING
from models.jobs import Job
from models.plans import UnitAlias
from models.trust import TrustedCertificate

EVERYONE = {"admin", "clerk", "approver", "records", "reporter"}
ADMIN_ONLY = {"admin"}

# (url template, users allowed). Placeholders are filled from the `ids` fixture below.
ROUTES = [
    ("/logout", EVERYONE),
    ("/account/password", EVERYONE),
    ("/account/settings", EVERYONE),  # one's own e-mail choice
    ("/notifications/{notification}/read", {"reporter"}),  # only the addressee; others get 404
    ("/admin/users/new", ADMIN_ONLY),
    ("/admin/users/{user}", ADMIN_ONLY),
    ("/admin/users/{user}/password", ADMIN_ONLY),
    ("/admin/units/new", ADMIN_ONLY),
    ("/admin/units/{unit}", ADMIN_ONLY),
    ("/admin/units/{unit}/move/up", ADMIN_ONLY),
    ("/admin/units/aliases/{unit_alias}/delete", ADMIN_ONLY),
    ("/admin/organization", ADMIN_ONLY),
    ("/admin/onboarding/preview", ADMIN_ONLY),
    ("/admin/onboarding/confirm", ADMIN_ONLY),
    ("/admin/onboarding/jobs/{onboarding_job}/forget", ADMIN_ONLY),  # "Đã in xong": the slips' passwords go
    ("/admin/trust", ADMIN_ONLY),
    ("/admin/trust/{trusted_certificate}/delete", ADMIN_ONLY),
    # Documents: clerks and admins draft; the picker's buttons and the preview post to the editor's URLs.
    ("/documents/new", {"admin", "clerk"}),
    ("/documents/{draft_document}", {"admin", "clerk"}),
    ("/documents/preview", {"admin", "clerk"}),
    # The workflow: role by the transition table; reporters do not see documents (404).
    ("/documents/{draft_document}/submit", {"clerk"}),
    ("/documents/{submitted_document}/withdraw", {"clerk"}),
    ("/documents/{submitted_document}/return", {"approver"}),
    ("/documents/{submitted_document}/approve", {"approver"}),
    ("/documents/{draft_document}/cancel", {"clerk"}),
    ("/documents/{issued_document}/recall", {"approver", "records"}),
    ("/documents/{submitted_document}/comments", {"clerk", "approver"}),
    ("/documents/{review_comment}/resolve", {"clerk", "approver"}),
    # The register and the archive: only the records clerk numbers, issues and files signed copies.
    ("/register/reserve", {"records"}),
    ("/register/entries/{reserved_entry}/cancel", {"records"}),
    ("/register/settings", ADMIN_ONLY),
    ("/documents/{approved_document}/issue", {"records"}),
    ("/documents/{registered_document}/signed-copy", {"records"}),
    # Plans: clerks keep the tasks and follow up; units report on their own assignments (others' are 404).
    ("/plans/{plan}/tasks/propose", {"clerk"}),
    ("/plans/{plan}/tasks/new", {"clerk"}),
    ("/plans/{plan_task}", {"clerk"}),
    ("/plans/{plan_task}/split", {"clerk"}),
    ("/plans/{plan_task}/move/up", {"clerk"}),
    ("/plans/{plan_task}/delete", {"clerk"}),
    ("/plans/{plan}/tasks/merge", {"clerk"}),
    ("/plans/{plan}/tracking", {"clerk"}),
    ("/plans/{plan}/sync", {"clerk"}),
    ("/plans/{plan}/remind", {"clerk"}),
    ("/plans/units/{unit}/join", {"clerk"}),
    ("/plans/import", {"clerk"}),
    ("/plans/import/review", {"clerk"}),
    ("/plans/import/confirm", {"clerk"}),
    ("/assignments/{assignment}/report", {"clerk", "reporter"}),
    ("/assignments/{other_assignment}/report", {"clerk"}),  # another district's: 404 for the reporter
    # Report rounds: the clerk runs them; a unit reporter answers for their own unit only.
    ("/plans/{plan}/reports", {"clerk"}),
    ("/reports/{report_round}/remind", {"clerk"}),
    ("/reports/{report_round}/close", {"clerk"}),
    ("/reports/{report_round}/reopen", {"clerk"}),
    ("/reports/{report_round}/units", {"clerk"}),
    ("/reports/{report_round}/units/{unit}/remove", {"clerk"}),
    ("/reports/{report_round}/units/{unit}/accept", {"clerk"}),
    ("/reports/{report_round}/units/{unit}/return", {"clerk"}),
    ("/reports/{report_round}/generate", {"clerk"}),
    ("/reports/{report_round}/request-letter", {"clerk"}),
    ("/reports/{report_round}/my", {"reporter"}),
    # Kiểm tra thể thức: office staff check a file or a document; a held file's own posts are its owner's
    # (tests/test_format_check_views.py), under the same prefix.
    ("/format-check/", {"admin", "clerk", "approver", "records"}),
    ("/format-check/document", {"admin", "clerk", "approver", "records"}),
]
PUBLIC_POSTS = {"/login", "/mail/unsubscribe"}  # the signed link of a letter works without signing in


def _notification(people):
    reporter = db.session.scalar(db.select(User).filter_by(username="reporter"))
    note = Notification(user_id=reporter.id, message="Nhắc việc")
    db.session.add(note)
    db.session.flush()
    return note.id


def _unit_alias(people):
    alias = UnitAlias(key="phong van hoa", text="Phòng Văn hóa", unit_id=people["office"])
    db.session.add(alias)
    db.session.flush()
    return alias.id


def _review_comment(people):
    """"<document id>/comments/<comment id>" of a comment on a submitted document."""
    from domain.documents.review import add_comment

    document = make_document(status="submitted")
    comment = add_comment(document, wf_user("approver"), "Bổ sung thời gian thực hiện.")
    return f"{document.id}/comments/{comment.id}"


def _trusted_certificate(people):
    row = TrustedCertificate(kind=CERT_ROOT, subject="Root CA", issuer="Root CA", serial="1", sha256="0" * 64,
                             der=b"0", not_before=datetime(2026, 1, 1), not_after=datetime(2036, 1, 1))
    db.session.add(row)
    db.session.flush()
    return row.id


def _onboarding_job(people):
    admin = db.session.scalar(db.select(User).filter_by(username="admin"))
    job = Job(kind=JOB_ONBOARDING, subject="units", state=DONE, created_by_id=admin.id,
              result_json='{"units": 1, "accounts": 1, "sealed": "AAAA"}')
    db.session.add(job)
    db.session.flush()
    return job.id


# How to make the object each placeholder names; `people` is the conftest fixture's dict of unit ids.
ID_BUILDERS = {
    "plan": plans_fixtures.security_plan,
    "plan_task": plans_fixtures.security_task,
    "assignment": plans_fixtures.security_assignment,
    "other_assignment": plans_fixtures.security_other_assignment,
    "notification": _notification,
    "user": lambda people: db.session.scalar(db.select(User.id).filter_by(username="clerk")),
    "unit": lambda people: people["district"],
    "draft_document": lambda people: make_document().id,
    "submitted_document": lambda people: make_document(status="submitted").id,
    "issued_document": lambda people: make_document(status="issued").id,
    "review_comment": _review_comment,
    "approved_document": register_fixtures.approved_document,
    "registered_document": register_fixtures.registered_document,
    "reserved_entry": register_fixtures.reserved_entry,
    "report_round": reports_fixtures.security_round,
    "unit_alias": _unit_alias,
    "trusted_certificate": _trusted_certificate,
    "onboarding_job": _onboarding_job,
}


@pytest.fixture
def ids(app, people):
    with app.app_context():
        values = {name: build(people) for name, build in ID_BUILDERS.items()}
        db.session.commit()
        return values


def _role_cases():
    for url, allowed in ROUTES:
        for user in sorted(EVERYONE):
            yield pytest.param(url, user, user in allowed, id=f"{url}-{user}")


def test_every_post_route_is_in_the_table(app):
    table = {url.split("{")[0].rstrip("/") for url, _ in ROUTES} | PUBLIC_POSTS
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint != "static":
            prefix = rule.rule.split("<")[0].rstrip("/")
            assert any(t.startswith(prefix) or prefix.startswith(t) for t in table), f"{rule.rule} is not in ROUTES"


@pytest.mark.parametrize("url,user,allowed", list(_role_cases()))
def test_route_refuses_wrong_role_and_missing_csrf(client, login, ids, url, user, allowed):
    login(user)
    path = url.format(**ids)
    no_token = client.post(path, data={}, csrf=False)
    assert no_token.status_code == 400, "a POST without a CSRF token must be refused"
    response = client.post(path, data={})
    if allowed:
        assert response.status_code not in (400, 403, 404)
    else:
        assert response.status_code in (403, 404)


def test_anonymous_posts_are_sent_to_sign_in(client, ids):
    for url, _allowed in ROUTES:
        response = client.post(url.format(**ids), data={})
        # 303 for a form sent without a session: sign in, then back to the page it came from (blueprints.drafts)
        assert response.status_code in (302, 303, 400) and (response.status_code == 400
                                                             or "/login" in response.headers["Location"])


def test_htmx_request_carries_the_token_in_a_header(client, login, ids):
    login("admin")
    token = client.csrf_token()
    response = client.post(f"/admin/units/{ids['unit']}/move/up", csrf=False,
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
    assert 'id="unit-tree"' in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)  # a fragment, not the whole page


def test_csrf_failure_on_htmx_gets_a_vietnamese_fragment(client, login, ids):
    login("admin")
    response = client.post(f"/admin/units/{ids['unit']}/move/up", csrf=False, headers={"HX-Request": "true"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Phiên làm việc không hợp lệ" in body and "<html" not in body


def test_security_headers(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_template_loads_anything_from_the_internet():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent / "templates"
    for path in root.rglob("*.html"):
        assert not re.search(r'(src|href)="(https?:)?//', path.read_text()), path
