"""How long importing a long plan takes: a 40-page plan with 300 tasks, as text and as Word, read the way the import
page reads it (import_plan_json: read_plan_file, then parse_plan). Target: under 1 s each.

    .venv/bin/python bench/bench_import.py [--runs 5] [--tasks 300]

The plan is made here, in the shapes real plans have: 35 pages of prose (sections I-II), a schedule table
(section III, one task in five, "Đơn vị chủ trì / phối hợp / Thời gian hoàn thành", some rows sharing the block
above), and an implementation section (IV) with unit headings, "- Đồng chí …:" lines, "Đề nghị …" headings,
bullets with deadlines in every form and "; " + capital splits. The Word file holds the header and signature as
two-column tables and the schedule as a real table with vertically merged cells. Prints the size, the tasks
found (must be the tasks made) and the median and worst time of each step.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import docx  # noqa: E402

from domain.plans.importer import import_plan_json, parse_plan  # noqa: E402
from domain.plans.uploads import read_plan_file  # noqa: E402

HEADER = [
    "ỦY BAN MTTQ VIỆT NAM",
    "TỈNH NINH BÌNH",
    "BAN THƯỜNG TRỰC",
    "Số: 45/KH-MTTQ-BTT",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Ninh Bình, ngày 05 tháng 01 năm 2026",
]
OPENING = [
    "KẾ HOẠCH",
    "Tổ chức các hoạt động của Mặt trận năm 2026",
    "Thực hiện Chương trình phối hợp số 12/CTr-MTTQ-BTT, ngày 20 tháng 12 năm 2025 của Ban Thường trực Ủy ban "
    "MTTQ Việt Nam tỉnh, Ban Thường trực xây dựng Kế hoạch như sau:",
]
SIGNATURE_LEFT = [
    "Nơi nhận:",
    "- Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam;",
    "- Thường trực Tỉnh ủy;",
    "- Lưu: VT, BTG.",
]
SIGNATURE_RIGHT = ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "", "Trần Văn Bình"]
PROSE = (
    "Tuyên truyền sâu rộng, nâng cao nhận thức cho cán bộ, đảng viên, đoàn viên, hội viên và các tầng lớp nhân "
    "dân về vị trí, vai trò của công tác Mặt trận trong tình hình mới; phát huy sức mạnh khối đại đoàn kết toàn "
    "dân tộc, góp phần thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội của địa phương."
)
UNITS = [
    "Ban Tuyên giáo",
    "Ban Phong trào",
    "Văn phòng Ủy ban MTTQ Việt Nam tỉnh",
    "Ban Dân chủ - Pháp luật",
    "Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố",
    "Ban Tổ chức - Kiểm tra",
]
DEADLINES = ["hoàn thành trước ngày {d}/{m}/2026", "chậm nhất ngày {d}/{m}/2026", "dự kiến ngày {d}/{m}/2026",
             "từ ngày 01/{m}/2026 đến ngày {d}/{m}/2026", "trong tháng {m}/2026", "trong Quý III/2026",
             "6 tháng đầu năm", "định kỳ hằng tháng", "thường xuyên"]  # fmt: skip


def _deadline(k: int) -> str:
    return DEADLINES[k % len(DEADLINES)].format(d=k % 28 + 1, m=k % 12 + 1)


def plan_parts(tasks: int = 300) -> tuple[list[str], list[list[str]], list[str]]:
    """(lines before the table, the table's rows, lines after it) of a 40-page plan with `tasks` tasks."""
    before = ["I. MỤC ĐÍCH, YÊU CẦU"]
    for n in range(1, 9):
        before += [f"{n}. Yêu cầu thứ {n} của kế hoạch"] + [f"- {PROSE}" for _ in range(10)]
    before.append("II. NỘI DUNG")
    for n in range(1, 9):
        before += [f"{n}. Nội dung thứ {n} của kế hoạch"] + [f"- {PROSE}" for _ in range(10)]
    before.append("III. LỊCH TRÌNH THỰC HIỆN")
    in_table = tasks // 5
    rows = [["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]]
    for k in range(in_table):
        shared = k % 4 == 3  # every fourth row shares the block of the row above (merged cells in Word)
        rows.append([str(k + 1), f"Tổ chức hoạt động chuyên đề số {k + 1} về công tác Mặt trận",
                     "" if shared else UNITS[k % len(UNITS)], "" if shared else "Các tổ chức thành viên",
                     "" if shared else f"Quý {'I' * (k % 3 + 1)}/2026"])  # fmt: skip
    after = ["IV. TỔ CHỨC THỰC HIỆN"]
    left, k = tasks - in_table, 0
    per_unit = -(-left // (len(UNITS) + 2))
    for n, unit in enumerate(UNITS + ["Đề nghị Ủy ban nhân dân tỉnh phối hợp", "Ban Thường trực"], start=1):
        after.append(f"{n}. {unit}")
        count = min(per_unit, left - k)
        while count > 0:
            if n == len(UNITS) + 2:  # persons under the last heading
                after.append(f"- Đồng chí Phó Chủ tịch phụ trách lĩnh vực số {k + 1}: chỉ đạo tổ chức hội nghị "
                             f"chuyên đề số {k + 1}, {_deadline(k)}.")  # fmt: skip
                k, count = k + 1, count - 1
            elif count >= 2 and k % 3 == 0:  # two sentences in one bullet: "; " before a capital
                after.append(f"- Tổ chức hội nghị chuyên đề số {k + 1} ở khu dân cư, {_deadline(k)}; Báo cáo kết quả "
                             f"hội nghị số {k + 2} về Ban Thường trực {_deadline(k + 1)}.")  # fmt: skip
                k, count = k + 2, count - 2
            else:
                after.append(
                    f"- Phối hợp với Ban Tuyên giáo tổ chức hội nghị chuyên đề số {k + 1}, {_deadline(k)}."
                )
                k, count = k + 1, count - 1
    after.append("4. Kinh phí thực hiện từ nguồn ngân sách được giao năm 2026.")
    after.append("Trên đây là Kế hoạch tổ chức các hoạt động của Mặt trận năm 2026./.")
    return before, rows, after


def plan_text(tasks: int = 300) -> str:
    before, rows, after = plan_parts(tasks)
    table = ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(HEADER + OPENING + before + table + after + SIGNATURE_LEFT + SIGNATURE_RIGHT) + "\n"


def plan_docx(tasks: int = 300) -> bytes:
    before, rows, after = plan_parts(tasks)
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text, header.cell(0, 1).text = "\n".join(HEADER[:4]), "\n".join(HEADER[4:])
    for line in OPENING + before:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    for r, row in enumerate(rows):
        if r and not row[2]:
            for c in range(2, len(row)):
                table.cell(r - 1, c).merge(table.cell(r, c))
    for line in after:
        document.add_paragraph(line)
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text = "\n".join(SIGNATURE_LEFT)
    signature.cell(0, 1).text = "\n".join(SIGNATURE_RIGHT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def timed(step, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=300)
    args = parser.parse_args()
    files = {
        "ke-hoach-40-trang.txt": plan_text(args.tasks).encode("utf-8"),
        "ke-hoach-40-trang.docx": plan_docx(args.tasks),
    }
    print(f"Kế hoạch {args.tasks} nhiệm vụ; {args.runs} lần mỗi bước; mục tiêu: nhập dưới 1 s.")
    print(
        f"{'tệp':24} {'cỡ':>8} {'ký tự':>7} {'dòng':>5} {'bước':22} {'trung vị':>9} {'lâu nhất':>9} {'nhiệm vụ':>9}"
    )
    for name, data in files.items():
        text = read_plan_file(name, data)
        steps = {"đọc tệp (read_plan_file)": lambda n=name, d=data: read_plan_file(n, d),
                 "phân tích (parse_plan)": lambda t=text: parse_plan(t),
                 "nhập (import_plan_json)": lambda n=name, d=data: import_plan_json(n, d)}  # fmt: skip
        for step, run in steps.items():
            times, result = timed(run, args.runs)
            found = (
                len(result["tasks"]) if isinstance(result, dict) else len(getattr(result, "tasks", [])) or ""
            )
            print(f"{name:24} {len(data) // 1024:>6}KB {len(text):>7} {text.count(chr(10)) + 1:>5} {step:22} "
                  f"{statistics.median(times):>8.3f}s {max(times):>8.3f}s {found!s:>9}")  # fmt: skip
        found = len(import_plan_json(name, data)["tasks"])
        verdict = "đúng" if found == args.tasks else f"SAI: {found} thay vì {args.tasks}"
        print(f"{'':24} số nhiệm vụ tìm thấy: {verdict}")


if __name__ == "__main__":
    main()
