"""Shared helpers for the importer and plan tests: fixture files, and .docx/zip files made in memory."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx

PLANS = Path(__file__).parent / "fixtures" / "plans"
SEED = "ke-hoach-chi-thi-07.txt"  # the real plan, exported from Word (signature table flattened)
PLAN_A = "ke-hoach-12-ngay-hoi-dai-doan-ket.txt"  # ND30 header, IV. a) b) units, deadlines, signer
PLAN_B = "ke-hoach-08-giam-sat-phan-bien.txt"  # "Đơn vị chủ trì" lines, units named in sentences


def fixture_bytes(name: str) -> bytes:
    return (PLANS / name).read_bytes()


def fixture_text(name: str) -> str:
    return fixture_bytes(name).decode("utf-8")


def _fill(cell, lines: list[str]) -> None:
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


TASK_ROWS = [
    ("TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"),
    ("1", "Xây dựng kế hoạch tuyên truyền kỷ niệm 96 năm Ngày truyền thống MTTQ Việt Nam",
     "Ban Tuyên giáo", "Văn phòng", "Tháng 8/2026"),
    ("2", "Tổ chức gặp mặt các thế hệ cán bộ Mặt trận tỉnh qua các thời kỳ",
     "Văn phòng Ủy ban MTTQ Việt Nam tỉnh", ["Ban Tuyên giáo", "Ban Phong trào"], "Trước ngày 15/11/2026"),
    ("3", "Hướng dẫn tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư",
     "Ban Phong trào", "Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố", "Quý III/2026"),
    ("4", "Báo cáo kết quả tổ chức các hoạt động kỷ niệm",
     "Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố", "", "Hằng tháng"),
]  # fmt: skip


def plan_c_docx() -> bytes:
    """Fixture (c): a Word plan with a real 2x2 header table, a task table in section III and a
    2-column signature/Nơi nhận table, the way the office lays them out."""
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    _fill(header.cell(0, 0), ["ỦY BAN MTTQ VIỆT NAM", "TỈNH NINH BÌNH", "BAN THƯỜNG TRỰC"])
    _fill(header.cell(0, 1), ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
    _fill(header.cell(1, 0), ["Số: 27/KH-MTTQ-BTT"])
    _fill(header.cell(1, 1), ["Ninh Bình, ngày 02 tháng 02 năm 2026"])
    for text in (
        "KẾ HOẠCH",
        "Tổ chức các hoạt động kỷ niệm 96 năm Ngày truyền thống",
        "Mặt trận Tổ quốc Việt Nam (18/11/1930 - 18/11/2026)",
        "Thực hiện Kế hoạch số 06/KH-MTTW-BTT, ngày 22 tháng 7 năm 2025 của Ban Thường trực Ủy ban "
        "Trung ương MTTQ Việt Nam về tổ chức các hoạt động kỷ niệm 96 năm Ngày truyền thống Mặt trận "
        "Tổ quốc Việt Nam, Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh xây dựng Kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Tuyên truyền sâu rộng truyền thống vẻ vang của Mặt trận Tổ quốc Việt Nam.",
        "II. NỘI DUNG",
        "1. Tổ chức các hoạt động tuyên truyền, gặp mặt, biểu dương.",
        "III. TỔ CHỨC THỰC HIỆN",
    ):
        document.add_paragraph(text)
    tasks = document.add_table(rows=len(TASK_ROWS), cols=5)
    for r, row in enumerate(TASK_ROWS):
        for c, value in enumerate(row):
            _fill(tasks.cell(r, c), value if isinstance(value, list) else [value])
    document.add_paragraph(
        "Trên đây là Kế hoạch tổ chức các hoạt động kỷ niệm 96 năm Ngày truyền thống Mặt trận Tổ quốc Việt Nam./."
    )
    signature = document.add_table(rows=1, cols=2)
    _fill(signature.cell(0, 0), ["Nơi nhận:", "- Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam;",
                                 "- Thường trực Tỉnh ủy;", "- Các tổ chức thành viên;", "- Lưu: VT, BTG."])  # fmt: skip
    _fill(signature.cell(0, 1), ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "", "", "", "Trần Văn Bình"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip (deflated) holding the given members: fake .docx files for the safety tests."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()
