"""Importing an existing plan: what the office gets back from a .txt or .docx file, and what it is refused."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importer_fixtures import (
    PLAN_A,
    PLAN_B,
    SEED,
    fixture_bytes,
    fixture_text,
    plan_c_docx,
    zip_bytes,
)

from domain.plans.importer import PlanImportError, import_plan_json, parse_plan, read_plan_file
from domain.plans.units import UnitRef
from domain.plans.uploads import MAX_UPLOAD_BYTES

BTT_TINH = "Ban Thường trực Ủy ban MTTQVN tỉnh"
BTT_HUYEN = "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố"
HUYEN = "Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố"


def tasks_of(plan) -> list[tuple]:
    return [(t.unit, t.text, t.is_lead, t.deadline_text) for t in plan.tasks]


# ------------------------------------------------------------------ the real plan (seed)


@pytest.fixture(scope="module")
def seed():
    return parse_plan(read_plan_file(SEED, fixture_bytes(SEED)))


def test_seed_kind_and_title_come_from_its_first_two_lines(seed):
    assert seed.kind == "KH"
    # the stray space of "07- CT/TW" is a typo the new document should not keep
    assert seed.title == (
        "Tuyên truyền thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư (khóa XII) về "
        "“Đẩy mạnh công tác thông tin cơ sở trong tình hình mới”"
    )
    assert (seed.number, seed.symbol, seed.issued_on, seed.place, seed.issuer_lines) == (
        None,
        "",
        None,
        "",
        [],
    )


def test_seed_cites_exactly_the_guidance_and_the_directive(seed):
    refs = [r.to_dict() for r in seed.references]
    assert [(r["kind"], r["number"], r["date"], r["issuer"]) for r in refs] == [
        ("Hướng dẫn", "20-HD/BTGTU", "2017-05-03", "Ban Tuyên giáo Tỉnh ủy Ninh Bình"),
        ("Chỉ thị", "07-CT/TW", None, "Ban Bí thư (khóa XII)"),
    ]
    assert refs[1]["text"] == (
        "Chỉ thị số 07-CT/TW của Ban Bí thư (khóa XII) về “Đẩy mạnh công tác thông tin cơ sở trong tình hình mới”"
    )
    assert refs[0]["text"].startswith("Hướng dẫn số 20-HD/BTGTU, ngày 03/5/2017 của Ban Tuyên giáo")


def test_seed_opening_is_the_thuc_hien_paragraph(seed):
    assert seed.opening.startswith("Thực hiện Hướng dẫn số 20-HD/BTGTU, ngày 03/5/2017")
    assert seed.opening.endswith("xây dựng kế hoạch tuyên truyền cụ thể như sau:")


def test_seed_body_runs_from_section_one_to_the_end_mark_without_the_signature(seed):
    assert seed.body.startswith("I. MỤC ĐÍCH, YÊU CẦU\n- Tuyên truyền sâu rộng")
    assert seed.body.endswith("để tổng hợp báo cáo./.")
    assert "Nơi nhận" not in seed.body and "PHÓ CHỦ TỊCH" not in seed.body
    assert seed.sections == [
        {"marker": "I.", "title": "MỤC ĐÍCH, YÊU CẦU"},
        {"marker": "II.", "title": "NỘI DUNG TUYÊN TRUYỀN"},
        {"marker": "III.", "title": "TỔ CHỨC THỰC HIỆN"},
    ]
    assert seed.warnings == []


def test_seed_section_three_gives_five_tasks_for_two_units(seed):
    assert tasks_of(seed) == [
        (BTT_TINH, "Tổ chức học tập quán triệt Chỉ thị số 07 đến cán bộ, đảng viên trong cơ quan", True, None),
        (BTT_TINH, "Tuyên truyền Chỉ thị số 07 trên trang thông tin điện tử (Website) của Ủy ban MTTQVN tỉnh "
                   "và cuốn Thông tin Công tác Mặt trận", True, None),
        (BTT_TINH, "Phân công cho cán bộ, đảng viên tuyên truyền Chỉ thị 07 đến Ban Công tác Mặt trận ở khu "
                   "dân cư và nắm bắt tình hình dư luận xã hội", True, None),
        (BTT_HUYEN, "Xây dựng kế hoạch phối hợp với Ban Tuyên giáo và các tổ chức thành viên cùng cấp tích cực "
                    "tuyên truyền Chỉ thị số 07 bằng nhiều hình thức phù hợp với địa phương", True, None),
        (BTT_HUYEN, "Trong quá trình tổ chức thực hiện báo cáo kết quả về Ban Thường trực Ủy ban MTTQVN tỉnh "
                    "Ninh Bình (qua Ban Tuyên giáo) để tổng hợp báo cáo", True, None),
    ]  # fmt: skip
    assert {t.section_marker for t in seed.tasks} == {"III."}
    assert [t.source_line for t in seed.tasks] == [37, 37, 38, 42, 43]


def test_seed_flattened_signature_table_is_untangled(seed):
    assert seed.signature == {
        "authority": "TM. BAN THƯỜNG TRỰC",
        "deputy_line": "",
        "title": "PHÓ CHỦ TỊCH",
        "name": "",
    }
    # "- Lưu VT, ..." is given in the ND30 form "Lưu: VT, ..."; the rest is kept as the office wrote it
    assert seed.recipients == [
        "Ban Tuyên giáo Ủy ban Trung ương MTTQVN",
        "Ban Tuyên giáo Tỉnh ủy Ninh Bình",
        "Ban Thường trực Ủy ban MTTQVN tỉnh",
        "Ban Thường trực UBMTTQVN các huyện, thành phố",
        "Lưu: VT, Ban Tuyên giáo MTTQ tỉnh",
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8-sig"),
        lambda s: s.encode("utf-16"),
        lambda s: s.replace("\n", "\r\n").encode("utf-8"),
        lambda s: to_windows_1258(s).encode("cp1258"),
    ],
    ids=["utf-8 with BOM", "utf-16 with BOM", "CRLF", "windows-1258"],
)
def test_seed_reads_the_same_in_every_encoding_offices_save(seed, encode):
    text = read_plan_file(SEED, encode(fixture_text(SEED)))
    assert unicodedata.is_normalized("NFC", text)
    plan = parse_plan(text)
    assert tasks_of(plan) == tasks_of(seed)
    assert plan.recipients == seed.recipients


def to_windows_1258(text: str) -> str:
    """Windows-1258 spelling: base letters with â/ă/ơ... precomposed, tone marks as combining characters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out)


# ------------------------------------------------------------- (a) ND30 header, IV. a) b) units


def test_plan_a_header_fields():
    plan = parse_plan(fixture_text(PLAN_A))
    assert (plan.kind, plan.number, plan.symbol) == ("KH", 12, "KH-MTTQ-BTT")
    assert (plan.place, plan.issued_on.isoformat()) == ("Ninh Bình", "2026-03-15")
    assert plan.issuer_lines == ["ỦY BAN MTTQ VIỆT NAM", "TỈNH NINH BÌNH", "BAN THƯỜNG TRỰC"]
    assert plan.title == "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư năm 2026"
    assert plan.opening.splitlines()[0].startswith("Căn cứ Hướng dẫn số 35/HD-MTTW-BTT")
    assert plan.opening.endswith("như sau:")
    assert [s["marker"] for s in plan.sections] == ["I.", "II.", "III.", "IV."]


def test_plan_a_references_in_both_date_forms():
    refs = [r.to_dict() for r in parse_plan(fixture_text(PLAN_A)).references]
    assert [(r["kind"], r["number"], r["date"], r["issuer"]) for r in refs] == [
        (
            "Hướng dẫn",
            "35/HD-MTTW-BTT",
            "2026-02-12",
            "Ban Thường trực Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
        ),
        ("Kế hoạch", "102-KH/TU", "2026-02-20", "Ban Thường vụ Tỉnh ủy Ninh Bình"),
    ]


def test_plan_a_units_as_points_with_bullets_and_deadlines():
    plan = parse_plan(fixture_text(PLAN_A))
    assert tasks_of(plan) == [
        ("Ban Phong trào", "Tham mưu Ban Thường trực ban hành hướng dẫn tổ chức Ngày hội ở khu dân cư, hoàn "
         "thành trước ngày 30/6/2026", True, "trước ngày 30/6/2026"),
        ("Ban Phong trào", "Chủ trì, phối hợp với Văn phòng tổng hợp kết quả tổ chức Ngày hội, báo cáo Ban "
         "Thường trực trong tháng 12/2026", True, "trong tháng 12/2026"),
        ("Ban Tuyên giáo", "Tuyên truyền về ý nghĩa Ngày hội trên trang thông tin điện tử của Ủy ban MTTQ Việt "
         "Nam tỉnh, thực hiện hằng tháng", True, "hằng tháng"),
        # a unit that only joins someone else's work is not the lead
        ("Ban Tuyên giáo", "Phối hợp với Báo và Phát thanh, Truyền hình Ninh Bình đưa tin các hoạt động tiêu "
         "biểu trong Quý IV/2026", False, "trong Quý IV/2026"),
        ("Văn phòng Ủy ban MTTQ Việt Nam tỉnh", "Bảo đảm kinh phí, điều kiện phục vụ Ban Thường trực dự Ngày hội "
         "tại các khu dân cư điểm", True, None),
        # "...; gửi kế hoạch ...": a ";" before a lower-case word is no new sentence, so one task (the convention)
        (HUYEN, "Xây dựng kế hoạch, hướng dẫn Ban Thường trực Ủy ban MTTQ Việt Nam cấp xã chỉ đạo Ban Công tác "
         "Mặt trận tổ chức Ngày hội ở 100% khu dân cư; gửi kế hoạch về Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh "
         "(qua Ban Phong trào) trước ngày 15/9/2026", True, "trước ngày 15/9/2026"),
        (HUYEN, "Báo cáo tiến độ tổ chức Ngày hội trước ngày 20 hằng tháng (từ tháng 10 đến tháng 11/2026)",
         True, "trước ngày 20 hằng tháng"),
        # a bullet ending in ":" is one task together with its "+" details
        (HUYEN, "Tổ chức các hoạt động ở khu dân cư điểm: Gặp mặt, biểu dương các gia đình tiêu biểu; Trao nhà "
         "Đại đoàn kết cho hộ nghèo", True, None),
    ]  # fmt: skip
    assert {t.section_marker for t in plan.tasks} == {"IV."}


def test_plan_a_signature_with_signer_and_row_by_row_table():
    plan = parse_plan(fixture_text(PLAN_A))
    assert plan.signature == {
        "authority": "TM. BAN THƯỜNG TRỰC", "deputy_line": "", "title": "PHÓ CHỦ TỊCH", "name": "Phạm Thị Thu Hằng"
    }  # fmt: skip
    assert plan.recipients == [
        "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam",
        "Thường trực Tỉnh ủy",
        "Ban Dân vận Tỉnh ủy",
        HUYEN,
        "Lưu: VT, BPT",
    ]
    # points directly under a section are flagged by the outline parser, gently
    assert plan.warnings and all("Điểm" in w and "không nằm trong khoản nào" in w for w in plan.warnings)
    assert "Trên đây là Kế hoạch" in plan.body and "Phạm Thị Thu Hằng" not in plan.body


# ------------------------------------- (b) "Đơn vị chủ trì" lines, units named inside sentences


def test_plan_b_header_and_wrapped_title():
    plan = parse_plan(fixture_text(PLAN_B))
    assert (plan.number, plan.symbol, plan.issued_on.isoformat()) == (8, "KH-MTTQ-BTT", "2026-01-05")
    assert plan.issuer_lines == ["UỶ BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "TỈNH NINH BÌNH", "BAN THƯỜNG TRỰC"]
    assert plan.title == "Giám sát và phản biện xã hội năm 2026 của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh"


def test_plan_b_references_a_law_a_party_decision_and_a_programme():
    refs = [r.to_dict() for r in parse_plan(fixture_text(PLAN_B)).references]
    assert [(r["kind"], r["number"], r["date"], r["issuer"]) for r in refs] == [
        ("Luật", "75/2015/QH13", None, None),
        ("Quyết định", "217-QĐ/TW", "2013-01-02", "Bộ Chính trị"),
        ("Chương trình", "01/CTr-MTTQ-BTT", "2026-01-02", "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh"),
    ]
    assert refs[0]["text"] == "Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13"


def test_plan_b_section_two_items_carry_their_lead_partners_and_deadline():
    plan = parse_plan(fixture_text(PLAN_B))
    assigned = [
        (t.unit, t.text, t.coordinating, t.deadline_text) for t in plan.tasks if t.section_marker == "II."
    ]
    assert assigned == [
        ("Ban Dân chủ - Pháp luật",
         "Giám sát việc thực hiện chính sách bảo hiểm y tế đối với người cao tuổi trên địa bàn tỉnh",
         ["Hội Người cao tuổi tỉnh", "Bảo hiểm xã hội tỉnh", HUYEN], "Quý III/2026"),
        ("Ban Dân chủ - Pháp luật",
         "Phản biện xã hội đối với dự thảo Nghị quyết của Hội đồng nhân dân tỉnh về chính sách hỗ trợ nhà ở cho hộ nghèo",
         ["Ban Phong trào", "Hội Luật gia tỉnh"], "trước ngày 30/6/2026"),
        (HUYEN, "Giám sát việc giải quyết đơn thư khiếu nại, tố cáo của công dân", [], "6 tháng đầu năm 2026"),
    ]  # fmt: skip


def test_plan_b_phan_cong_section_finds_the_unit_inside_each_sentence():
    plan = parse_plan(fixture_text(PLAN_B))
    assert [t for t in tasks_of(plan) if t not in [(x.unit, x.text, x.is_lead, x.deadline_text)
                                                  for x in plan.tasks if x.section_marker == "II."]] == [
        # "X là đơn vị thường trực, tham mưu ..." keeps its wording: the unit is still recognised
        # one sentence each: "; tổng hợp …" and "; báo cáo …" go on after a lower-case word (the convention)
        ("Ban Dân chủ - Pháp luật", "Ban Dân chủ - Pháp luật là đơn vị thường trực, tham mưu Ban Thường trực "
         "xây dựng kế hoạch chi tiết cho từng cuộc giám sát; tổng hợp kết quả, báo cáo Ban Thường trực trước ngày "
         "15/12/2026", True, "trước ngày 15/12/2026"),
        ("Văn phòng Ủy ban MTTQ Việt Nam tỉnh", "Bảo đảm kinh phí, phương tiện phục vụ các cuộc giám sát", True, None),
        (HUYEN, "Xây dựng kế hoạch giám sát ở cấp mình; báo cáo kết quả giám sát về Ban Thường trực Ủy ban MTTQ "
         "Việt Nam tỉnh định kỳ hằng quý", True, "định kỳ hằng quý"),
        ("Các tổ chức thành viên của Mặt trận", "Phối hợp chặt chẽ trong quá trình giám sát, cử cán bộ tham gia "
         "đoàn giám sát khi được mời", False, None),
    ]  # fmt: skip


def test_plan_b_signature_with_kt_line():
    plan = parse_plan(fixture_text(PLAN_B))
    assert plan.signature == {
        "authority": "TM. BAN THƯỜNG TRỰC", "deputy_line": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH",
        "name": "Nguyễn Văn Hùng",
    }  # fmt: skip
    assert plan.recipients[-1] == "Lưu: VT, BDCPL" and len(plan.recipients) == 5
    assert plan.warnings == []


# ---------------------------------------------- (c) Word file: header, task and signature tables


@pytest.fixture(scope="module")
def plan_c():
    return parse_plan(read_plan_file("ke-hoach-27.docx", plan_c_docx()))


def test_docx_tables_come_out_as_documented():
    text = read_plan_file("ke-hoach-27.docx", plan_c_docx())
    lines = text.splitlines()
    # two-column layout tables: row by row, left cell's paragraphs first
    assert lines[:7] == [
        "ỦY BAN MTTQ VIỆT NAM", "TỈNH NINH BÌNH", "BAN THƯỜNG TRỰC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: 27/KH-MTTQ-BTT", "Ninh Bình, ngày 02 tháng 02 năm 2026",
    ]  # fmt: skip
    # wider tables: one "| a | b |" line per row; several paragraphs in a cell are joined by "; "
    assert "| TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |" in lines
    assert any(line.startswith("| 2 |") and "| Ban Tuyên giáo; Ban Phong trào |" in line for line in lines)
    assert lines[-6:] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "", "", "", "Trần Văn Bình"]


def test_docx_header_table_and_title_over_two_paragraphs(plan_c):
    assert (plan_c.number, plan_c.symbol, plan_c.issued_on.isoformat(), plan_c.place) == (
        27, "KH-MTTQ-BTT", "2026-02-02", "Ninh Bình"
    )  # fmt: skip
    assert plan_c.issuer_lines == ["ỦY BAN MTTQ VIỆT NAM", "TỈNH NINH BÌNH", "BAN THƯỜNG TRỰC"]
    assert plan_c.title == (
        "Tổ chức các hoạt động kỷ niệm 96 năm Ngày truyền thống Mặt trận Tổ quốc Việt Nam (18/11/1930 - 18/11/2026)"
    )
    assert [(r.kind, r.number, r.date.isoformat()) for r in plan_c.references] == [
        ("Kế hoạch", "06/KH-MTTW-BTT", "2025-07-22")
    ]


def test_docx_task_table_gives_one_task_per_row(plan_c):
    assert [(t.unit, t.text, t.coordinating, t.deadline_text) for t in plan_c.tasks] == [
        ("Ban Tuyên giáo", "Xây dựng kế hoạch tuyên truyền kỷ niệm 96 năm Ngày truyền thống MTTQ Việt Nam",
         ["Văn phòng"], "Tháng 8/2026"),
        ("Văn phòng Ủy ban MTTQ Việt Nam tỉnh", "Tổ chức gặp mặt các thế hệ cán bộ Mặt trận tỉnh qua các thời kỳ",
         ["Ban Tuyên giáo", "Ban Phong trào"], "Trước ngày 15/11/2026"),
        ("Ban Phong trào", "Hướng dẫn tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư", [HUYEN],
         "Quý III/2026"),
        (HUYEN, "Báo cáo kết quả tổ chức các hoạt động kỷ niệm", [], "Hằng tháng"),
    ]  # fmt: skip


def test_docx_signature_table(plan_c):
    assert plan_c.signature == {"authority": "TM. BAN THƯỜNG TRỰC", "deputy_line": "", "title": "CHỦ TỊCH",
                                "name": "Trần Văn Bình"}  # fmt: skip
    assert plan_c.recipients == [
        "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam", "Thường trực Tỉnh ủy", "Các tổ chức thành viên",
        "Lưu: VT, BTG",
    ]  # fmt: skip
    assert plan_c.warnings == []


# ------------------------------------------------------------------- other shapes of header


def test_a_draft_with_blank_number_and_date_keeps_symbol_and_place():
    plan = parse_plan(
        "ỦY BAN MTTQ VIỆT NAM\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số:      /KH-MTTQ-BTT\tNinh Bình, ngày      tháng      năm 2026\n"
        "KẾ HOẠCH\nTập huấn nghiệp vụ công tác Mặt trận năm 2026\n"
        "I. MỤC ĐÍCH\nII. TỔ CHỨC THỰC HIỆN\n1. Văn phòng\nChuẩn bị tài liệu tập huấn."
    )
    assert (plan.number, plan.symbol, plan.issued_on, plan.place) == (None, "KH-MTTQ-BTT", None, "Ninh Bình")
    assert plan.issuer_lines == ["ỦY BAN MTTQ VIỆT NAM"]
    assert [(t.unit, t.text) for t in plan.tasks] == [("Văn phòng", "Chuẩn bị tài liệu tập huấn")]
    assert plan.warnings == [
        "Không thấy phần “Nơi nhận”.",
        "Không thấy phần chữ ký (ví dụ “TM. BAN THƯỜNG TRỰC”).",
    ]


def test_without_a_ten_loai_line_the_symbol_tells_the_kind():
    cong_van = parse_plan("Số: 123/MTTQ-BTT\nI. NỘI DUNG\nII. TỔ CHỨC THỰC HIỆN")
    assert cong_van.kind == "CV"  # ND30: a Công văn's symbol has no type abbreviation
    assert "Không thấy tên loại văn bản (ví dụ “KẾ HOẠCH”) ở đầu văn bản." in cong_van.warnings
    assert "Văn bản là công văn, không phải kế hoạch." in cong_van.warnings
    body_only = parse_plan("Căn cứ tình hình thực tế,\nI. MỤC ĐÍCH\nII. TỔ CHỨC THỰC HIỆN")
    assert (body_only.kind, body_only.title, body_only.opening) == ("KH", "", "Căn cứ tình hình thực tế,")


def test_a_report_is_read_but_flagged():
    plan = parse_plan("BÁO CÁO\nKết quả công tác tháng 5\nI. KẾT QUẢ\nII. PHƯƠNG HƯỚNG")
    assert plan.kind == "BC" and plan.title == "Kết quả công tác tháng 5"
    assert "Văn bản là báo cáo, không phải kế hoạch." in plan.warnings
    assert plan.tasks == [] and any(
        w.startswith("Không tìm thấy nhiệm vụ nào: văn bản không có mục “Tổ chức thực hiện”") for w in plan.warnings
    )


# ------------------------------------------------------------------------- JSON for the CLI


def test_import_plan_json_is_json_ready_and_matches_units():
    import json

    units = [
        UnitRef(1, "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh", "BTT tỉnh", "btt-tinh"),
        UnitRef(
            9, "Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố", "BTT huyện", "btt-huyen", True
        ),
    ]
    data = import_plan_json(SEED, fixture_bytes(SEED), units=units)
    assert json.loads(json.dumps(data)) == data
    assert data["kind"] == "KH" and data["source"] == {"filename": SEED, "format": "txt"}
    assert [t["unit_id"] for t in data["tasks"]] == [1, 1, 1, 9, 9]
    assert data["unmatched_units"] == []
    assert data["references"][0] == {
        "kind": "Hướng dẫn", "number": "20-HD/BTGTU", "date": "2017-05-03",
        "issuer": "Ban Tuyên giáo Tỉnh ủy Ninh Bình", "text": data["references"][0]["text"],
    }  # fmt: skip
    assert data["signature"]["title"] == "PHÓ CHỦ TỊCH"


def test_import_plan_json_lists_names_matching_no_unit():
    data = import_plan_json(
        PLAN_B, fixture_bytes(PLAN_B), units=[UnitRef(4, "Ban Dân chủ - Pháp luật", "BDCPL")]
    )
    assert data["tasks"][0]["unit_id"] == 4
    assert data["unmatched_units"] == [
        HUYEN,
        "Văn phòng Ủy ban MTTQ Việt Nam tỉnh",
        "Các tổ chức thành viên của Mặt trận",
    ]


# --------------------------------------------------------------------------- refused inputs

RECIPE = """Cách nấu phở bò Nam Định
Nguyên liệu:
- 1 kg xương ống bò;
- 500 g thịt bò thăn.
Cách làm:
1. Rửa sạch xương, chần qua nước sôi.
2. Ninh xương trong 6 tiếng, vớt bọt thường xuyên.
"""


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("ke-hoach.txt", b"", "Tệp rỗng"),
        ("ke-hoach.txt", b"  \r\n\t \n", "Tệp rỗng"),
        ("ke-hoach.txt", "\ufeff".encode("utf-8") + b"\r\n", "Tệp rỗng"),
        ("pho-bo.txt", RECIPE.encode("utf-8"), "Không nhận ra cấu trúc kế hoạch"),
        ("ban-scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "Không đọc được tệp PDF (kể cả bản chụp, bản quét)"),
        ("doi-ten.docx", b"%PDF-1.4\n...", "hãy tải tệp Word (.docx, .doc) hoặc văn bản (.txt)"),
        ("khong-phai-zip.docx", "KẾ HOẠCH\nI. MỤC ĐÍCH".encode(), "không phải tệp Word"),
        ("thieu-document.docx", zip_bytes({"hello.txt": b"xin chao"}), "không phải tệp Word"),
        (
            "xml-hong.docx",
            zip_bytes({"word/document.xml": b"<w:document", "[Content_Types].xml": b"<"}),
            "không phải tệp Word",
        ),
        ("../../etc/passwd.txt", b"KE HOACH", "Tên tệp không hợp lệ"),
        ("..\\ke-hoach.docx", b"PK", "Tên tệp không hợp lệ"),
        ("..", b"x", "Tên tệp không hợp lệ"),
        ("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "tệp Office cũ hoặc được đặt mật khẩu"),
        ("ke-hoach.odt", b"PK\x03\x04", "Chỉ nhận tệp Word (.docx, .doc) hoặc văn bản (.txt)."),
        ("nhi-phan.txt", bytes(range(256)) * 8, "không phải văn bản thuần"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_refused_inputs_say_why_in_vietnamese(filename, data, message):
    with pytest.raises(PlanImportError) as refused:
        import_plan_json(filename, data)
    assert message in refused.value.message


def test_an_upload_over_the_given_limit_is_refused_before_reading():
    with pytest.raises(PlanImportError, match="Tệp quá lớn"):
        read_plan_file("ke-hoach.docx", b"PK" + bytes(2048), max_bytes=1024)


def test_a_50_mb_upload_is_refused_by_the_default_10_mb_limit():
    fifty_mb = bytes(50 * 1024 * 1024)  # zero pages: cheap to make, never parsed
    with pytest.raises(PlanImportError, match=r"Tệp quá lớn \(50,0 MB\); chỉ nhận tệp đến 10,0 MB"):
        read_plan_file("ke-hoach.txt", fifty_mb)
    with pytest.raises(PlanImportError, match="Tệp quá lớn"):
        read_plan_file("ke-hoach.txt", bytes(MAX_UPLOAD_BYTES + 1))


def test_a_zip_bomb_docx_is_refused_from_the_zip_directory_alone():
    too_big = zip_bytes({"word/document.xml": bytes(25 * 1024 * 1024)})  # 25 MB of zeros, ~25 KB packed
    too_compressed = zip_bytes({"word/document.xml": bytes(3 * 1024 * 1024)})  # under 20 MB but ~1000:1
    for data in (too_big, too_compressed):
        assert len(data) < 100_000
        with pytest.raises(PlanImportError, match="nén bất thường"):
            read_plan_file("bom.docx", data)


def test_a_normal_word_file_passes_the_zip_checks():
    assert "KẾ HOẠCH" in read_plan_file("ke-hoach.docx", plan_c_docx())


# --------------------------------------------------------------------------------- properties

PLAN_LINES = st.sampled_from([
    "KẾ HOẠCH", "Số: 05/KH-MTTQ-BTT", "Số:      /KH-MTTQ-BTT", "Ninh Bình, ngày 31 tháng 02 năm 2026",
    "I. MỤC ĐÍCH", "III. TỔ CHỨC THỰC HIỆN", "1. Ban Tuyên giáo", "a) Ban Thường trực Ủy ban MTTQVN tỉnh",
    "- Tổ chức hội nghị; Tuyên truyền (trước ngày 30/6/2026", "+ Trao quà", "Nơi nhận:", "\tTM. BAN THƯỜNG TRỰC",
    "KT. CHỦ TỊCH", "- Lưu", "-", "(đã ký)", "| TT | Nội dung | Đơn vị chủ trì |", "| 1 | | Ban A |", "|",
    "Đơn vị chủ trì: ", "Thực hiện Chỉ thị số 07- CT/TW, ngày 99/99/2017 của", "Trên đây là", "Đề nghị các",
    "Ban", "“", "./.", ":", ";", "",
])  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.text(), st.lists(st.one_of(PLAN_LINES, st.text(max_size=20)), max_size=40).map("\n".join))
)
def test_parse_plan_raises_only_plan_import_error(text):
    try:
        plan = parse_plan(text)
    except PlanImportError as refused:
        assert refused.message
    else:
        plan.to_dict()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.docx", "a.pdf", "a"]))
def test_read_plan_file_raises_only_plan_import_error(data, filename):
    try:
        read_plan_file(filename, data)
    except PlanImportError:
        pass
