"""A returned document, opened by its author: the reason at the top of the editor and the vice-chair's line comments
beside the body, each at the line it refers to as the body reads now (found again when lines moved, said to be gone
when deleted); resolved comments are no longer shown; nothing of this once the document is no longer returned."""

from __future__ import annotations

import pytest
from workflow_fixtures import BODY, make_document, user

from domain.documents import workflow as wf
from domain.documents.return_notes import return_notes
from domain.documents.review import add_comment, resolve_comment
from extensions import db
from models import Document

REASON = "Đề nghị nêu rõ đối tượng và thời gian tuyên truyền."
LINE_3 = "Tuyên truyền sâu rộng Chỉ thị số 07-CT/TW trong Nhân dân."
LINE_8 = "Ban Thường trực Ủy ban MTTQ tỉnh tổ chức hội nghị quán triệt."


@pytest.fixture
def returned_id(app, people) -> int:
    """Submitted; the vice-chair comments on lines 3 and 8 and on the whole, resolves none, and returns it."""
    with app.app_context():
        document = make_document(status=wf.SUBMITTED)
        approver = user("approver")
        add_comment(document, approver, "Nêu rõ đối tượng tuyên truyền.", anchor_line=3)
        add_comment(document, approver, "Ghi thời gian tổ chức hội nghị.", anchor_line=8)
        add_comment(document, approver, "Rà soát lại chính tả toàn văn bản.")
        wf.perform(document, "return", approver, expected_status=wf.SUBMITTED, comment=REASON)
        db.session.commit()
        return document.id


def test_the_notes_of_a_returned_document_are_its_reason_and_its_open_comments_in_line_order(app, returned_id):
    with app.app_context():
        notes = return_notes(db.session.get(Document, returned_id))
        assert notes.event.comment == REASON and notes.event.user.username == "approver"
        assert [(n.line, n.text) for n in notes.lines] == [(3, LINE_3), (8, LINE_8)]
        assert [n.comment.text for n in notes.general] == ["Rà soát lại chính tả toàn văn bản."]
        assert sorted(notes.by_line) == [3, 8]


def test_a_line_comment_follows_its_line_when_the_author_edits_above_it_and_says_when_it_is_gone(app, returned_id):
    with app.app_context():
        document = db.session.get(Document, returned_id)
        document.body = "Căn cứ tình hình thực tế,\n" + BODY.replace(LINE_8 + "", "Tổ chức hội nghị trực tuyến.")
        notes = return_notes(document)
        moved, gone = notes.lines
        assert (moved.line, moved.moved, moved.text) == (4, True, LINE_3)
        assert (gone.line, gone.gone, gone.text) == (None, True, LINE_8)


def test_a_resolved_comment_is_no_longer_shown(app, returned_id):
    with app.app_context():
        document = db.session.get(Document, returned_id)
        first = return_notes(document).lines[0].comment
        resolve_comment(document, first, user("clerk"))
        assert [n.line for n in return_notes(document).lines] == [8]


def test_a_document_not_returned_has_no_notes(app, people):
    with app.app_context():
        assert return_notes(make_document(status=wf.SUBMITTED)) is None
        assert return_notes(make_document(status=wf.DRAFT)) is None


def test_the_editor_shows_the_reason_at_the_top_and_each_comment_beside_the_body(client, login, returned_id):
    login("clerk")
    page = client.get(f"/documents/{returned_id}").get_data(as_text=True)
    top = page[page.index('id="returned-notes"'):page.index('id="document-form"')]
    assert "Văn bản bị trả lại để chỉnh sửa" in top and f"Lý do trả lại:</strong> {REASON}" in top
    assert "Rà soát lại chính tả toàn văn bản." in top and "2 góp ý theo dòng" in top
    beside = page[page.index('<div class="body-and-notes has-notes">'):]
    beside = beside[:beside.index("</ol>")]
    assert '<textarea' in beside and 'id="body"' in beside  # the comments sit next to the text box
    assert 'data-goto-line="3"' in beside and "Nêu rõ đối tượng tuyên truyền." in beside
    assert beside.index('data-goto-line="3"') < beside.index('data-goto-line="8"')
    assert "Ghi thời gian tổ chức hội nghị." in beside


def test_once_resubmitted_the_editor_no_longer_shows_the_return(client, login, app, returned_id):
    with app.app_context():
        document = db.session.get(Document, returned_id)
        wf.perform(document, "submit", user("clerk"), expected_status=wf.RETURNED, approver_id=user("approver").id,
                   comment="Đã sửa.")
        db.session.commit()
    login("approver")
    page = client.get(f"/documents/{returned_id}").get_data(as_text=True)
    assert 'id="returned-notes"' not in page
