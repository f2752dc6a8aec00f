"""The outgoing register: per-year numbers from 01, reservation, cancellation, recall, double issue, modes."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import datetime

import pytest
from register_fixtures import make_document, office_time, user
from sqlalchemy import func, select

from domain.documents import workflow
from domain.register import numbering as reg
from domain.register.numbering import RegisterError
from extensions import db as _db
from models import AuditEvent, Document, DocumentEvent, DocumentSearch, RegisterEntry

NOW = office_time(2026, 3, 10, 9, 30)


@pytest.fixture
def ctx(app, people):
    with app.app_context():
        yield _db


def issue(title: str, now: datetime = NOW, *, kind: str = "KH", username: str = "records", **kwargs):
    """Create an approved document and issue it; returns (document id, entry)."""
    document = make_document(title, kind=kind)
    _db.session.commit()
    entry = reg.issue(document, user(username), now, **kwargs)
    _db.session.commit()
    return document.id, entry


def counter(kind: str = "KH", year: int = 2026) -> int:
    return reg.last_number(reg.register_for(kind), year)


def test_numbers_start_at_01_and_follow_each_other_with_the_kind_symbol(ctx):
    doc_id, first = issue("Tuyên truyền Chỉ thị 07")
    _, second = issue("Tổ chức Ngày hội Đại đoàn kết")
    _, third = issue("Xin ý kiến về dự thảo", kind="CV")
    assert (first.number, second.number, third.number) == (1, 2, 3)  # one register for every kind by default
    assert first.number_symbol == "01/KH-MTTQ-BTT" and third.number_symbol == "03/MTTQ-BTT"
    document = _db.session.get(workflow.Document, doc_id)
    assert (document.status, document.number, document.year) == ("issued", 1, 2026)
    assert document.issued_on.isoformat() == "2026-03-10" and first.issued_on == document.issued_on
    assert first.signer_name == "Đinh Văn Thắng" and first.status == "issued"
    assert reg.heading(first.kind, first.title) == "Kế hoạch Tuyên truyền Chỉ thị 07"
    assert reg.heading(third.kind, third.title) == "Công văn V/v Xin ý kiến về dự thảo"
    event = _db.session.scalar(select(DocumentEvent).filter_by(document_id=doc_id, action="issue"))
    assert event.details["number"] == "01/KH-MTTQ-BTT" and event.details["register_entry_id"] == first.id
    audit_row = _db.session.scalar(select(AuditEvent).filter_by(action="document.issue", object_id=doc_id))
    assert audit_row.object_type == "document"


def test_register_entry_keeps_the_phu_luc_iv_columns(ctx, people):
    document = make_document("Kế hoạch giám sát", recipients=[people["group"], people["office"], "Như trên"])
    _db.session.commit()
    entry = reg.issue(document, user("records"), NOW, notes="Gửi kèm phụ lục")
    _db.session.commit()
    assert entry.recipients == ["Các huyện, thành phố", "Ban Thường trực Ủy ban MTTQVN tỉnh", "Như trên"]
    assert entry.copies == 2 + 1 + 1 + 2  # the group's two districts, the office, "Như trên", two kept copies
    assert entry.keeper == "Văn thư; Ban Thường trực Ủy ban MTTQVN tỉnh (Nguyễn Thị Thu Hà)"
    assert entry.delivered_on == entry.issued_on and entry.notes == "Gửi kèm phụ lục"


@pytest.mark.parametrize(("last_of_year", "first_of_next"), [
    (office_time(2025, 12, 31, 23, 59), office_time(2026, 1, 1, 0, 0)),
    # The same instants as stored (naive UTC): 16:59 and 17:00 UTC on 31 December.
    (datetime(2025, 12, 31, 16, 59), datetime(2025, 12, 31, 17, 0)),
])
def test_numbers_restart_at_01_on_the_first_of_january_office_time(ctx, last_of_year, first_of_next):
    issue("Báo cáo tháng 11", office_time(2025, 11, 30, 10, 0))
    _, december = issue("Báo cáo tổng kết năm", last_of_year)
    _, january = issue("Kế hoạch năm mới", first_of_next)
    assert (december.year, december.number, december.issued_on.isoformat()) == (2025, 2, "2025-12-31")
    assert (january.year, january.number, january.issued_on.isoformat()) == (2026, 1, "2026-01-01")
    assert counter(year=2025) == 2 and counter(year=2026) == 1


def test_a_reserved_number_is_kept_for_a_later_document_and_used_when_chosen(ctx):
    register = reg.register_for("KH")
    _db.session.commit()
    reserved = reg.reserve(register, user("records"), NOW, "Giữ số cho Kế hoạch của Chủ tịch ký ngoài cơ quan")
    _db.session.commit()
    assert (reserved.number, reserved.status, reserved.document_id) == (1, "reserved", None)
    _, plain = issue("Văn bản tiếp theo")
    assert plain.number == 2  # a reserved number is not given to the next document
    doc_id, used = issue("Kế hoạch được giữ số", reserved_entry_id=reserved.id)
    assert used.id == reserved.id and used.number == 1 and used.status == "issued" and used.document_id == doc_id
    assert "Giữ số cho Kế hoạch" in used.notes
    assert counter() == 2
    assert _db.session.scalar(select(AuditEvent).filter_by(action="register.reserve")).object_type == "register_entry"


def test_a_reserved_number_of_another_year_or_already_used_cannot_be_chosen(ctx):
    register = reg.register_for("KH")
    _db.session.commit()
    old = reg.reserve(register, user("records"), office_time(2025, 12, 30, 8, 0), "Giữ số cuối năm")
    _db.session.commit()
    document = make_document("Kế hoạch đầu năm")
    _db.session.commit()
    with pytest.raises(RegisterError) as refused:
        reg.issue(document, user("records"), office_time(2026, 1, 2, 8, 0), reserved_entry_id=old.id)
    assert refused.value.field == "reserved_entry_id"
    _db.session.rollback()
    assert _db.session.get(RegisterEntry, old.id).status == "reserved"
    assert counter(year=2026) == 0


def test_cancelling_a_reserved_number_needs_a_reason_and_the_number_is_never_given_again(ctx):
    register = reg.register_for("KH")
    _db.session.commit()
    reserved = reg.reserve(register, user("records"), NOW, "Giữ số")
    _db.session.commit()
    with pytest.raises(RegisterError) as refused:
        reg.cancel_reserved(reserved, user("records"), "   ")
    assert refused.value.field == "reason"
    _db.session.rollback()
    reg.cancel_reserved(reserved, user("records"), "Văn bản không ban hành nữa")
    _db.session.commit()
    entry = _db.session.get(RegisterEntry, reserved.id)
    assert (entry.status, entry.cancel_reason, entry.cancelled_by.username) == ("cancelled", "Văn bản không ban hành nữa",
                                                                                "records")
    with pytest.raises(RegisterError):
        reg.cancel_reserved(entry, user("records"), "Lần nữa")
    _db.session.rollback()
    _, after = issue("Kế hoạch sau số đã hủy")
    assert after.number == 2


def test_a_recalled_document_keeps_its_number_used(ctx):
    doc_id, first = issue("Kế hoạch sẽ bị thu hồi")
    document = _db.session.get(workflow.Document, doc_id)
    workflow.perform(document, "recall", user("records"), expected_status="issued", reason="Sai đối tượng")
    _db.session.commit()
    _, second = issue("Kế hoạch thay thế")
    assert second.number == 2
    entry = _db.session.get(RegisterEntry, first.id)
    assert entry.status == "issued" and entry.display_status == "recalled"
    assert entry.status_label == ("Đã thu hồi", "red")


def test_issuing_twice_answers_with_the_current_state_and_takes_no_second_number(ctx):
    doc_id, first = issue("Kế hoạch bấm đúp")
    document = _db.session.get(workflow.Document, doc_id)
    with pytest.raises(workflow.StaleAction) as stale:
        reg.issue(document, user("records"), NOW)
    assert stale.value.current_status == "issued"
    _db.session.rollback()
    assert counter() == 1
    assert _db.session.scalar(select(func.count(RegisterEntry.id))) == 1


def test_a_stale_page_changes_nothing(ctx):
    document = make_document("Kế hoạch đã bị rút lại", status="submitted")
    _db.session.commit()
    with pytest.raises(workflow.StaleAction) as stale:
        reg.issue(document, user("records"), NOW, expected_status="approved")
    assert stale.value.current_status == "submitted"
    _db.session.rollback()
    assert counter() == 0 and _db.session.get(workflow.Document, document.id).number is None


@pytest.mark.parametrize("username", ["clerk", "approver", "reporter", "admin"])
def test_only_records_may_issue_and_a_refusal_takes_no_number(ctx, username):
    document = make_document("Kế hoạch")
    _db.session.commit()
    with pytest.raises(workflow.TransitionRefused):
        reg.issue(document, user(username), NOW)
    _db.session.rollback()
    assert counter() == 0 and _db.session.scalar(select(func.count(RegisterEntry.id))) == 0


def test_separate_registers_per_kind_number_independently_and_switching_back_resumes(ctx):
    issue("Kế hoạch 1")  # general register: 01
    assert reg.set_numbering_mode(reg.PER_KIND, user("admin"))
    _db.session.commit()
    assert reg.numbering_mode() == reg.PER_KIND
    _, kh = issue("Kế hoạch 2")
    _, cv = issue("Công văn 1", kind="CV")
    _, kh2 = issue("Kế hoạch 3")
    assert (kh.number, cv.number, kh2.number) == (1, 1, 2)
    assert kh.register_id != cv.register_id
    assert reg.set_numbering_mode(reg.SINGLE, user("admin"))
    _db.session.commit()
    _, general = issue("Báo cáo", kind="BC")
    assert general.number == 2 and reg.numbering_mode() == reg.SINGLE
    assert reg.set_numbering_mode(reg.PER_KIND, user("admin"))  # the per-kind registers come back, not new ones
    _db.session.commit()
    _, kh3 = issue("Kế hoạch 4")
    assert kh3.register_id == kh.register_id and kh3.number == 3
    assert _db.session.scalar(select(func.count(AuditEvent.id)).filter_by(action="register.mode")) == 3


def test_taking_a_number_on_sqlite_requires_the_write_lock(ctx):
    register = reg.register_for("KH")
    _db.session.commit()
    with pytest.raises(RuntimeError):
        reg.take_number(register, 2026)


def test_issue_writes_folded_search_keys(ctx):
    doc_id, _ = issue("Tuyên truyền về công tác xây dựng Đảng")
    row = _db.session.get(DocumentSearch, doc_id)
    assert " tuyen truyen ve cong tac xay dung dang " in row.text and row.text.startswith(" 01 kh mttq btt ")
    assert row.signer == " dinh van thang " and (row.year, row.number, row.kind) == (2026, 1, "KH")


def test_search_keys_belong_to_their_own_document_whatever_the_issue_order(ctx):
    first = make_document("Kế hoạch soạn trước, phát hành sau")
    second = make_document("Công văn soạn sau, phát hành trước", kind="CV")
    _db.session.commit()
    for document in (second, first):
        reg.issue(document, user("records"), NOW)
        _db.session.commit()
    rows = {r.document_id: r for r in _db.session.scalars(select(DocumentSearch))}
    assert " soan truoc phat hanh sau " in rows[first.id].text and rows[first.id].kind == "KH"
    assert " soan sau phat hanh truoc " in rows[second.id].text and rows[second.id].kind == "CV"


def _hold_write_lock(app, seconds: float) -> threading.Thread:
    """Another process's writer: a plain sqlite3 connection holding BEGIN IMMEDIATE for a while."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    ready = threading.Event()

    def hold():
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        con.execute("ROLLBACK")
        con.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait(5)
    return thread


def test_issuing_waits_for_another_writer_and_then_takes_its_number(ctx, app):
    document = make_document("Kế hoạch vào lúc sổ đang bận")
    _db.session.commit()
    holder = _hold_write_lock(app, 0.5)
    entry = reg.issue(document, user("records"), NOW)
    _db.session.commit()
    holder.join()
    assert entry.number == 1


def test_issuing_gives_up_when_the_lock_stays_busy_and_changes_nothing(ctx, app):
    from sqlalchemy.exc import OperationalError

    from app import create_app
    from extensions import is_database_busy

    document_id = make_document("Kế hoạch khi sổ bận mãi").id
    _db.session.commit()
    impatient = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                                          "FILES_DIR", "CACHE_DIR")}, "SQLITE_BUSY_TIMEOUT_MS": 200})
    holder = _hold_write_lock(app, 1.5)
    with impatient.app_context():
        with pytest.raises(OperationalError) as raised:
            reg.issue(_db.session.get(Document, document_id), user("records"), NOW)
        assert is_database_busy(raised.value)
        _db.session.rollback()
        _db.engine.dispose()
    holder.join()
    _db.session.expire_all()
    assert _db.session.get(Document, document_id).number is None and counter() == 0
