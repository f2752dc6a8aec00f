"""Annex tables (phụ lục) of a Báo cáo: each on its own landscape section, numbered from 1.

ND30 Phụ lục I III.1: "Phụ lục I" (bold), the name in caps (bold), "(Kèm theo ...)" in italics,
a short rule; landscape only for wide tables; pages of each phụ lục are numbered on their own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal

from docx.oxml.ns import qn
from lxml import etree

from docgen import layout, ooxml
from docgen import settings as S
from docgen.fields import DocumentData, Table
from domain.text.outline import ROMAN
from domain.text.vietnamese import format_count, format_decimal
from models.choices import get_kind

LANDSCAPE_WIDTH_CM = (S.PAGE_HEIGHT_MM - S.MARGIN_LEFT_MM - S.MARGIN_RIGHT_MM) / 10
NUMBER_COLUMN_CM = 1.2  # "STT"


def cell_text(value: object) -> str:
    """8500 -> "8.500", 12.5 -> "12,5", None -> "", text as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int):
        return format_count(value)
    if isinstance(value, float | Decimal):
        return format_decimal(value, places=1)
    return layout.line(str(value))


def column_widths(table: Table) -> list[float]:
    if table.widths_cm and len(table.widths_cm) == len(table.columns):
        return list(table.widths_cm)
    n = len(table.columns)
    if n == 1:
        return [LANDSCAPE_WIDTH_CM]
    rest = (LANDSCAPE_WIDTH_CM - NUMBER_COLUMN_CM) / (n - 1)
    return [NUMBER_COLUMN_CM] + [rest] * (n - 1)


def reference_line(data: DocumentData) -> str:
    """ "(Kèm theo Báo cáo số 05/BC-MTTQ-BTT ngày 05 tháng 01 năm 2025 của ...)"."""
    number, when = layout.number_and_date(data)
    number = number.removeprefix("Số:").strip() if data.number else number.removeprefix("Số:")
    when = when.removeprefix(f"{layout.line(data.issuer.place)}, ")
    issuer = layout.line(data.issuer.full_name)
    of = f" của {issuer}" if issuer else ""
    return f"(Kèm theo {get_kind(data.kind).name} số {number} {when}{of})"


NAME_COLUMN_MIN_CM = 4.0  # "Thành phố Tam Điệp" on one or two lines however many indicators there are


def table_from_stored(annex: dict) -> Table:
    """A stored annex {"title", "columns", "rows", "total_row"} (STT, unit name, figures…) as a Table whose
    unit-name column stays readable however many figure columns follow."""
    figures = max(1, len(annex["columns"]) - 2)
    name = max(NAME_COLUMN_MIN_CM, (LANDSCAPE_WIDTH_CM - NUMBER_COLUMN_CM) / (figures + 1))
    widths = [NUMBER_COLUMN_CM, name] + [(LANDSCAPE_WIDTH_CM - NUMBER_COLUMN_CM - name) / figures] * figures
    return Table(title=annex["title"], columns=list(annex["columns"]), rows=annex["rows"],
                 total_row=annex.get("total_row"), widths_cm=widths if len(annex["columns"]) > 2 else None)


def _cell_factory(widths_cm: list[float]):
    """Cells for the body rows, cloned from one prepared cell per (column, alignment, weight).

    Building every cell from scratch costs about 17 element creations; a deep copy of a prepared cell is a
    single C-level copy, which keeps a 1,000-unit annex well under a second (stack notes: about 6x faster).
    """
    prototypes: dict[tuple[int, str | None, bool | None], etree._Element] = {}

    def make(column: int, value: object, style: str, bold: bool | None) -> etree._Element:
        align = "center" if style == S.BANG_TIEU_DE or not isinstance(value, str) else None
        key = (column, align, bold, style)
        proto = prototypes.get(key)
        if proto is None:
            _tbl, cells = ooxml.table([widths_cm[column]], 1)
            proto = cells[0][0]
            ooxml.fill(proto, [ooxml.paragraph(style, "\u200b", bold=bold, align=align)])
            prototypes[key] = proto
        tc = copy.deepcopy(proto)
        text = cell_text(value)
        t = tc.find(f".//{qn('w:t')}")
        if text:
            t.text = text
        else:  # an empty cell keeps its paragraph (a cell must end with one) but no run
            r = t.getparent()
            r.getparent().remove(r)
        return tc

    return make


def annex_elements(data: DocumentData, table: Table, index: int) -> tuple[list[etree._Element], Callable[[], None]]:
    """Title lines and the bordered table of one annex (its header row repeats on every page), and a
    function that fills the table's rows: call it once the table is in the document, because moving a big
    finished table into another tree costs time that grows faster than its size."""
    label = (
        "Phụ lục"
        if len(data.annexes) == 1
        else f"Phụ lục {ROMAN[index] if index < len(ROMAN) else index + 1}"
    )
    widths = column_widths(table)
    tbl, _cells = ooxml.table(widths, 0, borders=True, cant_split=True, header_rows=1)
    rows = [table.columns, *table.rows] + ([table.total_row] if table.total_row else [])
    row_proto = etree.SubElement(etree.Element(qn("w:tmp")), qn("w:tr"))
    ooxml.sub(ooxml.sub(row_proto, "trPr"), "cantSplit")
    header_proto = copy.deepcopy(row_proto)
    ooxml.sub(header_proto.find(qn("w:trPr")), "tblHeader")  # repeated at the top of every page
    cell = _cell_factory(widths)

    def fill_rows() -> None:
        last = len(rows) - 1
        for index_row, values in enumerate(rows):
            tr = copy.deepcopy(header_proto if index_row == 0 else row_proto)
            style = S.BANG_TIEU_DE if index_row == 0 else S.BANG
            bold = True if table.total_row and index_row == last and index_row else None
            padded = list(values) + [None] * (len(widths) - len(values))
            for column, value in enumerate(padded[: len(widths)]):
                tr.append(cell(column, value, style, bold))
            tbl.append(tr)

    elements = [
        ooxml.paragraph(S.PHU_LUC, label),
        ooxml.paragraph(S.TEN_PHU_LUC, layout.line(table.title).upper()),
        ooxml.paragraph(S.KEM_THEO, reference_line(data)),
        ooxml.rule(S.TRICH_YEU_RULE_MAX_CM / 2, LANDSCAPE_WIDTH_CM, after_pt=12),
        tbl,
    ]
    return elements, fill_rows


def landscape(sect_pr: etree._Element) -> etree._Element:
    """A copy of the document's section properties, turned landscape, numbered from 1, and
    without header references, so it inherits the page-number header of the section before."""
    sect = copy.deepcopy(sect_pr)
    for ref in sect.findall(qn("w:headerReference")) + sect.findall(qn("w:footerReference")):
        sect.remove(ref)
    size = sect.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
    for old in sect.findall(qn("w:pgNumType")):
        sect.remove(old)
    numbering = etree.Element(qn("w:pgNumType"))
    numbering.set(qn("w:start"), "1")
    sect.find(qn("w:pgMar")).addnext(numbering)
    return sect
