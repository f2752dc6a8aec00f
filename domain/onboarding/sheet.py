"""Reading the onboarding workbook: the first sheet, a title row, then one row per unit (and its reporter).

The file is checked before openpyxl reads it: its size, that it is a real .xlsx (a zip with a workbook), and how
much it would take unpacked (a small file may unpack to gigabytes). A cell holding a formula is reported, not
computed: the values are what the administrator sees, and a formula could come from anywhere.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook

from domain.errors import DomainError
from domain.text.vietnamese import clean_text, fold

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 60 * 1024 * 1024
MAX_ROWS = 2000  # a province's units and reporters fit many times over; more is a wrong file

# Each column: (key, title in the template, other titles accepted).
COLUMNS = [
    ("name", "Tên đơn vị", ("don vi", "ten don vi")),
    ("parent", "Đơn vị cấp trên", ("cap tren", "thuoc don vi", "don vi cap tren")),
    ("kind", "Loại đơn vị", ("loai", "loai don vi")),
    ("slug", "Mã đơn vị", ("ma", "ma don vi", "slug")),
    ("reporter", "Họ tên cán bộ báo cáo", ("ho ten", "ho va ten", "can bo bao cao", "ho ten can bo bao cao")),
    ("phone", "Số điện thoại", ("dien thoai", "so dien thoai", "sdt")),
    ("email", "Thư điện tử", ("email", "e-mail", "thu dien tu", "dia chi thu")),
]
TITLES = {key: title for key, title, _ in COLUMNS}


class SheetRefused(DomainError):
    """The whole file is refused (the message is Vietnamese); nothing was read from it."""


@dataclass
class Row:
    number: int  # the spreadsheet's row number, as the administrator sees it
    values: dict[str, str]
    formulas: list[str] = field(default_factory=list)  # titles of the columns whose cell holds a formula


def _check_package(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise SheetRefused(f"Tệp quá lớn ({len(data) // 1024} KB); chỉ nhận tệp đến {MAX_BYTES // (1024 * 1024)} MB.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetRefused("Tệp không phải bảng tính Excel .xlsx (hãy mở bằng Excel rồi “Lưu thành” .xlsx).")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "xl/workbook.xml" not in names:
            raise SheetRefused("Tệp không phải bảng tính Excel .xlsx (không có sổ tính bên trong).")
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise SheetRefused("Tệp bảng tính quá lớn khi giải nén; hãy chỉ để lại danh sách đơn vị.")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number: 912345678.0
    return clean_text(str(value), multiline=False).strip()


def _columns(title_row: tuple) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(title_row):
        title = fold(_text(cell)).strip(" :*")
        for key, main, others in COLUMNS:
            if key not in found and (title == fold(main) or title in others):
                found[key] = index
    missing = [TITLES[key] for key in ("name", "slug") if key not in found]
    if missing:
        raise SheetRefused("Dòng tiêu đề thiếu cột " + ", ".join(f"“{m}”" for m in missing)
                           + "; hãy dùng tệp mẫu (các cột: " + ", ".join(TITLES.values()) + ").")
    return found


def read_sheet(data: bytes) -> list[Row]:
    """The rows of the first sheet, below its title row; empty rows skipped."""
    _check_package(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise SheetRefused("Không đọc được tệp bảng tính (tệp hỏng hoặc không phải .xlsx).") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        title_row = next(rows, None)
        if title_row is None:
            raise SheetRefused("Bảng tính trống.")
        columns = _columns(tuple(cell.value for cell in title_row))
        out: list[Row] = []
        for position, cells in enumerate(rows, start=2):
            values, formulas = {}, []
            for key, index in columns.items():
                cell = cells[index] if index < len(cells) else None
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", "") == "f" or (isinstance(value, str) and value.startswith("=")):
                    formulas.append(TITLES[key])
                    value = None
                values[key] = _text(value)
            if not any(values.values()) and not formulas:
                continue
            # Empty rows may be missing from the file: the row number its cells carry is the one Excel shows.
            number = next((c.row for c in cells if getattr(c, "row", None)), position)
            out.append(Row(number=number, values=values, formulas=formulas))
            if len(out) > MAX_ROWS:
                raise SheetRefused(f"Tệp có hơn {MAX_ROWS:,} dòng dữ liệu; mỗi lần chỉ nhập tối đa {MAX_ROWS:,} dòng "
                                   "(hãy chia thành nhiều tệp).".replace(",", "."))
        if not out:
            raise SheetRefused("Bảng tính chỉ có dòng tiêu đề, chưa có đơn vị nào.")
        return out
    finally:
        workbook.close()
