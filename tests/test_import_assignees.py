"""Each task goes to its assignee as the plan writes it: a unit, a group of units, a position, a person or an
outside body; a comma or a dash inside a name does not cut it in two."""

from __future__ import annotations

import pytest
from import_rules import tasks, units

from domain.plans.assignees import colon_name, heading_name, partners, split_subject
from domain.plans.extraction import extract_tasks
from domain.text.outline import parse

SECTION = "III. TỔ CHỨC THỰC HIỆN\n"


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("1. Ban Thường trực Ủy ban MTTQ Việt Nam xã", "Ban Thường trực Ủy ban MTTQ Việt Nam xã"),
        ("2. Ban Thường trực Ủy ban MTTQVN các huyện, thành phố", "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố"),
        ("3. Đề nghị Ủy ban nhân dân xã phối hợp", "Ủy ban nhân dân xã"),
        ("4. Chuyên viên phụ trách lĩnh vực Hành chính, Văn phòng", "Chuyên viên phụ trách lĩnh vực Hành chính, Văn phòng"),
        ("5. Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội", "Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội"),
        ("6. Trách nhiệm của Văn phòng:", "Văn phòng"),
        ("7. Các tổ chức chính trị - xã hội tỉnh", "Các tổ chức chính trị - xã hội tỉnh"),
        ("a) Ban Tổ chức - Kiểm tra", "Ban Tổ chức - Kiểm tra"),
        ("8. Ban Tuyên giáo có nhiệm vụ:", "Ban Tuyên giáo"),
        ("9. Văn phòng thực hiện các nội dung sau:", "Văn phòng"),
    ],
)  # fmt: skip
def test_a_unit_heading_gives_the_items_under_it_to_the_unit_as_written(heading, name):
    assert tasks(f"{SECTION}{heading}\n- Tổ chức hội nghị.") == [(name, "Tổ chức hội nghị")]


@pytest.mark.parametrize(
    "heading", ["1. Công tác tuyên truyền", "1. Hội nghị sơ kết", "1. Ban hành kế hoạch"]
)
def test_a_heading_that_names_no_one_gives_its_items_to_no_one(heading):
    assert heading_name(heading[3:]) is None
    assert tasks(f"{SECTION}{heading}\n- Tổ chức hội nghị.") == []


def test_a_heading_cut_by_a_line_break_goes_on_in_the_next_short_line():
    body = f"{SECTION}2. Ban Công tác Mặt trận các\nthôn, khu dân cư\n- Tổ chức Ngày hội Đại đoàn kết."
    assert tasks(body) == [("Ban Công tác Mặt trận các thôn, khu dân cư", "Tổ chức Ngày hội Đại đoàn kết")]
    cut_for_good = f"{SECTION}2. Ban Công tác Mặt trận các\n- Tổ chức Ngày hội Đại đoàn kết."
    assert units(cut_for_good) == ["Ban Công tác Mặt trận các"]  # as written: nothing continues it


@pytest.mark.parametrize(
    ("line", "name", "text"),
    [
        ("- Đồng chí Phó Chủ tịch Thường trực, phụ trách lĩnh vực Dân chủ - Pháp luật: chủ trì kiểm tra, giám sát.",
         "Đồng chí Phó Chủ tịch Thường trực, phụ trách lĩnh vực Dân chủ - Pháp luật", "Chủ trì kiểm tra, giám sát"),
        ("- Đ/c Nguyễn Văn Bình - Ủy viên Thường trực: tham mưu xây dựng kế hoạch.",
         "Đ/c Nguyễn Văn Bình - Ủy viên Thường trực", "Tham mưu xây dựng kế hoạch"),
        ("- Đồng chí Chủ tịch Ủy ban MTTQ xã chịu trách nhiệm chỉ đạo chung.", "Đồng chí Chủ tịch Ủy ban MTTQ xã",
         "Chịu trách nhiệm chỉ đạo chung"),
        ("- Giao đồng chí Nguyễn Đức Mạnh – Phó Chủ tịch Ủy ban MTTQ Việt Nam xã thực hiện nhiệm vụ theo kế hoạch.",
         "Đồng chí Nguyễn Đức Mạnh – Phó Chủ tịch Ủy ban MTTQ Việt Nam xã", "Thực hiện nhiệm vụ theo kế hoạch"),
        ("- Chuyên viên phụ trách tổng hợp tham mưu Ban Thường trực chuẩn bị nội dung.",
         "Chuyên viên phụ trách tổng hợp", "Tham mưu Ban Thường trực chuẩn bị nội dung"),
        ("- Ban Thường trực yêu cầu các đồng chí trong Ban Thường trực, các chuyên viên trong cơ quan triển khai "
         "kế hoạch này.", "Các đồng chí trong Ban Thường trực, các chuyên viên trong cơ quan", "Triển khai kế hoạch này"),
    ],
)  # fmt: skip
def test_a_person_or_position_named_in_an_item_is_its_assignee(line, name, text):
    assert tasks(f"{SECTION}1. Ban Thường trực Ủy ban MTTQ Việt Nam xã\n{line}") == [(name, text)]


def test_the_next_item_without_a_name_goes_back_to_the_heading_unit():
    body = f"{SECTION}1. Ban Thường trực\n- Đồng chí Chủ tịch chịu trách nhiệm chỉ đạo chung.\n- Cử cán bộ tham dự."
    assert units(body) == ["Đồng chí Chủ tịch", "Ban Thường trực"]


def test_a_request_to_an_outside_body_or_group_is_its_task_commas_inside_the_name_included():
    body = (f"{SECTION}1. Văn phòng\n- Bảo đảm kinh phí.\nĐề nghị Văn phòng Đảng ủy, Văn phòng HĐND&UBND xã phối hợp "
            "Cơ quan Ủy ban MTTQ Việt Nam xã chuẩn bị các điều kiện phục vụ hội nghị.")  # fmt: skip
    assert units(body) == ["Văn phòng", "Văn phòng Đảng ủy, Văn phòng HĐND&UBND xã"]


def test_a_second_sentence_may_name_its_own_assignee_and_a_comma_inside_it_stays():
    body = (f"{SECTION}2. Chuyên viên cơ quan\n- Các chuyên viên khác thực hiện các nhiệm vụ được phân công; Kế toán, "
            "chuyên viên phụ trách hành chính lập dự toán kinh phí.")  # fmt: skip
    assert tasks(body) == [
        ("Các chuyên viên khác", "Thực hiện các nhiệm vụ được phân công"),
        ("Kế toán, chuyên viên phụ trách hành chính", "Lập dự toán kinh phí"),
    ]


def test_a_subject_after_an_opening_clause_is_found():
    assert split_subject("Căn cứ Kế hoạch, Ban Thường trực xây dựng kế hoạch triển khai.")[0] is None
    body = f"{SECTION}1. Căn cứ Hướng dẫn này, Ban Thường trực Ủy ban MTTQ Việt Nam xã xây dựng kế hoạch triển khai."
    assert tasks(body) == [("Ban Thường trực Ủy ban MTTQ Việt Nam xã", "Xây dựng kế hoạch triển khai")]


def test_what_stands_before_a_colon_is_an_assignee_only_when_it_names_someone():
    assert colon_name("Chế độ báo cáo: Tổng hợp kết quả.") == (None, "Chế độ báo cáo: Tổng hợp kết quả.")
    assert colon_name("Văn phòng: bảo đảm kinh phí.") == ("Văn phòng", "bảo đảm kinh phí.")


@pytest.mark.parametrize(
    ("text", "lead", "partners_"),
    [
        ("Phối hợp chặt chẽ với Ban Thường trực Ủy ban MTTQ Việt Nam xã tham gia công tác bầu cử.",
         "Ban Thường trực Ủy ban MTTQ Việt Nam xã", []),
        ("Chủ trì, phối hợp với các cơ quan liên quan chuẩn bị nội dung.", "", ["các cơ quan liên quan"]),
        ("Xây dựng kế hoạch phối hợp với Ban Tuyên giáo và các tổ chức thành viên cùng cấp tích cực tuyên truyền.",
         "", ["Ban Tuyên giáo", "các tổ chức thành viên cùng cấp"]),
        ("Chỉ đạo các ngành phối hợp với Ủy ban nhân dân xã Hòa Bình kiểm tra kết quả.", "", ["Ủy ban nhân dân xã Hòa Bình"]),
        ("Phối hợp chặt chẽ trong quá trình giám sát.", "", []),
    ],
)  # fmt: skip
def test_units_a_sentence_works_with(text, lead, partners_):
    assert partners(text) == (lead, partners_)


def test_a_task_that_joins_someone_elses_work_names_that_lead():
    body = f"{SECTION}2. Các tổ chức thành viên\n- Phối hợp với Ban Thường trực tổ chức hội nghị.\n- Cử cán bộ tham dự."
    found = [(t.unit, t.is_lead, t.lead) for t in extract_tasks(parse(body))]
    assert found == [("Các tổ chức thành viên", False, "Ban Thường trực"), ("Các tổ chức thành viên", True,
                                                                             "Các tổ chức thành viên")]  # fmt: skip


def test_a_unit_on_a_bullet_or_a_line_of_its_own_heads_what_follows():
    dash = f"{SECTION}- Ban Tuyên giáo:\n+ Tổ chức hội thi tìm hiểu.\n+ Báo cáo kết quả."
    assert tasks(dash) == [
        ("Ban Tuyên giáo", "Tổ chức hội thi tìm hiểu"),
        ("Ban Tuyên giáo", "Báo cáo kết quả"),
    ]
    unnumbered = f"{SECTION}Văn phòng\nBảo đảm kinh phí.\nBan Tuyên giáo\nTổ chức hội thi."
    assert tasks(unnumbered) == [("Văn phòng", "Bảo đảm kinh phí"), ("Ban Tuyên giáo", "Tổ chức hội thi")]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Các sở, ban, ngành, đoàn thể tỉnh triển khai thực hiện.", "Các sở, ban, ngành, đoàn thể tỉnh"),
        ("Thủ trưởng các cơ quan, đơn vị và Trưởng Ban Công tác Mặt trận các thôn nghiêm túc triển khai.",
         "Thủ trưởng các cơ quan, đơn vị và Trưởng Ban Công tác Mặt trận các thôn"),
        ("Ban Công tác Mặt trận thôn 1, thôn 2 tổ chức hội nghị.", "Ban Công tác Mặt trận thôn 1, thôn 2"),
        ("Ban Tuyên giáo, tổ chức hội nghị.", "Ban Tuyên giáo"),
    ],
)  # fmt: skip
def test_a_group_named_with_commas_is_one_assignee(sentence, name):
    assert split_subject(sentence)[0] == name


POSITION = "Đồng chí Phó Chủ tịch Thường trực, phụ trách công tác tuyên truyền"


def test_a_position_in_charge_of_a_field_is_one_assignee_as_a_heading_over_its_tasks():
    body = f"{SECTION}1. {POSITION}\n- Chỉ đạo xây dựng kế hoạch tuyên truyền.\n- Theo dõi, đôn đốc việc thực hiện."
    assert tasks(body) == [
        (POSITION, "Chỉ đạo xây dựng kế hoạch tuyên truyền"),
        (POSITION, "Theo dõi, đôn đốc việc thực hiện"),
    ]


def test_a_position_in_charge_of_a_field_is_one_assignee_before_a_colon():
    assert tasks(f"{SECTION}1. Ban Thường trực\n- {POSITION}: chủ trì biên soạn tài liệu.") == [
        (POSITION, "Chủ trì biên soạn tài liệu")
    ]
    assert tasks(
        f"{SECTION}1. Ban Thường trực\n- {POSITION}:\n+ Hướng dẫn các thôn;\n+ Tổng hợp kết quả."
    ) == [
        (POSITION, "Hướng dẫn các thôn"),
        (POSITION, "Tổng hợp kết quả"),
    ]


@pytest.mark.parametrize(
    ("sentence", "name", "rest"),
    [
        ("Đồng chí Phó Chủ tịch phụ trách công tác tuyên truyền chủ trì biên soạn tài liệu",
         "Đồng chí Phó Chủ tịch phụ trách công tác tuyên truyền", "chủ trì biên soạn tài liệu"),
        ("Đồng chí Phó Chủ tịch phụ trách công tác kiểm tra, giám sát chủ trì hội nghị",
         "Đồng chí Phó Chủ tịch phụ trách công tác kiểm tra, giám sát", "chủ trì hội nghị"),
        ("Đồng chí Phó Chủ tịch phụ trách khu dân cư số 1, tổ chức kiểm tra",
         "Đồng chí Phó Chủ tịch phụ trách khu dân cư số 1", "tổ chức kiểm tra"),
        ("Chuyên viên phụ trách tổng hợp báo cáo kết quả", "Chuyên viên phụ trách tổng hợp", "báo cáo kết quả"),
    ],
)  # fmt: skip
def test_the_field_a_position_is_in_charge_of_ends_where_the_position_itself_acts(sentence, name, rest):
    assert split_subject(sentence) == (name, rest)


@pytest.mark.parametrize(
    ("line", "name", "text"),
    [
        ("- Đồng chí Nguyễn Văn A, Phó Chủ tịch phụ trách chỉ đạo chung.", "Đồng chí Nguyễn Văn A, Phó Chủ tịch",
         "Phụ trách chỉ đạo chung"),
        ("- Đồng chí Trần Văn B, Ủy viên Thường trực phụ trách công tác tổ chức hội nghị.",
         "Đồng chí Trần Văn B, Ủy viên Thường trực", "Phụ trách công tác tổ chức hội nghị"),
    ],
)  # fmt: skip
def test_in_a_sentence_that_is_only_a_name_what_the_person_is_in_charge_of_is_the_task(line, name, text):
    assert tasks(f"{SECTION}{line}") == [(name, text)]
    assert heading_name(line[2:].rstrip(".")) == line[2:].rstrip(".")  # as a heading it stays one name


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("1. Các Ban chuyên môn theo chức năng, nhiệm vụ được giao:\n- Hướng dẫn cơ sở.",
         [("Các Ban chuyên môn", "Hướng dẫn cơ sở")]),
        ("1. Đề nghị Ủy ban nhân dân xã quan tâm bố trí kinh phí.", [("Ủy ban nhân dân xã", "Quan tâm bố trí kinh phí")]),
        ("1. Đề nghị Ủy ban nhân dân xã tạo điều kiện cho các đoàn giám sát.",
         [("Ủy ban nhân dân xã", "Tạo điều kiện cho các đoàn giám sát")]),
    ],
)  # fmt: skip
def test_a_name_ends_where_the_manner_or_a_request_begins(body, expected):
    assert tasks(SECTION + body) == expected
