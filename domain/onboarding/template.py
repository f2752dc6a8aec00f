"""The empty onboarding workbook: the column titles, and a second sheet saying what each column takes."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from domain.onboarding.sheet import COLUMNS, MAX_ROWS
from models.choices import UNIT_KINDS

HELP = {
    "name": "Bắt buộc. Tên đầy đủ, ví dụ: Ủy ban MTTQ Việt Nam xã Yên Thắng",
    "parent": "Mã hoặc tên đơn vị cấp trên (trong tệp này hoặc đã có trong hệ thống); để trống nếu không có",
    "kind": "Một trong: " + "; ".join(c.label for c in UNIT_KINDS.values()) + ". Để trống: Ủy ban cấp dưới",
    "slug": "Chữ thường không dấu, số, gạch ngang, không trùng, ví dụ: xa-yen-thang. Để trống: tạo từ tên",
    "reporter": "Họ tên cán bộ báo cáo; mỗi người được tạo một tài khoản với mật khẩu tạm thời",
    "phone": "Ví dụ: 0912 345 678",
    "email": "Để nhận thông báo qua thư; có thể để trống",
}


def template_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append([title for _key, title, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (42, 32, 20, 22, 28, 16, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Cách ghi"])
    for key, title, _ in COLUMNS:
        guide.append([title, HELP[key]])
    guide.append([])
    guide.append(["Lưu ý", f"Mỗi dòng một đơn vị; tối đa {MAX_ROWS} dòng; ghi giá trị, không dùng công thức."])
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 26, 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
