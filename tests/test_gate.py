"""The gate: no document is submitted, approved or issued without a signer, or with a format error in the .docx it
prints; the approver sees the warnings beside the approve button. Each refused step changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

import docgen.gate as gate
from domain.documents import workflow as wf
from domain.documents.readiness import NO_POSITION, NO_SIGNER, NO_SIGNER_NAME
from domain.format_check import CheckReport, Finding
from domain.register import numbering as reg
from extensions import db
from models import Document, RegisterEntry
from models.choices import ERROR, WARNING
from models.workflow import DocumentEvent

try:  # tests/ on sys.path (pytest's default) or the project root
    from workflow_fixtures import make_document, move_to, user
except ImportError:  # pragma: no cover
    from tests.workflow_fixtures import make_document, move_to, user

STEPS = {  # action -> (status before, who, details)
    "submit": (wf.DRAFT, "clerk", {}),
    "approve": (wf.SUBMITTED, "approver", {"content_ok": True, "format_ok": True}),
    "issue": (wf.APPROVED, "records", {}),
}


@pytest.fixture
def ctx(app, people):
    with app.app_context():
        yield


def _state(document: Document) -> tuple:
    events = db.session.scalars(select(DocumentEvent.action).where(DocumentEvent.document_id == document.id)).all()
    entries = db.session.scalar(select(func.count()).select_from(RegisterEntry))
    return document.status, document.number, tuple(events), entries


def _take(document: Document, action: str):
    status, who, details = STEPS[action]
    if action == "submit":
        details = {"approver_id": user("approver").id}
    if action == "issue":  # through the register, as the issue page does
        return reg.issue(document, user(who), datetime(2026, 5, 4, 3, tzinfo=UTC), expected_status=status)
    return wf.perform(document, action, user(who), expected_status=status, **details)


def _at(action: str) -> Document:
    """A document with a signer, recipients and a title, standing just before `action`."""
    document = make_document()
    document.set_recipients([(None, "Ban Tuyên giáo Tỉnh ủy")])
    move_to(document, STEPS[action][0])
    db.session.commit()
    return document


def _refused(document: Document, action: str) -> str:
    before = _state(document)
    with pytest.raises(wf.TransitionRefused) as refused:
        _take(document, action)
    db.session.rollback()
    db.session.refresh(document)
    assert _state(document) == before, "a refused step changes nothing"
    return refused.value.message


# ---- the signer --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(STEPS))
def test_no_step_is_taken_without_a_signer(ctx, action):
    document = _at(action)
    document.signer_id = None  # data from before the rule, or a signer removed
    document.signer_title = ""
    db.session.commit()
    message = _refused(document, action)
    assert NO_SIGNER in message and NO_POSITION in message


@pytest.mark.parametrize("action", list(STEPS))
def test_no_step_is_taken_without_the_signers_position(ctx, action):
    document = _at(action)
    document.signer_title = ""
    user("approver").position_title = ""
    db.session.commit()
    message = _refused(document, action)
    assert message == NO_POSITION


@pytest.mark.parametrize("action", list(STEPS))
def test_no_step_is_taken_when_the_signer_has_no_name(ctx, action):
    document = _at(action)
    user("approver").full_name = " "
    db.session.commit()
    assert NO_SIGNER_NAME in _refused(document, action)


def test_the_signers_position_from_the_account_is_enough(ctx):
    document = _at("submit")
    document.signer_title = ""  # the approver's account says PHÓ CHỦ TỊCH
    db.session.commit()
    _take(document, "submit")
    assert document.status == wf.SUBMITTED


def test_a_signed_document_goes_all_the_way(ctx):
    document = _at("submit")
    for action in STEPS:
        _take(document, action)
        db.session.commit()
    assert document.status == wf.ISSUED and document.number == 1


# ---- the format gate ---------------------------------------------------------------------------------------------


def _checker_saying(*findings: Finding):
    def checker(data: bytes, *, kind=None) -> CheckReport:
        return CheckReport(findings=list(findings))

    return checker


@pytest.mark.parametrize("action", list(STEPS))
def test_a_format_error_blocks_each_step_with_its_message(ctx, monkeypatch, action):
    document = _at(action)
    error = Finding("noi_nhan.missing", ERROR, "noi_nhan", "Không tìm thấy phần «Nơi nhận:»; hãy thêm.")
    monkeypatch.setattr(gate, "check_docx", _checker_saying(error))
    message = _refused(document, action)
    assert "chưa đúng thể thức" in message and "Không tìm thấy phần «Nơi nhận:»" in message


@pytest.mark.parametrize("action", list(STEPS))
def test_a_format_warning_does_not_block(ctx, monkeypatch, action):
    document = _at(action)
    warning = Finding("body.spacing", WARNING, "body", "Khoảng cách giữa các đoạn nhỏ hơn 6 pt.")
    monkeypatch.setattr(gate, "check_docx", _checker_saying(warning))
    _take(document, action)
    assert document.status != STEPS[action][0]


@pytest.mark.parametrize("action", ["approve", "issue"])
def test_an_empty_trich_yeu_blocks_approve_and_issue(ctx, action):
    document = _at(action)
    document.title = ""  # submit refuses it already; older data may still hold one
    db.session.commit()
    message = _refused(document, action)
    assert gate.NO_SUBJECT in message


def test_the_generated_documents_pass_the_gate(ctx):
    report = gate.check_document(_at("approve"))
    assert report.errors == [] and report.warnings == []


def test_a_document_sent_nowhere_is_a_warning_for_the_approver(ctx):
    document = _at("approve")
    document.set_recipients([])
    report = gate.check_document(document)
    assert [n.rule for n in report.notes] == ["gate.recipients"]


# ---- what people see ---------------------------------------------------------------------------------------------


def test_the_approver_sees_the_warnings_beside_the_approve_button(app, client, login, people):
    with app.app_context():
        document = _at("approve")
        document.set_recipients([])
        db.session.commit()
        document_id = document.id
    login("approver")
    page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    panel = page[page.index('id="workflow-panel"'):]
    assert "Lưu ý về thể thức" in panel and "Nơi nhận chỉ có dòng «Lưu»" in panel
    assert panel.index("Lưu ý về thể thức") < panel.index("wf-approve")


def test_an_approve_refused_by_the_gate_says_what_to_fix_and_changes_nothing(app, client, login, people):
    with app.app_context():
        document = _at("approve")
        document.signer_title = ""
        user("approver").position_title = ""
        db.session.commit()
        document_id = document.id
    login("approver")
    page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "Chưa thể trình, duyệt hoặc phát hành" in page and "Chức vụ người ký" in page
    response = client.post(f"/documents/{document_id}/approve", headers={"HX-Request": "true"},
                           data={"expected_status": wf.SUBMITTED, "content_ok": "1", "format_ok": "1"})
    assert response.status_code == 200 and NO_POSITION in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Document, document_id).status == wf.SUBMITTED


def test_an_issue_refused_by_the_gate_shows_on_the_issue_page_and_takes_no_number(app, client, login, people):
    with app.app_context():
        document = _at("issue")
        document.signer_id = None
        db.session.commit()
        document_id = document.id
    login("records")
    response = client.post(f"/documents/{document_id}/issue",
                           data={"expected_status": wf.APPROVED, "reserved_entry_id": "0", "copies": "3"})
    assert NO_SIGNER in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Document, document_id).number is None
        assert db.session.scalar(select(func.count()).select_from(RegisterEntry)) == 0


# ---- the printed pages at issue ----------------------------------------------------------------------------------


@pytest.fixture
def rendering(monkeypatch, tmp_path):
    monkeypatch.setattr(gate, "RENDERING", gate.Rendering(frozenset({"issue"}), tmp_path))


def test_tests_leave_the_printed_pages_unchecked(app):
    assert gate.RENDERING.actions == frozenset()  # FORMAT_GATE_RENDER defaults to off under TESTING


def _blank_page_in_print(monkeypatch, seen: list):
    blank = Finding("rendered.blank_page", ERROR, "page", "Trang 2 trống (chỉ có số trang hoặc không có chữ).", page=2)

    def rendered(docx, report, cache_dir=None, timeout=60):
        seen.append(cache_dir)
        return CheckReport(findings=[*report.findings, blank], rendered=True, pages=2)

    monkeypatch.setattr(gate, "check_rendered", rendered)
    monkeypatch.setattr(gate, "libreoffice_path", lambda: "/usr/bin/soffice")


def test_a_blank_page_found_in_print_blocks_the_issue_and_takes_no_number(app, client, login, people, rendering,
                                                                         monkeypatch):
    seen: list = []
    _blank_page_in_print(monkeypatch, seen)
    with app.app_context():
        document_id = _at("issue").id
    login("records")
    response = client.post(f"/documents/{document_id}/issue",
                           data={"expected_status": wf.APPROVED, "reserved_entry_id": "0", "copies": "3"})
    assert "Trang 2 trống" in response.get_data(as_text=True) and seen == [gate.RENDERING.cache_dir]
    with app.app_context():
        assert db.session.get(Document, document_id).status == wf.APPROVED
        assert db.session.scalar(select(func.count()).select_from(RegisterEntry)) == 0


def test_the_printed_pages_are_checked_only_when_the_application_asks(ctx, monkeypatch):
    seen: list = []
    _blank_page_in_print(monkeypatch, seen)
    document = _at("issue")
    assert gate.printed_problems(document) == [] and seen == []  # rendering off (tests)
    _take(document, "issue")  # the register's own check stays static
    assert document.status == wf.ISSUED and seen == []


def test_without_libreoffice_the_issue_goes_ahead_on_the_static_checks(ctx, rendering, monkeypatch):
    monkeypatch.setattr(gate, "libreoffice_path", lambda: None)
    document = _at("issue")
    assert gate.printed_problems(document) == []
    _take(document, "issue")
    assert document.status == wf.ISSUED


@pytest.mark.libreoffice
@pytest.mark.skipif(gate.libreoffice_path() is None, reason="LibreOffice (soffice) is not installed")
def test_a_generated_document_passes_its_printed_check(ctx, rendering):
    assert gate.printed_problems(_at("issue")) == []


def test_the_issue_page_shows_what_blocks_the_issue_before_the_button_is_pressed(app, client, login, people):
    with app.app_context():
        document = _at("issue")
        document.signer_title = ""
        user("approver").position_title = ""
        db.session.commit()
        document_id = document.id
    login("records")
    page = client.get(f"/documents/{document_id}/issue").get_data(as_text=True)
    assert "Chưa thể phát hành" in page and "Chưa có chức vụ người ký" in page
    assert page.index("Chưa thể phát hành") < page.index('class="issue-form"')
