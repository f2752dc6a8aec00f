"""The review screen: word differences between submissions, anchored comments, the timeline, the queues."""

from __future__ import annotations

import re

import pytest
from conftest import field_error, make_user
from sqlalchemy import select
from workflow_fixtures import BODY, make_document, user

from domain.documents import workflow as wf
from domain.documents.queues import waiting_for_review
from extensions import db
from models import AuditEvent, Document
from models.choices import APPROVER
from models.core import audit, utcnow
from models.register import Register, RegisterEntry
from models.workflow import DocumentComment, DocumentEvent


def _returned_and_fixed(app) -> int:
    """Submitted, returned with a note, edited by the clerk and submitted again."""
    with app.app_context():
        document = make_document(status="returned")
        document.body = BODY.replace("tổ chức hội nghị quán triệt.", "phối hợp tổ chức hội nghị quán triệt.") \
            .replace("- Bảo đảm thiết thực, hiệu quả.", "- Bảo đảm hiệu quả.") + "\nCác huyện báo cáo trước ngày 15/12."
        document.title = "Tuyên truyền thực hiện Chỉ thị số 07-CT/TW"
        document.save_revision(user("clerk"), "Lưu")
        wf.perform(document, "submit", user("clerk"), expected_status="returned", approver_id=user("approver").id,
                   comment="Đã bổ sung theo ý kiến.")
        db.session.commit()
        return document.id


def test_review_shows_the_word_differences_from_the_previous_submission(app, client, login, people):
    document_id = _returned_and_fixed(app)
    login("approver")
    page = client.get(f"/documents/{document_id}/review").get_data(as_text=True)
    assert "Thay đổi so với lần trình trước" in page and "<ins>từ được thêm</ins>" in page  # the legend
    assert "<ins>phối hợp </ins>tổ chức hội nghị quán triệt." in page
    assert "- Bảo đảm <del>thiết thực, </del>hiệu quả." in page
    assert "<ins>Các huyện báo cáo trước ngày 15/12.</ins>" in page
    assert "Tuyên truyền<ins> thực hiện</ins> Chỉ thị" in page  # the title too
    assert "So sánh phiên bản 2 với phiên bản 1" in page
    assert "Lời trình:</strong> Đã bổ sung theo ý kiến." in page
    assert re.search(r"\+\d+ từ, −\d+ từ", page)
    # Unchanged lines far from a change are folded.
    assert "dòng không đổi" in page


def test_first_submission_shows_the_whole_text_with_line_numbers(app, client, login, people):
    with app.app_context():
        document_id = make_document(status="submitted").id
        db.session.commit()
    login("approver")
    page = client.get(f"/documents/{document_id}/review").get_data(as_text=True)
    assert "Đây là lần trình đầu tiên" in page and "<ins>" not in page.split("</h1>", 1)[1].split("Bản xem trước")[0]
    assert '<span class="ln">8</span>' in page and "Ban Thường trực Ủy ban MTTQ tỉnh tổ chức hội nghị" in page
    assert "Đã kiểm tra nội dung" in page and "Đã kiểm tra thể thức" in page and "Trả lại</button>" in page


def test_resubmission_without_changes_says_so(app, client, login, people):
    with app.app_context():
        document = make_document(status="submitted")
        wf.perform(document, "withdraw", user("clerk"), expected_status="submitted")
        wf.perform(document, "submit", user("clerk"), expected_status="draft", approver_id=user("approver").id)
        db.session.commit()
        document_id = document.id
    login("approver")
    page = client.get(f"/documents/{document_id}/review").get_data(as_text=True)
    assert "Nội dung không thay đổi so với lần trình trước" in page


def test_preview_reads_like_the_printed_page(app, client, login, people):
    with app.app_context():
        document_id = make_document(status="submitted").id
        db.session.commit()
    login("approver")
    page = client.get(f"/documents/{document_id}/review").get_data(as_text=True)
    preview = page.split("Bản xem trước", 1)[1]
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "KẾ HOẠCH",
                 "I. MỤC ĐÍCH, YÊU CẦU", "Nơi nhận:", "TM. BAN THƯỜNG TRỰC"):
        assert text in preview


# ---- comments ----------------------------------------------------------------------------------------------------


def test_comment_anchored_to_a_line_is_kept_with_the_line_text_and_shown_there(app, client, login, people):
    with app.app_context():
        document_id = make_document(status="submitted").id
        db.session.commit()
    login("approver")
    form = client.get(f"/documents/{document_id}/review?line=3").get_data(as_text=True)
    assert re.search(r'<option value="3" selected>Dòng 3: Tuyên truyền sâu rộng', form)
    response = client.post(f"/documents/{document_id}/comments",
                           data={"text": "Nêu rõ đối tượng tuyên truyền.", "anchor_line": "3", "on_review": "1"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#comments")
    with app.app_context():
        comment = db.session.scalar(select(DocumentComment))
        assert (comment.anchor_line, comment.anchor_excerpt) == (3, "Tuyên truyền sâu rộng Chỉ thị số 07-CT/TW trong Nhân dân.")
        assert comment.revision_number == 1 and comment.author_id == user("approver").id
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.comment")) is not None
    page = client.get(f"/documents/{document_id}/review").get_data(as_text=True)
    line_3 = page.split('<span class="ln">3</span>', 1)[1].split('<span class="ln">4</span>', 1)[0]
    assert "Nêu rõ đối tượng tuyên truyền." in line_3


@pytest.mark.parametrize("data,message", [
    ({"text": "  "}, "Vui lòng nhập nội dung góp ý."),
    ({"text": "Góp ý", "anchor_line": "999"}, "Dòng được chọn không còn trong nội dung văn bản."),
    ({"text": "x" * 5001}, "Góp ý quá dài"),
])
def test_bad_comment_is_explained_and_nothing_saved(app, client, login, people, data, message):
    with app.app_context():
        document_id = make_document(status="submitted").id
        db.session.commit()
    login("approver")
    for headers in ({"HX-Request": "true"}, {}):
        response = client.post(f"/documents/{document_id}/comments", headers=headers, data={**data, "on_review": "1"})
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and any(message in e for e in field_error(body))
    with app.app_context():
        assert db.session.scalar(select(DocumentComment)) is None


def test_htmx_comment_answers_with_the_comments_block(app, client, login, people):
    with app.app_context():
        document_id = make_document(status="submitted").id
        db.session.commit()
    login("clerk")
    response = client.post(f"/documents/{document_id}/comments", headers={"HX-Request": "true"},
                           data={"text": "Đã sửa theo góp ý.", "on_review": "1"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="comments"' in body and "Đã sửa theo góp ý." in body


def test_htmx_comment_on_a_line_reloads_the_review_at_that_line(app, client, login, people):
    with app.app_context():
        document_id = make_document(status="submitted").id
        db.session.commit()
    login("approver")
    response = client.post(f"/documents/{document_id}/comments", headers={"HX-Request": "true"},
                           data={"text": "Nêu rõ đối tượng.", "anchor_line": "3", "on_review": "1"})
    assert response.headers["HX-Redirect"] == f"/documents/{document_id}/review#line-3"
    page = client.get(f"/documents/{document_id}/review").get_data(as_text=True)
    assert "Đã ghi góp ý cho dòng 3." in page and 'id="line-3"' in page


def test_resolving_a_comment_records_who_and_when(app, client, login, people):
    with app.app_context():
        document = make_document(status="returned")
        comment = DocumentComment(document_id=document.id, author_id=user("approver").id, text="Sửa mục II.")
        db.session.add(comment)
        db.session.commit()
        document_id, comment_id = document.id, comment.id
    login("clerk")
    response = client.post(f"/documents/{document_id}/comments/{comment_id}/resolve",
                           headers={"HX-Request": "true"}, data={"expected_status": "returned"})
    assert 'id="workflow-panel"' in response.get_data(as_text=True)
    with app.app_context():
        comment = db.session.get(DocumentComment, comment_id)
        assert comment.resolved_at is not None and comment.resolved_by_id == user("clerk").id


def test_comment_on_another_documents_comment_id_is_404(app, client, login, people):
    with app.app_context():
        first = make_document(status="submitted")
        second = make_document(status="submitted")
        comment = DocumentComment(document_id=first.id, author_id=user("approver").id, text="Góp ý.")
        db.session.add(comment)
        db.session.commit()
        url = f"/documents/{second.id}/comments/{comment.id}/resolve"
    login("approver")
    assert client.post(url, data={}).status_code == 404


# ---- timeline -----------------------------------------------------------------------------------------------------


def test_timeline_shows_transitions_comments_and_other_audited_actions(app, client, login, people):
    document_id = _returned_and_fixed(app)
    with app.app_context():
        document = db.session.get(Document, document_id)
        db.session.add(DocumentComment(document_id=document_id, author_id=user("approver").id, text="Xem lại dòng 3.",
                                       anchor_line=3, anchor_excerpt="Tuyên truyền sâu rộng"))
        # What the register writes: a number reserved in advance (on its register line, later given to this
        # document) and a download of the signed copy.
        register = Register(name="Sổ văn bản đi")
        db.session.add(register)
        db.session.flush()
        entry = RegisterEntry(register_id=register.id, year=2026, number=12, status="reserved", document_id=document_id)
        db.session.add(entry)
        db.session.flush()
        audit("register.reserve", entry, user=user("records"), object_type="register_entry",
              summary="Lê Thị Hồng Nhung giữ số 12/KH-MTTQ-BTT")
        other = RegisterEntry(register_id=register.id, year=2026, number=13, status="reserved")
        db.session.add(other)
        db.session.flush()
        audit("register.reserve", other, user=user("records"), object_type="register_entry",
              summary="Giữ số 13 cho văn bản khác")
        audit("archive.download", document, user=user("records"), object_type="document",
              summary="Lê Thị Hồng Nhung tải bản có chữ ký")
        db.session.commit()
    login("clerk")
    page = client.get(f"/documents/{document_id}/workflow").get_data(as_text=True)
    history = page.split("Lịch sử", 1)[1]
    for text in ("đã trình duyệt", "đã trả lại để chỉnh sửa", "Sửa mục II.", "Góp ý dòng 3", "Xem lại dòng 3.",
                 "giữ số 12/KH-MTTQ-BTT", "tải bản có chữ ký", "Trình: Đinh Văn Thắng", "Phiên bản 2"):
        assert text in history, text
    assert "Giữ số 13" not in history
    # Newest first, and the workflow's own audit rows are not shown twice.
    assert history.index("tải bản có chữ ký") < history.index("đã trả lại để chỉnh sửa")
    assert history.count("đã trả lại để chỉnh sửa") == 1


# ---- dashboard queues -----------------------------------------------------------------------------------------------


def test_queue_lists_documents_submitted_to_me_oldest_first_with_waiting_time(app, client, login, people):
    with app.app_context():
        make_user("chutich", {APPROVER}, full_name="Trần Văn Chủ")
        older = make_document(title="Văn bản trình trước", status="submitted")
        newer = make_document(title="Văn bản trình sau", status="submitted")
        elsewhere = make_document(title="Văn bản trình chủ tịch")
        wf.perform(elsewhere, "submit", user("clerk"), expected_status="draft", approver_id=user("chutich").id)
        event = db.session.scalar(select(DocumentEvent).where(DocumentEvent.document_id == older.id))
        event.at = utcnow().replace(microsecond=0) - __import__("datetime").timedelta(days=2, hours=3)
        db.session.commit()
        assert [r.document.id for r in waiting_for_review(user("approver"))] == [older.id, newer.id]
    login("approver")
    page = client.get("/").get_data(as_text=True)
    queue = page.split("Chờ tôi duyệt", 1)[1]
    assert queue.index("Văn bản trình trước") < queue.index("Văn bản trình sau")
    assert "2 ngày 3 giờ" in queue and "Văn bản trình chủ tịch" not in queue
    assert f"/documents/{older.id}/review" in queue


@pytest.mark.parametrize("username,title,absent", [
    ("records", "Chờ phát hành", "Chờ tôi duyệt"),
    ("clerk", "Văn bản bị trả lại", "Chờ phát hành"),
    ("reporter", None, "Chờ tôi duyệt"),
])
def test_each_role_sees_its_own_queue(app, client, login, people, username, title, absent):
    with app.app_context():
        make_document(title="Đã duyệt chờ số", status="approved")
        make_document(title="Bị trả lại", status="returned")
        db.session.commit()
    login(username)
    page = client.get("/").get_data(as_text=True)
    assert absent not in page
    if title:
        assert title in page
        assert ("Đã duyệt chờ số" in page) == (username == "records")
        assert ("Bị trả lại" in page and "Sửa mục II." in page) == (username == "clerk")
    else:
        assert "Đã duyệt chờ số" not in page and "Bị trả lại" not in page


# ---- cost -------------------------------------------------------------------------------------------------------


def _statements(app, client, url: str) -> int:
    from sqlalchemy import event

    client.get(url)  # warm up
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("username", ["approver", "clerk", "records"])
def test_the_queues_cost_the_same_queries_for_two_documents_as_for_twenty(app, client, login, people, username):
    status = {"approver": "submitted", "clerk": "returned", "records": "approved"}[username]
    with app.app_context():
        for i in range(2):
            make_document(title=f"Văn bản {i}", status=status)
        db.session.commit()
    login(username)
    few = _statements(app, client, "/")
    with app.app_context():
        for i in range(18):
            make_document(title=f"Văn bản thêm {i}", status=status)
        db.session.commit()
    many = _statements(app, client, "/")
    assert "Văn bản thêm 17" in client.get("/").get_data(as_text=True)
    assert many == few
