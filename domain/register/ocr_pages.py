"""One scanned page through Tesseract, and the searchable PDF made of such pages.

A page is read as before: one tesseract run, automatic page segmentation (`--psm 3`), which straightens a page a
degree or two crooked. A page fed sideways or upside down (90°, 180°, 270°) gives itself away in that run: its words
are read with little confidence (a mean of 40–50 where an upright scan scores 85–96), or its lines stand on end.
Only then is Tesseract's orientation detection asked (`image_to_osd`, the osd model of Debian tesseract-ocr-osd),
the picture set upright and read again, and the better of the two readings kept — so an upright page, nearly every
page, costs what it cost before. Asking OSD for every page would add 1–2 s of CPU to each; reading every page with
`--psm 1` (detection inside the run) about 0.5 s (bench/bench_ocr.py prints these).

The run writes the text, the hOCR (for the confidence and the lines' shape) and, when asked, the page as a PDF: the
picture as it was read (a JPEG embedded as it is, anything else losslessly) with the recognised words as an
invisible text layer (Tesseract's own PDF renderer). searchable_pdf() puts such pages together into the derived
copy that a PDF reader can search; the signed original is never touched.
"""

from __future__ import annotations

import io
import re
import statistics
import tempfile
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
import pytesseract
from PIL import Image
from pytesseract.pytesseract import run_tesseract

from domain import jobs

LANG = "vie"
PAGE_TIMEOUT = 120  # seconds of tesseract for one run, at most: less when the reading job has less left
MIN_UPRIGHT_CONFIDENCE = 70  # below this mean word confidence a page may lie turned: orientation is checked
WORSE_BY = 10  # the reading of the page set upright is kept unless its confidence is lower by this much
# Shown inside the derived PDF's properties too: whoever opens it later sees what it is.
DERIVED_SUBJECT = "Bản sao có lớp chữ từ nhận dạng (OCR); không phải bản gốc có chữ ký."
UPRIGHT_JPEG_QUALITY = 92  # a turned JPEG scan set upright for its searchable page: no visible loss
# How to set upright a picture that OSD says must be turned so many degrees clockwise.
_UPRIGHT = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
_LINE_BOX = re.compile(r"class='ocr_(?:line|header|caption|textfloat)'[^>]*?title=\"bbox (\d+) (\d+) (\d+) (\d+)")
_WORD_CONFIDENCE = re.compile(r"x_wconf (\d+)")


@dataclass
class PageText:
    text: str
    turned: int = 0  # degrees the page lay turned (counter-clockwise; set upright clockwise): 0, 90, 180 or 270
    pdf: bytes | None = None  # the page with its invisible text layer, when asked
    confidence: float = 0.0  # Tesseract's mean word confidence, 0–100 (0: no words)
    on_end: bool = False  # most lines stood on end: read as vertical text, the page lay sideways

    @property
    def looks_upright(self) -> bool:
        return self.confidence >= MIN_UPRIGHT_CONFIDENCE and not self.on_end


@cache
def detects_orientation() -> bool:
    """Whether Tesseract's orientation model (osd) is installed; without it pages are read as they lie."""
    try:
        return "osd" in pytesseract.get_languages(config="")
    except (pytesseract.TesseractError, OSError, RuntimeError):
        return False


def read_page(picture: Image.Image | Path | str, dpi: int | None = None, pdf: bool = False) -> PageText:
    """Tesseract's Vietnamese reading of one page picture (a file, or an image saved losslessly for it); `dpi` is
    the picture's resolution on the page (it sizes the PDF page). A page that reads as if turned is checked with
    OSD, set upright and read again. Raises pytesseract.TesseractError, OSError, or RuntimeError on timeout."""
    with tempfile.TemporaryDirectory(prefix="vanban-page-") as folder:
        first = _run(picture, Path(folder) / "first", dpi, pdf)
        if first.looks_upright or not detects_orientation():
            return first
        turned = _turn_found(picture, dpi)
        if turned not in _UPRIGHT:
            return first
        again = _run(_upright(picture, turned, Path(folder)), Path(folder) / "again", dpi, pdf)
        again.turned = turned
        return again if again.confidence >= first.confidence - WORSE_BY else first


def _run(picture: Image.Image | Path | str, base: Path, dpi: int | None, pdf: bool) -> PageText:
    """One tesseract run: text, hOCR and, when asked, the page as a PDF, written beside `base`."""
    path = _as_file(picture, base)
    outputs = ["txt", "hocr"] + (["pdf"] if pdf else [])
    run_tesseract(str(path), str(base), " ".join(outputs), LANG, config="--psm 3" + _dpi(dpi),
                  timeout=jobs.time_left(PAGE_TIMEOUT))
    hocr = base.with_suffix(".hocr").read_text("utf-8", "replace")
    confidences = [int(c) for c in _WORD_CONFIDENCE.findall(hocr)]
    boxes = [tuple(map(int, box)) for box in _LINE_BOX.findall(hocr)]
    on_end = sum(y1 - y0 > x1 - x0 for x0, y0, x1, y1 in boxes)
    return PageText(base.with_suffix(".txt").read_text("utf-8", "replace"), 0,
                    base.with_suffix(".pdf").read_bytes() if pdf else None,
                    statistics.fmean(confidences) if confidences else 0.0, on_end * 2 > len(boxes) > 0)


def _turn_found(picture: Image.Image | Path | str, dpi: int | None) -> int:
    """Tesseract's orientation detection: how many degrees clockwise set the page upright (0 when it cannot tell,
    a page with too few letters)."""
    try:
        osd = pytesseract.image_to_osd(picture if isinstance(picture, Image.Image) else str(picture),
                                       config="--psm 0" + _dpi(dpi), output_type=pytesseract.Output.DICT,
                                       timeout=jobs.time_left(PAGE_TIMEOUT))
    except pytesseract.TesseractError:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _dpi(dpi: int | None) -> str:
    return f" --dpi {dpi}" if dpi else ""


def _as_file(picture: Image.Image | Path | str, base: Path) -> Path:
    if isinstance(picture, Image.Image):
        path = base.with_suffix(".png")
        picture.save(path, "PNG", compress_level=1)  # a moment's work: the file lives for one run
        return path
    return Path(picture)


def _upright(picture: Image.Image | Path | str, turned: int, folder: Path) -> Path:
    """The picture turned back upright, as a file: a JPEG scan again as a JPEG of high quality (the searchable page
    stays the size of a scan), anything else losslessly."""
    with nullcontext(picture) if isinstance(picture, Image.Image) else Image.open(picture) as image:
        jpeg = image.format == "JPEG"
        upright = image.transpose(_UPRIGHT[turned])
    path = folder / ("upright.jpg" if jpeg else "upright.png")
    upright.save(path, **({"quality": UPRIGHT_JPEG_QUALITY} if jpeg else {"compress_level": 1}))
    return path


def searchable_pdf(original: bytes, pages: dict[int, PageText]) -> bytes:
    """The derived copy: every page of the original, each page that was read (by number, from 1) replaced by
    Tesseract's page of it (upright). Raises pikepdf.PdfError if a page cannot be put in."""
    with ExitStack() as opened:
        # Pages copied from another file keep reading its streams until the copy is written: all stay open.
        source = opened.enter_context(pikepdf.open(io.BytesIO(original)))
        out = opened.enter_context(pikepdf.new())
        for number, page in enumerate(source.pages, start=1):
            read = pages.get(number)
            if read is None or read.pdf is None:
                out.pages.append(page)
                continue
            one = opened.enter_context(pikepdf.open(io.BytesIO(read.pdf)))
            out.pages.append(one.pages[0])
        out.docinfo["/Subject"] = DERIVED_SUBJECT
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
