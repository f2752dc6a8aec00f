"""The format checker, rule by rule: the application's own documents pass; each rule has a document that breaks
it (the correct document with one thing changed in python-docx, as a person would in Word) where its finding
appears, with its severity, element and paragraph — and the correct document does not have it."""

from __future__ import annotations

import re
from copy import deepcopy
from pathlib import Path

import pytest
from docx.shared import Pt

from domain.format_check import ELEMENTS, check_docx
from models.choices import ERROR, KINDS, REPORT, WARNING

try:  # tests/ on sys.path (pytest's default) or the project root (python -m pytest)
    import format_check_fixtures as fx
except ImportError:  # pragma: no cover
    from tests import format_check_fixtures as fx

PLAN, CV, REP = "plan", "cv", "report"

# rule id -> (document, breaker, severity)
CASES = {
    "page.size": (PLAN, fx.letter, ERROR),
    "page.orientation": (PLAN, fx.landscape, ERROR),
    "page.margins": (PLAN, fx.margins, ERROR),
    "font.family": (PLAN, fx.font("^I. MỤC ĐÍCH", name="Arial"), ERROR),
    "font.color": (PLAN, fx.font("^I. MỤC ĐÍCH", color="FF0000"), ERROR),
    "text.unicode": (PLAN, fx.nfd, WARNING),
    "page_numbers.first_page": (PLAN, fx.first_page_number, ERROR),
    "page_numbers.missing": (PLAN, fx.no_page_number, ERROR),
    "page_numbers.position": (PLAN, fx.page_number_in_footer, ERROR),
    "page_numbers.align": (PLAN, fx.page_number_left, ERROR),
    "page_numbers.size": (PLAN, fx.page_number_small, ERROR),
    "page_numbers.style": (PLAN, lambda d: fx.fonts(d.sections[0].header.paragraphs[0], bold=True), ERROR),
    "quoc_hieu.missing": (PLAN, fx.text("^CỘNG HÒA", ""), ERROR),
    "quoc_hieu.text": (PLAN, fx.text("^CỘNG HÒA", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), WARNING),
    "quoc_hieu.font": (PLAN, fx.font("^CỘNG HÒA", bold=False), ERROR),
    "quoc_hieu.size": (PLAN, fx.font("^CỘNG HÒA", size=14), ERROR),
    "tieu_ngu.missing": (PLAN, fx.text("^Độc lập", ""), ERROR),
    "tieu_ngu.text": (PLAN, fx.text("^Độc lập", "Độc lập – Tự do – Hạnh phúc"), ERROR),
    "tieu_ngu.font": (PLAN, fx.font("^Độc lập", bold=False), ERROR),
    "tieu_ngu.size": (PLAN, fx.font("^Độc lập", size=12), ERROR),
    "tieu_ngu.size_pair": (PLAN, fx.font("^Độc lập", size=13), ERROR),
    "tieu_ngu.rule": (PLAN, fx.no_border_after("^Độc lập"), ERROR),
    "issuer.missing": (PLAN, lambda d: [fx.set_text(fx.para(d, t), "") for t in ("^ỦY BAN MTTQ", "^TỈNH NINH",
                                                                                 "^BAN THƯỜNG TRỰC$")], ERROR),
    "issuer.chu_quan.font": (PLAN, fx.text("^TỈNH NINH BÌNH$", "Tỉnh Ninh Bình"), ERROR),
    "issuer.chu_quan.size": (PLAN, fx.font("^TỈNH NINH BÌNH$", size=11), ERROR),
    "issuer.font": (PLAN, fx.font("^BAN THƯỜNG TRỰC$", bold=False), ERROR),
    "issuer.size": (PLAN, fx.font("^BAN THƯỜNG TRỰC$", size=14), ERROR),
    "issuer.rule": (PLAN, fx.no_border_after("^BAN THƯỜNG TRỰC$"), ERROR),
    "issuer.rule.length": (PLAN, fx.rule_indents("^BAN THƯỜNG TRỰC$", 0), WARNING),
    "tieu_ngu.rule.length": (PLAN, fx.rule_indents("^Độc lập", 0), WARNING),
    "trich_yeu.rule.length": (PLAN, fx.rule_indents("^Tuyên truyền thực hiện Chỉ thị", 7.8), WARNING),
    "quoc_hieu.fits": (PLAN, fx.narrow_motto_cell, WARNING),
    "number.missing": (PLAN, fx.text("^Số:", ""), ERROR),
    "number.format": (PLAN, fx.text("^Số:", "Số 05/KH-MTTQ-BTT"), ERROR),
    "number.padding": (PLAN, fx.text("^Số:", "Số: 5/KH-MTTQ-BTT"), ERROR),
    "number.symbol": (PLAN, fx.text("^Số:", "Số: 05/kh-mttq-btt"), ERROR),
    "number.abbreviation": (PLAN, fx.text("^Số:", "Số: 05/BC-MTTQ-BTT"), ERROR),
    "number.size": (PLAN, fx.font("^Số:", size=14), ERROR),
    "number.font": (PLAN, fx.font("^Số:", italic=True), ERROR),
    "mark.font": (PLAN, fx.stamp(bold=False), ERROR),
    "mark.size": (PLAN, fx.stamp("HỎA TỐC", size=11), ERROR),
    "mark.box": (PLAN, fx.stamp(boxed=False), WARNING),
    "number.vv.size": (CV, fx.font("^V/v", size=14), ERROR),
    "number.vv.font": (CV, fx.font("^V/v", bold=True), ERROR),
    "place_date.missing": (PLAN, fx.text("^Ninh Bình, ngày", ""), ERROR),
    "place_date.format": (PLAN, fx.text("^Ninh Bình, ngày", "Ninh Bình ngày 01 tháng 5 năm 2026"), ERROR),
    "place_date.padding": (PLAN, fx.text("^Ninh Bình, ngày", "Ninh Bình, ngày 1 tháng 05 năm 2026"), ERROR),
    "place_date.invalid": (PLAN, fx.text("^Ninh Bình, ngày", "Ninh Bình, ngày 30 tháng 02 năm 2026"), ERROR),
    "place_date.place": (PLAN, fx.text("^Ninh Bình, ngày", "ninh Bình, ngày 01 tháng 5 năm 2026"), ERROR),
    "place_date.font": (PLAN, fx.font("^Ninh Bình, ngày", italic=False), ERROR),
    "place_date.size": (PLAN, fx.font("^Ninh Bình, ngày", size=12), ERROR),
    "title.missing": (PLAN, fx.text("^KẾ HOẠCH$", ""), ERROR),
    "title.font": (PLAN, fx.font("^KẾ HOẠCH$", bold=False), ERROR),
    "title.size": (PLAN, fx.font("^KẾ HOẠCH$", size=16), ERROR),
    "title.align": (PLAN, lambda d: setattr(fx.para(d, "^KẾ HOẠCH$"), "alignment", 0), ERROR),
    "trich_yeu.missing": (PLAN, fx.text("^Tuyên truyền thực hiện Chỉ thị", ""), ERROR),
    "trich_yeu.font": (PLAN, fx.text("^Tuyên truyền thực hiện Chỉ thị", "TUYÊN TRUYỀN CHỈ THỊ SỐ 07"), ERROR),
    "trich_yeu.size": (PLAN, fx.font("^Tuyên truyền thực hiện Chỉ thị", size=12), ERROR),
    "trich_yeu.rule": (PLAN, fx.no_border_after("^Tuyên truyền thực hiện Chỉ thị"), ERROR),
    "kinh_gui.size": (CV, fx.font("^Kính gửi:$", size=12), ERROR),
    "kinh_gui.font": (CV, fx.font("^Kính gửi:$", bold=True), ERROR),
    "kinh_gui.form": (CV, fx.text("^- Các tổ chức thành viên.$", "- Các tổ chức thành viên;"), ERROR),
    "body.missing": (PLAN, fx.no_body, ERROR),
    "body.size": (PLAN, fx.font("^I. MỤC ĐÍCH", size=12), ERROR),
    "body.align": (PLAN, lambda d: setattr(fx.para(d, "^Thực hiện Hướng dẫn"), "alignment", 0), ERROR),
    "body.indent": (PLAN, lambda d: setattr(fx.para(d, "^Thực hiện Hướng dẫn").paragraph_format,
                                            "first_line_indent", 0), ERROR),
    "body.paragraph_spacing": (PLAN, lambda d: setattr(fx.para(d, "^I. MỤC ĐÍCH").paragraph_format,
                                                       "space_before", Pt(0)), ERROR),
    "body.line_spacing": (PLAN, lambda d: setattr(fx.para(d, "^I. MỤC ĐÍCH").paragraph_format,
                                                  "line_spacing", 2.0), ERROR),
    "body.heading": (PLAN, fx.font("^I. MỤC ĐÍCH", bold=False), ERROR),
    "body.can_cu": (PLAN, fx.quyet_dinh, ERROR),
    "body.end_mark": (PLAN, fx.text(r"tổng hợp báo cáo\./\.$", "Báo cáo kết quả về Ban Tuyên giáo"), WARNING),
    "signature.missing": (PLAN, lambda d: [fx.set_text(fx.para(d, t), "") for t in ("^TM. BAN", "^PHÓ CHỦ TỊCH$")],
                          ERROR),
    "signature.authority": (PLAN, fx.text("^TM. BAN", "TM BAN THƯỜNG TRỰC"), ERROR),
    "signature.deputy": (PLAN, fx.text("^PHÓ CHỦ TỊCH$", "KT. CHỦ TỊCH"), ERROR),
    "signature.font": (PLAN, fx.font("^PHÓ CHỦ TỊCH$", bold=False), ERROR),
    "signature.size": (PLAN, fx.font("^PHÓ CHỦ TỊCH$", size=12), ERROR),
    "signature.name": (PLAN, fx.text("^Nguyễn Văn An$", ""), ERROR),
    "signature.name.font": (PLAN, fx.text("^Nguyễn Văn An$", "NGUYỄN VĂN AN"), ERROR),
    "signature.name.size": (PLAN, fx.font("^Nguyễn Văn An$", size=12), ERROR),
    "signature.name.title": (PLAN, fx.text("^Nguyễn Văn An$", "TS. Nguyễn Văn An"), ERROR),
    "signature.space": (PLAN, lambda d: setattr(fx.para(d, "^Nguyễn Văn An$").paragraph_format, "space_before",
                                                Pt(6)), WARNING),
    "signature.position": (PLAN, fx.swap_signature_cells, WARNING),
    "noi_nhan.missing": (PLAN, fx.text("^Nơi nhận:$", ""), ERROR),
    "noi_nhan.label.text": (PLAN, fx.text("^Nơi nhận:$", "Nơi nhận"), ERROR),
    "noi_nhan.label.font": (PLAN, fx.font("^Nơi nhận:$", italic=False), ERROR),
    "noi_nhan.label.size": (PLAN, fx.font("^Nơi nhận:$", size=13), ERROR),
    "noi_nhan.entry.size": (PLAN, fx.font("^- Ban Tuyên giáo Tỉnh ủy", size=12), ERROR),
    "noi_nhan.entry.font": (PLAN, fx.font("^- Ban Tuyên giáo Tỉnh ủy", bold=True), ERROR),
    "noi_nhan.entry.form": (PLAN, fx.text("^- Ban Tuyên giáo Tỉnh ủy", "- Ban Tuyên giáo Tỉnh ủy Ninh Bình"), ERROR),
    "noi_nhan.luu.missing": (PLAN, fx.text("^- Lưu:", ""), ERROR),
    "noi_nhan.luu.format": (PLAN, fx.text("^- Lưu:", "- Lưu: MTTQ"), ERROR),
    "noi_nhan.luu.last": (PLAN, lambda d: (fx.set_text(fx.para(d, "^- Lưu:"), "- Ban A;"),
                                           fx.set_text(fx.para(d, "^- Ban Tuyên giáo Tỉnh ủy"), "- Lưu: VT, BTG.")),
                          ERROR),
    "annex.label.size": (REP, fx.font("^Phụ lục$", size=12), ERROR),
    "annex.label.font": (REP, fx.font("^Phụ lục$", bold=False), ERROR),
    "annex.label.case": (REP, fx.text("^Phụ lục$", "PHỤ LỤC"), ERROR),
    "annex.name.font": (REP, fx.font("^KẾT QUẢ TUYÊN TRUYỀN THEO", bold=False), ERROR),
    "annex.name.size": (REP, fx.font("^KẾT QUẢ TUYÊN TRUYỀN THEO", size=12), ERROR),
    "annex.reference": (REP, fx.text(r"^\(Kèm theo", ""), WARNING),
    "annex.reference.font": (REP, fx.font(r"^\(Kèm theo", italic=False), ERROR),
    "annex.page_numbering": (REP, fx.annex_numbering_continues, WARNING),
}


@pytest.mark.parametrize("name", ["plan", "cv", "report"])
def test_the_applications_own_documents_have_no_finding(name):
    report = check_docx(fx.correct(name))
    assert report.findings == []
    assert report.ok and report.kind


def test_a_draft_has_only_its_blanks_and_its_missing_signer():
    report = check_docx(fx.correct("draft"))
    assert {(f.rule, f.severity) for f in report.findings} == {
        ("number.blank", WARNING), ("place_date.blank", WARNING), ("signature.name", ERROR)}


@pytest.mark.parametrize("rule", list(CASES))
def test_each_rule_finds_the_document_that_breaks_it(rule):
    name, breaker, severity = CASES[rule]
    report = check_docx(fx.broken(name, breaker))
    found = [f for f in report.findings if f.rule == rule]
    assert found, [(f.rule, f.message) for f in report.findings]
    assert {f.severity for f in found} == {severity}
    assert all(f.element in ELEMENTS and f.message and f.source for f in found)
    assert not [f for f in check_docx(fx.correct(name)).findings if f.rule == rule]


def test_a_plan_checked_as_a_report_has_the_wrong_tên_loại_and_abbreviation():
    rules = {f.rule for f in check_docx(fx.correct("plan"), kind=REPORT).findings}
    assert {"title.kind", "number.abbreviation"} <= rules


def test_every_rule_of_the_checker_has_a_breaking_document():
    sources = Path(__file__).resolve().parent.parent / "domain" / "format_check"
    written = set()
    for path in sources.glob("*.py"):
        written |= set(re.findall(r'"((?:page|font|text|mark|page_numbers|quoc_hieu|tieu_ngu|issuer|number|place_date|'
                                  r'title|trich_yeu|kinh_gui|body|signature|noi_nhan|annex)\.[a-z_.]+)"',
                                  path.read_text(encoding="utf-8")))
    assert written - set(CASES) - {"number.blank", "place_date.blank", "title.kind"} == set()  # tested above
    assert set(CASES) <= written


def test_a_finding_names_the_paragraph_and_its_text():
    data = fx.broken(PLAN, fx.text("^Số:", "Số: 5/KH-MTTQ-BTT"))
    report = check_docx(data)
    finding = next(f for f in report.findings if f.rule == "number.padding")
    assert report.paragraph_texts[finding.paragraph] == "Số: 5/KH-MTTQ-BTT" == finding.text
    assert finding.expected == "05" and finding.found == "5"
    assert finding.paragraph in report.elements["number"]
    assert report.to_dict()["errors"] == len(report.errors) >= 1
    as_dict = finding.to_dict()
    assert as_dict["severity_label"] == "Lỗi" and as_dict["element_label"] == "Số, ký hiệu"
    groups = report.by_element()
    assert [key for key, _label, _found in groups] == sorted({f.element for f in report.findings},
                                                             key=list(ELEMENTS).index)


@pytest.mark.parametrize("code", sorted(KINDS))
def test_every_kind_the_application_writes_passes(code):
    """docgen's document of each kind (new kinds included as they are added to models.choices.KINDS)."""
    data = fx.build_docx(fx.demo_plan(kind=code))
    errors = [(f.rule, f.message) for f in check_docx(data, kind=code).errors]
    assert errors == []


def test_a_quyet_dinh_centres_its_authority_line_and_decides_without_a_body_finding():
    def breaker(d):
        fx.quyet_dinh(d)
        reference = fx.para(d, "^Căn cứ Điều lệ")
        fx.fonts(reference, italic=True)
        authority = reference.insert_paragraph_before("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM TỈNH NINH BÌNH")
        decides = fx.para(d, "^I. MỤC ĐÍCH").insert_paragraph_before("QUYẾT ĐỊNH:")
        for line in (authority, decides):
            line._p.insert(0, deepcopy(reference._p.pPr))
            line.alignment = 1
            fx.fonts(line, bold=True)

    report = check_docx(fx.broken(PLAN, breaker))
    assert report.kind == "Quyết định"
    assert not [f for f in report.findings if f.rule.startswith("body.")], report.findings


def test_a_bien_ban_has_no_date_line_to_miss():
    def breaker(d):
        fx.set_text(fx.para(d, "^KẾ HOẠCH$"), "BIÊN BẢN")
        fx.set_text(fx.para(d, "^Số:"), "Số: 05/BB-MTTQ-BTT")
        fx.set_text(fx.para(d, "^Ninh Bình, ngày"), "")

    rules = {f.rule for f in check_docx(fx.broken(PLAN, breaker)).findings}
    assert "place_date.missing" not in rules
    assert "place_date.missing" in {f.rule for f in check_docx(fx.broken(PLAN, fx.text("^Ninh Bình, ngày", "")))
                                    .findings}


def test_a_stamp_as_nd30_wants_it_has_no_finding_and_is_no_issuer():
    report = check_docx(fx.broken(PLAN, fx.stamp()))
    assert report.findings == []
    assert report.paragraph_texts[report.elements["issuer"][-1]] == "BAN THƯỜNG TRỰC"
