"""Small builders of WordprocessingML elements: paragraphs with a named style, rules, fixed tables.

Built with lxml directly rather than through python-docx's object API: it is several times faster
for a long plan, and it makes the element order explicit (Word rejects children out of order).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from docgen import settings as S

TWIPS_PER_CM = 1440 / 2.54
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def twips(cm: float) -> str:
    return str(round(cm * TWIPS_PER_CM))


def sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Append <w:tag w:attr="..."/> to parent and return it."""
    child = etree.SubElement(parent, qn(f"w:{tag}"))
    for name, value in attrs.items():
        child.set(qn(f"w:{name}"), value)
    return child


def run(parent: etree._Element, text: str, bold: bool | None = None) -> etree._Element:
    r = sub(parent, "r")
    if bold is not None:
        rpr = sub(r, "rPr")
        sub(rpr, "b", val="1" if bold else "0")
        sub(rpr, "bCs", val="1" if bold else "0")
    t = sub(r, "t")
    t.text = text
    t.set(_XML_SPACE, "preserve")  # keep the blanks of "Số:      /KH-..." and any double space
    return r


def paragraph(
    style_id: str,
    text: str = "",
    *,
    bold: bool | None = None,
    keep_with_next: bool = False,
    align: str | None = None,
    indent_cm: tuple[float, float] | None = None,
    first_line_cm: float | None = None,
    before_pt: float | None = None,
    after_pt: float | None = None,
    bottom_border: bool = False,
) -> etree._Element:
    """A <w:p> in a named style; keyword arguments are direct formatting on top of the style."""
    p = OxmlElement("w:p")
    ppr = sub(p, "pPr")
    sub(ppr, "pStyle", val=style_id)
    if keep_with_next:
        sub(ppr, "keepNext")
    if bottom_border:
        pbdr = sub(ppr, "pBdr")
        sub(pbdr, "bottom", val="single", sz=str(S.RULE_WEIGHT_EIGHTHS), space="1", color="000000")
    if before_pt is not None or after_pt is not None:
        spacing = sub(ppr, "spacing")
        if before_pt is not None:
            spacing.set(qn("w:before"), str(round(before_pt * 20)))
        if after_pt is not None:
            spacing.set(qn("w:after"), str(round(after_pt * 20)))
    if indent_cm is not None or first_line_cm is not None:
        ind = sub(ppr, "ind")
        if indent_cm is not None:
            ind.set(qn("w:left"), twips(indent_cm[0]))
            ind.set(qn("w:right"), twips(indent_cm[1]))
        if first_line_cm is not None:
            ind.set(qn("w:firstLine"), twips(first_line_cm))
    if align is not None:
        sub(ppr, "jc", val=_ALIGN[align])
    if text:
        run(p, text, bold)
    return p


def rule(length_cm: float, available_cm: float, after_pt: float | None = None) -> etree._Element:
    """A centred horizontal rule `length_cm` long: the bottom border of an empty, 1 pt paragraph
    whose indents leave exactly that length (spec §9.4 option b)."""
    side = max(0.0, (available_cm - length_cm) / 2)
    return paragraph(
        S.DUONG_KE, indent_cm=(side, side), first_line_cm=0, bottom_border=True, after_pt=after_pt
    )


def table(
    widths_cm: list[float] | tuple[float, ...],
    n_rows: int,
    *,
    borders: bool = False,
    cant_split: bool = True,
    header_rows: int = 0,
) -> tuple[etree._Element, list[list[etree._Element]]]:
    """A fixed-layout table: widths written in tblGrid (read by LibreOffice) and in every tcW (read
    by Word). Returns the <w:tbl> and its cells by row; each cell still needs its paragraphs."""
    tbl = OxmlElement("w:tbl")
    tblpr = sub(tbl, "tblPr")
    sub(tblpr, "tblW", w=twips(sum(widths_cm)), type="dxa")
    edges = sub(tblpr, "tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if borders:
            sub(edges, edge, val="single", sz="4", space="0", color="000000")
        else:
            sub(edges, edge, val="nil")
    sub(tblpr, "tblLayout", type="fixed")
    margins = sub(tblpr, "tblCellMar")
    sub(margins, "left", w=twips(S.CELL_MARGIN_CM), type="dxa")
    sub(margins, "right", w=twips(S.CELL_MARGIN_CM), type="dxa")
    sub(tblpr, "tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0",
        noHBand="1", noVBand="1")  # fmt: skip
    grid = sub(tbl, "tblGrid")
    for width in widths_cm:
        sub(grid, "gridCol", w=twips(width))
    cells = []
    for index in range(n_rows):
        tr = sub(tbl, "tr")
        if cant_split or index < header_rows:
            trpr = sub(tr, "trPr")
            if cant_split:
                sub(trpr, "cantSplit")
            if index < header_rows:
                sub(trpr, "tblHeader")  # repeated at the top of every page
        row = []
        for width in widths_cm:
            tc = sub(tr, "tc")
            tcpr = sub(tc, "tcPr")
            sub(tcpr, "tcW", w=twips(width), type="dxa")
            row.append(tc)
        cells.append(row)
    return tbl, cells


def fill(tc: etree._Element, paragraphs: list[etree._Element]) -> None:
    """Put paragraphs in a cell; a cell must end with a paragraph, so an empty one gets one."""
    for p in paragraphs or [paragraph(S.BANG)]:
        tc.append(p)
