"""The outline convention: I./1./a)/-/+ lines become a tree of blocks, with gentle warnings."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.text.outline import Block, Outline, parse, to_text
from domain.text.vietnamese import clean_text

SEED_BODY = (Path(__file__).parent / "fixtures" / "ke-hoach-chi-thi-07-body.txt").read_text(encoding="utf-8")


def shape(blocks):
    """(kind, marker, first 40 characters of text, children) for comparing trees in a test."""
    return [(b.kind, b.marker, b.text[:40], shape(b.children)) for b in blocks]


def kinds(text):
    return [(b.kind, b.marker, b.text) for b in parse(text).walk()]


def messages(text):
    return [(w.line, w.message) for w in parse(text).warnings]


# --- the seed plan ------------------------------------------------------------------------------

SEED_EXPECTED = [
    ("section", "I.", "MỤC ĐÍCH, YÊU CẦU", [
        ("dash", "-", "Tuyên truyền sâu rộng, nâng cao nhận thứ", []),
        ("dash", "-", "Việc tuyên truyền triển khai thực hiện C", []),
    ]),
    ("section", "II.", "NỘI DUNG TUYÊN TRUYỀN", [
        ("item", "1.", "Tuyên truyền, làm rõ vị trí, vai trò và ", [
            ("dash", "-", "Vị trí, vai trò và tác dụng của công tác", []),
            ("dash", "-", "Những hạn chế, bất cập chủ yếu trong côn", []),
            ("dash", "-", "Nguyên nhân chủ yếu của những hạn chế bấ", []),
        ]),
        ("item", "2.", "Tuyên truyền, quán triệt sâu sắc quan đi", [
            ("dash", "-", "Quan điểm của Đảng: Công tác thông tin c", []),
            ("dash", "-", "Nhiệm vụ, giải pháp nâng cao hiệu quả cô", [
                ("plus", "+", "Phát huy sức mạnh tổng hợp của cả hệ thố", []),
                ("plus", "+", "Đẩy mạnh ứng dụng công nghệ hiện đại về ", []),
                ("plus", "+", "Đầu tư, nâng cấp cơ sở vật chất, phương ", []),
                ("plus", "+", "Tập trung rà soát, củng cố, tổ chức lại ", []),
            ]),
        ]),
        ("item", "3.", "Tuyên truyền, chỉ rõ trách nhiệm của các", []),
    ]),
    ("section", "III.", "TỔ CHỨC THỰC HIỆN", [
        ("item", "1.", "Ban Thường trực Ủy ban MTTQVN tỉnh", [
            ("paragraph", "", "Tổ chức học tập quán triệt Chỉ thị số 07", []),
            ("paragraph", "", "Phân công cho cán bộ, đảng viên tuyên tr", []),
        ]),
        ("item", "2.", "Ban Thường trực Ủy ban MTTQVN các huyện,", [
            ("paragraph", "", "Ban Thường trực Ủy ban MTTQVN các huyện,", []),
            ("paragraph", "", "Trong quá trình tổ chức thực hiện báo cá", []),
        ]),
    ]),
]  # fmt: skip


def test_seed_plan_parses_into_the_expected_outline():
    outline = parse(SEED_BODY)
    assert shape(outline.blocks) == SEED_EXPECTED
    assert outline.warnings == []


def test_seed_plan_section_iii_holds_the_units_and_their_tasks():
    section = parse(SEED_BODY).section("to chuc thuc hien")
    assert section is not None and section.marker == "III."
    assert [b.text for b in section.children] == [
        "Ban Thường trực Ủy ban MTTQVN tỉnh",
        "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố",
    ]
    assert section.children[1].children[-1].text.endswith("để tổng hợp báo cáo./.")


def test_seed_plan_keeps_source_line_numbers():
    outline = parse(SEED_BODY)
    assert [b.line for b in outline.blocks] == [1, 6, 31]


def test_seed_plan_text_is_cleaned_trailing_spaces_and_double_spaces_gone():
    texts = [b.text for b in parse(SEED_BODY).walk()]
    assert all(t == t.strip() and "  " not in t for t in texts)


# --- markers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind", "marker", "text"),
    [
        ("I. MỤC ĐÍCH", "section", "I.", "MỤC ĐÍCH"),
        ("XX. CUỐI", "section", "XX.", "CUỐI"),
        ("IV.   NHIỀU KHOẢNG TRẮNG", "section", "IV.", "NHIỀU KHOẢNG TRẮNG"),
        ("1. Mục đích", "item", "1.", "Mục đích"),
        ("12) Khoản", "item", "12)", "Khoản"),
        ("1.1. Tiểu khoản", "item", "1.1.", "Tiểu khoản"),
        ("a) Đối với", "point", "a)", "Đối với"),
        ("đ) Điểm đ", "point", "đ)", "Điểm đ"),
        ("- Gạch đầu dòng", "dash", "-", "Gạch đầu dòng"),
        ("– Gạch ngang dán từ Word", "dash", "–", "Gạch ngang dán từ Word"),
        ("+ Cộng", "plus", "+", "Cộng"),
        ("• Chấm tròn của Word", "dash", "•", "Chấm tròn của Word"),
        ("▪ Ô vuông nhỏ (Wingdings)", "dash", "▪", "Ô vuông nhỏ (Wingdings)"),
        ("➢ Mũi tên (Wingdings)", "dash", "➢", "Mũi tên (Wingdings)"),
        ("❖ Hoa thị (Wingdings)", "dash", "❖", "Hoa thị (Wingdings)"),
        ("o Cấp hai của Word (Courier New)", "plus", "o", "Cấp hai của Word (Courier New)"),
        ("oán trách không phải gạch đầu dòng", "paragraph", "", "oán trách không phải gạch đầu dòng"),
        ("2017 là năm bản lề", "paragraph", "", "2017 là năm bản lề"),
        ("1.5 triệu người tham gia", "paragraph", "", "1.5 triệu người tham gia"),
        ("-5 độ C", "paragraph", "", "-5 độ C"),
        ("+84 912 345 678", "paragraph", "", "+84 912 345 678"),
        ("I.Không có khoảng trắng", "paragraph", "", "I.Không có khoảng trắng"),
        ("IIII. Không phải số La Mã", "paragraph", "", "IIII. Không phải số La Mã"),
        ("XXI. Quá XX", "paragraph", "", "XXI. Quá XX"),
        ("f) không phải chữ cái tiếng Việt", "paragraph", "", "f) không phải chữ cái tiếng Việt"),
        ("1000. Quá ba chữ số", "paragraph", "", "1000. Quá ba chữ số"),
        ("Trên đây là Kế hoạch./.", "paragraph", "", "Trên đây là Kế hoạch./."),
    ],
)
def test_a_marker_counts_only_when_followed_by_a_space(line, kind, marker, text):
    assert kinds(line) == [(kind, marker, text)]


def test_a_heading_with_nothing_after_the_marker_is_an_empty_heading():
    assert kinds("II.") == [("section", "II.", "")]


# --- nesting ------------------------------------------------------------------------------------


def test_full_nesting_section_item_point_dash_plus():
    outline = parse("I. A\n1. B\na) C\n- D\n+ E")
    assert shape(outline.blocks) == [
        (
            "section",
            "I.",
            "A",
            [("item", "1.", "B", [("point", "a)", "C", [("dash", "-", "D", [("plus", "+", "E", [])])])])],
        )
    ]


def test_paragraph_before_any_heading_is_top_level():
    outline = parse("Căn cứ Điều lệ;\nI. MỤC ĐÍCH")
    assert [(b.kind, b.text) for b in outline.blocks] == [
        ("paragraph", "Căn cứ Điều lệ;"),
        ("section", "MỤC ĐÍCH"),
    ]


def test_paragraph_after_a_dash_list_belongs_to_the_item_that_holds_the_list():
    outline = parse("1. Khoản\n- gạch\n+ cộng\nĐoạn văn sau danh sách\n- gạch mới")
    item = outline.blocks[0]
    assert [(b.kind, b.text) for b in item.children] == [
        ("dash", "gạch"),
        ("paragraph", "Đoạn văn sau danh sách"),
        ("dash", "gạch mới"),
    ]


def test_a_new_item_closes_points_and_lists_of_the_previous_one():
    outline = parse("I. A\n1. B\na) C\n- D\n2. E\nII. F\n1. G")
    assert shape(outline.blocks) == [
        ("section", "I.", "A", [
            ("item", "1.", "B", [("point", "a)", "C", [("dash", "-", "D", [])])]),
            ("item", "2.", "E", []),
        ]),
        ("section", "II.", "F", [("item", "1.", "G", [])]),
    ]  # fmt: skip
    assert outline.warnings == []


def test_plus_without_dash_belongs_to_the_nearest_open_block():
    outline = parse("1. Khoản\n+ cộng")
    assert shape(outline.blocks) == [("item", "1.", "Khoản", [("plus", "+", "cộng", [])])]


def test_blank_lines_separate_nothing():
    assert shape(parse("I. A\n\n\n- B\n   \n- C").blocks) == shape(parse("I. A\n- B\n- C").blocks)


def test_points_follow_the_vietnamese_alphabet_with_d_stroke():
    assert messages("1. K\na) x\nb) x\nc) x\nd) x\nđ) x\ne) x\ng) x") == []


# --- warnings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2. Khoản hai", [(1, "Mục “2.” đứng trước khi có mục “1.”")]),
        ("II. HAI", [(1, "Mục “II.” đứng trước khi có mục “I.”")]),
        ("1. Một\n3. Ba", [(2, "Thiếu mục “2.” (sau “1.” là “3.”)")]),
        ("1. Một\n1. Lại một", [(2, "Mục “1.” bị lặp lại")]),
        ("1. Một\n2. Hai\n1. Một nữa", [(3, "Mục “1.” đứng sau mục “2.”")]),
        ("1. K\na) A\nc) C", [(3, "Thiếu điểm “b)” (sau “a)” là “c)”)")]),
        ("1. K\nb) B", [(2, "Điểm “b)” đứng trước khi có điểm “a)”")]),
        ("I.", [(1, "Tiêu đề mục trống (“I.”)")]),
        ("1.", [(1, "Tiêu đề mục trống (“1.”)")]),
        ("-", [(1, "Dòng “-” không có nội dung")]),
        ("a) Điểm lạc", [(1, "Điểm “a)” không nằm trong khoản nào (chưa có mục “1.” ở trên)")]),
        ("I. A\n1. x\nII. B\n1. y", []),  # numbering restarts under each parent
        ("1. A\n1.1. x\n1.3. y\n2. B", []),  # multi-level numbers are not checked
    ],
)
def test_warnings_are_gentle_and_carry_the_line(text, expected):
    assert messages(text) == expected


def test_parse_accepts_word_paste_crlf_nbsp_tabs_and_decomposed_text():
    pasted = "I.\u00a0MU\u0323C ĐI\u0301CH\r\n\t- Ga\u0323ch\r\n"
    assert kinds(pasted) == [("section", "I.", "MỤC ĐÍCH"), ("dash", "-", "Gạch")]


# --- queries and text back ------------------------------------------------------------------------


def test_section_finds_by_folded_keywords_and_returns_none_when_absent():
    outline = parse(SEED_BODY)
    assert outline.section("NỘI DUNG").marker == "II."
    assert outline.section("muc dich", "yeu cau").marker == "I."
    assert outline.section("kinh phí") is None


def test_walk_is_pre_order():
    assert [b.text for b in parse("I. A\n1. B\n- C\n2. D\nII. E").walk()] == ["A", "B", "C", "D", "E"]


def test_to_text_writes_one_block_per_line_without_blank_lines():
    assert to_text(parse("I. A\n\n1.   B\n- C\n\nĐoạn\n")) == "I. A\n1. B\n- C\nĐoạn"


def test_to_text_accepts_a_list_of_blocks():
    section = parse(SEED_BODY).section("to chuc")
    assert to_text([section]).splitlines()[:2] == [
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Ban Thường trực Ủy ban MTTQVN tỉnh",
    ]


def test_block_and_outline_are_plain_dataclasses():
    block = Block("paragraph", "", "x", 1)
    assert block.children == [] and Outline([block], []).blocks == [block]


# --- properties ---------------------------------------------------------------------------------

MARKERS = ["", "I.", "II.", "IV.", "1.", "2)", "1.1.", "a)", "đ)", "-", "–", "+", "▪", "➢", "o", "2017", "X", "f)"]
convention_lines = st.tuples(
    st.sampled_from(MARKERS),
    st.sampled_from(["", " ", "  ", "\t", "\u00a0"]),
    st.text(max_size=30),
).map(lambda t: "".join(t))
convention_text = st.lists(convention_lines, max_size=25).map("\n".join)
any_text = st.one_of(st.text(), convention_text)


def _ink(s):
    return "".join(c for c in s if not c.isspace())


@settings(max_examples=300)
@given(any_text)
def test_parse_never_raises_and_never_drops_a_visible_character(text):
    outline = parse(text)
    assert _ink("".join(b.marker + b.text for b in outline.walk())) == _ink(clean_text(text))


@settings(max_examples=200)
@given(any_text)
def test_to_text_round_trips_through_parse(text):
    outline = parse(text)
    again = parse(to_text(outline))
    assert shape(again.blocks) == shape(outline.blocks)
    assert [b.text for b in again.walk()] == [b.text for b in outline.walk()]


def test_words_first_and_second_level_bullets_nest_as_dash_and_plus():
    outline = parse("1. Ban Tuyên giáo\n• Tổ chức hội nghị:\no Chuẩn bị tài liệu\no Mời đại biểu\n▪ Báo cáo kết quả")
    assert shape(outline.blocks[0].children) == [
        ("dash", "•", "Tổ chức hội nghị:", [("plus", "o", "Chuẩn bị tài liệu", []), ("plus", "o", "Mời đại biểu", [])]),
        ("dash", "▪", "Báo cáo kết quả", []),
    ]


def test_a_new_document_prints_the_conventions_dash_and_plus_whatever_bullet_word_drew():
    from docgen.body import style_and_text  # docgen prints the outline; the outline's tests say how

    blocks = list(parse("1. Khoản\n➢ Gạch\no Cộng").walk())
    assert [style_and_text(b)[1] for b in blocks[1:]] == ["- Gạch", "+ Cộng"]
