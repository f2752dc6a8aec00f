"""Plans as work: which sentence is a task for which unit, when it is due, and who gets it."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain.plans.assignees import split_subject
from domain.plans.extraction import extract_tasks
from domain.plans.sentences import clauses, sentences, split_list
from domain.plans.units import UnitRef, fan_out, match_unit, unit_key
from domain.text.deadlines import Deadline, find_deadline_text, parse_deadline
from domain.text.outline import parse


def tasks(text: str) -> list[tuple[str, str]]:
    return [(t.unit, t.text) for t in extract_tasks(parse(text))]


# ---------------------------------------------------------------- finding the tasks


def test_only_the_implementation_section_is_read_for_sentences():
    text = """I. MỤC ĐÍCH, YÊU CẦU
Ban Tuyên giáo tổ chức tuyên truyền sâu rộng.
IV. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo
Tổ chức hội nghị quán triệt."""
    assert tasks(text) == [("Ban Tuyên giáo", "Tổ chức hội nghị quán triệt")]


@pytest.mark.parametrize("title", ["TỔ CHỨC THỰC HIỆN", "PHÂN CÔNG THỰC HIỆN", "Tổ chức thực hiện"])
def test_the_implementation_section_is_found_by_its_title_whatever_its_number(title):
    text = f"I. MỤC ĐÍCH\nII. NỘI DUNG\nIII. KINH PHÍ\nV. {title}\n1. Ban Phong trào\nTheo dõi, đôn đốc thực hiện."
    assert tasks(text) == [("Ban Phong trào", "Theo dõi, đôn đốc thực hiện")]


def test_a_semicolon_before_a_capital_letter_starts_a_new_task():
    text = "III. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo\nTổ chức hội nghị; Tuyên truyền trên trang thông tin."
    assert tasks(text) == [
        ("Ban Tuyên giáo", "Tổ chức hội nghị"),
        ("Ban Tuyên giáo", "Tuyên truyền trên trang thông tin"),
    ]


def test_a_semicolon_before_a_lower_case_word_does_not_split():
    text = "III. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo\nTổ chức hội nghị; tuyên truyền trên trang thông tin."
    assert tasks(text) == [("Ban Tuyên giáo", "Tổ chức hội nghị; tuyên truyền trên trang thông tin")]


def test_a_semicolon_inside_an_enumeration_stays_one_task():
    text = "III. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo\nTuyên truyền đến các xã; phường; thị trấn."
    assert tasks(text) == [("Ban Tuyên giáo", "Tuyên truyền đến các xã; phường; thị trấn")]


def test_a_unit_heading_with_a_colon_carries_its_own_task():
    text = "III. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo: chủ trì tổ chức hội thi tìm hiểu.\n2. Văn phòng: bảo đảm kinh phí."
    assert tasks(text) == [
        ("Ban Tuyên giáo", "Chủ trì tổ chức hội thi tìm hiểu"),
        ("Văn phòng", "Bảo đảm kinh phí"),
    ]


def test_units_nested_under_a_group_heading():
    text = """IV. TỔ CHỨC THỰC HIỆN
1. Các Ban chuyên môn
a) Ban Tuyên giáo
- Biên soạn tài liệu tuyên truyền.
b) Ban Tổ chức - Kiểm tra
- Tổng hợp, báo cáo kết quả."""
    assert tasks(text) == [
        ("Ban Tuyên giáo", "Biên soạn tài liệu tuyên truyền"),
        ("Ban Tổ chức - Kiểm tra", "Tổng hợp, báo cáo kết quả"),
    ]


def test_sentences_without_a_unit_or_an_action_are_not_tasks():
    text = """III. TỔ CHỨC THỰC HIỆN
Kinh phí thực hiện từ nguồn ngân sách được giao năm 2026.
1. Ban Tuyên giáo
Đây là nhiệm vụ trọng tâm của năm.
Trên đây là Kế hoạch ..., đề nghị các đơn vị triển khai thực hiện./."""
    assert tasks(text) == []


def test_an_assignment_item_anywhere_in_the_plan_is_one_task_of_its_lead_as_written():
    text = """II. NỘI DUNG
1. Tổ chức Hội nghị điển hình tiên tiến:
- Đơn vị chủ trì: Ban Phong trào; Văn phòng
- Thời gian thực hiện: Tháng 11/2026."""
    found = extract_tasks(parse(text))
    assert [(t.unit, t.text, t.deadline_text, t.section_marker, t.source) for t in found] == [
        ("Ban Phong trào; Văn phòng", "Tổ chức Hội nghị điển hình tiên tiến", "Tháng 11/2026", "II.", "schedule"),
    ]


def test_a_task_table_needs_its_title_row():
    rows = "| 1 | Tổ chức hội nghị | Ban Tuyên giáo | | Quý II/2026 |"
    assert tasks(f"III. TỔ CHỨC THỰC HIỆN\n{rows}") == []
    titled = "III. TỔ CHỨC THỰC HIỆN\n| STT | Nhiệm vụ | Chủ trì | Thời hạn |\n| 1 | Tổ chức hội nghị | Ban Tuyên giáo | Quý II/2026 |"
    found = extract_tasks(parse(titled))
    assert [(t.unit, t.text, t.deadline_text) for t in found] == [
        ("Ban Tuyên giáo", "Tổ chức hội nghị", "Quý II/2026")
    ]


# ------------------------------------------------------------------- sentences and units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tổ chức hội nghị. Báo cáo kết quả.", ["Tổ chức hội nghị.", "Báo cáo kết quả."]),
        (
            "Làm việc với UBND TP. Ninh Bình và H. Kim Sơn.",
            ["Làm việc với UBND TP. Ninh Bình và H. Kim Sơn."],
        ),
        ("Thực hiện Chỉ thị số 07-CT/TW. Tiếp tục.", ["Thực hiện Chỉ thị số 07-CT/TW.", "Tiếp tục."]),
        ("Đưa tin (xem Phụ lục. Mục 2) kịp thời.", ["Đưa tin (xem Phụ lục. Mục 2) kịp thời."]),
        ("Báo cáo kết quả./.", ["Báo cáo kết quả./."]),
    ],
)
def test_sentences_end_at_a_full_stop_before_a_capital(text, expected):
    assert sentences(text) == expected


def test_clauses_split_at_semicolons_only_before_a_verb():
    assert clauses("Tổ chức hội nghị; Tuyên truyền rộng rãi; các xã, phường") == [
        "Tổ chức hội nghị;", "Tuyên truyền rộng rãi; các xã, phường"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "unit", "rest"),
    [
        ("Ban Thường trực Ủy ban MTTQVN các huyện, thành phố xây dựng kế hoạch",
         "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố", "xây dựng kế hoạch"),
        ("Đề nghị các tổ chức thành viên phối hợp thực hiện", "các tổ chức thành viên", "phối hợp thực hiện"),
        ("Ban Tổ chức Tỉnh ủy chỉ đạo", "Ban Tổ chức Tỉnh ủy", "chỉ đạo"),
        ("Ban Dân chủ - Pháp luật là đơn vị thường trực", "Ban Dân chủ - Pháp luật", "là đơn vị thường trực"),
        ("Ban Thường trực Ủy ban MTTQVN tỉnh", "Ban Thường trực Ủy ban MTTQVN tỉnh", ""),
        ("Ban hành kế hoạch", None, "Ban hành kế hoạch"),
        ("Hội nghị được tổ chức trang trọng", None, "Hội nghị được tổ chức trang trọng"),
        ("Trong quá trình thực hiện báo cáo", None, "Trong quá trình thực hiện báo cáo"),
    ],
)  # fmt: skip
def test_split_subject_separates_the_unit_from_what_it_must_do(sentence, unit, rest):
    assert split_subject(sentence) == (unit, rest)


def test_split_list_keeps_administrative_levels_inside_a_name():
    assert split_list("Ban Tuyên giáo, Ban Thường trực Ủy ban MTTQVN các huyện, thành phố; Hội Nông dân tỉnh.") == [
        "Ban Tuyên giáo", "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố", "Hội Nông dân tỉnh",
    ]  # fmt: skip


# ----------------------------------------------------------------------------- deadlines

PLAN_DATE = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("text", "kind", "due", "day"),
    [
        ("trước ngày 30/6/2026", "date", date(2026, 6, 30), None),
        ("Hoàn thành trước ngày 30 tháng 6 năm 2026", "date", date(2026, 6, 30), None),
        ("trước ngày 15/9", "date", date(2026, 9, 15), None),  # the plan's year
        ("từ ngày 01/10/2026 đến ngày 15/11/2026", "date", date(2026, 11, 15), None),  # end of the range
        ("Quý III/2026", "date", date(2026, 9, 30), None),
        ("trong quý 4 năm 2026", "date", date(2026, 12, 31), None),
        ("tháng 8/2026", "date", date(2026, 8, 31), None),
        ("Tháng 2 năm 2028", "date", date(2028, 2, 29), None),
        ("6 tháng đầu năm 2026", "date", date(2026, 6, 30), None),
        ("6 tháng cuối năm", "date", date(2026, 12, 31), None),
        ("năm 2026", "date", date(2026, 12, 31), None),
        ("hằng tháng", "monthly", date(2026, 3, 31), None),
        ("trước ngày 15 hằng tháng", "monthly", date(2026, 4, 15), 15),  # 15/3 is before the plan's date
        ("Hàng tháng, trước ngày 20", "monthly", date(2026, 3, 31), None),
        ("định kỳ hằng quý", "quarterly", date(2026, 3, 31), None),
        ("thường xuyên", "none", None, None),
        ("khi có yêu cầu", "none", None, None),
        ("", "none", None, None),
        (None, "none", None, None),
        ("ngày 31/02/2026", "none", None, None),
    ],
)
def test_parse_deadline(text, kind, due, day):
    deadline = parse_deadline(text, PLAN_DATE)
    assert (deadline.kind, deadline.due, deadline.day_of_month) == (kind, due, day)
    assert deadline.text == (text or "")


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Tham mưu ban hành hướng dẫn, hoàn thành trước ngày 30/6/2026.", "trước ngày 30/6/2026"),
        (
            "Báo cáo tiến độ trước ngày 20 hằng tháng (từ tháng 10 đến tháng 11/2026).",
            "trước ngày 20 hằng tháng",
        ),
        ("Đưa tin các hoạt động trong Quý IV/2026.", "trong Quý IV/2026"),
        ("Tổ chức sơ kết 6 tháng đầu năm 2026.", "6 tháng đầu năm 2026"),
        ("Tổ chức Ngày hội năm 2026 ở khu dân cư.", None),  # a year in a name is not a deadline
        ("Tuyên truyền thường xuyên trên Website.", "thường xuyên"),
    ],
)
def test_find_deadline_text(sentence, phrase):
    assert find_deadline_text(sentence) == phrase


def test_a_one_off_deadline_is_overdue_from_the_next_day_until_done():
    deadline = parse_deadline("trước ngày 30/6/2026", PLAN_DATE)
    assert not deadline.is_overdue(date(2026, 6, 30))
    assert deadline.is_overdue(date(2026, 7, 1))
    assert not deadline.is_overdue(date(2026, 7, 1), done_on=date(2026, 7, 1))
    assert deadline.next_due(date(2026, 6, 1)) == date(2026, 6, 30)
    assert deadline.next_due(date(2026, 7, 1)) is None


def test_no_deadline_is_never_overdue():
    deadline = parse_deadline("thường xuyên", PLAN_DATE)
    assert not deadline.is_overdue(date(2099, 1, 1))
    assert deadline.next_due(date(2026, 1, 1)) is None


def test_monthly_report_is_overdue_when_the_last_passed_due_date_has_no_report_in_its_month():
    monthly = parse_deadline("trước ngày 15 hằng tháng", PLAN_DATE)  # plan of 15/3/2026
    assert monthly.next_due(date(2026, 4, 15)) == date(2026, 4, 15)
    assert monthly.next_due(date(2026, 4, 16)) == date(2026, 5, 15)
    # 15/3 is not owed: the plan was issued that day (a due date counts only from the plan's date on)
    assert not monthly.is_overdue(date(2026, 3, 20))
    assert not monthly.is_overdue(date(2026, 4, 15))  # due today, not late yet
    assert monthly.is_overdue(date(2026, 4, 16))
    assert not monthly.is_overdue(date(2026, 4, 16), last_reported_on=date(2026, 4, 2))
    # a late report still counts for its month; April's report does not cover May
    assert not monthly.is_overdue(date(2026, 5, 3), last_reported_on=date(2026, 4, 28))
    assert monthly.is_overdue(date(2026, 5, 16), last_reported_on=date(2026, 4, 28))
    assert not monthly.is_overdue(date(2026, 5, 16), done_on=date(2026, 5, 1))


def test_monthly_day_31_falls_on_the_last_day_of_short_months():
    deadline = Deadline("monthly", None, 31, "ngày 31 hằng tháng", date(2026, 1, 1))
    assert deadline.next_due(date(2026, 2, 1)) == date(2026, 2, 28)


def test_quarterly_report_is_due_at_the_end_of_each_quarter():
    quarterly = parse_deadline("hằng quý", date(2026, 1, 10))
    assert quarterly.next_due(date(2026, 4, 1)) == date(2026, 6, 30)
    assert quarterly.next_due(date(2026, 12, 31)) == date(2026, 12, 31)
    assert quarterly.is_overdue(date(2026, 4, 1))  # Q1 ended without a report
    assert not quarterly.is_overdue(date(2026, 4, 1), last_reported_on=date(2026, 3, 28))
    assert not quarterly.is_overdue(date(2026, 6, 30), last_reported_on=date(2026, 1, 5))
    assert quarterly.is_overdue(date(2026, 7, 1), last_reported_on=date(2026, 3, 28))


DEADLINE_WORDS = st.sampled_from(
    ["trước", "ngày", "tháng", "năm", "quý", "hằng", "hàng", "đầu", "cuối", "6", "IV", "0000", "31/02", "15",
     "/", "thường xuyên", "9999", "0", "13/2026"]
)  # fmt: skip


@given(
    st.one_of(st.text(max_size=40), st.lists(DEADLINE_WORDS, max_size=8).map(" ".join)),
    st.dates(),
    st.dates(),
    st.one_of(st.none(), st.dates()),
)
@example("trước ngày 15 hằng tháng", date.max, date.max, None)
@example("hằng quý", date.min, date.min, None)
@example("trước ngày 15 hằng tháng", date(2026, 1, 1), date.max, None)
def test_deadlines_never_raise_whatever_was_written(text, plan_date, today, reported):
    deadline = parse_deadline(text, plan_date)
    assert deadline.kind in ("none", "date", "monthly", "quarterly")
    due = deadline.next_due(today)
    assert due is None or due >= today
    assert deadline.is_overdue(today, last_reported_on=reported) in (True, False)


# -------------------------------------------------------------------------- unit matching

DIRECTORY = [
    UnitRef(1, "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh", "BTT tỉnh", "ban-thuong-truc-tinh"),
    UnitRef(2, "Ban Tuyên giáo", "BTG", "ban-tuyen-giao"),
    UnitRef(3, "Văn phòng Ủy ban MTTQ Việt Nam tỉnh", "Văn phòng", "van-phong"),
    UnitRef(
        10, "Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố", "BTT cấp huyện", "btt-huyen", True
    ),
    UnitRef(11, "Ban Thường trực Ủy ban MTTQ Việt Nam thành phố Ninh Bình", "", "btt-tp-ninh-binh"),
    UnitRef(12, "Ban Thường trực Ủy ban MTTQ Việt Nam huyện Kim Sơn", "", "btt-kim-son"),
]


@pytest.mark.parametrize(
    ("written", "unit_id"),
    [
        ("Ban Thường trực Ủy ban MTTQVN tỉnh", 1),
        ("Ban Thường trực UBMTTQVN tỉnh", 1),
        ("BTT Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", 1),
        ("BAN THƯỜNG TRỰC UỶ BAN MTTQ VIỆT NAM TỈNH", 1),
        (unicodedata.normalize("NFD", "Ban Thường trực Uỷ ban MTTQ tỉnh"), 1),
        ("Ban Thường trực Ủy ban MTTQVN tỉnh Ninh Bình", 1),  # close enough
        ("Ban Tuyên giáo", 2),
        ("BTG", 2),
        ("Văn phòng", 3),
        ("Ban Thường trực Ủy ban MTTQVN các huyện, thành phố", 10),
        ("Ban Thường trực UBMTTQVN các huyện, TP", 10),
        ("BTT UBMTTQVN TP. Ninh Bình", 11),
        ("BTT Ủy ban MTTQ Việt Nam H. Kim Sơn", 12),
        ("Hội Người cao tuổi tỉnh", None),  # an outside body: offered as new
        ("Ban Thường trực Ủy ban MTTQ Việt Nam", None),  # which level? not guessed
        ("", None),
    ],
)
def test_match_unit_tolerates_the_offices_spellings(written, unit_id):
    found = match_unit(written, DIRECTORY)
    assert (found.id if found else None) == unit_id


def test_unit_key_is_one_spelling_for_all_forms():
    assert unit_key("Ủy ban Mặt trận Tổ quốc Việt Nam") == unit_key("UBMTTQVN") == "uy ban mttq"
    assert unit_key("BTT UBMTTQ TP. Ninh Bình") == "ban thuong truc uy ban mttq thanh pho ninh binh"


# ------------------------------------------------------------------------------- fan-out

GROUPS = {10: [11, 12, 13], 20: [10, 21], 30: [], 40: [41, 40], 50: [51, 52, 51]}


@pytest.mark.parametrize(
    ("unit_id", "assignees"),
    [
        (2, [2]),  # a single unit does its own task
        (10, [11, 12, 13]),  # a group: one assignment per active member
        (20, [11, 12, 13, 21]),  # a group of groups is expanded
        (30, []),  # an empty group assigns nobody (the caller warns)
        (40, [41]),  # a group listing itself does not loop
        (50, [51, 52]),  # no one is assigned twice
    ],
)
def test_fan_out(unit_id, assignees):
    assert fan_out(unit_id, GROUPS) == assignees
