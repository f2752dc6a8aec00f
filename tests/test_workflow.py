"""The document workflow: the transition table, its guards, and the routes that use it."""

from __future__ import annotations

import pytest
from conftest import field_error, make_unit, make_user
from sqlalchemy import func, select
from workflow_fixtures import BODY, PATHS, make_document, move_to, user

import models.core
from app import create_app
from domain.documents import workflow as wf
from extensions import db
from models import AuditEvent, Document, DocumentRevision, Notification, Organization
from models.choices import ADMIN, APPROVER, CLERK, RECORDS, UNIT_OFFICE, UNIT_REPORTER
from models.documents import document_revisions
from models.workflow import DocumentComment, DocumentEvent, current_approver

ROLES = {"clerk": CLERK, "approver": APPROVER, "records": RECORDS, "admin": ADMIN, "reporter": UNIT_REPORTER}
# Everything a guard may ask for, so that the matrix tests the table and not the input checks.
VALID_INPUT = {"comment": "Ý kiến của lãnh đạo.", "content_ok": True, "format_ok": True, "reason": "Ban hành nhầm."}


# ---- the (status, action, role) matrix, on one database prepared once --------------------------------------------


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory):
    """One document in every status, written through the real transitions; each case rolls back what it did."""
    models.core.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    base = tmp_path_factory.mktemp("matrix")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'm.sqlite3'}",
                      "FILES_DIR": str(base / "files"), "CACHE_DIR": str(base / "cache")})
    with app.app_context():
        db.create_all()
        Organization.current()
        office = make_unit("Văn phòng", slug="office", kind=UNIT_OFFICE)
        for username, role in ROLES.items():
            make_user(username, {role}, unit=office)
        documents = {status: make_document(status=status).id for status in wf.STATUSES}
        db.session.commit()
    app.documents = documents
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _matrix():
    for status in wf.STATUSES:
        for transition in wf.TRANSITIONS:
            for username, role in ROLES.items():
                allowed = status in transition.from_statuses and role in transition.roles
                yield pytest.param(status, transition.action, username, allowed,
                                   id=f"{status}-{transition.action}-{username}-{'allowed' if allowed else 'refused'}")


@pytest.mark.parametrize("status,action,username,allowed", list(_matrix()))
def test_transition_table_allows_exactly_the_listed_status_and_role(matrix_app, status, action, username, allowed):
    with matrix_app.app_context():
        document = db.session.get(Document, matrix_app.documents[status])
        actor = user(username)
        details = dict(VALID_INPUT, approver_id=user("approver").id)
        offered = action in [t.action for t in wf.available_actions(document, actor)]
        try:
            if allowed:
                event = wf.perform(document, action, actor, expected_status=status, **details)
                assert document.status == wf.BY_ACTION[action].to_status
                assert (event.from_status, event.to_status, event.user_id) == (status, document.status, actor.id)
                assert offered, "an allowed action must be offered on the page"
            else:
                with pytest.raises(wf.TransitionRefused) as refused:
                    wf.perform(document, action, actor, expected_status=status, **details)
                transition = wf.BY_ACTION[action]
                if ROLES[username] not in transition.roles:
                    assert refused.value.message == f"Bạn không có quyền thực hiện thao tác «{transition.label}»."
                else:
                    assert refused.value.message == (f"Không thể «{transition.label}» khi văn bản đang ở trạng thái "
                                                     f"«{wf.STATUSES[status].label}».")
                assert document.status == status
                assert not offered, "a refused action must not be offered on the page"
        finally:
            db.session.rollback()


def test_every_status_is_reachable_and_every_action_is_in_the_table():
    reachable = {wf.DRAFT} | {t.to_status for t in wf.TRANSITIONS}
    assert reachable == set(wf.STATUSES)
    assert set(PATHS) == set(wf.STATUSES)
    assert {"submit", "withdraw", "return", "approve", "issue", "archive", "cancel", "recall"} == set(wf.ACTIONS)
    assert wf.EDITABLE == {t for t in wf.BY_ACTION["submit"].from_statuses}


def test_unknown_action_is_refused_in_vietnamese(matrix_app):
    with matrix_app.app_context():
        document = db.session.get(Document, matrix_app.documents[wf.DRAFT])
        with pytest.raises(wf.TransitionRefused, match="Thao tác không tồn tại"):
            wf.perform(document, "publish", user("clerk"), expected_status=wf.DRAFT)


@pytest.mark.parametrize("expected", ["submitted", "", "approved"])
def test_stale_expected_status_raises_with_the_current_status_and_changes_nothing(matrix_app, expected):
    with matrix_app.app_context():
        document = db.session.get(Document, matrix_app.documents[wf.DRAFT])
        with pytest.raises(wf.StaleAction) as stale:
            wf.perform(document, "submit", user("clerk"), expected_status=expected, approver_id=user("approver").id)
        assert stale.value.current_status == wf.DRAFT and "«Dự thảo»" in stale.value.message
        assert document.status == wf.DRAFT and not db.session.new
        db.session.rollback()


# ---- guards --------------------------------------------------------------------------------------------------------


@pytest.fixture
def ctx(app, people):
    with app.app_context():
        yield


@pytest.mark.parametrize("details,field,message", [
    ({}, "approver_id", "Vui lòng chọn lãnh đạo duyệt văn bản."),
    ({"approver": "records"}, "approver_id", "Vui lòng chọn lãnh đạo duyệt văn bản."),  # not an approver
    ({"approver": "approver", "title": ""}, None, "Văn bản chưa có trích yếu"),
])
def test_submit_needs_an_approver_and_a_title(ctx, details, field, message):
    document = make_document(title=details.get("title", "Kế hoạch tuyên truyền"))
    approver_id = user(details["approver"]).id if "approver" in details else None
    with pytest.raises(wf.TransitionRefused) as refused:
        wf.perform(document, "submit", user("clerk"), expected_status="draft", approver_id=approver_id)
    assert refused.value.field == field and message in refused.value.message
    assert document.status == "draft"


@pytest.mark.parametrize("details,field", [
    ({}, "content_ok"),
    ({"format_ok": True}, "content_ok"),
    ({"content_ok": True}, "format_ok"),
])
def test_approval_needs_both_the_content_and_the_format_checked(ctx, details, field):
    document = make_document(status="submitted")
    with pytest.raises(wf.TransitionRefused) as refused:
        wf.perform(document, "approve", user("approver"), expected_status="submitted", **details)
    assert refused.value.field == field and document.status == "submitted"


def test_return_needs_a_comment_and_recall_a_reason(ctx):
    submitted = make_document(status="submitted")
    with pytest.raises(wf.TransitionRefused, match="ghi rõ ý kiến") as refused:
        wf.perform(submitted, "return", user("approver"), expected_status="submitted", comment="  \n ")
    assert refused.value.field == "comment"
    issued = make_document(status="issued")
    with pytest.raises(wf.TransitionRefused, match="lý do thu hồi"):
        wf.perform(issued, "recall", user("records"), expected_status="issued", reason=" ")
    assert (submitted.status, issued.status) == ("submitted", "issued")


def test_only_the_chosen_approver_may_return_or_approve(ctx):
    make_user("chutich", {APPROVER}, full_name="Trần Văn Chủ")
    document = make_document(status="submitted")
    other = user("chutich")
    assert wf.available_actions(document, other) == []
    with pytest.raises(wf.TransitionRefused, match="được trình cho Đinh Văn Thắng duyệt"):
        wf.perform(document, "approve", other, expected_status="submitted", content_ok=True, format_ok=True)


def _own_draft_submitted_to_its_author():
    """A vice-chair who also drafts writes a document; a clerk submits it to them."""
    make_user("kiemnhiem", {CLERK, APPROVER}, full_name="Phạm Văn Kiêm")
    author = user("kiemnhiem")
    document = make_document(author="kiemnhiem")
    wf.perform(document, "submit", user("clerk"), expected_status="draft", approver_id=author.id)
    return document, author


def test_self_approval_is_refused_when_the_organization_forbids_it(ctx):
    Organization.current().forbid_self_approval = True
    document, author = _own_draft_submitted_to_its_author()
    assert "approve" not in [t.action for t in wf.available_actions(document, author)]
    with pytest.raises(wf.TransitionRefused, match="không cho phép tự duyệt"):
        wf.perform(document, "approve", author, expected_status="submitted", content_ok=True, format_ok=True)
    assert document.status == "submitted"
    # Nor may the author submit to themselves.
    second = make_document(author="kiemnhiem")
    with pytest.raises(wf.TransitionRefused, match="không cho phép tự duyệt") as refused:
        wf.perform(second, "submit", author, expected_status="draft", approver_id=author.id)
    assert refused.value.field == "approver_id"
    assert author not in wf.approvers(exclude=author)


def test_self_approval_is_allowed_when_the_organization_permits_it(ctx):
    Organization.current().forbid_self_approval = False
    document, author = _own_draft_submitted_to_its_author()
    assert "approve" in [t.action for t in wf.available_actions(document, author)]
    wf.perform(document, "approve", author, expected_status="submitted", content_ok=True, format_ok=True)
    assert document.status == "approved"
    assert author in wf.approvers(exclude=author)


# ---- what a transition records -------------------------------------------------------------------------------------


def test_submit_saves_a_revision_records_the_event_audits_and_notifies_the_approver(ctx):
    document = make_document()
    document.body = BODY + "\nBổ sung một dòng."
    event = wf.perform(document, "submit", user("clerk"), expected_status="draft", approver_id=user("approver").id,
                       comment="Kính trình.")
    wf.notify(event, document, "/documents/1/review")
    db.session.commit()
    revisions = document_revisions(document.id)
    assert [r.reason for r in revisions] == ["Tạo", "Trình duyệt"] and revisions[-1].data["body"].endswith("một dòng.")
    assert event.details == {"approver_id": user("approver").id, "revision": 2}
    assert (event.action, event.from_status, event.to_status, event.comment) == ("submit", "draft", "submitted",
                                                                                 "Kính trình.")
    assert current_approver(document) == user("approver")
    row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.submit"))
    assert row.object_id == document.id and row.before == {"status": "draft"}
    assert row.after["status"] == "submitted" and row.after["approver_id"] == user("approver").id
    note = db.session.scalar(select(Notification).where(Notification.user_id == user("approver").id))
    assert "trình duyệt" in note.message and note.link == "/documents/1/review"


def test_submitting_unchanged_content_points_at_the_existing_revision(ctx):
    document = make_document()
    event = wf.perform(document, "submit", user("clerk"), expected_status="draft", approver_id=user("approver").id)
    assert event.details["revision"] == 1
    assert db.session.scalar(select(func.count(DocumentRevision.id))) == 1


def test_approval_records_content_and_format_checks(ctx):
    document = make_document(status="approved")
    event = db.session.scalar(select(DocumentEvent).where(DocumentEvent.action == "approve"))
    assert event.details == {"content_ok": True, "format_ok": True}
    audit_row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.approve"))
    assert audit_row.after == {"status": "approved", "content_ok": True, "format_ok": True}
    assert document.status == "approved"


def test_issue_runs_the_after_issue_hooks_in_the_same_transaction(ctx, monkeypatch):
    seen = []
    monkeypatch.setattr(wf, "AFTER_ISSUE", [lambda d: seen.append((d.id, d.status))])
    document = make_document(status="approved")
    wf.perform(document, "issue", user("records"), expected_status="approved", number=7)
    assert seen == [(document.id, "issued")]
    assert db.session.scalar(select(DocumentEvent).where(DocumentEvent.action == "issue")).details == {"number": 7}


def test_a_second_issue_from_a_stale_page_is_refused_and_the_hooks_run_once(ctx, monkeypatch):
    seen = []
    monkeypatch.setattr(wf, "AFTER_ISSUE", [seen.append])
    document = make_document(status="approved")
    wf.perform(document, "issue", user("records"), expected_status="approved", number=3)
    with pytest.raises(wf.StaleAction, match="«Đã phát hành»"):
        wf.perform(document, "issue", user("records"), expected_status="approved", number=4)
    assert seen == [document] and document.status == "issued"
    assert db.session.scalar(select(func.count(DocumentEvent.id)).where(DocumentEvent.action == "issue")) == 1


def test_recall_keeps_the_document_and_its_number_with_the_reason(ctx):
    document = make_document(status="recalled")
    assert document.status == "recalled" and document.number is not None
    event = db.session.scalar(select(DocumentEvent).where(DocumentEvent.action == "recall"))
    assert event.details["reason"] == "Ban hành nhầm đối tượng."


def test_cancel_keeps_the_draft_marked_cancelled(ctx):
    document = make_document(status="cancelled")
    assert db.session.get(Document, document.id).status == "cancelled"
    assert wf.available_actions(document, user("clerk")) == []


# ---- the routes ------------------------------------------------------------------------------------------------------


def _new(app, status="draft", **kw) -> int:
    with app.app_context():
        document = make_document(status=status, **kw)
        db.session.commit()
        return document.id


def _state(app, document_id):
    with app.app_context():
        document = db.session.get(Document, document_id)
        events = db.session.scalars(select(DocumentEvent.action).where(DocumentEvent.document_id == document_id)).all()
        return document.status, events, len(document_revisions(document_id)), document.content()


def test_clerk_submits_through_the_panel_and_the_approver_is_told(app, client, login, people):
    document_id = _new(app)
    login("clerk")
    with app.app_context():
        approver_id = user("approver").id
    response = client.post(f"/documents/{document_id}/submit",
                           data={"expected_status": "draft", "approver_id": approver_id, "comment": "Kính trình.",
                                 "next": f"/documents/{document_id}/review"})
    assert response.status_code == 303 and response.headers["Location"] == f"/documents/{document_id}/review"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã trình Đinh Văn Thắng duyệt." in page and "Chờ duyệt" in page
    assert _state(app, document_id)[:2] == ("submitted", ["submit"])
    login("approver")
    dashboard = client.get("/").get_data(as_text=True)
    assert "Chờ tôi duyệt" in dashboard and "Tuyên truyền Chỉ thị số 07-CT/TW" in dashboard


def test_htmx_action_swaps_the_panel_and_announces_the_change(app, client, login, people):
    document_id = _new(app, "submitted")
    login("approver")
    response = client.post(f"/documents/{document_id}/approve", headers={"HX-Request": "true"},
                           data={"expected_status": "submitted", "content_ok": "1", "format_ok": "1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="workflow-panel"' in body and "Đã duyệt" in body
    assert '"workflow-changed"' in response.headers["HX-Trigger"]
    assert _state(app, document_id)[0] == "approved"


def test_stale_page_gets_the_current_state_and_changes_nothing(app, client, login, people):
    document_id = _new(app, "submitted")
    login("clerk")
    before = _state(app, document_id)
    # The clerk's page still shows the draft and its Submit button.
    response = client.post(f"/documents/{document_id}/submit", headers={"HX-Request": "true"},
                           data={"expected_status": "draft", "approver_id": "1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Trigger" not in response.headers
    assert "Văn bản đã chuyển sang trạng thái «Chờ duyệt» trước thao tác này; không có gì bị thay đổi." in body
    assert 'data-status="submitted"' in body and "Rút lại" in body and "Trình duyệt</button>" not in body
    assert _state(app, document_id) == before
    # Without JavaScript: back to the page, with the same message.
    plain = client.post(f"/documents/{document_id}/submit", data={"expected_status": "draft", "approver_id": "1"},
                        follow_redirects=True)
    assert "không có gì bị thay đổi" in plain.get_data(as_text=True)
    assert _state(app, document_id) == before


def test_double_click_on_submit_submits_once(app, client, login, people):
    document_id = _new(app)
    login("clerk")
    with app.app_context():
        data = {"expected_status": "draft", "approver_id": str(user("approver").id)}
    first = client.post(f"/documents/{document_id}/submit", data=dict(data), headers={"HX-Request": "true"})
    second = client.post(f"/documents/{document_id}/submit", data=dict(data), headers={"HX-Request": "true"})
    # The draft stopped being editable: htmx loads the page whole, which shows the outcome.
    assert first.headers["HX-Redirect"] in (f"/documents/{document_id}", f"/documents/{document_id}/review")
    assert "Đã trình Đinh Văn Thắng duyệt." in client.get(first.headers["HX-Redirect"]).get_data(as_text=True)
    assert "không có gì bị thay đổi" in second.get_data(as_text=True)
    status, events, revisions, _ = _state(app, document_id)
    assert (status, events, revisions) == ("submitted", ["submit"], 1)
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id))) == 1


@pytest.mark.parametrize("action,status,username,data,message", [
    ("return", "submitted", "approver", {"comment": ""}, "Vui lòng ghi rõ ý kiến khi trả lại văn bản"),
    ("recall", "issued", "records", {"reason": ""}, "Vui lòng ghi lý do thu hồi."),
    ("approve", "submitted", "approver", {"content_ok": "1"}, "Hãy xác nhận đã kiểm tra thể thức"),
    ("submit", "draft", "clerk", {"approver_id": ""}, "Vui lòng chọn lãnh đạo duyệt văn bản."),
])
def test_missing_input_is_explained_next_to_the_field_and_nothing_changes(app, client, login, people, action, status,
                                                                         username, data, message):
    document_id = _new(app, status)
    before = _state(app, document_id)
    login(username)
    for headers in ({"HX-Request": "true"}, {}):  # with htmx: the panel; without: the page, status 200
        response = client.post(f"/documents/{document_id}/{action}", headers=headers,
                               data={"expected_status": status, **data})
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert any(message in e for e in field_error(body)), body
    assert _state(app, document_id) == before


def test_self_approval_through_the_route_is_refused_with_a_clear_message(app, client, login, people):
    with app.app_context():
        Organization.current().forbid_self_approval = True
        document, _ = _own_draft_submitted_to_its_author()
        db.session.commit()
        document_id = document.id
    before = _state(app, document_id)
    login("kiemnhiem")
    page = client.get(f"/documents/{document_id}/review").get_data(as_text=True)
    assert "không cho phép tự duyệt" in page and "Đã kiểm tra thể thức" not in page
    response = client.post(f"/documents/{document_id}/approve", follow_redirects=True,
                           data={"expected_status": "submitted", "content_ok": "1", "format_ok": "1"})
    assert "không cho phép tự duyệt" in response.get_data(as_text=True)
    assert _state(app, document_id) == before


def test_return_then_resubmit_shows_the_reviewers_note_to_the_clerk(app, client, login, people):
    document_id = _new(app, "submitted")
    login("approver")
    client.post(f"/documents/{document_id}/return",
                data={"expected_status": "submitted", "comment": "Bổ sung thời gian tổ chức hội nghị."})
    login("clerk")
    dashboard = client.get("/").get_data(as_text=True)
    assert "Văn bản bị trả lại" in dashboard and "Bổ sung thời gian tổ chức hội nghị." in dashboard
    review = client.get(f"/documents/{document_id}/review").get_data(as_text=True)
    assert "Lý do trả lại" in review and "Trình duyệt</button>" in review
    with app.app_context():
        approver_id = user("approver").id
    client.post(f"/documents/{document_id}/submit", data={"expected_status": "returned", "approver_id": approver_id})
    assert _state(app, document_id)[:2] == ("submitted", ["submit", "return", "submit"])


def test_withdraw_brings_the_submission_back_to_draft(app, client, login, people):
    document_id = _new(app, "submitted")
    login("clerk")
    client.post(f"/documents/{document_id}/withdraw", data={"expected_status": "submitted"})
    assert _state(app, document_id)[:2] == ("draft", ["submit", "withdraw"])
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.user_id == user("approver").id))
        assert "rút lại" in note.message


@pytest.mark.parametrize("path", ["/documents/{id}/review", "/documents/{id}/workflow"])
def test_reporter_cannot_see_the_review_or_the_panel(app, client, login, people, path):
    document_id = _new(app, "submitted")
    login("reporter")
    assert client.get(path.format(id=document_id)).status_code == 404
    assert client.post(f"/documents/{document_id}/withdraw", data={"expected_status": "submitted"}).status_code == 404
    assert _state(app, document_id)[0] == "submitted"


def test_unknown_document_is_404(client, login, people):
    login("approver")
    assert client.get("/documents/9999/review").status_code == 404
    assert client.post("/documents/9999/approve", data={}).status_code == 404


# ---- an issued document is frozen everywhere -------------------------------------------------------------------------

FROZEN_BLUEPRINTS = ("documents.", "workflow.")
ATTEMPT = {"title": "Sửa sau khi phát hành", "body": "I. NỘI DUNG MỚI", "references_text": "Căn cứ khác",
           "references": "Căn cứ khác", "kinh_gui_text": "Ai đó", "signer_title": "CHỦ TỊCH", "comment": "Sửa.",
           "text": "Góp ý muộn.", "reason": "", "content_ok": "1", "format_ok": "1", "approver_id": "1",
           "lock_version": "1", "op": "add", "add_text": "Nơi khác", "kind": "CV"}


@pytest.mark.parametrize("status", ["issued", "archived"])
def test_an_issued_document_cannot_be_edited_through_any_route(app, client, login, people, status):
    with app.app_context():
        document = make_document(status="submitted")
        comment = DocumentComment(document_id=document.id, author_id=user("approver").id, text="Góp ý trước.")
        db.session.add(comment)
        db.session.flush()
        move_to(document, status)
        db.session.commit()
        document_id, comment_id = document.id, comment.id
        rules = [r for r in app.url_map.iter_rules()
                 if "POST" in r.methods and r.endpoint.startswith(FROZEN_BLUEPRINTS)]
        urls = []
        with app.test_request_context():
            from flask import url_for

            for rule in rules:
                values = {name: (document_id if "document" in name else comment_id if "comment" in name else 1)
                          for name in rule.arguments if name not in (rule.defaults or {})}
                urls.append(url_for(rule.endpoint, **values))
    assert any(u.endswith("/submit") for u in urls) and len(urls) >= len(wf.BY_ACTION) - 2
    before = _state(app, document_id)
    for username in ("clerk", "approver", "records", "admin"):
        login(username)
        for url in urls:
            for expected in (status, "approved"):
                response = client.post(url, data={**ATTEMPT, "expected_status": expected})
                assert response.status_code < 500, url
    status_after, _events, revisions, content = _state(app, document_id)
    assert (revisions, content) == before[2:], "an issued document's content and revisions never change"
    assert status_after == status
    with app.app_context():
        assert db.session.get(DocumentComment, comment_id).resolved_at is None


# ---- demo data ---------------------------------------------------------------------------------------------------------


def test_demo_leaves_a_letter_in_the_vice_chairs_queue_and_is_idempotent(app):
    from demo import seed_demo
    from domain.documents.queues import waiting_for_review

    with app.app_context():
        seed_demo("demo-12345")
        db.session.commit()
        seed_demo("demo-12345")
        db.session.commit()
        letters = db.session.scalars(select(Document).where(Document.kind == "CV")).all()
        assert len(letters) == 1 and letters[0].status == "submitted"
        assert letters[0].body.count("\n") >= 6 and "Chỉ thị số 07-CT/TW" in letters[0].body
        queue = waiting_for_review(user("phochutich"))
        assert [row.document.id for row in queue] == [letters[0].id]
        assert db.session.scalar(select(func.count(DocumentEvent.id)).where(
            DocumentEvent.document_id == letters[0].id)) == 1
        plan = db.session.scalar(select(Document).where(Document.title.like("Tuyên truyền thực hiện Chỉ thị số 07%")))
        if plan is not None:  # written by the documents step
            assert plan.status in ("approved", "issued", "archived")
            assert [e.action for e in db.session.scalars(select(DocumentEvent).where(
                DocumentEvent.document_id == plan.id).order_by(DocumentEvent.id))][:2] == ["submit", "approve"]

