"""How long the format checker takes on a 10-page .docx: without rendering (target under 100 ms) and with rendering
(one LibreOffice conversion, then the PDF read with pdftotext).

    .venv/bin/python bench/bench_format_check.py [--runs 20] [--pages 10]

The document is the application's own plan (docgen) with the seed plan's body repeated until LibreOffice prints it
on about --pages pages (header and signature tables, ~110 paragraphs). Prints the paragraphs, the median and worst
static time, and the rendered time (conversion included; the cache is a fresh directory, so exactly one conversion
happens) and again from the cache. The repeated body also shows that the signature check is not fooled by closing
words printed several times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from docgen_fixtures import SEED_BODY, demo_plan  # noqa: E402

from docgen import build_docx  # noqa: E402
from docgen.rendered_checks import check_rendered  # noqa: E402
from domain.format_check import check_docx  # noqa: E402


def long_plan(pages: int) -> bytes:
    # The seed body prints on about 2.5 pages; each copy's sections are renumbered so the outline stays valid.
    copies = max(1, round(pages / 2.5))
    body = "\n".join(SEED_BODY for _ in range(copies))
    return build_docx(replace(demo_plan(), body=body))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    data = long_plan(args.pages)
    check_docx(data)  # warm-up: imports and first parse
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        report = check_docx(data)
        times.append((time.perf_counter() - start) * 1000)
    print(f"tệp {len(data) / 1024:.0f} KB, {len(report.paragraph_texts)} đoạn, {len(report.findings)} phát hiện")
    print(f"kiểm tra tĩnh: trung vị {statistics.median(times):.1f} ms, chậm nhất {max(times):.1f} ms "
          f"({args.runs} lần; mục tiêu < 100 ms)")
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        rendered = check_rendered(data, check_docx(data), cache_dir=Path(cache))
        first = time.perf_counter() - start
        start = time.perf_counter()
        check_rendered(data, check_docx(data), cache_dir=Path(cache))
        cached = time.perf_counter() - start
    print(f"kiểm tra bản in: {rendered.pages} trang, {first:.1f} s (một lần chuyển LibreOffice), "
          f"{cached * 1000:.0f} ms khi bản PDF đã có trong bộ nhớ đệm; {len(rendered.findings)} phát hiện")


if __name__ == "__main__":
    main()
