"""Reading the text of a signed copy: its PDF text layer when it has one, else Tesseract's Vietnamese OCR of its
pages (each page's picture, taken out with poppler's pdfimages at its own resolution, or the page drawn by pdftoppm,
read by domain.register.ocr_pages: a page fed sideways or upside down is found turned and read upright). Asked for,
the same runs give the searchable copy: a separate PDF with an invisible text layer; the upload itself is never
changed.

pytesseract + pdftoppm rather than ocrmypdf: the text (to compare with the register and to search) is what counts,
and Tesseract's own PDF renderer gives the searchable copy from the run that reads the text; ocrmypdf would bring
Ghostscript and its own page pipeline (rasterising, image optimisation, PDF/A) for the same copy.

Limits, so a hostile or odd file costs bounded time and memory: at most MAX_PAGES pages are read (a PDF claiming
thousands of pages is read for its first ones, with a note), a page is drawn at most MAX_PAGE_PIXELS (the dpi is
lowered for an oversized page), each tool call has a timeout: its own cap, shortened to what is left of the reading
job's time limit (MAX_PAGES × PAGE_BUDGET_SECONDS, domain.jobs.time_left), so a pathological page cannot hold the
worker past it. The searchable copy stops at SEARCHABLE_MAX_BYTES.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
import pytesseract
from PIL import Image, UnidentifiedImageError

from domain import jobs
from domain.register.ocr_pages import LANG, PageText, read_page, searchable_pdf

DPI = 300
MAX_PAGES = 10  # a signed copy is a few pages; the number, date and trích yếu are on the first
MAX_PAGE_PIXELS = 40_000_000  # A3 at 300 dpi is 17 MP; beyond this the page is drawn at a lower dpi
MIN_DPI = 100  # below this Vietnamese diacritics are unreadable: such a page is not read
MAX_IMAGE_PIXELS = 60_000_000  # the same limit as an uploaded scan (domain.register.scans)
PAGE_BUDGET_SECONDS = 60  # the reading job's time limit is this per page read (a page takes a few seconds)
RENDER_TIMEOUT = 60
# One tesseract thread per page: its OpenMP threads would compete with the web server and the worker's other jobs on
# a small machine; the worker's threads read several copies side by side instead.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# The searchable copy keeps each page's picture: a 300 dpi JPEG scan is 0.3–1.5 MB a page. A file whose pages
# would make it larger (pages drawn from huge vector pages, say) gets none, and its reading says so.
SEARCHABLE_MAX_BYTES = 60 * 1024 * 1024
TEXT_LAYER_MIN = 20  # letters and digits: fewer than this and the PDF is treated as a scan

MSG_NO_TESSERACT = ("Máy chủ chưa cài Tesseract với tiếng Việt (gói tesseract-ocr và tesseract-ocr-vie), "
                    "nên chưa đọc được chữ trên bản quét.")
MSG_UNREADABLE_PDF = "Tệp PDF bị hỏng hoặc có mật khẩu; không đọc được các trang để nhận dạng chữ."
MSG_IMAGE_TOO_LARGE = "Ảnh quá lớn{size}: quá 60 triệu điểm ảnh, không nhận dạng chữ được. Hãy quét ở 200–300 dpi."
MSG_BROKEN_IMAGE = "Ảnh bị hỏng hoặc không đọc được; không nhận dạng chữ được."
NOTE_CAPPED = "Tệp có {total:,} trang; chỉ nhận dạng chữ {read} trang đầu."
NOTE_PAGE_SKIPPED = "Trang {page} không đọc được ({why})."
NOTE_NO_TEXT = "Không nhận ra chữ nào trên bản quét (ảnh mờ, trắng hoặc hỏng)."
NOTE_NO_SEARCHABLE = "Không tạo bản PDF có thể tìm kiếm: {why}."


class OcrError(Exception):
    """The file cannot be read at all; the message says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Reading:
    text: str
    ocr: bool  # False: the PDF's own text layer
    pages_read: int = 0
    pages_total: int = 0
    notes: list[str] | None = None
    seconds: float = 0.0
    turned: list[int] | None = None  # each page read: the degrees it lay turned (0 upright, 90, 180, 270)
    searchable: bytes | None = None  # the derived PDF with a text layer, when asked for and text was found

    @property
    def note(self) -> str:
        return " ".join(self.notes or [])


@cache
def available() -> bool:
    """Whether tesseract and its Vietnamese model are installed."""
    if shutil.which("tesseract") is None:
        return False
    try:
        return LANG in pytesseract.get_languages(config="")
    except (pytesseract.TesseractError, OSError, RuntimeError):
        return False


def text_layer(data: bytes, pages: int = 3) -> str:
    """The text layer of the first pages ("" for an image-only scan or when pdftotext is not installed)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return ""
    try:
        result = subprocess.run([tool, "-l", str(pages), "-enc", "UTF-8", "-", "-"], input=data,
                                capture_output=True, timeout=jobs.time_left(RENDER_TIMEOUT), check=False)
    except (subprocess.TimeoutExpired, OSError):
        return ""
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else ""


def has_text_layer(text: str) -> bool:
    return sum(c.isalnum() for c in text) >= TEXT_LAYER_MIN


def page_sizes(data: bytes) -> list[tuple[float, float, int]]:
    """Each of the first MAX_PAGES pages' (width, height) in points and /Rotate, then (0, 0, 0) for every other
    page, without drawing anything."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            total = len(pdf.pages)
            sizes = []
            for page in pdf.pages[:MAX_PAGES]:
                box = [float(x) for x in page.mediabox]
                rotate = int(page.obj.get("/Rotate", 0)) % 360
                sizes.append((abs(box[2] - box[0]), abs(box[3] - box[1]), rotate))
            return sizes + [(0.0, 0.0, 0)] * (total - len(sizes))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, TypeError, OSError, RecursionError) as exc:
        raise OcrError(MSG_UNREADABLE_PDF) from exc


def page_dpi(width_pt: float, height_pt: float, dpi: int = DPI) -> int:
    """The dpi to draw a page at: `dpi`, lowered so the page stays within MAX_PAGE_PIXELS."""
    area_in = (width_pt / 72) * (height_pt / 72)
    if area_in <= 0:
        return dpi
    return min(dpi, int(math.sqrt(MAX_PAGE_PIXELS / area_in)))


def _draw(data_path: Path, page: int, dpi: int, out: Path) -> Path:
    """One page as a grey PNG (pdftoppm); raises OSError/TimeoutExpired/CalledProcessError on failure."""
    stem = out / f"p{page}"
    subprocess.run(["pdftoppm", "-gray", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(data_path), str(stem)], capture_output=True, timeout=jobs.time_left(RENDER_TIMEOUT),
                   check=True)
    return stem.with_suffix(".png")


def _scanned_image(data_path: Path, page: int, out: Path) -> tuple[Path, int] | None:
    """The page's one picture as it is stored (a scan: JPEG, or lossless as PNG) and its resolution on the page,
    when the page is just that: read at its own resolution, it costs no drawing and no resampling. None when the
    page is anything else."""
    listing = subprocess.run(["pdfimages", "-list", "-f", str(page), "-l", str(page), str(data_path)],
                             capture_output=True, text=True, timeout=jobs.time_left(RENDER_TIMEOUT), check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.split()]
    if len(rows) != 1 or rows[0][2] != "image":
        return None
    width, height, encoding, ppi = int(rows[0][3]), int(rows[0][4]), rows[0][8], int(rows[0][12])
    if width * height > MAX_PAGE_PIXELS or ppi < MIN_DPI or encoding not in ("jpeg", "image"):
        return None
    stem = out / f"i{page}"
    subprocess.run(["pdfimages", "-f", str(page), "-l", str(page), "-j", "-png", str(data_path), str(stem)],
                   capture_output=True, timeout=jobs.time_left(RENDER_TIMEOUT), check=True)
    pictures = sorted(out.glob(f"i{page}-*"))
    return (pictures[0], ppi) if len(pictures) == 1 else None


def read_pdf(data: bytes, progress: Callable[[int, int], None] | None = None, dpi: int = DPI, *,
             searchable: bool = False) -> Reading:
    """OCR of a PDF's first MAX_PAGES pages (with `searchable`, and when text was found, the derived PDF with a text
    layer too). Raises OcrError if the file cannot be opened or tesseract is missing; a page that cannot be drawn
    or read is skipped with a note."""
    if not available():
        raise OcrError(MSG_NO_TESSERACT)
    started = time.perf_counter()
    sizes = page_sizes(data)
    total, wanted = len(sizes), min(len(sizes), MAX_PAGES)
    notes = [NOTE_CAPPED.format(total=total, read=wanted).replace(",", ".")] if total > wanted else []
    pages: dict[int, PageText] = {}
    with tempfile.TemporaryDirectory(prefix="vanban-ocr-") as folder:
        source = Path(folder) / "copy.pdf"
        source.write_bytes(data)
        for number, (width, height, rotate) in enumerate(sizes[:wanted], start=1):
            if progress:
                progress(number, wanted)
            page_dpi_ = page_dpi(width, height, dpi)
            if page_dpi_ < MIN_DPI:
                notes.append(NOTE_PAGE_SKIPPED.format(page=number, why="trang quá khổ"))
                continue
            try:
                picture, picture_dpi = (None if rotate else _scanned_image(source, number, Path(folder))) \
                    or (_draw(source, number, page_dpi_, Path(folder)), page_dpi_)
                pages[number] = read_page(picture, picture_dpi, pdf=searchable)
                picture.unlink(missing_ok=True)
                if searchable and sum(len(p.pdf or b"") for p in pages.values()) > SEARCHABLE_MAX_BYTES:
                    searchable = False
                    notes.append(NOTE_NO_SEARCHABLE.format(why="các trang quá lớn"))
            except (subprocess.SubprocessError, OSError, RuntimeError, pytesseract.TesseractError) as exc:
                why = "quá thời gian" if "timeout" in str(exc).lower() or isinstance(exc, subprocess.TimeoutExpired) \
                    else "trang hỏng"
                notes.append(NOTE_PAGE_SKIPPED.format(page=number, why=why))
    text = "\n\f".join(p.text for p in pages.values())
    if not has_text_layer(text):
        notes.append(NOTE_NO_TEXT)
    derived = None
    if searchable and has_text_layer(text):
        try:
            derived = searchable_pdf(data, pages)
        except (pikepdf.PdfError, ValueError, OSError):
            notes.append(NOTE_NO_SEARCHABLE.format(why="không ghép được các trang"))
    return Reading(text, True, len(pages), total, notes, time.perf_counter() - started,
                   [p.turned for p in pages.values()], derived)


def read_image(data: bytes) -> Reading:
    """OCR of one image file (JPEG, PNG …), refused with OcrError if it is broken or too large."""
    if not available():
        raise OcrError(MSG_NO_TESSERACT)
    started = time.perf_counter()
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                size = f" ({width:,} × {height:,} điểm ảnh)".replace(",", ".")
                raise OcrError(MSG_IMAGE_TOO_LARGE.format(size=size))
            image.load()
            page = read_page(image.convert("L"))
    except Image.DecompressionBombError as exc:
        raise OcrError(MSG_IMAGE_TOO_LARGE.format(size="")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, pytesseract.TesseractError) as exc:
        raise OcrError(MSG_BROKEN_IMAGE) from exc
    notes = [] if has_text_layer(page.text) else [NOTE_NO_TEXT]
    return Reading(page.text, True, 1, 1, notes, time.perf_counter() - started, [page.turned])


def read_text(data: bytes, is_pdf: bool, progress: Callable[[int, int], None] | None = None) -> Reading:
    """What a copy says: a PDF's text layer if it has one, else OCR (of the PDF's pages or of the image)."""
    if not is_pdf:
        return read_image(data)
    layer = text_layer(data)
    if has_text_layer(layer):
        return Reading(layer, False)
    return read_pdf(data, progress)
