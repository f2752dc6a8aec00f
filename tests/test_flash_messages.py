"""A flashed message belongs to the action that caused it (issue 15): an htmx answer carries its own message,
and a message waiting for the page an earlier answer is loading is left for that page."""

import pytest
from flask import flash
from workflow_fixtures import make_document

from extensions import db


def _flashing_fragment(app):
    """A view answering htmx with a fragment after flashing (as a careless view would)."""
    def view():
        flash("Đã lưu dòng 7.", "success")
        return "<tr id='row-7'><td>dòng 7</td></tr>"
    app.add_url_rule("/_test/fragment", "test_fragment", view, methods=["POST"])


def test_a_message_flashed_for_a_fragment_goes_out_with_it_and_not_onto_the_next_page(app, client, login, people):
    _flashing_fragment(app)
    login("clerk")
    client.get("/")  # the sign-in message is shown and gone
    body = client.post("/_test/fragment", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert body.startswith("<tr id='row-7'>")
    assert 'id="page-flashes"' in body and 'hx-swap-oob="true"' in body and "Đã lưu dòng 7." in body
    assert "Đã lưu dòng 7." not in client.get("/").get_data(as_text=True)


def test_a_message_waiting_for_a_page_being_loaded_is_not_taken_by_another_fragment(app, client, login, people):
    _flashing_fragment(app)
    login("clerk")
    client.get("/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Đã trình duyệt.")]  # flashed by an answer that said HX-Redirect
    body = client.post("/_test/fragment", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Đã lưu dòng 7." in body and "Đã trình duyệt." not in body
    page = client.get("/").get_data(as_text=True)
    assert "Đã trình duyệt." in page and "Đã lưu dòng 7." not in page


def test_a_full_page_always_has_the_message_area_for_htmx_answers(app, client, login, people):
    login("clerk")
    client.get("/")
    assert 'id="page-flashes"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("current,reloads", [("/review", True), ("/review?line=2", False)])
def test_a_line_comment_from_the_review_page_itself_loads_the_page_again(app, client, login, people, current,
                                                                        reloads):
    with app.app_context():
        document_id = make_document(status="submitted").id
        db.session.commit()
    login("approver")
    response = client.post(f"/documents/{document_id}/comments", data={
        "text": "Nêu rõ đối tượng.", "anchor_line": "3", "on_review": "1"}, headers={
        "HX-Request": "true", "HX-Current-URL": f"http://localhost/documents/{document_id}{current}#comments"})
    assert response.headers["HX-Redirect"] == f"/documents/{document_id}/review#line-3"
    assert (response.headers.get("HX-Refresh") == "true") is reloads
