"""The register as the ten columns of ND30 Phụ lục IV, for the page, the print view and the .xlsx export."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from extensions import db
from models import Organization, Register, RegisterEntry
from models.register import CANCELLED, RECALLED, RESERVED
from models.workflow import DocumentEvent

COLUMNS = [
    ("Số, ký hiệu văn bản", 16),
    ("Ngày tháng văn bản", 12),
    ("Tên loại và trích yếu nội dung văn bản", 46),
    ("Người ký", 18),
    ("Nơi nhận văn bản", 32),
    ("Đơn vị, người nhận bản lưu", 24),
    ("Số lượng bản", 8),
    ("Ngày chuyển", 12),
    ("Ký nhận", 12),
    ("Ghi chú", 28),
]


@dataclass
class Row:
    entry: RegisterEntry
    cells: list[str]  # the ten columns as printed


def recall_reasons(entries: list[RegisterEntry]) -> dict[int, str]:
    """The recall reason per document id, from the workflow's events."""
    ids = [e.document_id for e in entries if e.display_status == RECALLED and e.document_id]
    if not ids:
        return {}
    events = db.session.scalars(select(DocumentEvent).where(DocumentEvent.document_id.in_(ids),
                                                           DocumentEvent.action == "recall")
                                .order_by(DocumentEvent.at))
    return {e.document_id: e.details.get("reason") or e.comment for e in events}


def _date(d) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def notes(entry: RegisterEntry, reasons: dict[int, str]) -> str:
    status = entry.display_status
    parts = []
    if status == RESERVED:
        parts.append("Giữ số trước")
    elif status == CANCELLED:
        parts.append(f"Số đã hủy: {entry.cancel_reason}")
    elif status == RECALLED:
        reason = reasons.get(entry.document_id, "")
        parts.append(f"Đã thu hồi{': ' + reason if reason else ''}")
    if entry.notes:
        parts.append(entry.notes)
    return ". ".join(p.rstrip(".") for p in parts if p)


def rows(entries: list[RegisterEntry], reasons: dict[int, str]) -> list[Row]:
    out = []
    for e in entries:
        out.append(Row(e, [
            e.number_symbol, _date(e.issued_on), e.heading, e.signer_name, "\n".join(e.recipients), e.keeper,
            str(e.copies) if e.copies else "", _date(e.delivered_on), "", notes(e, reasons),
        ]))
    return out


def _as_text(cell):
    """openpyxl stores a string beginning with "=" as a formula: what people typed (a trích yếu, a note) must stay
    text, never a formula Excel would run when the register is opened."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell


def workbook(organization: Organization, register: Register, year: int, entries: list[RegisterEntry]) -> bytes:
    """An .xlsx in Times New Roman: the office, a title row, the numbered headers, one row per number."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Sổ đi {year}"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    last = get_column_letter(len(COLUMNS))
    office = " ".join(organization.name_lines.splitlines()) or organization.full_name
    ws["A1"] = f"{organization.parent_lines.splitlines()[0] if organization.parent_lines else ''} — {office}".strip(" —")
    _as_text(ws["A1"]).font = font
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = f"SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year}"
    ws["A2"].font = Font(name="Times New Roman", size=14, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = register.name + ("" if not register.kind_codes else f" ({register.kinds_label})")
    _as_text(ws["A3"]).font = Font(name="Times New Roman", size=12, italic=True)
    ws["A3"].alignment = Alignment(horizontal="center")
    header_row, number_row = 5, 6
    for i, (title, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = width
        for row, value, style in ((header_row, title, bold), (number_row, f"({i})", font)):
            cell = ws.cell(row=row, column=i, value=value)
            cell.font = style
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[header_row].height = 48
    for r, row in enumerate(rows(entries, recall_reasons(entries)), start=number_row + 1):
        for c, value in enumerate(row.cells, start=1):
            cell = _as_text(ws.cell(row=r, column=c, value=int(value) if c == 7 and value else value))
            cell.font = font
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True, horizontal="center" if c in (2, 7, 8) else None)
    ws.freeze_panes = ws.cell(row=number_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{number_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
