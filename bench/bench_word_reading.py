"""Reading Word files as Word shows them (domain.plans.word): how long each step takes.

    .venv/bin/python bench/bench_word_reading.py [--runs 7] [--no-doc]

Prints the median of --runs runs, in milliseconds, of:
1. a 40-page plan (81,000 characters) with 300 tasks whose "I.", "1." and "-" are Word's automatic numbering:
   bytes -> text, and the whole import (text -> tasks); the same plan typed by hand, for comparison; python-docx
   loading the same file and joining its paragraphs (what the reader replaced; it drops the numbers);
2. the real samples in ../shared/samples (bytes -> text);
3. a 10,000-paragraph .docx: refused by the default limit (5,000 paragraphs), and read with the limit raised;
4. unless --no-doc (or without LibreOffice): a .doc converted by LibreOffice and read (one run: a cold start).
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import docx  # noqa: E402
from importer_fixtures import plan_c_docx  # noqa: E402
from limits_fixtures import long_plan_docx, many_paragraphs_docx  # noqa: E402
from word_fixtures import numbered_plan_docx  # noqa: E402

from domain.plans.import_limits import ImportLimits, PlanImportError  # noqa: E402
from domain.plans.importer import import_plan_json  # noqa: E402
from domain.plans.uploads import read_plan_file  # noqa: E402
from domain.plans.word import legacy  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def python_docx_paragraphs(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.iter_inner_content() if hasattr(p, "text"))


def refused(data: bytes) -> None:
    try:
        read_plan_file("muoi-nghin.docx", data)
    except PlanImportError:
        return
    raise AssertionError("a 10,000-paragraph file was not refused")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    runs = args.runs

    numbered, typed = numbered_plan_docx(300), long_plan_docx(300)
    text = read_plan_file("so-tu-dong.docx", numbered)
    plan = import_plan_json("so-tu-dong.docx", numbered)
    print(f"40-page plan, automatic numbering: {len(numbered):,} bytes, {len(text):,} characters, "
          f"{len(text.splitlines())} lines, {len(plan['tasks'])} tasks")  # fmt: skip
    print(f"  bytes -> text                 {median_ms(lambda: read_plan_file('a.docx', numbered), runs):7.1f} ms")
    print(f"  whole import (text -> tasks)  {median_ms(lambda: import_plan_json('a.docx', numbered), runs):7.1f} ms")
    print(f"  typed twin, bytes -> text     {median_ms(lambda: read_plan_file('b.docx', typed), runs):7.1f} ms")
    print(f"  python-docx paragraphs only   {median_ms(lambda: python_docx_paragraphs(numbered), runs):7.1f} ms")

    if SAMPLES.is_dir():
        print("samples, bytes -> text")
        for path in sorted(SAMPLES.glob("*.docx")):
            data = path.read_bytes()
            print(f"  {path.name:<52} {median_ms(lambda d=data: read_plan_file('s.docx', d), runs):7.1f} ms")

    many = many_paragraphs_docx(10_000)
    raised = ImportLimits(max_paragraphs=20_000, max_chars=10**6)
    print("10,000 paragraphs")
    print(f"  refused by the default limit  {median_ms(lambda: refused(many), runs):7.1f} ms")
    print(f"  read with the limit raised    "
          f"{median_ms(lambda: read_plan_file('m.docx', many, limits=raised), runs):7.1f} ms")  # fmt: skip

    if not args.no_doc and legacy.libreoffice_path():
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "ke-hoach.docx"
            source.write_bytes(plan_c_docx())
            subprocess.run([legacy.libreoffice_path(), f"-env:UserInstallation={(Path(work) / 'p').as_uri()}",
                            "--headless", "--convert-to", "doc:MS Word 97", "--outdir", work, str(source)],
                           capture_output=True, timeout=120, check=True)  # fmt: skip
            doc = (Path(work) / "ke-hoach.doc").read_bytes()
        started = time.perf_counter()
        tasks = len(import_plan_json("ke-hoach.doc", doc)["tasks"])
        print(f".doc via LibreOffice (cold profile), whole import: {(time.perf_counter() - started) * 1000:.0f} ms, "
              f"{tasks} tasks")  # fmt: skip


if __name__ == "__main__":
    main()
