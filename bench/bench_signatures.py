"""Signature verification of a signed copy (domain.register.signatures.verify_pdf, what the worker does per upload):
seconds per PDF, median of RUNS, for a one-page PDF with one signature, with two (leader, then organization), with
a later non-signature update (pyHanko's modification analysis), and a 40-page PDF with two signatures.

    .venv/bin/python bench/bench_signatures.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import signature_fixtures as F  # noqa: E402

from domain.register.signatures import verify_pdf  # noqa: E402


def long_pdf(pages: int) -> bytes:
    """`pages` pages of text, each its own content stream."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"", b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    kids = []
    for n in range(pages):
        lines = " ".join(f"BT /F1 10 Tf 60 {800 - 14 * i} Td (Trang {n + 1} dong {i + 1} noi dung ke hoach) Tj ET"
                         for i in range(50)).encode()
        objects.append(b"<</Length " + str(len(lines)).encode() + b">>\nstream\n" + lines + b"\nendstream")
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 3 0 R>>>>"
                       f"/Contents {len(objects)} 0 R>>".encode())
        kids.append(len(objects))
    objects[1] = f"<</Type/Pages/Kids[{' '.join(f'{k} 0 R' for k in kids)}]/Count {pages}>>".encode()
    return F.raw_pdf(objects)


def main(runs: int) -> None:
    ca = F.authority()
    chain = [ca.intermediate, ca.root]
    one = F.sign(F.plain_pdf(), ca.leader, chain)
    cases = {
        "1 trang, 1 chữ ký": one,
        "1 trang, 2 chữ ký": F.sign(one, ca.office, chain, field="Signature2"),
        "1 trang, sửa sau khi ký": F.add_page_text(one, "them"),
        "40 trang, 2 chữ ký": F.sign(F.sign(long_pdf(40), ca.leader, chain), ca.office, chain, field="Signature2"),
    }
    verify_pdf(one, [ca.root.der], [])  # imports and first-use costs out of the figures
    for name, pdf in cases.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            report = verify_pdf(pdf, [ca.root.der], [])
            times.append(time.perf_counter() - start)
        verdicts = ", ".join(s["verdict"] for s in report["signatures"])
        print(f"{name:28} {len(pdf) / 1024:7.0f} KB  median {statistics.median(times) * 1000:6.0f} ms  "
              f"max {max(times) * 1000:6.0f} ms  ({verdicts})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
