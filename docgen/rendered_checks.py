"""The checks only the printed pages can answer, from one LibreOffice conversion (docgen.pdf, with its cache):
Quốc hiệu on one line, page numbers from page 2 (none on page 1), no blank page, the signature block on the
page of the body's last lines. Words and their boxes come from poppler's `pdftotext -bbox`.

    check_rendered(data, report, cache_dir=None) -> a new CheckReport with rendered=True, pages and the findings
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from docgen.pdf import PdfConversionFailed, PdfUnavailable, convert_docx_to_pdf
from domain import jobs
from domain.format_check import CheckReport, Finding, nd30
from domain.format_check import findings as F
from domain.format_check.findings import excerpt
from domain.text.vietnamese import fold
from models.choices import ERROR

TOP_MARGIN_PT = 20 / 25.4 * 72  # ND30's smallest top margin: a page number sits above it
CENTRE_TOLERANCE_PT = 40
_PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD_RE = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


class Page:
    def __init__(self, number: int, width: float, words: list[tuple[float, float, float, float, str]]):
        self.number, self.width, self.words = number, width, words
        self.folded = [fold(w[4]) for w in words]

    def find(self, phrase: str) -> list | None:
        """The words of `phrase` where they appear in a row on this page (case and accents ignored)."""
        wanted = fold(phrase).split()
        if not wanted:
            return None
        for i in range(len(self.folded) - len(wanted) + 1):
            if self.folded[i : i + len(wanted)] == wanted:
                return self.words[i : i + len(wanted)]
        return None

    def number_at_top(self) -> str | None:
        for x0, y0, x1, _y1, text in self.words:
            centred = abs((x0 + x1) / 2 - self.width / 2) < CENTRE_TOLERANCE_PT
            if text.isdigit() and y0 < TOP_MARGIN_PT and centred:
                return text
        return None


def pdf_pages(pdf: bytes) -> list[Page]:
    if shutil.which("pdftotext") is None:
        raise PdfUnavailable("Máy chủ chưa cài poppler-utils (pdftotext) nên chưa kiểm tra được bản in.")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        try:
            out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", f.name, "-"], capture_output=True,
                                 check=True, text=True, timeout=jobs.time_left(60)).stdout  # fmt: skip
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfConversionFailed("Không đọc được bản PDF để kiểm tra bản in.") from exc
    pages = []
    for number, (width, _height, body) in enumerate(_PAGE_RE.findall(out), start=1):
        words = [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in _WORD_RE.findall(body)]
        pages.append(Page(number, float(width), words))
    return pages


def check_rendered(data: bytes, report: CheckReport, cache_dir: Path | None = None,
                   timeout: float = 60) -> CheckReport:
    """Render once (PdfUnavailable / PdfConversionFailed from docgen.pdf when LibreOffice cannot) and check."""
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="vanban-check-") as tmp:
            pdf = convert_docx_to_pdf(data, Path(tmp), jobs.time_left(timeout))
    else:
        pdf = convert_docx_to_pdf(data, Path(cache_dir), jobs.time_left(timeout))
    pages = pdf_pages(pdf)
    found = _blank_pages(pages) + _page_numbers(pages) + _quoc_hieu(pages, report) + _signature(pages, report)
    return replace(report, findings=list(report.findings) + found, rendered=True, pages=len(pages))


def _finding(rule: str, element: str, message: str, page: int | None, **more) -> Finding:
    return Finding(rule=rule, severity=ERROR, element=element, message=message, page=page, **more)


def _blank_pages(pages: list[Page]) -> list[Finding]:
    found = []
    for page in pages:
        text = [w for w in page.words if not (w[4].isdigit() and w[1] < TOP_MARGIN_PT)]
        if not text:
            found.append(_finding("rendered.blank_page", F.PAGE, f"Trang {page.number} trống (chỉ có số trang hoặc "
                                  "không có chữ); hãy xóa đoạn trống hoặc ngắt trang thừa.", page.number,
                                  expected="không có trang trống", found="trang trống", source=nd30.SRC_PAGE))
    return found


def _page_numbers(pages: list[Page]) -> list[Finding]:
    found = []
    src = nd30.SRC_PAGE_NUMBERS
    if pages and pages[0].number_at_top() is not None:
        found.append(_finding("rendered.page_numbers.first", F.PAGE_NUMBERS, "Trang 1 không được hiển thị số trang.",
                              1, expected="không có số", found=pages[0].number_at_top(), source=src))
    # The first page of an annex shows no number: its numbering starts again at 1 (ND30 Phụ lục I, III.1.đ).
    missing = [p.number for p in pages[1:] if p.number_at_top() is None and p.folded[:2] != ["phu", "luc"]]
    if missing:
        listed = ", ".join(str(n) for n in missing[:10])
        found.append(_finding("rendered.page_numbers.missing", F.PAGE_NUMBERS, f"Không thấy số trang ở giữa lề trên "
                              f"của trang {listed}; số trang phải có từ trang 2.", missing[0],
                              expected="số trang ở lề trên", found="không có", source=src))
    return found


def _quoc_hieu(pages: list[Page], report: CheckReport) -> list[Finding]:
    indexes = report.elements.get(F.QUOC_HIEU)
    if not pages or not indexes:
        return []
    first = pages[0]
    words = first.find(nd30.QUOC_HIEU)
    if words is not None and len({round(w[3]) for w in words}) == 1:
        return []
    return [_finding("rendered.quoc_hieu.one_line", F.QUOC_HIEU, "Quốc hiệu bị xuống dòng khi in; hãy nới rộng ô "
                     "bên phải của bảng đầu văn bản hoặc giảm cỡ chữ xuống 12–13 pt.", 1, paragraph=indexes[0],
                     text=excerpt(report.paragraph_texts[indexes[0]]), expected="một dòng", found="hai dòng",
                     source=nd30.SRC_QUOC_HIEU)]


def _occurrences(pages: list[Page], phrase: str) -> list[tuple[int, int]]:
    """(page, word index) of every place the phrase is printed, in reading order."""
    wanted = fold(phrase).split()
    found = []
    for page in pages:
        for i in range(len(page.folded) - len(wanted) + 1):
            if wanted and page.folded[i : i + len(wanted)] == wanted:
                found.append((page.number, i))
    return found


def _signature(pages: list[Page], report: CheckReport) -> list[Finding]:
    body = [i for i in report.elements.get(F.BODY, []) if report.paragraph_texts[i]]
    signature = [i for i in report.elements.get(F.SIGNATURE, []) if report.paragraph_texts[i]]
    if not body or not signature:
        return []
    tails = _occurrences(pages, " ".join(report.paragraph_texts[body[-1]].split()[-3:]))
    heads = _occurrences(pages, report.paragraph_texts[signature[0]])
    # The signature's first line right after the body's last words: a body may repeat its closing words, and a
    # form annexed after the signature may repeat its lines.
    head = next((h for h in heads if any(t < h for t in tails)), None)
    if head is None:
        return []
    tail = max(t for t in tails if t < head)
    printed = {head[0]}
    for i in signature[1:]:
        after = [o for o in _occurrences(pages, report.paragraph_texts[i]) if o > head]
        if after:
            printed.add(after[0][0])
    if printed == {tail[0]}:
        return []
    return [_finding("rendered.signature.split", F.SIGNATURE, "Khối chữ ký bị tách khỏi đoạn cuối của nội dung "
                     "(hoặc bị chia qua hai trang); hãy giữ đoạn cuối cùng trang với chữ ký (Giữ với đoạn sau).",
                     max(printed), paragraph=signature[0], text=excerpt(report.paragraph_texts[signature[0]]),
                     expected=f"cùng trang {tail[0]}", found="trang " + ", ".join(str(p) for p in sorted(printed)),
                     source=nd30.SRC_SIGNATURE)]
