"""A checked .docx's printed pages as pictures, with the box of every word on them, for the Kiểm tra thể thức page.

One LibreOffice conversion (docgen.pdf, cached in the file's own folder) serves both the rendered checks
(docgen.rendered_checks) and the pictures: poppler's pdftoppm draws each page as a JPEG (a tenth of the time a
PNG takes to compress, at a sharper resolution, for pages of black text), pdftotext -bbox gives
each word's box in points. Everything lands in one folder per file (named by the .docx's SHA-256 by the caller);
layout.json is written last, so its presence means the folder is complete.

    draw_pages(data, report, folder) -> layout (dict, as stored in layout.json)
    read_layout(folder) -> layout or None
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from docgen.rendered_checks import check_rendered
from domain import jobs
from domain.format_check import CheckReport

MAX_PAGES = 30  # pictures beyond this are not drawn (the findings still cover the whole file)
RESOLUTION_DPI = 96  # an A4 page is 794 x 1123 px: sharp beside the findings, about 200 KB
JPEG_QUALITY = 85
LAYOUT = "layout.json"
_PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD_RE = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def draw_pages(
    data: bytes,
    report: CheckReport,
    folder: Path,
    timeout: float = 60,
    convert: Callable[[bytes], bytes | None] | None = None,
) -> dict:
    """Render once, check the printed pages, draw them; PdfUnavailable / PdfConversionFailed from docgen.pdf.
    `convert` (a warm LibreOffice, or None) is tried first; when it gives nothing, docgen.pdf starts a cold one.
    Each step's timeout is `timeout` (poppler's: their own), shortened to what is left of the running job's time."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{hashlib.sha256(data).hexdigest()}.pdf"  # where docgen.pdf caches the conversion
    if convert is not None and not pdf.exists() and (warm := convert(data)) is not None:
        _write_atomically(pdf, warm)  # check_rendered finds it in the cache
    rendered = check_rendered(data, report, cache_dir=folder, timeout=timeout)
    pages = word_boxes(pdf)
    images = _pictures(pdf, folder, min(len(pages), MAX_PAGES))
    for page, image in zip(pages, images, strict=False):
        page["image"] = image
    layout = {
        "page_count": len(pages),
        "pages": pages[:MAX_PAGES],
        "rendered_findings": [f.to_dict() for f in rendered.findings[len(report.findings) :]],
    }
    _write_atomically(folder / LAYOUT, json.dumps(layout, ensure_ascii=False).encode())
    return layout


def read_layout(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / LAYOUT).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def word_boxes(pdf: Path) -> list[dict]:
    """Each page: number, width and height (points), words [[x0, y0, x1, y1, text], …] in reading order."""
    out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                         text=True, timeout=jobs.time_left(60)).stdout  # fmt: skip
    pages = []
    for number, (width, height, body) in enumerate(_PAGE_RE.findall(out), start=1):
        words = [[round(float(a), 1), round(float(b), 1), round(float(c), 1), round(float(d), 1), html.unescape(w)]
                 for a, b, c, d, w in _WORD_RE.findall(body)]  # fmt: skip
        pages.append({"number": number, "width": float(width), "height": float(height), "words": words})
    return pages


def _pictures(pdf: Path, folder: Path, count: int) -> list[str]:
    """page-1.jpg … page-<count>.jpg in `folder` (pdftoppm pads its numbers; they are renamed plainly)."""
    if count == 0:
        return []
    with tempfile.TemporaryDirectory(dir=folder, prefix=".draw-") as tmp:
        command = ["pdftoppm", "-jpeg", "-jpegopt", f"quality={JPEG_QUALITY}", "-r", str(RESOLUTION_DPI),
                   "-l", str(count), str(pdf), str(Path(tmp) / "p")]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, timeout=jobs.time_left(120))
        drawn = sorted(Path(tmp).glob("p-*.jpg"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        names = []
        for number, path in enumerate(drawn, start=1):
            name = f"page-{number}.jpg"
            os.replace(path, folder / name)
            names.append(name)
    return names


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
