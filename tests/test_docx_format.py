"""The generated .docx follows Nghị định 30/2020 (spec /work/shared/nd30/format-spec.md), rule by rule.

Each rule is one row of the table below: its id names the rule, its function reads the .docx back
(python-docx and raw XML) and would fail if the rule were broken.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen import DocumentData, Signature, build_docx, suggested_filename
from docgen import settings as S
from docgen.body import is_titled_item, style_and_text
from domain.text.outline import parse

try:  # tests/ on sys.path (pytest's default) or the project root (python -m pytest)
    from docgen_fixtures import (
        NINH_BINH,
        DocxView,
        demo_cong_van,
        demo_draft,
        demo_plan,
        demo_report,
        measure_cm,
        text_of,
        view,
    )
except ImportError:  # pragma: no cover
    from tests.docgen_fixtures import (
        NINH_BINH,
        DocxView,
        demo_cong_van,
        demo_draft,
        demo_plan,
        demo_report,
        measure_cm,
        text_of,
        view,
    )

FONT_SLOTS = ("ascii", "hAnsi", "cs", "eastAsia")
THEME_SLOTS = ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme")  # would override the font
DATE_RE = r"^[A-ZĐ\u00C0-\u1EF9][^,]*, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$"
SO_RE = r"^Số: (0[1-9]|[1-9]\d+)/[A-ZĐ][A-Za-zĐđ]*(-[A-ZĐ0-9][A-Za-zĐđ0-9]*)+$"
SO_CONG_VAN_RE = (
    r"^Số: (0[1-9]|[1-9]\d+)/[A-ZĐ][A-Za-zĐđ]*(-[A-ZĐ0-9][A-Za-zĐđ0-9]*)*$"  # no type abbreviation
)


@pytest.fixture(scope="module")
def docs() -> dict[str, DocxView]:
    return {
        "plan": view(demo_plan()),
        "plan_07": view(demo_plan(number=7)),
        "draft": view(demo_draft()),
        "cv": view(demo_cong_van()),
        "report": view(demo_report()),
    }


RULES: dict[str, tuple[str, object]] = {}


def rule(rule_id: str, doc: str = "plan"):
    """Register a check as one row of the rule table."""

    def register(check):
        RULES[rule_id] = (doc, check)
        return check

    return register


def header(d: DocxView):
    return d.tables()[0]


def header_cells(d: DocxView):
    name, motto, number, when = d.cells(header(d))
    return name, motto, number, when


def inner_width(d: DocxView, tc) -> float:
    return d.cell_width_cm(tc) - d.cell_margin_cm(tc, "left") - d.cell_margin_cm(tc, "right")


def signature_cells(d: DocxView):
    table = next(t for t in d.tables() if "Nơi nhận:" in text_of(t))
    return d.cells(table)


# --- §1 page -------------------------------------------------------------------------------------


@rule("page.a4")
def _(d):
    size = d.root.find(f".//{qn('w:sectPr')}/{qn('w:pgSz')}")
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")


@rule("page.portrait")
def _(d):
    section = d.document.sections[0]
    assert section.page_height > section.page_width


for _side, _mm in (("top", 20), ("bottom", 20), ("left", 30), ("right", 15)):

    def _check(d, side=_side, mm=_mm):
        value = getattr(d.document.sections[0], f"{side}_margin")
        assert abs(value.mm - mm) < 0.1

    rule(f"margins.{_side}_{_mm}mm")(_check)


@rule("margins.within_legal_ranges")
def _(d):
    s = d.document.sections[0]
    assert 20 <= round(s.top_margin.mm) <= 25 and 20 <= round(s.bottom_margin.mm) <= 25
    assert 30 <= round(s.left_margin.mm) <= 35 and 15 <= round(s.right_margin.mm) <= 20


@rule("font.every_style_times_new_roman_all_slots")
def _(d):
    for style_id, style in d.styles.items():
        fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None, style_id
        assert [fonts.get(qn(f"w:{s}")) for s in FONT_SLOTS] == [S.FONT] * 4, style_id
    defaults = d.rpr_default.find(qn("w:rFonts"))
    assert [defaults.get(qn(f"w:{s}")) for s in FONT_SLOTS] == [S.FONT] * 4


@rule("font.every_run_times_new_roman_all_slots")
def _(d):
    parts = [d.root] + [d.xml(n) for n in d.zip.namelist() if re.match(r"word/header\d*\.xml", n)]
    runs = 0
    for part in parts:
        for p in part.iter(qn("w:p")):
            for r in p.iter(qn("w:r")):
                runs += 1
                for slot in FONT_SLOTS:
                    assert d.rattr(p, "rFonts", slot, r=r) == S.FONT
                for slot in THEME_SLOTS:
                    assert d.rattr(p, "rFonts", slot, r=r) == "__absent__"
    assert runs > 40


@rule("font.black")
def _(d):
    for part in (d.root, d.styles_root):
        for color in part.iter(qn("w:color")):
            assert color.get(qn("w:val")) == "000000"
            assert color.get(qn("w:themeColor")) is None
    assert d.rattr(d.body_paragraphs()[0], "color") == "000000"


@rule("text.nfc")
def _(d):
    assert all(unicodedata.is_normalized("NFC", t.text or "") for t in d.root.iter(qn("w:t")))


@rule("styles.one_named_style_per_element")
def _(d):
    names = {s.find(qn("w:name")).get(qn("w:val")) for s in d.styles.values()}
    for spec in S.STYLES:
        assert spec.name in names
    for expected in ("VB Quốc hiệu", "VB Tiêu ngữ", "VB Cơ quan chủ quản", "VB Nơi nhận", "VB Số trang"):
        assert expected in names
    used = {d.style(p) for p in d.paragraphs()}
    assert used <= set(d.styles), used - set(d.styles)


# --- §2 header table, rows 1–8 ------------------------------------------------------------------


@rule("header_table.no_borders_fixed_widths_in_tcW_and_tblGrid")
def _(d):
    for table in (header(d), d.tables()[-1]):
        pr = table.find(qn("w:tblPr"))
        assert pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        borders = pr.find(qn("w:tblBorders"))
        assert {b.get(qn("w:val")) for b in borders} == {"nil"} and len(borders) == 6
    grid = [int(c.get(qn("w:w"))) for c in header(d).find(qn("w:tblGrid"))]
    assert grid == [round(6.0 * 1440 / 2.54), round(10.5 * 1440 / 2.54)]
    for tr in d.rows(header(d)):
        assert [
            int(tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w"))) for tc in tr.findall(qn("w:tc"))
        ] == grid


@rule("header_table.fits_content_width")
def _(d):
    assert abs(sum(d.cell_width_cm(tc) for tc in header_cells(d)[:2]) - S.CONTENT_WIDTH_CM) < 0.01


@rule("quoc_hieu.bold_caps_13")
def _(d):
    p = d.find("^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$", header_cells(d)[1])
    assert d.bold(p) and not d.italic(p) and d.size(p) == 13 and d.align(p) == "center"
    assert text_of(p) == text_of(p).upper()


@rule("quoc_hieu.fits_on_one_line")
def _(d):
    p = d.find("^CỘNG HÒA", header_cells(d)[1])
    assert measure_cm(text_of(p), d.size(p), bold=True) < inner_width(d, header_cells(d)[1])


@rule("tieu_ngu.exact_text_and_bold_14")
def _(d):
    p = d.find("^Độc lập", header_cells(d)[1])
    assert text_of(p) == "Độc lập - Tự do - Hạnh phúc"
    assert d.bold(p) and d.size(p) == 14 and d.align(p) == "center"


@rule("tieu_ngu.directly_under_quoc_hieu_single_spaced")
def _(d):
    p = d.find("^Độc lập", header_cells(d)[1])
    assert text_of(p.getprevious()).startswith("CỘNG HÒA")
    for q in (p, p.getprevious()):
        assert d.spacing_pt(q, "before") == 0 and d.spacing_pt(q, "after") == 0
        assert d.pattr(q, "spacing", "line") in (None, "240")


@rule("tieu_ngu.rule_length_equals_text")
def _(d):
    cell = header_cells(d)[1]
    p = d.find("^Độc lập", cell)
    line = d.rule_after(p)
    assert line is not None
    expected = measure_cm(text_of(p), d.size(p), bold=True)
    assert abs(d.rule_length_cm(line, inner_width(d, cell)) - expected) < 0.1


@rule("rules.solid_single_line_centred")
def _(d):
    rules = [p for p in d.paragraphs() if d.pattr(p, "pBdr") is not None]
    assert len(rules) == 3  # issuer, Tiêu ngữ, trích yếu
    for p in rules:
        bottom = d.pattr(p, "pBdr").find(qn("w:bottom"))
        assert bottom.get(qn("w:val")) == "single" and not text_of(p)
        assert abs(d.indent_cm(p, "left") - d.indent_cm(p, "right")) < 0.01


@rule("chu_quan.caps_not_bold_13")
def _(d):
    name_cell = header_cells(d)[0]
    for text in NINH_BINH.parent_lines:
        p = d.find(f"^{text}$", name_cell)
        assert not d.bold(p) and d.size(p) == 13 and d.align(p) == "center" and text == text.upper()


@rule("issuer.caps_bold_13_under_chu_quan")
def _(d):
    name_cell = header_cells(d)[0]
    p = d.find("^BAN THƯỜNG TRỰC$", name_cell)
    assert d.bold(p) and d.size(p) == 13 and d.align(p) == "center"
    assert text_of(p.getprevious()) == "TỈNH NINH BÌNH"


@rule("issuer.rule_one_third_to_half")
def _(d):
    cell = header_cells(d)[0]
    p = d.find("^BAN THƯỜNG TRỰC$", cell)
    ratio = d.rule_length_cm(d.rule_after(p), inner_width(d, cell)) / measure_cm(text_of(p), 13, bold=True)
    assert 1 / 3 <= ratio <= 1 / 2


@rule("so.regex_13pt_not_italic")
def _(d):
    p = d.find("^Số:", header_cells(d)[2])
    assert re.match(SO_RE, text_of(p)), text_of(p)
    assert text_of(p) == "Số: 05/KH-MTTQ-BTT"
    assert d.size(p) == 13 and not d.italic(p) and not d.bold(p) and d.align(p) == "center"


@rule("so.number_padded_below_10", doc="plan_07")
def _(d):
    assert text_of(d.find("^Số:")) == "Số: 07/KH-MTTQ-BTT"


@rule("date.regex_italic_14")
def _(d):
    p = d.find("^Ninh Bình, ngày", header_cells(d)[3])
    assert re.match(DATE_RE, text_of(p)), text_of(p)
    assert text_of(p) == "Ninh Bình, ngày 01 tháng 5 năm 2026"
    assert d.italic(p) and not d.bold(p) and d.size(p) == 14


@rule("date.centred_under_quoc_hieu")
def _(d):
    _, motto, _, when = header_cells(d)
    assert d.align(d.find("^Ninh Bình", when)) == "center"
    assert d.cell_width_cm(when) == d.cell_width_cm(motto)


@rule("so_and_date.same_visual_line")
def _(d):
    row_two = d.rows(header(d))[1]
    number, when = row_two.findall(qn("w:tc"))
    first_number, first_date = d.paragraphs(number)[0], d.paragraphs(when)[0]
    assert text_of(first_number).startswith("Số:") and text_of(first_date).startswith("Ninh Bình,")
    assert d.spacing_pt(first_number, "before") == d.spacing_pt(first_date, "before")


# --- title block, rows 9–11 ---------------------------------------------------------------------


@rule("title.caps_bold_centered_14")
def _(d):
    p = d.find("^KẾ HOẠCH$")
    assert p.getparent() is d.body and d.bold(p) and d.size(p) == 14 and d.align(p) == "center"
    assert d.body.index(p) > d.body.index(header(d))


@rule("trich_yeu.bold_centered_14_under_title")
def _(d):
    p = d.find("^Tuyên truyền thực hiện Chỉ thị số 07-CT/TW")
    assert text_of(p.getprevious()) == "KẾ HOẠCH"
    assert d.bold(p) and d.size(p) == 14 and d.align(p) == "center" and not d.italic(p)


@rule("trich_yeu.bold_centered_rule")
def _(d):
    p = d.find("^Tuyên truyền thực hiện Chỉ thị số 07-CT/TW")
    line = d.rule_after(p)
    length = d.rule_length_cm(line, S.CONTENT_WIDTH_CM)
    longest_line = min(measure_cm(text_of(p), 14, bold=True), S.CONTENT_WIDTH_CM)
    assert 1 / 3 <= length / longest_line <= 1 / 2
    assert d.align(line) == "center"


# --- body, rows 13–21 ---------------------------------------------------------------------------


@rule("body.justified_indent_1_27cm")
def _(d):
    for p in d.body_paragraphs():
        assert d.align(p) == "both", text_of(p)[:40]
        assert d.pattr(p, "ind", "firstLine") in ("567", "720")


@rule("body.size_14_upright")
def _(d):
    for p in d.body_paragraphs():
        assert d.size(p) == 14 and not d.italic(p)


@rule("body.spacing_at_least_6pt")
def _(d):
    paragraphs = d.body_paragraphs()
    for prev, nxt in zip(paragraphs, paragraphs[1:], strict=False):
        assert d.spacing_pt(prev, "after") + d.spacing_pt(nxt, "before") >= 6


@rule("body.line_spacing_1_to_1_5")
def _(d):
    for p in d.body_paragraphs():
        rule_ = d.pattr(p, "spacing", "lineRule") or "auto"
        line = int(d.pattr(p, "spacing", "line") or 240)
        if rule_ == "auto":
            assert 240 <= line <= 360
        else:
            assert 16.1 * 20 <= line <= 24.2 * 20


@rule("body.ends_with_./.")
def _(d):
    last = d.body_paragraphs()[-1]
    assert text_of(last).endswith("để tổng hợp báo cáo./.")
    assert not text_of(last).endswith("./../.")


@rule("body.follows_the_outline_in_order")
def _(d):
    texts = [text_of(p) for p in d.body_paragraphs()]
    assert texts[0].startswith("Thực hiện Hướng dẫn số 20-HD/BTGTU")
    headings = [t for t in texts if re.match(r"^(I|II|III)\. ", t)]
    assert headings == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG TUYÊN TRUYỀN", "III. TỔ CHỨC THỰC HIỆN"]
    assert len(texts) == 1 + 23


@rule("references.body_paragraphs_before_the_outline")
def _(d):
    p = d.body_paragraphs()[0]
    assert d.style(p) == "VBCanCu" and d.italic(p) is S.CAN_CU_ITALIC
    assert text_of(p.getnext()).startswith("I. MỤC ĐÍCH")


@rule("muc.caps_bold_14")
def _(d):
    for p in d.body_paragraphs():
        if re.match(r"^[IVX]+\. ", text_of(p)):
            assert d.bold(p) and d.size(p) == 14 and text_of(p) == text_of(p).upper()
            assert d.pattr(p, "keepNext") is not None


@rule("khoan.titled_bold_untitled_regular")
def _(d):
    titled = d.find("^1. Ban Thường trực Ủy ban MTTQVN tỉnh$")
    untitled = d.find("^1. Tuyên truyền, làm rõ vị trí")
    assert d.bold(titled) and not d.bold(untitled)


@rule("diem_dash_plus.regular_upright")
def _(d):
    for pattern in (r"^- Tuyên truyền sâu rộng", r"^\+ Phát huy sức mạnh", r"^Tổ chức học tập quán triệt"):
        p = d.find(pattern)
        assert not d.bold(p) and not d.italic(p) and d.size(p) == 14


# --- signature and Nơi nhận, rows 22–29 ---------------------------------------------------------


@rule("signature.table_no_borders_cantsplit")
def _(d):
    table = next(t for t in d.tables() if "Nơi nhận:" in text_of(t))
    assert table is d.tables()[-1]
    pr = table.find(qn("w:tblPr"))
    assert {b.get(qn("w:val")) for b in pr.find(qn("w:tblBorders"))} == {"nil"}
    assert pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    for tr in d.rows(table):
        assert tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    assert d.pattr(d.body_paragraphs()[-1], "keepNext") is not None


@rule("signature.authority_and_title_caps_bold_14_centred")
def _(d):
    _, right = signature_cells(d)
    texts = [text_of(p) for p in d.paragraphs(right)]
    assert texts[:2] == ["TM. BAN THƯỜNG TRỰC", "PHÓ CHỦ TỊCH"]
    for p in d.paragraphs(right)[:2]:
        assert d.bold(p) and d.size(p) == 14 and d.align(p) == "center"


@rule("signature.name_bold_14_after_signing_space")
def _(d):
    _, right = signature_cells(d)
    name = d.paragraphs(right)[-1]
    assert text_of(name) == "Nguyễn Văn An"
    assert d.bold(name) and d.size(name) == 14 and d.align(name) == "center"
    assert d.spacing_pt(name, "before") >= 60  # about 25 mm for signature and seal


@rule("signature.level_with_noi_nhan")
def _(d):
    left, right = signature_cells(d)
    label, authority = d.paragraphs(left)[0], d.paragraphs(right)[0]
    assert text_of(label) == "Nơi nhận:" and text_of(authority) == "TM. BAN THƯỜNG TRỰC"
    assert d.spacing_pt(label, "before") == d.spacing_pt(authority, "before")


@rule("signature.deputy_three_lines", doc="cv")
def _(d):
    _, right = signature_cells(d)
    assert [text_of(p) for p in d.paragraphs(right)] == [
        "TM. BAN THƯỜNG TRỰC",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Thị Bình",
    ]


@rule("noi_nhan.label_12_bold_italic")
def _(d):
    left, _ = signature_cells(d)
    label = d.paragraphs(left)[0]
    assert text_of(label) == "Nơi nhận:"
    assert d.size(label) == 12 and d.bold(label) and d.italic(label) and d.align(label) == "left"


@rule("noi_nhan.entries_11_dash_semicolon_last_luu_dot")
def _(d):
    left, _ = signature_cells(d)
    entries = d.paragraphs(left)[1:]
    texts = [text_of(p) for p in entries]
    assert texts == [
        "- Ban Tuyên giáo Ủy ban Trung ương MTTQVN;",
        "- Ban Tuyên giáo Tỉnh ủy Ninh Bình;",
        "- Ban Thường trực Ủy ban MTTQVN tỉnh;",
        "- Ban Thường trực UBMTTQVN các huyện, thành phố;",
        "- Lưu: VT, BTG.",
    ]
    for p in entries:
        assert d.size(p) == 11 and not d.bold(p) and not d.italic(p) and d.align(p) == "left"


# --- page numbers, row 31 -----------------------------------------------------------------------


@rule("page_numbers.header_page_field_titlepg_empty_first")
def _(d):
    section = d.document.sections[0]
    sect = section._sectPr
    assert sect.find(qn("w:titlePg")) is not None
    refs = {ref.get(qn("w:type")): ref.get(qn("r:id")) for ref in sect.findall(qn("w:headerReference"))}
    assert set(refs) >= {"default", "first"}
    default = section.header._element
    first = section.first_page_header._element
    assert "PAGE" in "".join(t.text or "" for t in default.iter(qn("w:instrText")))
    assert first.find(f".//{qn('w:instrText')}") is None and not text_of(first).strip()
    assert sect.find(qn("w:pgNumType")) is None or sect.find(qn("w:pgNumType")).get(qn("w:start")) in (
        None,
        "1",
    )


@rule("page_numbers.centred_14_upright")
def _(d):
    p = d.document.sections[0].header._element.find(qn("w:p"))
    assert d.align(p) == "center" and d.size(p) == 14 and not d.bold(p) and not d.italic(p)


@rule("page.header_inside_top_margin")
def _(d):
    section = d.document.sections[0]
    assert section.header_distance < section.top_margin


# --- drafts, Công văn, annexes ------------------------------------------------------------------


@rule("draft.blank_number_and_date", doc="draft")
def _(d):
    assert text_of(d.find("^Số:")) == "Số:      /KH-MTTQ-BTT"
    assert text_of(d.find("^Ninh Bình, ngày")) == "Ninh Bình, ngày      tháng      năm 2026"
    for t in d.root.iter(qn("w:t")):
        if "      " in (t.text or ""):
            assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


@rule("draft.signing_space_kept_without_name", doc="draft")
def _(d):
    _, right = signature_cells(d)
    name = d.paragraphs(right)[-1]
    assert text_of(name) == "" and d.spacing_pt(name, "before") >= 60


@rule("congvan.vv_and_kinh_gui_nhu_tren", doc="cv")
def _(d):
    _, _, number_cell, _ = header_cells(d)
    vv = d.find("^V/v ", number_cell)
    assert text_of(vv) == "V/v tổ chức Hội nghị tổng kết công tác Mặt trận năm 2025"
    assert d.size(vv) == 13 and not d.bold(vv) and d.spacing_pt(vv, "before") == 6 and d.align(vv) == "center"
    label = d.find("^Kính gửi:$")
    assert label.getparent() is d.body and d.size(label) == 14 and not d.bold(label)
    first, last = label.getnext(), label.getnext().getnext()
    assert text_of(first) == "- Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố;"
    assert text_of(last) == "- Các tổ chức thành viên."
    assert d.indent_cm(first, "left") > d.indent_cm(label, "left")
    left, _ = signature_cells(d)
    assert [text_of(p) for p in d.paragraphs(left)][1:] == [
        "- Như trên;",
        "- Ban Tuyên giáo Tỉnh ủy Ninh Bình;",
        "- Lưu: VT, BTG.",
    ]


@rule("congvan.number_without_type_and_no_ten_loai", doc="cv")
def _(d):
    assert text_of(d.find("^Số:")) == "Số: 123/MTTQ-BTT"
    assert re.match(SO_CONG_VAN_RE, "Số: 123/MTTQ-BTT")
    assert not any(text_of(p) in ("KẾ HOẠCH", "CÔNG VĂN") for p in d.paragraphs())
    assert text_of(d.find("^Ninh Bình, ngày")) == "Ninh Bình, ngày 03 tháng 02 năm 2026"
    assert text_of(d.body_paragraphs()[-1]).endswith("Cử đại biểu dự Hội nghị./.")


@rule("diem.vietnamese_letters_regular_upright", doc="report")
def _(d):
    for pattern in (r"^a\) Đã tổ chức 120 buổi;$", r"^b\) Đã phát 8.500 tờ rơi.$"):
        p = d.find(pattern)
        assert d.style(p) == "VBNoiDung" and not d.bold(p) and not d.italic(p) and d.size(p) == 14
        assert d.align(p) == "both"


@rule("kinh_gui.one_recipient_on_one_centred_line", doc="report")
def _(d):
    p = d.find("^Kính gửi:")
    assert text_of(p) == "Kính gửi: Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam"
    assert d.align(p) == "center" and d.size(p) == 14 and not d.bold(p) and not d.italic(p)
    assert d.body.index(p) > d.body.index(d.find("^Kết quả tuyên truyền Chỉ thị"))
    assert d.body.index(p) < d.body.index(d.find("^I. KẾT QUẢ$"))


@rule("noi_nhan.upward_report_nhu_tren_and_luu_with_drafter", doc="report")
def _(d):
    left, _ = signature_cells(d)
    assert [text_of(p) for p in d.paragraphs(left)] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Ban Tuyên giáo Tỉnh ủy Ninh Bình;",
        "- Lưu: VT, BTG. NVA(05).",
    ]


@rule("report.title_bao_cao", doc="report")
def _(d):
    assert d.find("^BÁO CÁO$") is not None
    assert text_of(d.find("^Số:")) == "Số: 12/BC-MTTQ-BTT"


@rule("annex.landscape_section_numbering_restarts", doc="report")
def _(d):
    first, annex = d.document.sections
    assert first.page_width < first.page_height and annex.page_width > annex.page_height
    sect = annex._sectPr
    assert sect.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert sect.find(qn("w:titlePg")) is not None
    assert annex.header.is_linked_to_previous  # inherits the page-number header


@rule("annex.title_lines", doc="report")
def _(d):
    label = d.find("^Phụ lục$")
    name = label.getnext()
    ref = name.getnext()
    assert d.bold(label) and d.size(label) == 14 and d.align(label) == "center"
    assert text_of(name) == "KẾT QUẢ TUYÊN TRUYỀN THEO ĐƠN VỊ" and d.bold(name)
    assert text_of(ref) == (
        "(Kèm theo Báo cáo số 12/BC-MTTQ-BTT ngày 03 tháng 02 năm 2026 của Ban Thường trực "
        "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình)"
    )
    assert d.italic(ref) and d.align(ref) == "center"


@rule("annex.table_header_repeats_numbers_vietnamese_total_bold", doc="report")
def _(d):
    table = d.tables()[-1]
    rows = d.rows(table)
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert [text_of(tc) for tc in rows[1].findall(qn("w:tc"))] == ["1", "Xã 1", "10", "8.501", "0,6"]
    total = rows[-1].findall(qn("w:tc"))
    assert [text_of(tc) for tc in total] == ["", "Tổng cộng", "8.200", "341.820", "12,5"]
    assert all(d.bold(p) for tc in total for p in d.paragraphs(tc) if text_of(p))
    borders = table.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    assert len(table.find(qn("w:tblGrid"))) == 5


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule(rule_id, docs):
    doc, check = RULES[rule_id]
    check(docs[doc])


def test_the_rule_table_covers_every_element_of_the_spec():
    prefixes = {r.split(".")[0] for r in RULES}
    assert prefixes >= {
        "page", "margins", "font", "quoc_hieu", "tieu_ngu", "chu_quan", "issuer", "so", "date", "title",
        "trich_yeu", "body", "references", "muc", "khoan", "diem_dash_plus", "signature", "noi_nhan",
        "page_numbers", "draft", "congvan", "annex", "header_table", "diem", "kinh_gui",
    }  # fmt: skip


# --- file names, bad input ----------------------------------------------------------------------


def test_suggested_filename_is_ascii():
    assert suggested_filename(demo_plan()) == "KH-05-2026-05-01.docx"
    assert suggested_filename(demo_draft()) == "KH-du-thao.docx"
    assert suggested_filename(demo_cong_van()) == "CV-123-2026-02-03.docx"


def test_unknown_kind_is_refused():
    with pytest.raises(KeyError):
        build_docx(demo_plan(kind="XX"))


def _reopen(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def test_bad_input_still_gives_a_docx_with_the_literal_text():
    long_line = "Mặt trận " * 600  # over 5,000 characters
    decomposed = unicodedata.normalize("NFD", "Tổ chức thực hiện")
    data = demo_plan(
        title="Kế\thoạch\u00a0<script>alert('x')</script> & \x07chuông",
        body=f"I. {decomposed}\r\n1.\tKhoản\x00 có ký tự lạ\x1b\n- {long_line}\n<b>không phải HTML</b>",
        references=["Căn cứ\u200b “Điều lệ” & <Luật>;\x0c"],
        recipients=["<script>", "- Ban A;", "Lưu: VT"],
        signature=Signature("TM. BAN\u00a0THƯỜNG TRỰC", "", "phó chủ tịch", "Nguyễn\tVăn\x00 An"),
    )
    text = _reopen(build_docx(data))
    assert "Kế hoạch <script>alert('x')</script> & chuông" in text
    assert "I. TỔ CHỨC THỰC HIỆN" in text  # composed, upper-cased heading
    assert "1. Khoản có ký tự lạ" in text
    assert long_line.strip() in text
    assert "<b>không phải HTML</b>./." in text
    assert "Căn cứ “Điều lệ” & <Luật>;" in text
    assert "- <script>;" in text and "- Ban A;" in text and "- Lưu: VT, BTG." in text
    assert text.count("Lưu:") == 1
    assert "PHÓ CHỦ TỊCH" in text and "Nguyễn Văn An" in text
    assert unicodedata.is_normalized("NFC", text)


def test_empty_document_still_builds():
    data = DocumentData(
        kind="KH",
        issuer=NINH_BINH,
        title="",
        body="",
        references=[],
        signature=Signature("", "", "", ""),
        recipients=[],
    )
    text = _reopen(build_docx(data))
    assert "KẾ HOẠCH" in text and "- Lưu: VT, BTG." in text


def test_same_data_gives_the_same_bytes():
    assert build_docx(demo_plan()) == build_docx(demo_plan())


def test_end_mark_is_not_doubled_and_replaces_a_final_semicolon():
    for body, last in [
        ("Trên đây là Kế hoạch./.", "Trên đây là Kế hoạch./."),
        ("Trên đây là Kế hoạch.", "Trên đây là Kế hoạch./."),
        ("Trên đây là Kế hoạch;", "Trên đây là Kế hoạch./."),
        ("Trên đây là Kế hoạch", "Trên đây là Kế hoạch./."),
    ]:
        d = DocxView(build_docx(demo_plan(body=body)))
        assert text_of(d.body_paragraphs()[-1]) == last


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(max_size=200), body=st.text(max_size=400), name=st.text(max_size=40))
def test_any_text_gives_a_docx_that_python_docx_reopens(title, body, name):
    data = demo_plan(
        title=title,
        body=body,
        signature=Signature("TM. BAN THƯỜNG TRỰC", "", "PHÓ CHỦ TỊCH", name),
        issued_on=date(2026, 1, 9),
    )
    assert "Ninh Bình, ngày 09 tháng 01 năm 2026" in _reopen(build_docx(data))


@pytest.mark.parametrize(
    ("text", "titled"),
    [
        ("1. Mục đích\n- a", True),
        ("1. Ban Thường trực Ủy ban MTTQVN tỉnh\nTổ chức học tập.", True),
        ("1. Mục đích", False),  # heads nothing: a khoản without a title
        ("1. Tuyên truyền, làm rõ vị trí, trong đó cần tập trung làm rõ:\n- a", False),
        ("1. Gửi báo cáo trước ngày 10/12/2025.\n- a", False),
        ("1. " + "Rất dài " * 20 + "\n- a", False),
    ],
)
def test_item_is_bold_only_when_it_is_a_title(text, titled):
    item = parse(text).blocks[0]
    assert is_titled_item(item) is titled
    assert style_and_text(item)[0] == ("VBKhoan" if titled else "VBNoiDung")


def test_section_heading_is_upper_cased_and_pasted_dashes_print_as_hyphen():
    section, dash, bullet = parse("I. Mục đích\n– gạch dài\n• chấm").walk()
    assert style_and_text(section) == ("VBMuc", "I. MỤC ĐÍCH")
    assert style_and_text(dash) == ("VBNoiDung", "- gạch dài")
    assert style_and_text(bullet) == ("VBNoiDung", "- chấm")


def test_a_last_item_with_the_end_mark_is_not_bold():
    d = DocxView(build_docx(demo_cong_van()))
    last = d.body_paragraphs()[-1]
    assert text_of(last) == "2. Cử đại biểu dự Hội nghị./." and not d.bold(last)
