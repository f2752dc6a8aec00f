"""The demo plan's PDF preview, and its PDF/A-2b for signing: a cold LibreOffice (one soffice start per file, as
docgen.pdf does) against a warm one (docgen.office: unoserver keeping one soffice running in the worker), in the same
run.

    .venv/bin/python bench/bench_pdf_preview.py [RUNS]

Target: warm <= 1.0 s. Both give the same number of pages; both PDF/A exports declare PDF/A-2b in their XMP.
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
from docgen.pdf import PDFA_2B, PDFA_2B_FILTER_DATA, _convert, _convert_many, libreoffice_path  # noqa: E402
from docgen.signing_pdf import declares_pdfa_2b  # noqa: E402


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


def summary(what: str, times: list[tuple[float, bytes]], pdfa: bool = False) -> str:
    median = statistics.median(t for t, _ in times)
    declared = "" if not pdfa else (", declares PDF/A-2b" if all(declares_pdfa_2b(pdf) for _, pdf in times)
                                    else ", NOT declared PDF/A-2b")
    return (f"{what}: median {median:.2f} s over {len(times)} ({', '.join(f'{t:.2f}' for t, _ in times)}), "
            f"{pages(times[0][1])} pages{declared}")


def main(runs: int = 5) -> None:
    docx = build_docx(demo_plan())
    soffice = libreoffice_path()
    cold = [timed(lambda: _convert(soffice, docx, 60)) for _ in range(runs)]
    print(summary("cold LibreOffice, preview", cold))
    cold_pdfa = [timed(lambda: _convert_many(soffice, [docx], 60, convert_to=PDFA_2B)[0]) for _ in range(runs)]
    print(summary("cold LibreOffice, PDF/A-2b", cold_pdfa, pdfa=True))
    if not office.available():
        print("warm LibreOffice: not available here (needs unoserver and Debian's python3-uno)")
        return
    warm = office.WarmOffice()
    start_time, started = timed(warm.start)
    try:
        assert started, "unoserver did not start"
        first = timed(lambda: warm.convert(docx))
        rest = [timed(lambda: warm.convert(docx)) for _ in range(runs * 2)]
        first_pdfa = timed(lambda: warm.convert(docx, filter_data=PDFA_2B_FILTER_DATA))
        pdfa = [timed(lambda: warm.convert(docx, filter_data=PDFA_2B_FILTER_DATA)) for _ in range(runs * 2)]
    finally:
        warm.stop()
    median = statistics.median(t for t, _ in rest)
    print(f"warm LibreOffice: start {start_time:.2f} s, first file {first[0]:.2f} s, then "
          f"{summary('preview', rest)} (target <= 1.0 s: {'met' if median <= 1.0 else 'NOT met'})")
    median_pdfa = statistics.median(t for t, _ in pdfa)
    print(f"warm LibreOffice, first PDF/A-2b {first_pdfa[0]:.2f} s, then {summary('PDF/A-2b', pdfa, pdfa=True)} "
          f"(target <= 1.0 s: {'met' if median_pdfa <= 1.0 else 'NOT met'})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
