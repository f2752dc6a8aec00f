"""A schedule gives one task per item or row that carries both a time and a responsible unit, with its deadline
text, lead and partners; a schedule that names no responsible unit gives none."""

from __future__ import annotations

import io

import docx
from import_rules import plan

from domain.plans.extraction import extract_tasks
from domain.plans.importer import parse_plan, read_plan_file
from domain.text.outline import parse


def schedule(body: str) -> list[tuple]:
    return [(t.unit, t.text, t.coordinating, t.deadline_text, t.source) for t in extract_tasks(parse(body))]


def test_an_item_with_time_and_lead_lines_is_one_task_of_its_lead_as_written():
    body = """II. NỘI DUNG VÀ TIẾN ĐỘ
1. Hội diễn văn nghệ quần chúng
- Thời gian hoàn thành: Tháng 10/2026.
- Đơn vị chủ trì: Hội Cựu chiến binh xã, Hội Nông dân xã.
- Đơn vị phối hợp: Đoàn Thanh niên, Hội Liên hiệp Phụ nữ xã."""
    assert schedule(body) == [("Hội Cựu chiến binh xã, Hội Nông dân xã", "Hội diễn văn nghệ quần chúng",
                               ["Đoàn Thanh niên", "Hội Liên hiệp Phụ nữ xã"], "Tháng 10/2026", "schedule")]  # fmt: skip


def test_bare_items_before_an_item_with_a_block_share_it():
    body = """III. CÁC HOẠT ĐỘNG
1. Giải bóng chuyền hơi
2. Hội diễn văn nghệ
- Thời gian thực hiện: Quý III/2026.
- Đơn vị chủ trì: Đoàn Thanh niên xã."""
    assert [(u, t, d) for u, t, _c, d, _s in schedule(body)] == [
        ("Đoàn Thanh niên xã", "Giải bóng chuyền hơi", "Quý III/2026"),
        ("Đoàn Thanh niên xã", "Hội diễn văn nghệ", "Quý III/2026"),
    ]


def test_a_content_line_under_a_sub_item_takes_the_title_of_its_item():
    body = """II. NỘI DUNG, TIẾN ĐỘ
1. Hội nghị hiệp thương lần thứ nhất.
1.1. Nội dung: Hiệp thương về cơ cấu, thành phần, số lượng.
- Thời gian: Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025).
- Đơn vị chủ trì: Ban Công tác mặt trận thôn.
1.2. Báo cáo kết quả Hội nghị
- Gửi biên bản Hội nghị ngay sau khi kết thúc."""
    assert schedule(body) == [("Ban Công tác mặt trận thôn", "Hội nghị hiệp thương lần thứ nhất: Hiệp thương về cơ cấu, "
                               "thành phần, số lượng", [], "Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025)",
                               "schedule")]  # fmt: skip


def test_times_without_a_responsible_unit_give_no_task():
    body = (
        "II. THỜI GIAN THỰC HIỆN\n1. Đợt 1: Từ ngày 05/12/2025 đến ngày 20/02/2026.\n- Thời gian: Quý I/2026."
    )
    assert schedule(body) == []


def test_a_table_gives_a_task_per_row_and_an_empty_lead_cell_shares_the_block_above():
    body = """II. TIẾN ĐỘ
| TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
| 1 | Tuyên truyền trên loa truyền thanh | Văn phòng | Đài truyền thanh xã | Quý III/2026 |
| 2 | Đăng tin trên trang thông tin điện tử | | | |
| 3 | Báo cáo kết quả | Các tổ chức thành viên | | Định kỳ hằng tháng |"""
    assert schedule(body) == [
        (
            "Văn phòng",
            "Tuyên truyền trên loa truyền thanh",
            ["Đài truyền thanh xã"],
            "Quý III/2026",
            "schedule",
        ),
        (
            "Văn phòng",
            "Đăng tin trên trang thông tin điện tử",
            ["Đài truyền thanh xã"],
            "Quý III/2026",
            "schedule",
        ),
        ("Các tổ chức thành viên", "Báo cáo kết quả", [], "Định kỳ hằng tháng", "schedule"),
    ]


def test_a_table_exported_one_cell_a_line_is_read_and_a_row_with_fewer_cells_shares_the_block_above():
    body = """II. PHÂN CÔNG THỰC HIỆN
TT
Nội dung
Đơn vị chủ trì
Đơn vị phối hợp
Thời gian thực hiện
1
Vận động các doanh nghiệp ủng hộ Quỹ “Vì người nghèo”
Ban Thường trực
Các tổ chức thành viên
Quý II/2026
2
Tổ chức bàn giao nhà Đại đoàn kết
Quý IV/2026
III. TỔ CHỨC THỰC HIỆN"""
    assert schedule(body) == [
        ("Ban Thường trực", "Vận động các doanh nghiệp ủng hộ Quỹ “Vì người nghèo”", ["Các tổ chức thành viên"],
         "Quý II/2026", "schedule"),
        ("Ban Thường trực", "Tổ chức bàn giao nhà Đại đoàn kết", ["Các tổ chức thành viên"], "Quý IV/2026", "schedule"),
    ]  # fmt: skip


CELLS = """III. TỔ CHỨC THỰC HIỆN
TT
Nội dung
Đơn vị chủ trì
Đơn vị phối hợp
Thời gian
1
Treo băng rôn
Văn phòng
Các thôn
Tháng 10/2026
2
Tổng hợp kết quả
Ban Thường trực

Trước ngày 25/11/2026
Kinh phí từ nguồn xã hội hóa."""


def test_in_a_table_exported_one_cell_a_line_an_empty_line_is_an_empty_cell():
    found = schedule(CELLS)
    assert [(u, t, c, d) for u, t, c, d, _s in found] == [
        ("Văn phòng", "Treo băng rôn", ["Các thôn"], "Tháng 10/2026"),
        ("Ban Thường trực", "Tổng hợp kết quả", [], "Trước ngày 25/11/2026"),
    ]  # row 2's empty partner cell takes no one from row 1, and the paragraph after the table is no cell


def test_blank_lines_between_all_the_lines_of_such_a_table_are_spacing_not_cells():
    spaced = CELLS.replace("\n\n", "\n-\n").replace("\n", "\n\n")  # "-": the empty cell, typed
    assert [(u, t, c) for u, t, c, *_ in schedule(spaced)] == [
        ("Văn phòng", "Treo băng rôn", ["Các thôn"]), ("Ban Thường trực", "Tổng hợp kết quả", [])]  # fmt: skip


def test_a_word_table_with_merged_cells_gives_one_task_per_row():
    document = docx.Document()
    for line in (
        "KẾ HOẠCH",
        "Kỷ niệm Ngày truyền thống",
        "I. MỤC ĐÍCH",
        "- Giáo dục truyền thống.",
        "II. TIẾN ĐỘ",
    ):
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate([("Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"),
                             ("Treo băng rôn", "Văn phòng", "Các thôn", "Tháng 10/2026"),
                             ("Đăng tin", "", "", "")]):  # fmt: skip
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for c in (1, 2, 3):
        table.cell(1, c).merge(table.cell(2, c))
    out = io.BytesIO()
    document.save(out)
    found = parse_plan(read_plan_file("tien-do.docx", out.getvalue())).tasks
    assert [(t.unit, t.text, t.deadline_text) for t in found] == [
        ("Văn phòng", "Treo băng rôn", "Tháng 10/2026"),
        ("Văn phòng", "Đăng tin", "Tháng 10/2026"),
    ]


def test_a_word_cell_merged_down_gives_its_value_to_every_row_it_covers_and_a_blank_cell_stays_blank():
    document = docx.Document()
    for line in ("KẾ HOẠCH", "Kỷ niệm Ngày truyền thống", "I. MỤC ĐÍCH", "- Giáo dục truyền thống.", "II. TIẾN ĐỘ"):
        document.add_paragraph(line)
    table = document.add_table(rows=4, cols=4)
    for r, row in enumerate([("Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"),
                             ("Treo băng rôn", "Văn phòng", "Các thôn", "Tháng 10/2026"),
                             ("Đăng tin", "Ban Tuyên giáo", "", ""),
                             ("Gặp mặt", "Ban Phong trào", "", "Tháng 11/2026")]):  # fmt: skip
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 2).merge(table.cell(2, 2))  # one partner block shared by two items with their own leads
    table.cell(1, 3).merge(table.cell(2, 3))
    out = io.BytesIO()
    document.save(out)
    found = parse_plan(read_plan_file("tien-do.docx", out.getvalue())).tasks
    assert [(t.unit, t.text, t.coordinating, t.deadline_text) for t in found] == [
        ("Văn phòng", "Treo băng rôn", ["Các thôn"], "Tháng 10/2026"),
        ("Ban Tuyên giáo", "Đăng tin", ["Các thôn"], "Tháng 10/2026"),
        ("Ban Phong trào", "Gặp mặt", [], "Tháng 11/2026"),
    ]


def test_schedule_tasks_carry_their_source_and_lines():
    found = plan(
        "II. TIẾN ĐỘ\n1. Hội thi tìm hiểu\n- Thời gian: Tháng 9/2026.\n- Đơn vị chủ trì: Ban Tuyên giáo."
    ).tasks
    assert [(t.source, t.lines, t.deadline.isoformat()) for t in found] == [
        ("schedule", (6, 8), "2026-09-30")
    ]


def test_two_fields_on_one_line_are_both_read():
    body = "II. TIẾN ĐỘ\n1. Hội nghị sơ kết\n- Thời gian: tháng 6/2026. Đơn vị chủ trì: Ban Tuyên giáo."
    assert schedule(body) == [("Ban Tuyên giáo", "Hội nghị sơ kết", [], "tháng 6/2026", "schedule")]


def test_a_table_title_over_two_rows_is_read_as_one():
    body = """II. TIẾN ĐỘ
| TT | Nội dung | Đơn vị | | Thời gian |
| | | Chủ trì | Phối hợp | |
| 1 | Tổ chức hội nghị | Ban Tuyên giáo | Văn phòng | Quý I/2026 |"""
    assert schedule(body) == [("Ban Tuyên giáo", "Tổ chức hội nghị", ["Văn phòng"], "Quý I/2026", "schedule")]
