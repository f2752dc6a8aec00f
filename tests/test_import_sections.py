"""The importer finds the implementation section by what it is called, not by its number, and reads only it
for prose; what is no task there (introduction, funding, footnotes, the closing) stays out."""

from __future__ import annotations

import pytest
from import_rules import plan, tasks

from domain.plans.importer import PlanImportError, parse_plan

UNIT_AND_TASK = "1. Ban Tuyên giáo\n- Tổ chức hội nghị quán triệt."


@pytest.mark.parametrize("title", ["TỔ CHỨC THỰC HIỆN", "PHÂN CÔNG NHIỆM VỤ", "PHÂN CÔNG TRÁCH NHIỆM",
                                   "TRÁCH NHIỆM THỰC HIỆN", "Tổ chức thực hiện:"])  # fmt: skip
@pytest.mark.parametrize("number", ["III.", "IV.", "V."])
def test_the_implementation_section_is_found_by_its_title_whatever_its_number(title, number):
    body = f"I. MỤC ĐÍCH\n- Ban Phong trào tổ chức tuyên truyền.\n{number} {title}\n{UNIT_AND_TASK}"
    assert tasks(body) == [("Ban Tuyên giáo", "Tổ chức hội nghị quán triệt")]


def test_repeated_and_skipped_numerals_and_lettered_parts_above_do_not_matter():
    body = ("A. KẾT QUẢ NĂM 2025\nI. KẾT QUẢ\n- Ban Tuyên giáo đã tổ chức 12 hội nghị.\nB. NHIỆM VỤ NĂM 2026\n"
            "I. MỤC ĐÍCH\nII. NỘI DUNG\nII. THỜI GIAN\n- Cả năm 2026.\nV. TỔ CHỨC THỰC HIỆN\n" + UNIT_AND_TASK)  # fmt: skip
    assert tasks(body) == [("Ban Tuyên giáo", "Tổ chức hội nghị quán triệt")]


def test_a_title_that_only_mentions_the_assignment_counts_when_no_section_is_titled_so():
    mentioned = f"II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM THỰC HIỆN\n{UNIT_AND_TASK}"
    assert tasks(mentioned) == [("Ban Tuyên giáo", "Tổ chức hội nghị quán triệt")]
    both = f"{mentioned}\nIII. TỔ CHỨC THỰC HIỆN\n1. Văn phòng\n- Bảo đảm kinh phí."
    assert tasks(both) == [("Văn phòng", "Bảo đảm kinh phí")]


def test_an_implementation_item_inside_another_section_is_found_when_no_section_is_titled_so():
    body = "II. NHIỆM VỤ, GIẢI PHÁP\n1. Đẩy mạnh tuyên truyền.\n2. Tổ chức thực hiện\na) Ban Dân vận: Chủ trì kiểm tra."
    assert tasks(body) == [("Ban Dân vận", "Chủ trì kiểm tra")]


def test_a_plan_without_roman_sections_may_title_a_top_level_item_so():
    assert tasks(
        "1. Mục đích\n- Bảo đảm hiệu quả.\n2. Tổ chức thực hiện\na) Văn phòng\n- Bảo đảm kinh phí."
    ) == [("Văn phòng", "Bảo đảm kinh phí")]


def test_sentences_outside_the_implementation_section_are_no_tasks():
    assert (
        tasks(
            "I. MỤC ĐÍCH\n1. Ban Tuyên giáo tổ chức tuyên truyền sâu rộng.\nII. NỘI DUNG\n- Văn phòng bảo đảm."
        )
        == []
    )


def test_the_sections_introduction_funding_rules_footnotes_and_closing_are_no_tasks():
    body = """III. TỔ CHỨC THỰC HIỆN
Căn cứ Kế hoạch này, các đơn vị triển khai thực hiện các nội dung sau.
1. Ban Tuyên giáo
- Tổ chức hội nghị quán triệt[1].
[1] Theo Hướng dẫn số 20-HD/BTGTU.
2. Kinh phí thực hiện: từ nguồn ngân sách được giao năm 2026.
- Kinh phí tổ chức hội nghị do Văn phòng bảo đảm.
Trên đây là Kế hoạch …, đề nghị các đơn vị triển khai thực hiện./.
3. Văn phòng
- Bảo đảm kinh phí."""
    assert tasks(body) == [("Ban Tuyên giáo", "Tổ chức hội nghị quán triệt")]


def test_a_section_made_only_of_paragraphs_has_no_introduction_to_leave_out():
    body = ("III. PHÂN CÔNG THỰC HIỆN\nBan Tổ chức - Kiểm tra chủ trì, phối hợp với Văn phòng tham mưu tổ chức hội nghị."
            "\nBáo cáo kết quả về Ban Thường trực trước ngày 30/11/2026.\nVăn phòng bảo đảm cơ sở vật chất.")  # fmt: skip
    assert tasks(body) == [
        ("Ban Tổ chức - Kiểm tra", "Chủ trì, phối hợp với Văn phòng tham mưu tổ chức hội nghị"),
        ("Ban Tổ chức - Kiểm tra", "Báo cáo kết quả về Ban Thường trực trước ngày 30/11/2026"),
        ("Văn phòng", "Bảo đảm cơ sở vật chất"),
    ]


# ------------------------------------------------------------------------------ no tasks, and why


def _why(body: str) -> list[str]:
    found = plan(body)
    assert found.tasks == []
    return [w for w in found.warnings if w.startswith("Không tìm thấy nhiệm vụ nào")]


def test_no_implementation_section_says_so():
    assert _why("I. MỤC ĐÍCH\n- Bảo đảm hiệu quả.\nII. NỘI DUNG\n1. Thăm hỏi người cao tuổi.") == [
        "Không tìm thấy nhiệm vụ nào: văn bản không có mục “Tổ chức thực hiện” (hay “Phân công nhiệm vụ”, "
        "“Trách nhiệm thực hiện”) và không có lịch trình ghi đơn vị chủ trì và thời gian."
    ]


def test_an_empty_implementation_section_says_so():
    assert _why("I. MỤC ĐÍCH\n- Bảo đảm hiệu quả.\nIII. TỔ CHỨC THỰC HIỆN\nTrên đây là Kế hoạch./.") == [
        "Không tìm thấy nhiệm vụ nào: mục “III. TỔ CHỨC THỰC HIỆN” trống."
    ]


def test_an_implementation_section_naming_no_one_says_so():
    assert _why(
        "I. MỤC ĐÍCH\n- Bảo đảm.\nIV. TỔ CHỨC THỰC HIỆN\n- Tổ chức hội nghị.\n- Thực hiện đúng quy định."
    )[0].startswith(
        "Không tìm thấy nhiệm vụ nào: mục “IV. TỔ CHỨC THỰC HIỆN” không nêu đơn vị hay người thực hiện"
    )


def test_a_letter_or_a_lone_table_is_refused_as_no_plan_saying_what_it_is():
    letter = ("Số: 45/MTTQ-BTT\nV/v tham dự tập huấn\nKính gửi: Ban Công tác Mặt trận các thôn.\nĐề nghị các thôn cử "
              "cán bộ tham dự.\nNơi nhận:\n- Như trên;\n- Lưu: VT.")  # fmt: skip
    names = "| STT | Họ và tên | Năm sinh | Chức vụ |\n| 1 | Nguyễn Văn An | 1970 | Trưởng thôn |\n| 2 | Lê Thị Bình | 1982 | Bí thư |"
    for text, message in ((letter, "Văn bản là công văn, không phải kế hoạch"),
                          (names, "Tệp không phải kế hoạch mà là một bảng")):  # fmt: skip
        with pytest.raises(PlanImportError) as refused:
            parse_plan(text)
        assert refused.value.message.startswith(message)


LOST_NUMBERS = """MỤC ĐÍCH, YÊU CẦU
Phát huy truyền thống đại đoàn kết toàn dân tộc.
NỘI DUNG
Tổ chức Ngày hội tại 100% khu dân cư.
TỔ CHỨC THỰC HIỆN
Ban Thường trực Ủy ban MTTQ Việt Nam xã
Hướng dẫn các khu dân cư tổ chức Ngày hội.
Đề nghị Ủy ban nhân dân xã
Hỗ trợ kinh phí tổ chức Ngày hội.
"""


def test_a_text_whose_numbers_were_lost_reads_its_all_caps_section_titles_by_their_meaning():
    imported = plan(LOST_NUMBERS)
    assert [(s["marker"], s["title"]) for s in imported.sections] == [
        ("I.", "MỤC ĐÍCH, YÊU CẦU"), ("II.", "NỘI DUNG"), ("III.", "TỔ CHỨC THỰC HIỆN")]  # fmt: skip
    assert [(t.unit, t.text) for t in imported.tasks] == [
        ("Ban Thường trực Ủy ban MTTQ Việt Nam xã", "Hướng dẫn các khu dân cư tổ chức Ngày hội"),
        ("Ủy ban nhân dân xã", "Hỗ trợ kinh phí tổ chức Ngày hội"),
    ]
    assert imported.text_lines[imported.tasks[0].source_line - 1] == "Hướng dẫn các khu dân cư tổ chức Ngày hội."
    assert any("không có số thứ tự các mục" in w for w in imported.warnings)


def test_caps_lines_are_read_as_sections_only_when_no_section_is_numbered_and_at_least_two_are_known_titles():
    numbered = plan("I. MỤC ĐÍCH\n- Phát huy truyền thống.\nNỘI DUNG\nII. TỔ CHỨC THỰC HIỆN\n" + UNIT_AND_TASK)
    assert [s["title"] for s in numbered.sections] == ["MỤC ĐÍCH", "TỔ CHỨC THỰC HIỆN"]
    with pytest.raises(PlanImportError, match="Không nhận ra cấu trúc kế hoạch"):
        parse_plan("KẾ HOẠCH\nTổ chức Ngày hội\nTỔ CHỨC THỰC HIỆN\nBan Tuyên giáo\nTổ chức hội nghị.")


def test_an_introduction_that_shares_the_work_out_gives_its_subject_no_task_and_a_title_under_it_is_no_task():
    shared_out = ("III. TỔ CHỨC THỰC HIỆN\nĐể tổ chức Hội nghị đạt kết quả, Ban Thường trực phân công như sau:\n"
                  "1. Phân công cụ thể\n- Đồng chí Trần Thị Lan – Phó Chủ tịch: chủ trì chuẩn bị nội dung.")  # fmt: skip
    assert tasks(shared_out) == [("Đồng chí Trần Thị Lan – Phó Chủ tịch", "Chủ trì chuẩn bị nội dung")]
    done_by_it = "III. TỔ CHỨC THỰC HIỆN\nBan Thường trực thực hiện các nội dung sau:\n- Tổ chức hội nghị."
    assert tasks(done_by_it) == [("Ban Thường trực", "Tổ chức hội nghị")]


def test_the_closing_formula_for_difficulties_is_no_task_and_stops_nothing_after_it():
    body = ("IV. TRÁCH NHIỆM THỰC HIỆN\n1. Ban Tuyên giáo\n- Tổ chức hội nghị.\n"
            "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh về Ban Thường trực để hướng dẫn.\n"
            "2. Văn phòng\n- Bảo đảm điều kiện tổ chức.\n"
            "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Ban Thường trực (qua Văn phòng)./.")  # fmt: skip
    assert tasks(body) == [("Ban Tuyên giáo", "Tổ chức hội nghị"), ("Văn phòng", "Bảo đảm điều kiện tổ chức")]


@pytest.mark.parametrize(
    "parts",
    [("PHẦN I. MỤC ĐÍCH, YÊU CẦU", "PHẦN II. TỔ CHỨC THỰC HIỆN"),
     ("Phần thứ nhất\nMỤC ĐÍCH, YÊU CẦU", "Phần thứ hai\nTỔ CHỨC THỰC HIỆN")],
)  # fmt: skip
def test_parts_in_a_text_without_roman_sections_are_its_sections(parts):
    aim, work = parts
    imported = plan(f"{aim}\n1. Mục đích\n- Bảo đảm dân chủ.\n{work}\n{UNIT_AND_TASK}")
    assert [s["title"] for s in imported.sections] == ["MỤC ĐÍCH, YÊU CẦU", "TỔ CHỨC THỰC HIỆN"]
    assert [(t.unit, t.text) for t in imported.tasks] == [("Ban Tuyên giáo", "Tổ chức hội nghị quán triệt")]
