"""Documents: drafting in the editor, revisions, stale saves, the list, the preview and the Nơi nhận picker."""

from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import field_error
from documents_fixtures import editor_form, form_of, make_document, user
from sqlalchemy import func, select

from extensions import db
from models import AuditEvent, Document, DocumentRevision
from models.choices import KINDS
from models.documents import document_revisions


def _only_document() -> Document:
    return db.session.scalar(select(Document))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# ---- creating and saving ---------------------------------------------------------------------------------


def test_clerk_creates_a_plan_with_a_first_revision_and_an_audit_row(app, client, login, people):
    login("clerk")
    form = editor_form(recipient_unit=[str(people["group"]), ""], recipient_text=["", "Các tổ chức thành viên"])
    response = client.post("/documents/new", data=form)
    assert response.status_code == 303
    with app.app_context():
        document = _only_document()
        assert response.headers["Location"].endswith(f"/documents/{document.id}")
        assert (document.kind, document.status, document.created_by.username) == ("KH", "draft", "clerk")
        assert document.title == "Tuyên truyền kỷ niệm 95 năm Ngày truyền thống MTTQ Việt Nam"
        assert [r.label for r in document.recipients] == ["Các huyện, thành phố", "Các tổ chức thành viên"]
        [revision] = document_revisions(document.id)
        assert revision.author.username == "clerk" and revision.data["body"] == document.body
        event = db.session.scalar(select(AuditEvent).filter_by(action="document_create"))
        assert event.object_id == document.id and event.user.username == "clerk"


def test_new_without_a_kind_offers_the_kinds_and_cong_van_shows_kinh_gui(client, login, people):
    login("clerk")
    page = client.get("/documents/new").get_data(as_text=True)
    assert all(f"/documents/new?kind={code}" in page for code in KINDS)
    addressed = " ".join(code for code, kind in KINDS.items() if kind.addressed)  # BC CV TTR CD
    cong_van = client.get("/documents/new?kind=CV").get_data(as_text=True)
    kinh_gui_field = re.search(rf'<div class="field[^"]*" data-kinds="{addressed}">', cong_van)
    assert kinh_gui_field and "hidden" not in kinh_gui_field.group(0)
    assert 'class="prefixed with-prefix"' in cong_van  # the "V/v" before the trích yếu
    plan = client.get("/documents/new?kind=KH").get_data(as_text=True)
    assert re.search(rf'<div class="field hidden" data-kinds="{addressed}">', plan)


def test_saving_a_change_keeps_a_new_revision_and_unchanged_saves_write_nothing(app, client, login, people):
    with app.app_context():
        document = make_document()
        doc_id, form = document.id, form_of(document)
    login("clerk")
    changed = dict(form, body=form["body"] + "\nMột đoạn mới.", reason="Bổ sung đoạn cuối")
    assert client.post(f"/documents/{doc_id}", data=changed).status_code == 303
    with app.app_context():
        revisions = document_revisions(doc_id)
        assert [r.number for r in revisions] == [1, 2] and revisions[-1].reason == "Bổ sung đoạn cuối"
        assert revisions[0].data["body"] == form["body"]  # the earlier text is still there
        document = db.session.get(Document, doc_id)
        event = db.session.scalar(select(AuditEvent).filter_by(action="document_update"))
        assert event.after == {"revision": 2, "changed": ["body"]}
        same = form_of(document)
    response = client.post(f"/documents/{doc_id}", data=same, follow_redirects=True)
    assert "Không có thay đổi nào cần lưu" in response.get_data(as_text=True)
    with app.app_context():
        assert len(document_revisions(doc_id)) == 2


def test_a_stale_save_is_refused_and_the_typed_text_stays_in_the_form(app, client, login, people):
    with app.app_context():
        document = make_document()
        doc_id, stale_form = document.id, form_of(document)
    other = app.test_client()
    other.post("/login", data={"username": "admin", "password": "mat-khau-thu-nghiem"})
    first = dict(stale_form, body="I. NỘI DUNG CỦA QUẢN TRỊ")
    assert other.post(f"/documents/{doc_id}", data=first).status_code == 303

    login("clerk")
    mine = dict(stale_form, body="I. NỘI DUNG CỦA CHUYÊN VIÊN\n- Một ý <quan trọng>")
    response = client.post(f"/documents/{doc_id}", data=mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "vừa được Quản Trị Viên lưu" in page and "CHƯA được lưu" in page
    assert "I. NỘI DUNG CỦA CHUYÊN VIÊN\n- Một ý &lt;quan trọng&gt;" in page  # the clerk's text, escaped
    with app.app_context():
        assert db.session.get(Document, doc_id).body == "I. NỘI DUNG CỦA QUẢN TRỊ"
        new_version = db.session.get(Document, doc_id).lock_version
    assert f'name="lock_version" type="hidden" value="{new_version}"' in page
    # Saving again from that page is a deliberate choice: it wins, and the other text stays in the history.
    assert client.post(f"/documents/{doc_id}", data=dict(mine, lock_version=str(new_version))).status_code == 303
    with app.app_context():
        bodies = [r.data["body"] for r in document_revisions(doc_id)]
        assert bodies[-2:] == ["I. NỘI DUNG CỦA QUẢN TRỊ", "I. NỘI DUNG CỦA CHUYÊN VIÊN\n- Một ý <quan trọng>"]


def test_a_document_that_left_draft_is_not_saved_but_the_text_is_given_back(app, client, login, people):
    with app.app_context():
        document = make_document(status="submitted")
        doc_id, form = document.id, form_of(document)
    login("clerk")
    assert 'id="document-form"' not in client.get(f"/documents/{doc_id}").get_data(as_text=True)
    response = client.post(f"/documents/{doc_id}", data=dict(form, body="Nội dung mới gõ"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Chờ duyệt" in page and "Nội dung mới gõ" in page
    with app.app_context():
        assert db.session.get(Document, doc_id).body != "Nội dung mới gõ"


@pytest.mark.parametrize("username", ["approver", "records"])
def test_approvers_and_records_read_drafts_but_cannot_edit(app, client, login, people, username):
    with app.app_context():
        document = make_document()
        doc_id, form = document.id, form_of(document)
    login(username)
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert 'id="document-form"' not in page and "Tải .docx" in page and 'class="sheet' in page
    assert client.post(f"/documents/{doc_id}", data=form).status_code == 403


def test_restoring_an_old_revision_fills_the_editor_and_saving_makes_it_current(app, client, login, people):
    with app.app_context():
        document = make_document(body="I. BẢN ĐẦU")
        document.update_content({"body": "I. BẢN SAU"}, [], user("clerk"), "Sửa")
        db.session.commit()
        doc_id = document.id
    login("clerk")
    old = client.get(f"/documents/{doc_id}/revisions/1").get_data(as_text=True)
    assert "I. BẢN ĐẦU" in old and "Dùng lại nội dung này" in old
    page = client.get(f"/documents/{doc_id}?from_revision=1").get_data(as_text=True)
    assert "nội dung của phiên bản 1" in page and "\nI. BẢN ĐẦU</textarea>" in page
    assert client.get(f"/documents/{doc_id}/revisions/9").status_code == 404
    with app.app_context():
        form = form_of(db.session.get(Document, doc_id), body="I. BẢN ĐẦU")
    assert client.post(f"/documents/{doc_id}", data=form).status_code == 303
    with app.app_context():
        assert db.session.get(Document, doc_id).body == "I. BẢN ĐẦU"
        assert [r.data["body"] for r in document_revisions(doc_id)] == ["I. BẢN ĐẦU", "I. BẢN SAU", "I. BẢN ĐẦU"]


# ---- bad input ---------------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def test_html_in_every_field_is_stored_as_typed_and_escaped_on_every_page(app, client, login, people):
    login("clerk")
    form = editor_form(kind="CV", title=f"V/v {SCRIPT}", references_text=SCRIPT, body=f"I. {SCRIPT}\n{SCRIPT}",
                       kinh_gui_text=SCRIPT, signing_authority=f"TM. {SCRIPT}", signing_deputy_line=SCRIPT,
                       signer_title=SCRIPT, reason=SCRIPT, recipient_unit=[""], recipient_text=[SCRIPT])
    assert client.post("/documents/new", data=form).status_code == 303
    with app.app_context():
        document = _only_document()
        assert document.body == f"I. {SCRIPT}\n{SCRIPT}" and document.recipients[0].text == SCRIPT
        assert document.signer_title == SCRIPT.upper()  # signature lines are printed in capitals
    pages = [client.get(url).get_data(as_text=True) for url in (
        f"/documents/{document.id}", "/documents", f"/documents/{document.id}/revisions/1")]
    pages.append(client.post("/documents/preview", data=form).get_data(as_text=True))
    for page in pages:
        assert "<script>alert" not in page.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;SCRIPT&gt;" in page


@pytest.mark.parametrize("field,value,message", [
    ("title", "T" * 501, "Trích yếu tối đa 500 ký tự (hiện có 501)"),
    ("title", "   ", "Vui lòng nhập trích yếu"),
    ("body", "x" * 100_001, "Nội dung tối đa 100.000 ký tự"),
    ("references_text", "x" * 10_001, "Phần căn cứ tối đa 10.000 ký tự"),
    ("kinh_gui_text", "x" * 3_001, "Phần Kính gửi tối đa 3.000 ký tự"),
    ("signing_authority", "T" * 121, "Quyền hạn ký tối đa 120 ký tự"),
    ("signer_title", "T" * 121, "Chức vụ tối đa 120 ký tự"),
    ("reason", "x" * 201, "Ghi chú tối đa 200 ký tự"),
])
def test_fields_over_their_limits_are_explained_and_nothing_is_saved(app, client, login, people, field, value,
                                                                      message):
    login("clerk")
    response = client.post("/documents/new", data=editor_form(**{field: value}))
    assert response.status_code == 200
    assert any(message in e for e in field_error(response.get_data(as_text=True))), field_error(response.get_data(as_text=True))
    with app.app_context():
        assert _count(Document) == 0 and _count(DocumentRevision) == 0


def test_too_many_or_too_long_recipient_lines_are_refused(app, client, login, people):
    login("clerk")
    long_line = editor_form(recipient_unit=[""], recipient_text=["x" * 301])
    assert "tối đa 300 ký tự" in client.post("/documents/new", data=long_line).get_data(as_text=True)
    many = editor_form(recipient_unit=[""] * 61, recipient_text=[f"Nơi {i}" for i in range(61)])
    assert "tối đa 60 dòng" in client.post("/documents/new", data=many).get_data(as_text=True)
    with app.app_context():
        assert _count(Document) == 0


def test_text_pasted_from_word_is_cleaned_to_nfc_without_losing_a_letter(app, client, login, people):
    decomposed = unicodedata.normalize("NFD", "Tuyên truyền Nghị quyết")
    login("clerk")
    form = editor_form(title=f"{decomposed}\u00a0“số 07”\tnăm 2026\u200b",
                       body="I.\tMỤC ĐÍCH\r\n1.\u00a0Mục đích\x0b- Ý một\x07",
                       signer_title="phó chủ tịch")
    assert client.post("/documents/new", data=form).status_code == 303
    with app.app_context():
        document = _only_document()
        assert document.title == "Tuyên truyền Nghị quyết “số 07” năm 2026"
        assert unicodedata.is_normalized("NFC", document.title)
        assert document.body == "I. MỤC ĐÍCH\n1. Mục đích\n- Ý một"
        assert document.signer_title == "PHÓ CHỦ TỊCH"
        assert document.title_search == "tuyen truyen nghi quyet “so 07” nam 2026"


def test_a_forged_unit_id_or_kind_never_reaches_the_database(app, client, login, people):
    login("clerk")
    response = client.post("/documents/new", data=editor_form(kind="ND"))  # no such kind
    assert response.status_code == 200 and field_error(response.get_data(as_text=True))
    form = editor_form(recipient_unit=["99999", str(people["district"])], recipient_text=["", ""])
    assert client.post("/documents/new", data=form).status_code == 303
    with app.app_context():
        assert [r.unit_id for r in _only_document().recipients] == [people["district"]]


# ---- the list ----------------------------------------------------------------------------------------------


def _titles(page: str) -> list[str]:
    return re.findall(r'<a href="/documents/\d+">([^<]+)</a>', page)


def test_the_list_filters_by_kind_status_year_and_words_without_diacritics(app, client, login, people):
    with app.app_context():
        make_document(title="Tuyên truyền Chỉ thị 07")
        make_document(title="Báo cáo kết quả quý III", kind="BC", status="submitted")
        make_document(title="Hội nghị tổng kết năm", kind="TB", year=2025)
        db.session.commit()
    login("approver")
    assert len(_titles(client.get("/documents").get_data(as_text=True))) == 3
    assert _titles(client.get("/documents?kind=BC").get_data(as_text=True)) == ["Báo cáo kết quả quý III"]
    assert _titles(client.get("/documents?status=submitted").get_data(as_text=True)) == ["Báo cáo kết quả quý III"]
    assert _titles(client.get("/documents?year=2025").get_data(as_text=True)) == ["Hội nghị tổng kết năm"]
    for q in ("tuyen truyen", "TUYÊN TRUYỀN", "Chỉ thị 07"):
        assert _titles(client.get("/documents", query_string={"q": q}).get_data(as_text=True)) == ["Tuyên truyền Chỉ thị 07"]
    assert _titles(client.get("/documents?q=%25").get_data(as_text=True)) == []  # LIKE wildcards are literal
    fragment = client.get("/documents?kind=TB", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True) and 'id="document-list"' in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]


def test_the_list_is_paginated_newest_first(app, client, login, people):
    with app.app_context():
        for i in range(27):
            make_document(title=f"Văn bản số {i:02d}")
        db.session.commit()
    login("clerk")
    first = _titles(client.get("/documents").get_data(as_text=True))
    second = client.get("/documents?page=2").get_data(as_text=True)
    assert len(first) == 25 and first[0] == "Văn bản số 26" and "Trang sau" in client.get("/documents").get_data(as_text=True)
    assert _titles(second) == ["Văn bản số 01", "Văn bản số 00"]


def test_only_clerks_and_admins_see_the_new_document_button(client, login, people):
    for username, shown in (("clerk", True), ("admin", True), ("approver", False), ("reporter", False)):
        login(username)
        assert ("Soạn văn bản mới" in client.get("/documents").get_data(as_text=True)) is shown
        assert client.get("/documents/new").status_code == (200 if shown else 403)


# ---- the preview -------------------------------------------------------------------------------------------


def test_the_preview_draws_the_page_from_the_outline_with_warnings_beside_their_lines(client, login, people):
    login("clerk")
    form = editor_form(body="I. MỤC ĐÍCH\n2. Khoản thứ hai\nII.\n- ý", recipient_unit=[str(people["district"])],
                       recipient_text=[""], signer_id="0")
    response = client.post("/documents/preview", data=form, headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page
    assert '<p class="VBMuc" data-line="1">I. MỤC ĐÍCH</p>' in page
    assert 'data-line="2" title="Dòng 2: Mục “2.” đứng trước khi có mục “1.”"' in page
    assert 'id="outline-warnings" class="outline-warnings" aria-live="polite" hx-swap-oob="true"' in page
    assert 'data-goto-line="3">Dòng 3</button>: Tiêu đề mục trống (“II.”)' in page
    assert "- ý./.</p>" in page  # the end mark, as the .docx prints it
    assert "- Huyện Yên Mô;" in page and "- Lưu: VT, BTG." in page
    assert "KẾ HOẠCH" in page and "Số:      /KH-MTTQ-BTT" in page


def test_the_preview_of_a_cong_van_has_kinh_gui_nhu_tren_and_v_v(client, login, people):
    login("clerk")
    form = editor_form(kind="CV", title="tổ chức Hội nghị", kinh_gui_text="Ban Thường trực các huyện\nBan Tuyên giáo")
    page = client.post("/documents/preview", data=form).get_data(as_text=True)
    assert "V/v tổ chức Hội nghị" in page and "KẾ HOẠCH" not in page
    assert '<p class="VBKinhGui">- Ban Thường trực các huyện;</p>' in page and "- Ban Tuyên giáo.</p>" in page
    assert "- Như trên;" in page and "Số:      /MTTQ-BTT" in page
    single = client.post("/documents/preview", data=dict(form, kinh_gui_text="Ban Tuyên giáo")).get_data(as_text=True)
    assert "Kính gửi: Ban Tuyên giáo</p>" in single


def test_the_preview_of_an_existing_document_needs_it_to_be_visible(app, client, login, people):
    login("clerk")
    assert client.post("/documents/preview", data=editor_form(document_id="999")).status_code == 404


def test_the_editor_page_shows_the_signature_from_the_signers_position(app, client, login, people):
    with app.app_context():
        document = make_document(signer="approver")
        doc_id = document.id
    login("clerk")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert '<p class="VBQuyenHanKy">TM. BAN THƯỜNG TRỰC</p>' in page
    assert '<p class="VBChucVuKy">PHÓ CHỦ TỊCH</p>' in page and '<p class="VBHoTenKy">Đinh Văn Thắng</p>' in page
    assert "Đinh Văn Thắng — PHÓ CHỦ TỊCH" in page  # the signer choice shows position titles


def test_the_sheet_stylesheet_comes_from_the_docx_settings(client, login, people):
    login("clerk")
    response = client.get("/documents/sheet.css")
    css = response.get_data(as_text=True)
    assert response.mimetype == "text/css" and response.headers["ETag"]
    assert ".sheet .VBMuc { font-size: calc(14.00 * var(--pt)); font-weight: bold;" in css
    assert "text-align: justify; text-indent: calc(36.00 * var(--pt))" in css  # 1.27 cm first line
    assert client.get("/documents/sheet.css", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


# ---- the Nơi nhận picker -------------------------------------------------------------------------------------


def test_picker_buttons_work_as_plain_form_posts_and_save_nothing(app, client, login, people):
    with app.app_context():
        document = make_document(recipients=[(people["district"], ""), (None, "Các tổ chức thành viên")])
        doc_id, form = document.id, form_of(document)
    login("clerk")
    moved = client.post(f"/documents/{doc_id}", data=dict(form, op="down:0", body="Đang gõ dở"))
    page = moved.get_data(as_text=True)
    assert moved.status_code == 200 and "<html" in page and "Đang gõ dở</textarea>" in page
    assert page.index('value="Các tổ chức thành viên"') < page.index("- Huyện Yên Mô;")
    added = client.post(f"/documents/{doc_id}", data=dict(form, op="add-unit", add_unit=str(people["group"])))
    assert "- Các huyện, thành phố;" in added.get_data(as_text=True) and "Nhóm: 2 đơn vị" in added.get_data(as_text=True)
    twice = client.post(f"/documents/{doc_id}", data=dict(form, op="add-unit", add_unit=str(people["district"])))
    assert "đã có trong Nơi nhận" in twice.get_data(as_text=True)
    removed = client.post(f"/documents/{doc_id}", data=dict(form, op="remove:1")).get_data(as_text=True)
    assert 'value="Các tổ chức thành viên"' not in removed and "- Huyện Yên Mô;" in removed
    with app.app_context():
        document = db.session.get(Document, doc_id)
        assert [r.label for r in document.recipients] == ["Huyện Yên Mô", "Các tổ chức thành viên"]
        assert document.body != "Đang gõ dở" and len(document_revisions(doc_id)) == 1


def test_picker_buttons_over_htmx_answer_with_the_picker_only_and_redraw_the_preview(client, login, people):
    login("clerk")
    form = editor_form(op="add-text", add_text="- Các tổ chức thành viên;",
                       recipient_unit=[str(people["district"])], recipient_text=[""])
    response = client.post("/documents/new", data=form, headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page and page.lstrip().startswith("<fieldset")
    assert response.headers["HX-Trigger-After-Swap"] == "recipients-changed"
    assert 'value="Các tổ chức thành viên"' in page  # the typed "- " and ";" are the list's punctuation
    assert '- Lưu: VT, BTG. <small class="muted">(tự động' in page


def test_a_line_left_in_the_add_box_is_saved_with_the_document(app, client, login, people):
    login("clerk")
    assert client.post("/documents/new", data=editor_form(add_text="Lưu hồ sơ phong trào")).status_code == 303
    with app.app_context():
        assert [r.text for r in _only_document().recipients] == ["Lưu hồ sơ phong trào"]


def test_the_directory_offers_active_units_groups_and_outside_bodies(app, client, login, people):
    from conftest import make_unit

    from models.choices import UNIT_EXTERNAL
    with app.app_context():
        make_unit("Ban Tuyên giáo Tỉnh ủy", kind=UNIT_EXTERNAL)
        closed = make_unit("Huyện đã sáp nhập")
        closed.active = False
        db.session.commit()
    login("clerk")
    page = client.get("/documents/new?kind=KH").get_data(as_text=True)
    select_html = page.split('name="add_unit"')[1].split("</select>")[0]
    assert '<optgroup label="Nhóm đơn vị">' in select_html and "(nhóm 2 đơn vị)" in select_html
    assert '<optgroup label="Cơ quan bên ngoài">' in select_html and "Ban Tuyên giáo Tỉnh ủy" in select_html
    assert "Huyện đã sáp nhập" not in select_html


def test_two_simultaneous_saves_of_one_page_give_one_save_and_one_clear_refusal(app, client, login, people):
    import threading

    with app.app_context():
        document = make_document()
        doc_id, form = document.id, form_of(document)
    clients = []
    for username in ("clerk", "admin"):
        c = app.test_client()
        assert c.post("/login", data={"username": username, "password": "mat-khau-thu-nghiem"}).status_code == 303
        clients.append((username, c))
    start = threading.Barrier(len(clients))
    results = {}

    def save(username, c):
        data = dict(form, body=f"I. BẢN CỦA {username.upper()}", csrf_token=c.csrf_token())
        start.wait()
        results[username] = c.post(f"/documents/{doc_id}", data=data).status_code

    threads = [threading.Thread(target=save, args=pair) for pair in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == [303, 409]
    winner = next(u for u, status in results.items() if status == 303)
    with app.app_context():
        assert db.session.get(Document, doc_id).body == f"I. BẢN CỦA {winner.upper()}"
        assert len(document_revisions(doc_id)) == 2
