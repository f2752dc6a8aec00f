"""How long docgen takes to write a .docx, next to python-docx writing the same text unformatted.

    .venv/bin/python bench/bench_docgen.py

Targets: demo plan median < 50 ms and at most 2x the plain baseline; 600 paragraphs < 300 ms.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from docgen_fixtures import demo_plan  # noqa: E402
from docx import Document  # noqa: E402

from docgen import build_docx  # noqa: E402
from docgen.fields import DocumentData  # noqa: E402
from domain.text.outline import ROMAN  # noqa: E402

RUNS = 50


def median_ms(work, runs: int = RUNS) -> float:
    work()  # warm up: template read, imports, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def plain(data: DocumentData) -> bytes:
    """The baseline: the same lines with python-docx, one add_paragraph each, no formatting."""
    document = Document()
    for text in [data.title, *data.references, *data.body.splitlines(), *data.recipients]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def long_plan() -> DocumentData:
    """600 body paragraphs in sections, items and dashes: 50 A4 pages in LibreOffice."""
    sentence = (
        "Tiếp tục đẩy mạnh công tác tuyên truyền, vận động các tầng lớp nhân dân thực hiện tốt chủ trương "
        "của Đảng, chính sách, pháp luật của Nhà nước và các nhiệm vụ chính trị của địa phương."
    )
    lines = []
    for s in range(1, 11):
        lines.append(f"{ROMAN[s - 1]}. PHẦN NỘI DUNG SỐ {s}")
        for i in range(1, 7):
            lines.append(f"{i}. Nhiệm vụ thứ {i}")
            lines += [f"- {sentence}"] * 8 + [sentence]
    lines = lines[:600]
    return demo_plan(body="\n".join(lines))


def main() -> None:
    plan = demo_plan()
    docgen_ms = median_ms(lambda: build_docx(plan))
    plain_ms = median_ms(lambda: plain(plan))
    big = long_plan()
    big_ms = median_ms(lambda: build_docx(big), runs=10)
    print(f"demo plan, build_docx       median {docgen_ms:6.1f} ms   (target < 50 ms)")
    print(f"demo plan, plain python-docx median {plain_ms:6.1f} ms")
    print(f"ratio docgen / plain               {docgen_ms / plain_ms:6.2f}      (target <= 2.0)")
    print(f"600 paragraphs (50 pages)    median {big_ms:6.1f} ms   (target < 300 ms)")


if __name__ == "__main__":
    main()
