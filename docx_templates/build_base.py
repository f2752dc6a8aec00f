"""Build docx_templates/base.docx: ND30 page set-up, page numbers and one named style per element.

Run it after changing docgen/settings.py:   .venv/bin/python docx_templates/build_base.py

Open the result in Word or LibreOffice to see every rule as a style ("VB Quốc hiệu", "VB Tiêu ngữ",
...). docgen only builds the structure and refers to these styles by id.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from docgen import layout  # noqa: E402
from docgen import settings as S  # noqa: E402

OUTPUT = Path(__file__).resolve().parent / "base.docx"

# Styles every document needs; the many others of python-docx's default template would only
# clutter the style list the office sees.
KEEP_STYLE_IDS = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")


def set_fonts(rpr) -> None:
    """Times New Roman in all four slots, black, Vietnamese: theme fonts would override them."""
    rfonts = rpr.get_or_add_rFonts()
    for slot in THEME_SLOTS:
        rfonts.attrib.pop(qn(slot), None)
    for slot in FONT_SLOTS:
        rfonts.set(qn(slot), S.FONT)
    color = rpr.find(qn("w:color"))
    if color is None:
        color = rpr._add_color()
    color.set(qn("w:val"), "000000")
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(attr), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:  # python-docx has no accessor for w:lang: insert it in schema order
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), S.LANGUAGE)


def strip_styles(document) -> None:
    styles = document.styles.element
    for style in list(styles.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEEP_STYLE_IDS:
            styles.remove(style)


def set_defaults(document) -> None:
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr)
    # Paragraphs with no style at all (a user's own, in Word) still get 14 pt, single, no spacing.
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), "28")
    spacing = (
        styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    )
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = document.styles["Normal"]
    normal.font.size = Pt(14)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.widow_control = True


def add_style(document, spec: S.StyleSpec) -> None:
    style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = spec.id
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.italic = spec.italic
    font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    pf.alignment = ALIGN[spec.align]
    pf.first_line_indent = Cm(spec.first_line_cm)
    pf.space_before = Pt(spec.before_pt)
    pf.space_after = Pt(spec.after_pt)
    if spec.line_exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spec.line)
    else:
        pf.line_spacing = spec.line
    pf.keep_with_next = spec.keep_with_next
    pf.widow_control = True


def set_page(section) -> None:
    section.page_width = Mm(S.PAGE_WIDTH_MM)
    section.page_height = Mm(S.PAGE_HEIGHT_MM)
    section.top_margin = Mm(S.MARGIN_TOP_MM)
    section.bottom_margin = Mm(S.MARGIN_BOTTOM_MM)
    section.left_margin = Mm(S.MARGIN_LEFT_MM)
    section.right_margin = Mm(S.MARGIN_RIGHT_MM)
    section.header_distance = Mm(S.HEADER_DISTANCE_MM)
    section.footer_distance = Mm(S.FOOTER_DISTANCE_MM)
    section.gutter = Mm(0)


def build(path: Path = OUTPUT) -> Path:
    document = Document()
    strip_styles(document)
    set_defaults(document)
    for spec in S.STYLES:
        add_style(document, spec)
    for style in document.styles.element.findall(qn("w:style")):
        set_fonts(style.get_or_add_rPr())
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = document.sections[0]
    set_page(section)
    layout.add_page_numbers(section)
    props = document.core_properties
    props.title = "Mẫu văn bản theo Nghị định 30/2020/NĐ-CP"
    props.author = props.last_modified_by = "vanban"
    props.comments = "Kiểu đoạn “VB …” ứng với từng thành phần thể thức; số trang từ trang 2."
    props.created = props.modified = datetime(2026, 1, 1)
    props.revision = 1
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
