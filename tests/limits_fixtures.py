"""Plans too large to import and plans just large enough, made in memory (tests and bench/bench_import_limits.py).

    long_plan_text(tasks)            a real-looking plan of 40 pages (81,000 characters): prose, then one task a line
    long_plan_docx(tasks)            the same plan as Word writes it (header and signature tables)
    one_line_text(size)              `size` bytes of plan-like sentences and no line break
    many_paragraphs_docx(count)      a .docx of `count` short paragraphs, its XML written directly (cheap)
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import docx

UNITS = ["Ban Tuyên giáo", "Ban Phong trào", "Văn phòng Ủy ban MTTQ Việt Nam tỉnh", "Ban Dân chủ - Pháp luật",
         "Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố", "Ban Tổ chức - Kiểm tra"]  # fmt: skip
PROSE = ("Tuyên truyền sâu rộng, nâng cao nhận thức cho cán bộ, đảng viên, đoàn viên, hội viên và các tầng lớp nhân "
         "dân về vị trí, vai trò của công tác Mặt trận trong tình hình mới; phát huy sức mạnh khối đại đoàn kết "
         "toàn dân tộc, góp phần thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội của địa phương.")  # fmt: skip
HEADER = ["ỦY BAN MTTQ VIỆT NAM", "TỈNH NINH BÌNH", "BAN THƯỜNG TRỰC", "Số: 45/KH-MTTQ-BTT",
          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "Ninh Bình, ngày 05 tháng 01 năm 2026", "KẾ HOẠCH", "Tổ chức các hoạt động của Mặt trận năm 2026",
          "Thực hiện Chương trình phối hợp số 12/CTr-MTTQ-BTT, ngày 20 tháng 12 năm 2025 của Ban Thường trực "
          "Ủy ban MTTQ Việt Nam tỉnh, Ban Thường trực xây dựng Kế hoạch như sau:"]  # fmt: skip
SIGNATURE = ["Nơi nhận:", "- Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam;", "- Thường trực Tỉnh ủy;",
             "- Lưu: VT, BTG.", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Trần Văn Bình"]  # fmt: skip


def _body(tasks: int) -> list[str]:
    """Sections I-II of prose (35 pages at ~2,000 characters a page), section III with `tasks` tasks."""
    lines = ["I. MỤC ĐÍCH, YÊU CẦU"]
    for n in range(1, 9):
        lines.append(f"{n}. Yêu cầu thứ {n} của kế hoạch")
        lines += [f"- {PROSE}" for _ in range(10)]
    lines.append("II. NỘI DUNG")
    for n in range(1, 9):
        lines.append(f"{n}. Nội dung thứ {n} của kế hoạch")
        lines += [f"- {PROSE}" for _ in range(10)]
    lines.append("III. TỔ CHỨC THỰC HIỆN")
    per_unit = -(-tasks // len(UNITS))
    for n, unit in enumerate(UNITS, start=1):
        lines.append(f"{n}. {unit}")
        first = (n - 1) * per_unit
        lines += [f"- Tổ chức hội nghị chuyên đề số {k + 1} về công tác Mặt trận ở khu dân cư, "
                  f"hoàn thành trước ngày {k % 28 + 1}/{k % 12 + 1}/2026."
                  for k in range(first, min(first + per_unit, tasks))]  # fmt: skip
    lines.append("Trên đây là Kế hoạch tổ chức các hoạt động của Mặt trận năm 2026./.")
    return lines


def long_plan_text(tasks: int = 300) -> str:
    return "\n".join(HEADER + _body(tasks) + SIGNATURE) + "\n"


def long_plan_docx(tasks: int = 300) -> bytes:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text, header.cell(0, 1).text = "\n".join(HEADER[:4]), "\n".join(HEADER[4:7])
    for line in HEADER[7:] + _body(tasks):
        document.add_paragraph(line)
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text, signature.cell(0, 1).text = "\n".join(SIGNATURE[:4]), "\n".join(SIGNATURE[4:])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def one_line_text(size: int) -> bytes:
    """`size` bytes of sentences that name units and deadlines, with no line break anywhere."""
    sentence = "Ban Tuyên giáo tổ chức tuyên truyền (đợt {n}), hoàn thành trước ngày 30/6/2026; Văn phòng phối hợp. "
    parts, total, n = [], 0, 0
    while total < size:
        part = sentence.format(n=n).encode("utf-8")
        parts.append(part)
        total, n = total + len(part), n + 1
    return b"".join(parts)[:size].decode("utf-8", errors="ignore").encode("utf-8")


def many_paragraphs_docx(count: int) -> bytes:
    """A .docx of python-docx's template whose document.xml holds `count` paragraphs, written as XML."""
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{escape(f'- Nhiệm vụ số {n}: tổ chức tuyên truyền ở khu dân cư {n * 7919 % 100003}.')}"
        "</w:t></w:r></w:p>"
        for n in range(count)
    )
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f"<w:body><w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>{paragraphs}<w:sectPr/></w:body></w:document>")  # fmt: skip
    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml.encode("utf-8") if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()
