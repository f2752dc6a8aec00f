"""A Word file reads as Word shows it: automatic numbers and bullets written before their paragraphs, merged cells
once, text boxes once, tracked changes accepted, the results of fields, no footnotes (domain.plans.word)."""

from __future__ import annotations

import time

import pytest
from word_fixtures import abstract, docx, num, p, run, table

from domain.plans.uploads import read_plan_file

ROMAN_DECIMAL_LETTER_DASH = abstract(1, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"),
                                         ("bullet", "-")])  # fmt: skip


def lines(body: str, **parts) -> list[str]:
    return read_plan_file("ke-hoach.docx", docx(body, **parts)).split("\n")


# ------------------------------------------------------------------------------------------ numbering


def test_automatic_numbers_and_bullets_come_before_the_text_in_the_format_of_their_level():
    body = (p("MỤC ĐÍCH, YÊU CẦU", 1, 0) + p("Ban Tuyên giáo", 1, 1) + p("Đối với cấp xã", 1, 2)
            + p("Tổ chức hội nghị.", 1, 3) + p("Ban Phong trào", 1, 1) + p("TỔ CHỨC THỰC HIỆN", 1, 0))  # fmt: skip
    assert lines(body, numbering=ROMAN_DECIMAL_LETTER_DASH + num(1, 1)) == [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Ban Tuyên giáo", "a) Đối với cấp xã", "- Tổ chức hội nghị.", "2. Ban Phong trào",
        "II. TỔ CHỨC THỰC HIỆN",
    ]  # fmt: skip


def test_a_level_restarts_when_a_higher_level_is_used_again():
    body = p("A", 1, 0) + p("a1", 1, 1) + p("a2", 1, 1) + p("B", 1, 0) + p("b1", 1, 1) + p("b1x", 1, 2)
    assert lines(body, numbering=ROMAN_DECIMAL_LETTER_DASH + num(1, 1)) == [
        "I. A", "1. a1", "2. a2", "II. B", "1. b1", "a) b1x"]


def test_a_level_whose_lvl_restart_is_zero_never_restarts():
    numbering = abstract(1, [("upperRoman", "%1."), ("decimal", "%2.", 1, '<w:lvlRestart w:val="0"/>')]) + num(1, 1)
    assert lines(p("A", 1, 0) + p("x", 1, 1) + p("B", 1, 0) + p("y", 1, 1), numbering=numbering) == [
        "I. A", "1. x", "II. B", "2. y"]


def test_lists_of_one_definition_continue_each_other_unless_one_overrides_the_start():
    numbering = abstract(2, [("decimal", "%1.")]) + num(1, 2) + num(2, 2) + num(3, 2, starts={0: 1})
    body = p("một", 1) + p("hai", 1) + p("chen giữa") + p("ba", 2) + p("lại từ đầu", 3) + p("tiếp", 3)
    assert lines(body, numbering=numbering) == ["1. một", "2. hai", "chen giữa", "3. ba", "1. lại từ đầu", "2. tiếp"]


def test_lists_of_separate_definitions_count_separately_from_their_own_start():
    numbering = (abstract(1, [("upperRoman", "%1.", 4)]) + abstract(2, [("decimal", "%1.")])
                 + abstract(3, [("decimal", "%1.")]) + num(1, 1) + num(2, 2) + num(3, 3))  # fmt: skip
    assert lines(p("HÌNH THỨC", 1) + p("một", 2) + p("khác", 3) + p("TỔ CHỨC", 1), numbering=numbering) == [
        "IV. HÌNH THỨC", "1. một", "1. khác", "V. TỔ CHỨC"]


def test_a_level_text_can_show_the_numbers_of_the_levels_above():
    numbering = abstract(1, [("decimal", "%1.", 3), ("decimal", "%1.%2."), ("lowerRoman", "(%3)")]) + num(1, 1)
    body = p("Ba", 1, 0) + p("ba chấm một", 1, 1) + p("nhỏ", 1, 2) + p("nhỏ nữa", 1, 2)
    assert lines(body, numbering=numbering) == ["3. Ba", "3.1. ba chấm một", "(i) nhỏ", "(ii) nhỏ nữa"]


def test_legal_numbering_shows_every_level_in_decimal():
    numbering = abstract(1, [("upperRoman", "%1."), ("decimal", "%1.%2.", 1, "<w:isLgl/>")]) + num(1, 1)
    assert lines(p("A", 1, 0) + p("B", 1, 0) + p("x", 1, 1), numbering=numbering) == ["I. A", "II. B", "2.1. x"]


def test_a_level_never_used_shows_its_start_in_the_text_of_a_deeper_one():
    numbering = abstract(1, [("upperRoman", "%1."), ("decimal", "%1.%2.")]) + num(1, 1)
    assert lines(p("x", 1, 1), numbering=numbering) == ["I.1. x"]


def test_letters_go_on_past_z_the_way_word_writes_them():
    numbering = abstract(1, [("lowerLetter", "%1)", 26), ("upperLetter", "%2.")]) + num(1, 1)
    assert lines(p("z", 1) + p("aa", 1) + p("A", 1, 1), numbering=numbering) == ["z) z", "aa) aa", "A. A"]


def test_a_paragraph_style_can_number_its_paragraphs():
    styles = ('<w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
              '</w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:basedOn w:val="Heading1"/>'
              '</w:style><w:style w:type="paragraph" w:styleId="Heading3"/>')  # fmt: skip
    linked = abstract(1, [("upperRoman", "%1.", 1, '<w:pStyle w:val="Heading1"/>'),
                          ("decimal", "%2.", 1, '<w:pStyle w:val="Heading2"/>')])  # fmt: skip
    body = (p("MỤC ĐÍCH", style="Heading1") + p("Yêu cầu", style="Heading2") + p("Thường", style="Heading3")
            + p("NỘI DUNG", style="Heading1") + p("Không đánh số", num=0, style="Heading1"))  # fmt: skip
    assert lines(body, numbering=linked + num(1, 1), styles=styles) == [
        "I. MỤC ĐÍCH", "1. Yêu cầu", "Thường", "II. NỘI DUNG", "Không đánh số"]


def test_a_definition_linked_to_a_numbering_style_counts_with_that_styles_list():
    styles = ('<w:style w:type="numbering" w:styleId="KieuDanhSo"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
              "</w:pPr></w:style>")  # fmt: skip
    numbering = (abstract(1, [("upperRoman", "%1.")], '<w:styleLink w:val="KieuDanhSo"/>')
                 + abstract(2, [], '<w:numStyleLink w:val="KieuDanhSo"/>') + num(1, 1) + num(2, 2))  # fmt: skip
    assert lines(p("A", 1) + p("B", 2), numbering=numbering, styles=styles) == ["I. A", "II. B"]


@pytest.mark.parametrize(("text", "font", "shown"), [
    ("\uf0b7", "Symbol", "•"), ("\uf02d", "Symbol", "-"), ("\uf0a7", "Wingdings", "▪"), ("\uf0d8", "Wingdings", "➢"),
    ("-", "Times New Roman", "-"), ("+", "", "+"), ("\uf0fe", "Webdings", "•"),
])  # fmt: skip
def test_a_bullet_is_the_character_word_draws_even_from_a_symbol_font(text, font, shown):
    numbering = abstract(1, [("bullet", text, 1, "", font)]) + num(1, 1)
    assert lines(p("Tổ chức hội nghị.", 1), numbering=numbering) == [f"{shown} Tổ chức hội nghị."]


def test_a_label_followed_by_nothing_touches_the_text_and_a_hidden_label_shows_nothing():
    numbering = (abstract(1, [("decimal", "%1)", 1, '<w:suff w:val="nothing"/>')])
                 + abstract(2, [("decimal", "%1.", 1, "<w:rPr><w:vanish/></w:rPr>")]) + num(1, 1) + num(2, 2))  # fmt: skip
    assert lines(p("liền", 1) + p("ẩn số", 2), numbering=numbering) == ["1)liền", "ẩn số"]


def test_a_start_beyond_what_word_offers_is_read_as_its_highest_start_at_once():
    numbering = (abstract(1, [("upperRoman", "%1.", 10**15)]) + abstract(2, [("lowerLetter", "%1)", -3)])
                 + num(1, 1) + num(2, 2, starts={0: 10**12}))  # fmt: skip
    started = time.perf_counter()
    assert lines(p("A", 1) + p("B", 2), numbering=numbering) == [f"{'M' * 32}DCCLXVII. A", f"{'g' * 1261}) B"]
    assert time.perf_counter() - started < 1


def test_a_numbered_paragraph_without_numbering_definitions_is_just_its_text():
    assert lines(p("Không có numbering.xml", 7)) == ["Không có numbering.xml"]


# ----------------------------------------------------------------------------------------------- tables

TITLES = [p("TT"), p("Nội dung công việc"), p("Đơn vị chủ trì"), p("Thời gian")]


def test_a_cell_spanning_columns_is_written_once_and_keeps_the_columns_of_the_title_row():
    rows = [TITLES, [p("1"), p("Tuyên truyền"), p("Ban Tuyên giáo"), p("Quý I")], [p("Phần chung cho cả hai")]]
    span = {(2, 0): '<w:gridSpan w:val="2"/>'}
    rows[2] += [p("Văn phòng"), p("Tháng 3")]
    assert lines(table(rows, span))[1:] == ["| 1 | Tuyên truyền | Ban Tuyên giáo | Quý I |",
                                            "| Phần chung cho cả hai |  | Văn phòng | Tháng 3 |"]  # fmt: skip


def test_a_cell_merged_down_over_several_rows_is_written_in_every_row_of_a_data_table_it_covers():
    rows = [TITLES, [p("1"), p("Hội nghị"), p("Ban Phong trào"), p("Quý II")], [p("2"), p("Gặp mặt"), "", p("Quý III")],
            [p("3"), p("Tọa đàm"), p(""), p("Quý IV")]]  # fmt: skip
    merged = {(1, 2): '<w:vMerge w:val="restart"/>', (2, 2): "<w:vMerge/>"}
    assert lines(table(rows, merged))[1:] == ["| 1 | Hội nghị | Ban Phong trào | Quý II |",
                                              "| 2 | Gặp mặt | Ban Phong trào | Quý III |",
                                              "| 3 | Tọa đàm |  | Quý IV |"]  # fmt: skip


def test_a_cell_merged_down_in_a_layout_table_is_shown_once():
    rows = [[p("Nơi nhận:"), p("TM. BAN THƯỜNG TRỰC")], ["", p("CHỦ TỊCH")]]
    merged = {(0, 0): '<w:vMerge w:val="restart"/>', (1, 0): "<w:vMerge/>"}
    assert lines(table(rows, merged)) == ["Nơi nhận:", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]


def test_a_signature_table_with_an_empty_spacer_column_is_read_as_layout():
    spacer = table([[p("Nơi nhận:") + p("- Lưu: VT."), p(" "), p("TM. BAN THƯỜNG TRỰC") + p("CHỦ TỊCH")]])
    assert lines(spacer) == ["Nơi nhận:", "- Lưu: VT.", "", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]


def test_a_table_inside_a_cell_is_read_in_its_place():
    inner = table([[p("ỦY BAN MTTQ VIỆT NAM")], [p("XÃ LƯƠNG MINH")]])
    layout = table([[inner + p("Số: 12/KH-MTTQ"), p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]])
    assert lines(layout) == ["ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG MINH", "Số: 12/KH-MTTQ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    data = table([TITLES, [p("1"), p("Việc") + table([[p("Ban A"), p("Ban B")]]), p("Văn phòng"), p("Quý I")]])
    assert lines(data)[1] == "| 1 | Việc; Ban A; Ban B | Văn phòng | Quý I |"


def test_a_row_deleted_with_tracked_changes_is_gone():
    rows = [TITLES, [p("1"), p("Giữ"), p("Ban A"), p("Quý I")], [p("2"), p("Đã xóa"), p("Ban B"), p("Quý II")]]
    xml = table(rows, row_props={2: '<w:del w:id="9" w:author="A"/>'})
    assert lines(xml) == ["| TT | Nội dung công việc | Đơn vị chủ trì | Thời gian |", "| 1 | Giữ | Ban A | Quý I |"]


# ------------------------------------------------------------------------------ text boxes, changes, fields


def _box(content: str) -> str:
    return f"<w:txbxContent>{content}</w:txbxContent>"


def test_a_text_box_stored_twice_is_read_once_before_its_paragraph():
    drawing = (f"<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>{_box(p('ỦY BAN MTTQ'))}"
               "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>")  # fmt: skip
    fallback = f"<w:pict><v:rect><v:textbox>{_box(p('ỦY BAN MTTQ'))}</v:textbox></v:rect></w:pict>"
    shape = (f"<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">{drawing}</mc:Choice>"
             f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>")  # fmt: skip
    assert lines(p("KẾ HOẠCH", inner=shape)) == ["ỦY BAN MTTQ", "KẾ HOẠCH"]
    assert lines(p("", inner=f"<w:r>{fallback}</w:r>")) == ["ỦY BAN MTTQ", ""]  # an old file: VML only


def test_tracked_changes_are_read_accepted():
    body = p("Tổ chức ", inner=(
        '<w:ins w:id="1" w:author="A">' + run("hội nghị") + "</w:ins>"
        '<w:del w:id="2" w:author="A"><w:r><w:delText>tọa đàm</w:delText></w:r></w:del>'
        '<w:moveFrom w:id="3" w:author="A">' + run(" (chuyển đi)") + "</w:moveFrom>"
        '<w:moveTo w:id="4" w:author="A">' + run(" trước ngày 15/01/2026") + "</w:moveTo>"))  # fmt: skip
    assert lines(body) == ["Tổ chức hội nghị trước ngày 15/01/2026"]


def test_a_paragraph_whose_mark_was_deleted_joins_the_next_and_a_deleted_paragraph_is_gone():
    deleted_mark = '<w:pPr><w:rPr><w:del w:id="5" w:author="A"/></w:rPr></w:pPr>'
    joined = f"<w:p>{deleted_mark}{run('Ban Tuyên giáo chủ trì, ')}</w:p>" + p("phối hợp với Văn phòng.")
    gone = f'<w:p>{deleted_mark}<w:del w:id="6" w:author="A"><w:r><w:delText>Bỏ.</w:delText></w:r></w:del></w:p>'
    assert lines(joined + gone + p("Hết.")) == ["Ban Tuyên giáo chủ trì, phối hợp với Văn phòng.", "Hết."]


def test_a_field_shows_its_result_never_its_instruction():
    def field(instruction: str, result: str) -> str:
        return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run(result)
                + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')  # fmt: skip
    nested = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r>'
              + field("MERGEFIELD so", "12") + '<w:r><w:instrText> = 12 "a" "b"</w:instrText></w:r>'
              '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("a") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')  # fmt: skip
    simple = '<w:fldSimple w:instr=" DATE \\@ &quot;dd/MM/yyyy&quot; ">' + run("05/01/2026") + "</w:fldSimple>"
    body = p("Kế hoạch số ", inner=field(" SEQ KeHoach ", "12") + run(", ngày ") + simple + run(" (") + nested + run(")"))
    assert lines(body) == ["Kế hoạch số 12, ngày 05/01/2026 (a)"]


def test_footnotes_stay_out_of_the_text_and_leave_no_mark():
    footnotes = '<w:footnote w:id="1"><w:p><w:r><w:t>Theo Hướng dẫn số 13/HD-MTTQ-BTT.</w:t></w:r></w:p></w:footnote>'
    body = p("Tổ chức hội nghị", inner='<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
             '<w:footnoteReference w:id="1"/></w:r>' + run(" trước ngày 15/01/2026."))  # fmt: skip
    assert lines(body, footnotes=footnotes) == ["Tổ chức hội nghị trước ngày 15/01/2026."]


def test_breaks_tabs_spaces_capitals_and_hidden_text_read_as_word_shows_them():
    body = p("3. Ban Công tác Mặt trận các", inner=(
        "<w:r><w:br/></w:r>" + run("thôn\u00a0\u00a0 ") + "<w:r><w:tab/></w:r>" + run("tổ chức thực hiện", "<w:caps/>")
        + run(" (ghi chú ẩn)", "<w:vanish/>") + run("  xong. ")))  # fmt: skip
    assert lines(body) == ["3. Ban Công tác Mặt trận các", "thôn \tTỔ CHỨC THỰC HIỆN xong."]


def test_a_content_control_is_read_through_but_its_placeholder_prompt_is_not_text():
    filled = f"<w:sdt><w:sdtPr/><w:sdtContent>{p('Ban Tuyên giáo')}</w:sdtContent></w:sdt>"
    prompt = f"<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>{p('Nhập nội dung')}</w:sdtContent></w:sdt>"
    assert lines(filled + prompt + p("Hết.")) == ["Ban Tuyên giáo", "Hết."]


def test_a_strict_open_xml_file_reads_like_a_transitional_one():
    numbering = ROMAN_DECIMAL_LETTER_DASH + num(1, 1)
    data = docx(p("MỤC ĐÍCH", 1), numbering=numbering, namespace="http://purl.oclc.org/ooxml/wordprocessingml/main")
    assert read_plan_file("strict.docx", data) == "I. MỤC ĐÍCH"
