"""The kinds the office issues besides Kế hoạch, Báo cáo, Công văn, Thông báo and Hướng dẫn, each drawn from its
Phụ lục III model (Nghị định 30/2020), and the marks and address any kind may carry. (That each kind prints with no
blank page and passes the checker, with and without a signer, is in test_no_blank_page.py.)"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from blueprints.documents import particulars
from docgen import build_docx, kinds
from docgen import settings as S
from docgen.records import document_data
from docgen.sheet import sheet
from domain.documents.review import FIELD_LABELS, revision_texts
from domain.format_check import check_docx
from domain.register import numbering as reg
from extensions import db
from models import Document, Organization, Register
from models.choices import (
    DECISION,
    ERROR,
    INVITATION,
    KINDS,
    MINUTES,
    P_PARTICIPANTS,
    P_SECRETARY,
    PROGRAM,
    PROPOSAL,
    TELEGRAM,
    URGENCIES,
    URGENT,
)

try:  # tests/ on sys.path (pytest's default) or the project root
    from docgen_fixtures import DocxView, kind_sample, text_of
    from documents_fixtures import editor_form
    from register_fixtures import make_document, user
except ImportError:  # pragma: no cover
    from tests.docgen_fixtures import DocxView, kind_sample, text_of
    from tests.documents_fixtures import editor_form
    from tests.register_fixtures import make_document, user


def view(kind: str, **changes) -> DocxView:
    return DocxView(build_docx(replace(kind_sample(kind), **changes)))


def body_lines(v: DocxView) -> list[str]:
    """The text of the top-level paragraphs between the title block and the signature table."""
    return [text_of(p) for p in v.body.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")
            if text_of(p).strip()]


@pytest.mark.parametrize("code,abbreviation,title", [
    (DECISION, "QĐ", "QUYẾT ĐỊNH"), (INVITATION, "GM", "GIẤY MỜI"), (PROPOSAL, "TTr", "TỜ TRÌNH"),
    (PROGRAM, "CTr", "CHƯƠNG TRÌNH"), (MINUTES, "BB", "BIÊN BẢN"), (TELEGRAM, "CĐ", "CÔNG ĐIỆN"),
])
def test_each_kind_has_its_phu_luc_iii_abbreviation_and_title(code, abbreviation, title):
    kind = KINDS[code]
    assert kind.abbreviation == abbreviation and kind.title_line == title
    v = view(code)
    assert v.find(rf"^Số: 05/{abbreviation}-MTTQ-BTT$") is not None
    assert v.find(rf"^{title}$") is not None


@pytest.mark.parametrize("code", list(KINDS))
def test_every_kind_generates_and_passes_the_checker(code):
    data = kind_sample(code)
    errors = [f for f in check_docx(build_docx(data), kind=code).findings if f.severity == ERROR]
    assert errors == []


# --- Quyết định (Mẫu 1.2) --------------------------------------------------------------------------------------


def test_a_decision_has_its_authority_grounds_decides_and_articles():
    lines = body_lines(view(DECISION))
    start = lines.index("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM TỈNH NINH BÌNH")
    assert lines[start + 1:start + 5] == [
        "Căn cứ Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13;",
        "Căn cứ Điều lệ Mặt trận Tổ quốc Việt Nam;",
        "Theo đề nghị của Trưởng Ban Tổ chức.",  # the last ground ends with "."
        "QUYẾT ĐỊNH:",
    ]
    articles = [t for t in lines if t.startswith("Điều ")]
    assert [a.split(".")[0] for a in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    assert articles[-1] == ("Điều 3. Văn phòng, các Ban chuyên môn và các đồng chí có tên tại Điều 1 chịu trách "
                            "nhiệm thi hành Quyết định này./.")


def test_the_grounds_are_italic_and_the_article_numbers_bold():
    v = view(DECISION)
    ground = v.find("^Căn cứ Luật")
    assert v.italic(ground)
    article = v.find("^Điều 1\\.")
    number, rest = article.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r")
    assert text_of(number) == "Điều 1." and v.bold(article, number) and not v.bold(article, rest)
    assert v.style(v.find("^QUYẾT ĐỊNH:$")) == S.TEN_LOAI  # bold capitals, centred


def test_the_bodies_charged_with_a_decision_open_its_noi_nhan():
    v = view(DECISION)
    assert v.find("^- Như Điều 3;$") is not None
    plain = view(DECISION, particulars={})
    assert not any(t.startswith("- Như Điều") for t in body_lines(plain))
    assert not any("thi hành Quyết định này" in t for t in body_lines(plain))


# --- Giấy mời (Mẫu 1.7), Biên bản (Mẫu 1.9), Công điện (Mẫu 1.6) -------------------------------------------------


def test_an_invitation_says_who_is_invited_to_what_when_and_where():
    lines = body_lines(view(INVITATION))
    start = next(i for i, t in enumerate(lines) if "trân trọng kính mời:" in t)
    assert lines[start] == ("Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình trân trọng kính mời: "
                            "Đại diện lãnh đạo các tổ chức thành viên")
    assert [t.split(":")[0] for t in lines[start + 1:start + 5]] == ["Tới dự", "Chủ trì", "Thời gian", "Địa điểm"]
    assert lines[start + 5] == "Đề nghị đại biểu đến đúng giờ./."


def test_an_invitation_needs_no_trich_yeu():
    assert not KINDS[INVITATION].needs_subject
    v = view(INVITATION, title="")
    assert v.find("^GIẤY MỜI$") is not None


def test_minutes_have_the_meetings_facts_and_two_signatures_side_by_side():
    v = view(MINUTES)
    lines = body_lines(v)
    facts = [t.split(":")[0] for t in lines if t.split(":")[0] in
             ("Thời gian bắt đầu", "Địa điểm", "Thành phần tham dự", "Chủ trì (chủ tọa)", "Thư ký (người ghi biên bản)")]
    assert len(facts) == 5
    assert "Cuộc họp kết thúc vào 11 giờ 00 cùng ngày./." in lines
    table = v.tables()[-1]
    left, right = v.cells(table)
    assert [text_of(p) for p in v.paragraphs(left)][:3] == ["THƯ KÝ", "", "Trần Thị Bình"]
    assert [text_of(p) for p in v.paragraphs(right)] == ["CHỦ TỌA", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    assert "Nơi nhận:" in [text_of(p) for p in v.paragraphs(left)]
    with pytest.raises(AssertionError, match="no paragraph"):  # Mẫu 1.9: no place and date line
        v.find(r"^Ninh Bình, ngày")


def test_a_telegram_names_its_sender_and_the_bodies_it_goes_to():
    v = view(TELEGRAM, kinh_gui=["Ban Thường trực Ủy ban MTTQ các huyện", "Các tổ chức thành viên"])
    lines = body_lines(v)
    start = lines.index("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM TỈNH NINH BÌNH điện:")
    assert lines[start + 1:start + 3] == ["- Ban Thường trực Ủy ban MTTQ các huyện;", "- Các tổ chức thành viên."]
    assert not any(t.startswith("Kính gửi") for t in lines)


# --- marks and the address --------------------------------------------------------------------------------------


@pytest.mark.parametrize("urgency", [c.label for c in URGENCIES.values()])
def test_an_urgency_mark_is_framed_bold_capitals_under_the_number(urgency):
    v = view("KH", urgency=urgency)
    header = v.tables()[0]
    number_cell = v.cells(header)[2]
    texts = [text_of(p) for p in v.paragraphs(number_cell)]
    assert texts.index(urgency) == texts.index("Số: 05/KH-MTTQ-BTT") + 1
    mark = v.find(f"^{urgency}$", number_cell)
    assert v.bold(mark) and 13 <= v.size(mark) <= 14
    frame = mark.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pPr/"
                      "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr")
    assert frame is not None and len(frame) == 4


def test_internal_circulation_is_framed_too():
    v = view("TB", circulation="LƯU HÀNH NỘI BỘ")
    assert v.find("^LƯU HÀNH NỘI BỘ$", v.cells(v.tables()[0])[2]) is not None


def test_no_mark_unless_asked():
    texts = [text_of(p) for p in v.paragraphs(v.cells(v.tables()[0])[2])] if (v := view("KH")) else []
    assert texts == ["Số: 05/KH-MTTQ-BTT"]


def test_the_address_is_at_the_foot_of_page_1_only_under_a_full_width_rule():
    v = view("KH", address="Số 1 đường Lê Hồng Phong, tỉnh Ninh Bình\nĐiện thoại: 0229.3871.234")
    section = v.document.sections[0]
    lines = [p.text for p in section.first_page_footer.paragraphs]
    assert lines == ["Số 1 đường Lê Hồng Phong, tỉnh Ninh Bình", "Điện thoại: 0229.3871.234"]
    first = section.first_page_footer.paragraphs[0]._p
    assert first.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}top") is not None
    assert all(run.font.size is None for p in section.first_page_footer.paragraphs for run in p.runs)
    assert v.size(first) == 11
    assert not "".join(p.text for p in section.footer.paragraphs).strip()  # pages 2 on: nothing


def test_articles_are_recognized_only_at_the_start_of_a_line():
    assert kinds.articles("Điều 1. A\ntheo Điều 2. của Luật\nĐiều 2. B") == ["Điều 1. A", "Điều 2. B"]
    assert re.match(kinds.ARTICLE, "Điều 12. Hiệu lực")


# --- registers --------------------------------------------------------------------------------------------------

NEW_KINDS = [DECISION, INVITATION, PROPOSAL, PROGRAM, MINUTES, TELEGRAM]


@pytest.fixture
def ctx(app, people):
    with app.app_context():
        yield


def _issue(kind: str):
    document = make_document(f"Văn bản {kind}", kind=kind, recipients=["Ban Tuyên giáo Tỉnh ủy"])
    return reg.issue(document, user("records"), datetime(2026, 5, 4, 3, tzinfo=UTC))


def test_the_new_kinds_share_the_general_register(ctx):
    entries = [_issue(kind) for kind in NEW_KINDS]
    assert [e.number for e in entries] == [1, 2, 3, 4, 5, 6]
    assert len({e.register_id for e in entries}) == 1
    assert [e.number_symbol for e in entries][0] == "01/QĐ-MTTQ-BTT"


def test_with_one_register_per_kind_each_new_kind_numbers_from_01_in_its_own(ctx):
    assert reg.set_numbering_mode(reg.PER_KIND, user("admin"))
    db.session.commit()
    entries = [_issue(kind) for kind in NEW_KINDS + [DECISION]]
    assert [e.number for e in entries] == [1, 1, 1, 1, 1, 1, 2]
    assert len({e.register_id for e in entries}) == len(NEW_KINDS)
    assert reg.numbering_mode() == reg.PER_KIND


def test_a_kind_added_after_the_switch_gets_its_own_register(ctx):
    assert reg.set_numbering_mode(reg.PER_KIND, user("admin"))
    db.session.delete(db.session.scalar(db.select(Register).where(Register.kinds == MINUTES)))  # as if older
    db.session.commit()
    entry = _issue(MINUTES)
    assert entry.number == 1 and entry.register.kind_codes == [MINUTES]
    assert reg.numbering_mode() == reg.PER_KIND  # the general register did not come back


# --- the editor and the organization's address ------------------------------------------------------------------


def _saved(app) -> Document:
    with app.app_context():
        return db.session.scalar(db.select(Document).order_by(Document.id.desc()))


def test_the_clerk_writes_an_invitation_with_its_own_fields_and_an_urgency(app, client, login, people):
    login("clerk")
    fields = {particulars.input_name(INVITATION, key): value
              for key, value in kind_sample(INVITATION).particulars.items()}
    fields[particulars.input_name(MINUTES, P_SECRETARY)] = "belongs to another kind: not kept"
    page = client.get("/documents/new?kind=GM").get_data(as_text=True)
    assert 'name="particular-GM-invitees"' in page and "Thông tin riêng của giấy mời" in page
    response = client.post("/documents/new", data=editor_form(kind=INVITATION, urgency=URGENT, internal_only="y",
                                                              body="Đề nghị đại biểu đến đúng giờ.", **fields))
    assert response.status_code == 303
    document = _saved(app)
    with app.app_context():
        document = db.session.get(Document, document.id)
        assert document.kind == INVITATION and document.urgency == URGENT and document.internal_only
        assert document.particulars == kind_sample(INVITATION).particulars
        v = DocxView(build_docx(document_data(document, Organization.current())))
    assert v.find("^KHẨN$") is not None and v.find("^LƯU HÀNH NỘI BỘ$") is not None
    assert v.find("^Địa điểm: Hội trường Ủy ban MTTQ Việt Nam tỉnh$") is not None
    again = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert 'value="Hội trường Ủy ban MTTQ Việt Nam tỉnh"' in again  # the editor shows them back


def test_a_field_too_long_is_refused_and_nothing_is_saved(app, client, login, people):
    login("clerk")
    name = particulars.input_name(MINUTES, P_PARTICIPANTS)
    response = client.post("/documents/new", data=editor_form(kind=MINUTES, **{name: "Đại biểu " * 80}))
    assert response.status_code == 200
    assert "Thành phần tham dự: tối đa 500 ký tự" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Document.id))) == 0


def test_the_office_address_is_set_by_the_administrator_and_printed_on_page_1(app, client, login, people):
    login("admin")
    form = {"parent_lines": "ỦY BAN MTTQ VIỆT NAM\r\nTỈNH NINH BÌNH", "name_lines": "BAN THƯỜNG TRỰC",
            "full_name": "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", "place": "Ninh Bình",
            "symbol_suffix": "MTTQ-BTT", "archive_unit": "BTG"}
    too_many = client.post("/admin/organization", data={**form, "address_block": "a\r\nb\r\nc\r\nd"})
    assert "Tối đa 3 dòng" in too_many.get_data(as_text=True)
    done = client.post("/admin/organization", data={**form, "address_block": "Số 1 đường Lê Hồng Phong\r\n"
                                                                             "Điện thoại: 0229.3871.234"})
    assert done.status_code == 303
    with app.app_context():
        organization = Organization.current()
        assert organization.address_block == "Số 1 đường Lê Hồng Phong\nĐiện thoại: 0229.3871.234"
        document = make_document("Thông báo", kind="TB")
        v = DocxView(build_docx(document_data(document, organization)))
    footer = [p.text for p in v.document.sections[0].first_page_footer.paragraphs]
    assert footer == ["Số 1 đường Lê Hồng Phong", "Điện thoại: 0229.3871.234"]


def test_the_page_preview_shows_what_the_docx_prints_for_each_kind():
    decision = sheet(kind_sample(DECISION))
    texts = [p.text for p in decision.paragraphs]
    assert "QUYẾT ĐỊNH:" in texts and texts[-1].startswith("Điều 3.") and texts[-1].endswith("./.")
    minutes = sheet(kind_sample(MINUTES))
    assert minutes.date_line == "" and minutes.signature_heads[0][1] == "CHỦ TỌA"
    assert sheet(replace(kind_sample("KH"), urgency="HỎA TỐC")).marks == ["HỎA TỐC"]
    telegram = sheet(kind_sample(TELEGRAM))
    assert telegram.kinh_gui == [] and texts[0] != telegram.paragraphs[0].text


def test_the_reviewer_compares_a_kinds_own_fields_and_marks_too():
    data = {"kind": INVITATION, "urgency": URGENT, "internal_only": True,
            "particulars_json": '{"meeting_time": "08 giờ 00, ngày 15/12/2026", "meeting_place": "Hội trường"}'}
    assert revision_texts(data)["details"].splitlines() == [
        "Thời gian: 08 giờ 00, ngày 15/12/2026", "Địa điểm: Hội trường", "Mức độ khẩn: KHẨN", "Lưu hành nội bộ"]
    assert revision_texts({"kind": "KH", "particulars_json": "not json"})["details"] == ""
    assert "details" in FIELD_LABELS


def test_a_telegram_names_its_addressees_in_the_kinh_gui_box(client, login, people):
    login("clerk")
    page = client.get("/documents/new?kind=CD").get_data(as_text=True)
    assert '<span data-kinds="CD">Công điện: các nơi nhận điện' in page
    assert '<span data-kinds="CD" class="hidden">' in client.get("/documents/new?kind=KH").get_data(as_text=True)
