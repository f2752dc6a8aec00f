"""Annex tables (phụ lục) of a Báo cáo: each on its own landscape section, numbered from 1.

ND30 Phụ lục I III.1: "Phụ lục I" (bold), the name in caps (bold), "(Kèm theo ...)" in italics,
a short rule; landscape only for wide tables; pages of each phụ lục are numbered on their own.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from docx.oxml.ns import qn
from lxml import etree

from docgen import layout, ooxml
from docgen import settings as S
from docgen.fields import DocumentData, Table
from domain.kinds import get_kind
from domain.outline import ROMAN
from domain.vietnamese import format_count, format_decimal

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


def _row(cells: list[etree._Element], values: list[object], style: str, bold: bool | None) -> None:
    for tc, value in zip(cells, list(values) + [None] * len(cells), strict=False):
        text = cell_text(value)
        align = "center" if style == S.BANG_TIEU_DE or not isinstance(value, str) else None
        ooxml.fill(tc, [ooxml.paragraph(style, text, bold=bold, align=align)])


def annex_elements(data: DocumentData, table: Table, index: int) -> list[etree._Element]:
    """Title lines and the bordered table of one annex; its header row repeats on every page."""
    label = (
        "Phụ lục"
        if len(data.annexes) == 1
        else f"Phụ lục {ROMAN[index] if index < len(ROMAN) else index + 1}"
    )
    widths = column_widths(table)
    rows = [table.columns, *table.rows] + ([table.total_row] if table.total_row else [])
    tbl, cells = ooxml.table(widths, len(rows), borders=True, cant_split=True, header_rows=1)
    for index_row, (tcs, values) in enumerate(zip(cells, rows, strict=True)):
        if index_row == 0:
            _row(tcs, values, S.BANG_TIEU_DE, None)
        else:
            _row(tcs, values, S.BANG, True if table.total_row and index_row == len(rows) - 1 else None)
    return [
        ooxml.paragraph(S.PHU_LUC, label),
        ooxml.paragraph(S.TEN_PHU_LUC, layout.line(table.title).upper()),
        ooxml.paragraph(S.KEM_THEO, reference_line(data)),
        ooxml.rule(S.TRICH_YEU_RULE_MAX_CM / 2, LANDSCAPE_WIDTH_CM, after_pt=12),
        tbl,
    ]


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
