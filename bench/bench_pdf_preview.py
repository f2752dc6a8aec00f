"""The demo plan's PDF preview: a cold LibreOffice (one soffice start per file, as docgen.pdf does) against a warm
one (docgen.office: unoserver keeping one soffice running in the worker), in the same run.

    .venv/bin/python bench/bench_pdf_preview.py [RUNS]

Target: warm <= 1.0 s. Both give the same number of pages.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from docgen_fixtures import demo_plan  # noqa: E402

from docgen import build_docx, office  # noqa: E402
from docgen.pdf import _convert, libreoffice_path  # noqa: E402


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def timed(work) -> tuple[float, bytes]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main(runs: int = 5) -> None:
    docx = build_docx(demo_plan())
    cold = [timed(lambda: _convert(libreoffice_path(), docx, 60)) for _ in range(runs)]
    print(f"cold LibreOffice: median {statistics.median(t for t, _ in cold):.2f} s over {runs} "
          f"({', '.join(f'{t:.2f}' for t, _ in cold)}), {pages(cold[0][1])} pages")
    if not office.available():
        print("warm LibreOffice: not available here (needs unoserver and Debian's python3-uno)")
        return
    warm = office.WarmOffice()
    start_time, started = timed(warm.start)
    try:
        assert started, "unoserver did not start"
        first = timed(lambda: warm.convert(docx))
        rest = [timed(lambda: warm.convert(docx)) for _ in range(runs * 2)]
    finally:
        warm.stop()
    median = statistics.median(t for t, _ in rest)
    print(f"warm LibreOffice: start {start_time:.2f} s, first file {first[0]:.2f} s, then median {median:.2f} s over "
          f"{len(rest)} ({', '.join(f'{t:.2f}' for t, _ in rest)}), {pages(rest[0][1])} pages "
          f"(target <= 1.0 s: {'met' if median <= 1.0 else 'NOT met'})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
