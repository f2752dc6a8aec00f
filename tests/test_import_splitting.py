"""How an item becomes tasks, by the convention (../shared/samples/README.md): every bullet or numbered item under
an assignee is at least one task, split further only at a new sentence (". " or "; " before a capital)."""

from __future__ import annotations

import pytest
from import_rules import HEAD, plan, tasks

UNIT = "III. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo\n"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("- Tổ chức hội nghị. Tuyên truyền trên trang thông tin.", ["Tổ chức hội nghị", "Tuyên truyền trên trang thông tin"]),
        ("- Tổ chức hội nghị; Tuyên truyền trên trang thông tin.", ["Tổ chức hội nghị", "Tuyên truyền trên trang thông tin"]),
        ("- Tổ chức hội nghị; tuyên truyền trên trang thông tin.", ["Tổ chức hội nghị; tuyên truyền trên trang thông tin"]),
        ("- Tổ chức hội nghị, tuyên truyền, vận động hội viên.", ["Tổ chức hội nghị, tuyên truyền, vận động hội viên"]),
        ("- Làm việc với UBND TP. Ninh Bình và H. Kim Sơn.", ["Làm việc với UBND TP. Ninh Bình và H. Kim Sơn"]),
    ],
)  # fmt: skip
def test_an_item_splits_only_at_a_new_sentence(item, expected):
    assert [text for _unit, text in tasks(UNIT + item)] == expected


def test_a_colon_followed_by_an_enumeration_of_parts_is_one_task():
    inline = UNIT + "- Giám sát các hoạt động tại thôn: niêm yết danh sách cử tri, hoạt động của Tổ bầu cử."
    assert len(tasks(inline)) == 1
    listed = (
        UNIT
        + "- Tổ chức các hoạt động ở khu dân cư:\n+ Gặp mặt các gia đình tiêu biểu;\n+ Trao nhà Đại đoàn kết."
    )
    assert tasks(listed) == [("Ban Tuyên giáo", "Tổ chức các hoạt động ở khu dân cư: Gặp mặt các gia đình tiêu biểu; "
                                                 "Trao nhà Đại đoàn kết")]  # fmt: skip


def test_an_item_that_names_its_assignee_and_ends_in_a_colon_introduces_its_sub_items():
    body = ("III. TỔ CHỨC THỰC HIỆN\n2. Ban Thường trực thực hiện chế độ báo cáo như sau:\na. Báo cáo nhanh kết quả "
            "ngày bầu cử.\nb. Báo cáo tổng kết trước ngày 23/3/2026.")  # fmt: skip
    assert tasks(body) == [("Ban Thường trực", "Báo cáo nhanh kết quả ngày bầu cử"),
                           ("Ban Thường trực", "Báo cáo tổng kết trước ngày 23/3/2026")]  # fmt: skip


def test_a_sentence_that_only_gives_the_time_stays_with_its_task():
    body = UNIT + "- Các biên bản hội nghị hiệp thương. Thời gian gửi báo cáo chậm nhất ngày 03/02/2026."
    assert tasks(body) == [("Ban Tuyên giáo", "Các biên bản hội nghị hiệp thương. Thời gian gửi báo cáo chậm nhất "
                                              "ngày 03/02/2026")]  # fmt: skip


def test_catch_alls_are_tasks_and_a_bullet_is_one_even_without_a_verb():
    body = (
        UNIT + "- Thực hiện các nhiệm vụ khác do Ban Thường trực giao.\n- Các biên bản hội nghị hiệp thương."
    )
    assert len(tasks(body)) == 2


def test_a_paragraph_needs_an_action_to_be_a_task():
    assert tasks(UNIT + "Đây là nhiệm vụ trọng tâm của năm.") == []
    assert tasks(UNIT + "Tổ chức hội nghị quán triệt.") == [("Ban Tuyên giáo", "Tổ chức hội nghị quán triệt")]


def test_sub_bullets_without_a_colon_are_tasks_of_their_own():
    body = UNIT + "- Chỉ đạo các thôn thực hiện\n+ Rà soát danh sách hộ nghèo.\n+ Báo cáo kết quả."
    assert [text for _u, text in tasks(body)] == ["Chỉ đạo các thôn thực hiện", "Rà soát danh sách hộ nghèo",
                                                  "Báo cáo kết quả"]  # fmt: skip


def test_a_line_broken_inside_a_sentence_goes_on_in_the_next_lower_case_line():
    body = ("III. TỔ CHỨC THỰC HIỆN\n1. Ban Thường trực Ủy ban MTTQ Việt Nam\nhuyện\n- Tổ chức hội nghị quán triệt đến "
            "cán bộ\nchủ chốt các xã, hoàn thành trước ngày 30/4/2026.\n2. Văn phòng bảo đảm kinh phí\nphục vụ hội nghị.")  # fmt: skip
    assert tasks(body) == [
        ("Ban Thường trực Ủy ban MTTQ Việt Nam huyện",
         "Tổ chức hội nghị quán triệt đến cán bộ chủ chốt các xã, hoàn thành trước ngày 30/4/2026"),
        ("Văn phòng", "Bảo đảm kinh phí phục vụ hội nghị"),
    ]  # fmt: skip


def test_bullets_word_draws_from_symbol_fonts_are_items_like_typed_dashes():
    typed = f"{UNIT}- Tổ chức hội nghị.\n- Đồng chí Trưởng ban:\n+ Chuẩn bị tài liệu;\n+ Báo cáo kết quả."
    drawn = typed.replace("\n- ", "\n➢ ", 1).replace("\n- ", "\n❖ ").replace("\n+ ", "\no ")
    assert "➢ Tổ chức" in drawn and "o Báo cáo" in drawn
    assert tasks(drawn) == tasks(typed) == [
        ("Ban Tuyên giáo", "Tổ chức hội nghị"),
        ("Đồng chí Trưởng ban", "Chuẩn bị tài liệu"),
        ("Đồng chí Trưởng ban", "Báo cáo kết quả"),
    ]


def test_a_bullet_that_only_gives_the_time_is_the_time_of_the_task_before_it_not_a_task():
    found = plan(UNIT + "- Chuẩn bị tài liệu hội nghị.\n- Thời gian: trước ngày 10/3/2026.\n- Gửi giấy mời.").tasks
    first = len(HEAD.splitlines()) + 3  # the bullet's line, after the header and the section's two lines
    assert [(t.text, t.deadline_text, t.lines) for t in found] == [
        ("Chuẩn bị tài liệu hội nghị", "trước ngày 10/3/2026", (first, first + 1)),
        ("Gửi giấy mời", None, (first + 2, first + 2)),
    ]
