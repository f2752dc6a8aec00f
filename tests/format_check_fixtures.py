"""Documents for the format checker's tests: the application's own correct documents (docgen), and the same with
one thing broken through python-docx, as a person would break it in Word."""

from __future__ import annotations

import io
import re
import unicodedata

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from docgen import build_docx

try:  # tests/ on sys.path (pytest's default) or the project root (python -m pytest)
    from docgen_fixtures import demo_cong_van, demo_draft, demo_plan, demo_report
except ImportError:  # pragma: no cover
    from tests.docgen_fixtures import demo_cong_van, demo_draft, demo_plan, demo_report

__all__ = ["build_docx", "demo_cong_van", "demo_draft", "demo_plan", "demo_report"]

FACTORIES = {"plan": demo_plan, "cv": demo_cong_van, "report": demo_report, "draft": demo_draft}
_CACHE: dict[str, bytes] = {}


def correct(name: str) -> bytes:
    if name not in _CACHE:
        _CACHE[name] = build_docx(FACTORIES[name]())
    return _CACHE[name]


def broken(name: str, breaker) -> bytes:
    document = Document(io.BytesIO(correct(name)))
    breaker(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraphs(document) -> list[Paragraph]:
    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def para(document, pattern: str) -> Paragraph:
    return next(p for p in paragraphs(document) if re.search(pattern, p.text))


def set_text(p: Paragraph, text: str) -> None:
    runs = p.runs
    if not runs:
        p.add_run(text)
        return
    runs[0].text = text
    for r in runs[1:]:
        r._r.getparent().remove(r._r)


def fonts(p: Paragraph, **attrs) -> None:
    """Direct run formatting on every run: bold=, italic=, size= (pt), name=, color= (RGB)."""
    for r in p.runs:
        for key, value in attrs.items():
            if key == "size":
                r.font.size = Pt(value)
            elif key == "color":
                r.font.color.rgb = RGBColor.from_string(value)
            elif key == "name":
                r.font.name = value
                r._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"), value)
            else:
                setattr(r.font, key, value)


def text(pattern: str, new: str):
    return lambda d: set_text(para(d, pattern), new)


def font(pattern: str, **attrs):
    return lambda d: fonts(para(d, pattern), **attrs)


def no_border_after(pattern: str):
    """Remove the short rule (a bottom-bordered paragraph) that follows the matching line."""
    def breaker(d):
        rule = para(d, pattern)._p.getnext()
        pbdr = rule.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
        pbdr.getparent().remove(pbdr)
        style = rule.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style.set(qn("w:val"), "VBNoiDung")  # the rule style itself has no border; keep the paragraph empty
    return breaker


def nfd(d) -> None:
    p = para(d, "^I. MỤC ĐÍCH")
    set_text(p, unicodedata.normalize("NFD", p.text))


def margins(d) -> None:
    d.sections[0].top_margin = Mm(15)


def letter(d) -> None:
    d.sections[0].page_width = Mm(216)


def landscape(d) -> None:
    s = d.sections[0]
    s.page_width, s.page_height = s.page_height, s.page_width


def first_page_number(d) -> None:
    d.sections[0].different_first_page_header_footer = False


def _header_paragraph(d) -> Paragraph:
    return d.sections[0].header.paragraphs[0]


def no_page_number(d) -> None:
    p = _header_paragraph(d)._p
    for r in list(p.findall(qn("w:r"))):
        p.remove(r)


def page_number_in_footer(d) -> None:
    no_page_number(d)
    footer = d.sections[0].footer
    footer.is_linked_to_previous = False
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    footer.paragraphs[0]._p.append(field)


def page_number_left(d) -> None:
    _header_paragraph(d).alignment = 0


def page_number_small(d) -> None:
    fonts(_header_paragraph(d), size=10)


def swap_signature_cells(d) -> None:
    tr = d.element.body.findall(qn("w:tbl"))[-1].find(qn("w:tr"))
    left, right = tr.findall(qn("w:tc"))
    tr.remove(left)
    right.addnext(left)


def no_body(d) -> None:
    body = d.element.body
    for p in [p for p in body.findall(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
              and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) in ("VBCanCu", "VBNoiDung", "VBMuc",
                                                                                 "VBKhoan")]:
        body.remove(p)


def quyet_dinh(d) -> None:
    set_text(para(d, "^KẾ HOẠCH$"), "QUYẾT ĐỊNH")
    set_text(para(d, "^Số:"), "Số: 05/QĐ-MTTQ-BTT")
    set_text(para(d, "^Thực hiện Hướng dẫn"), "Căn cứ Điều lệ Mặt trận Tổ quốc Việt Nam;")


def annex_numbering_continues(d) -> None:
    """The annex's section no longer restarts the page numbers."""
    for numbering in d.element.body.iter(qn("w:pgNumType")):
        numbering.getparent().remove(numbering)


def rule_indents(pattern: str, cm: float):
    """Indent the short rule under the matching line by `cm` on each side (0: as wide as its cell or the page)."""
    def breaker(d):
        rule = para(d, pattern)._p.getnext()
        ind = rule.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        for side in ("left", "right"):
            ind.set(qn(f"w:{side}"), str(round(cm * 1440 / 2.54)))
    return breaker


def narrow_motto_cell(d) -> None:
    """The right header column 8 cm wide: the 13 pt bold Quốc hiệu (9.5 cm) no longer fits."""
    header = d.element.body.find(qn("w:tbl"))
    width = str(round(8.0 * 1440 / 2.54))
    header.find(qn("w:tblGrid")).findall(qn("w:gridCol"))[1].set(qn("w:w"), width)
    for tr in header.findall(qn("w:tr")):
        tr.findall(qn("w:tc"))[1].find(f"{qn('w:tcPr')}/{qn('w:tcW')}").set(qn("w:w"), width)


def stamp(text: str = "KHẨN", *, bold: bool = True, size: float = 13, boxed: bool = True):
    """A stamp (ô 10b) under the Số, in its cell: by default as ND30 wants it (caps, bold, 13 pt, boxed)."""
    def breaker(d):
        number = para(d, "^Số:")
        new = OxmlElement("w:p")
        number._p.addnext(new)
        p = Paragraph(new, number._parent)
        p.alignment = 1
        fonts_run = p.add_run(text)
        fonts_run.bold, fonts_run.font.size = bold, Pt(size)
        if boxed:
            ppr = new.get_or_add_pPr()
            borders = OxmlElement("w:pBdr")
            for side in ("top", "left", "bottom", "right"):
                edge = OxmlElement(f"w:{side}")
                edge.set(qn("w:val"), "single")
                edge.set(qn("w:sz"), "6")
                borders.append(edge)
            ppr.append(borders)
    return breaker
