"""No blank page, whatever the length of the body: the paragraph Word and LibreOffice need after the signature table
takes no room, so a table ending in the very last points of a page never pushes it onto a page of its own (which
printed a blank last page holding only its number).

The rendered test sweeps, for every kind, with and without a signer, bodies whose signature table ends at chosen
distances from the foot of page 1 (2 pt above it down to 1.5 pt below it, in half points), plus bodies ending early
on page 1 and on page 3. To aim, each kind is first laid out once (a probe); the sweep then varies the count
of one-line paragraphs (24.5 pt each: 6 pt before, an 18.5 pt line) and of two-line ones (43 pt), whose mixes reach
every half point. Two LibreOffice runs in all (docgen.pdf.convert_batch); poppler reads the words of each page.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from functools import cache

import pytest
from docx.oxml.ns import qn

from docgen import DocumentData, Signature, build_docx
from docgen import settings as S
from docgen.metrics import text_width_cm
from docgen.pdf import convert_batch, libreoffice_path
from docgen.rendered_checks import pdf_pages
from domain.format_check import check_docx
from models.choices import ERROR, KINDS

try:  # tests/ on sys.path (pytest's default) or the project root
    from docgen_fixtures import DocxView, kind_sample
except ImportError:  # pragma: no cover
    from tests.docgen_fixtures import DocxView, kind_sample

PT_PER_MM = 72 / 25.4
PAGE_FOOT = (S.PAGE_HEIGHT_MM - S.MARGIN_BOTTOM_MM) * PT_PER_MM  # 785.2 pt: where the text area ends
TOP_MARGIN = S.MARGIN_TOP_MM * PT_PER_MM
TEXT_CENTRE = (S.MARGIN_LEFT_MM + (S.PAGE_WIDTH_MM - S.MARGIN_RIGHT_MM)) / 2 * PT_PER_MM
# LibreOffice with Liberation Serif: a line is 1.149 × its size (single); body lines are 115 % of that.
LINE_14 = 1.149 * 14
BODY_LINE = 18.5
# poppler's box of a 14 pt word reaches 0.3 em below the baseline, lower than the line's foot (LibreOffice's descent
# is 0.216 em). Measured: a signed plan's table stays on page 1 while its name's box ends up to 786.8 pt down, and
# goes to page 2 at 787.3 pt; before the fix, every table ending in the last 2.5 pt of page 1 left a blank page 2.
BOX_TO_LINE_FOOT = -1.6
PROBE_PARAGRAPHS = 6
AIMS_SIGNED = (2, 1, 0.5, 0, -1.5)  # pt left between the table and the foot of page 1 (negative: it cannot fit)
AIMS_UNSIGNED = (0.5, -1.5)

needs_libreoffice = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed"),
]

WORDS = "Tuyên truyền, vận động Nhân dân thực hiện tốt các phong trào thi đua yêu nước của Mặt trận".split()
TITLE_WORDS = "Tổ chức Hội nghị tổng kết công tác Mặt trận và phong trào thi đua yêu nước năm 2026 tại tỉnh".split()
MAX_LINES = 5  # paragraphs of one to five lines


def _words_for(lines: float, width_cm: float, size: float, bold: bool = False, lead: str = "") -> str:
    """Words of WORDS (or TITLE_WORDS) until the text would fill `lines` lines of `width_cm`."""
    source = TITLE_WORDS if lead == "V/v" or bold else WORDS
    words: list[str] = []
    while text_width_cm(" ".join([lead, *words]), size, bold=bold) < lines * width_cm:
        words.append(source[len(words) % len(source)])
    return " ".join(words)


def paragraph(lines: int, index: int) -> str:
    """A body paragraph of `lines` lines (half a line to spare), the first line indented."""
    width = S.CONTENT_WIDTH_CM
    return f"- {_words_for(lines - 0.5, width, 14, lead='- ' + str(index))} {index};" if lines > 1 else f"- Nội dung {index};"


INTRO = "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh triển khai như sau:"


def body(lines: list[int]) -> str:
    """An opening sentence, then the paragraphs (its one line is in the probe and in every document alike)."""
    return "\n".join([INTRO] + [paragraph(n, i + 1) for i, n in enumerate(lines)])


def title_of(kind: str, lines: int) -> str:
    """A trích yếu that wraps to `lines` lines (half a line to spare either way): a Công văn's in its 13 pt header
    cell, any other's across the page in 14 pt bold."""
    if KINDS[kind].title_line is None:
        return _words_for(lines - 0.5, S.HEADER_COLUMNS_CM[0] - 2 * S.CELL_MARGIN_CM, 13, lead="V/v")
    return _words_for(lines - 0.5, S.CONTENT_WIDTH_CM, 14, bold=True)


def title_line_pt(kind: str) -> float:
    return 1.149 * (13 if KINDS[kind].title_line is None else 14)


def document(kind: str, signed: bool, lines: list[int], title_lines: int = 1) -> DocumentData:
    data = kind_sample(kind)
    if not signed:  # a draft that ends with "TM. BAN THƯỜNG TRỰC" and nothing under it
        data = replace(data, signature=Signature(data.signature.authority, "", "", ""), number=None,
                       issued_on=None, year=2026)
    return replace(data, body=body(lines), title=title_of(kind, title_lines))


PROBE = [1] * PROBE_PARAGRAPHS


def height(lines: list[int]) -> float:
    return sum(S.BODY_SPACE_BEFORE_PT + n * BODY_LINE for n in lines)


def mix_for(kind: str, shift_pt: float) -> tuple[list[int], int]:
    """Paragraph lengths and trích yếu lines that move the end `shift_pt` further down than the probe's (one-line
    paragraphs, a one-line trích yếu), as closely as can be. Paragraphs move it by 6 pt + 18.5 pt a line, which
    alone reach only some half points within a page; a trích yếu line (16.1 pt; 14.9 pt in a Công văn's header)
    fills the gaps."""
    target = height(PROBE) + shift_pt
    best = None
    for title_lines in (1, 2, 3, 4, 5):
        rest = target - (title_lines - 1) * title_line_pt(kind)
        for total in range(1, int(rest / BODY_LINE) + 1):
            count = round((rest - total * BODY_LINE) / S.BODY_SPACE_BEFORE_PT)
            if not -(-total // MAX_LINES) <= count <= total:
                continue
            error = abs(rest - total * BODY_LINE - count * S.BODY_SPACE_BEFORE_PT)
            if best is None or error < best[0]:
                extra, lengths = total - count, []
                for _ in range(count):
                    take = min(MAX_LINES - 1, extra)
                    lengths.append(1 + take)
                    extra -= take
                best = (error, (lengths, title_lines))
    return best[1]


# --- the paragraph after the signature table -------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_body_ends_with_a_paragraph_that_takes_no_room(kind):
    view = DocxView(build_docx(kind_sample(kind)))
    last = view.body.findall(qn("w:p"))[-1]
    assert last.getprevious() is not None and last.getprevious().tag in (qn("w:tbl"), qn("w:p"))
    ppr = last.find(qn("w:pPr"))
    assert ppr.find(qn("w:rPr") + "/" + qn("w:vanish")) is not None, "the paragraph mark is hidden (Word)"
    runs = last.findall(qn("w:r"))
    assert runs and all(r.find(qn("w:rPr") + "/" + qn("w:vanish")) is not None for r in runs), "its text is hidden"
    assert view.spacing_pt(last, "before") == 0 and view.spacing_pt(last, "after") == 0
    assert view.pattr(last, "spacing", "lineRule") == "exact" and int(view.pattr(last, "spacing", "line")) <= 20


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_mix_reaches_every_half_point_of_a_page(kind):
    for half_points in range(500, 900):  # from 250 to 450 pt further down than the probe: where page 1 ends
        lengths, title_lines = mix_for(kind, half_points / 2)
        reached = height(lengths) - height(PROBE) + (title_lines - 1) * title_line_pt(kind)
        assert reached == pytest.approx(half_points / 2, abs=0.3)
        assert max(lengths) <= MAX_LINES


# --- rendered ------------------------------------------------------------------------------------------------------

CASES = [(kind, signed) for kind in KINDS for signed in (True, False)]


def _anchor(page, signed: bool) -> float | None:
    """Where the signature table ends on this page (None: it is not on it): the lower of its two columns. On the
    right, the bottom of the name's line, or, with no name, of the last heading line (TM. …, CHỦ TỌA) plus the
    empty name paragraph under it (72 pt of room to sign and one 14 pt line); on the left, the last Nơi nhận line
    (11 pt, so its box reaches 11/14 as far below its line)."""
    label = page.find("Nơi nhận:")
    if label is None:
        return None
    top = label[0][1] - 40  # a Biên bản's THƯ KÝ stands above its Nơi nhận
    left = [w for w in page.words if w[1] >= label[0][1] and w[2] < TEXT_CENTRE]
    right = [w for w in page.words if w[1] >= top and w[0] > TEXT_CENTRE - 40 and w[3] > TOP_MARGIN]
    feet = [max(w[3] for w in left) + BOX_TO_LINE_FOOT * 11 / 14] if left else []
    if right:
        last = max(right, key=lambda w: w[3])
        feet.append(last[3] + BOX_TO_LINE_FOOT + (0 if signed else S.SIGNATURE_GAP_PT + LINE_14))
    return max(feet)


@cache
def _probes(cache_dir) -> dict:
    docs = [build_docx(document(k, s, PROBE)) for k, s in CASES]
    out = {}
    for case, pdf in zip(CASES, convert_batch(docs, cache_dir), strict=True):
        pages = pdf_pages(pdf)
        assert len(pages) == 1, f"the probe of {case} fits one page"
        out[case] = _anchor(pages[0], case[1])
    return out


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """Every case's documents, rendered: {case: [(label, aim or None, data, docx, pages)]}."""
    if libreoffice_path() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler is not installed")
    cache_dir = tmp_path_factory.mktemp("pdf")
    probes = _probes(cache_dir)
    plan = []
    for kind, signed in CASES:
        case = (kind, signed)
        plan.append((case, "probe", None, document(kind, signed, PROBE)))
        for aim in AIMS_SIGNED if signed else AIMS_UNSIGNED:
            lengths, title_lines = mix_for(kind, PAGE_FOOT - aim - probes[case])
            plan.append((case, f"{aim} pt", aim, document(kind, signed, lengths, title_lines)))
        if signed:
            plan.append((case, "three pages", None, document(kind, signed, [4, 3, 2, 1] * 16, 3)))
    docs = [build_docx(data) for *_, data in plan]
    pdfs = convert_batch(docs, cache_dir, timeout=600)
    result: dict = {}
    for (case, label, aim, data), docx, pdf in zip(plan, docs, pdfs, strict=True):
        result.setdefault(case, []).append((label, aim, data, docx, pdf_pages(pdf)))
    return result


def _number_words(page):
    return [w for w in page.words if w[3] <= TOP_MARGIN]


@pytest.mark.parametrize("kind,signed", CASES)
class TestEveryEndOfPage:
    pytestmark = needs_libreoffice

    def test_no_page_is_blank(self, sweep, kind, signed):
        for label, _, _, _, pages in sweep[(kind, signed)]:
            for page in pages:
                text = [w[4] for w in page.words if w[3] > TOP_MARGIN]
                assert text, f"{label}: page {page.number} of {len(pages)} is blank"

    def test_page_numbers_start_on_page_2(self, sweep, kind, signed):
        for label, _, _, _, pages in sweep[(kind, signed)]:
            assert _number_words(pages[0]) == [], f"{label}: page 1 shows no number"
            for page in pages[1:]:
                numbers = _number_words(page)
                assert [w[4] for w in numbers] == [str(page.number)], f"{label}: page {page.number}"
                centre = (numbers[0][0] + numbers[0][2]) / 2
                assert abs(centre - TEXT_CENTRE) < 3, f"{label}: the number is centred"

    def test_the_sweep_reaches_the_last_points_of_page_1(self, sweep, kind, signed):
        """The aim is true: what was aimed inside the page ends on page 1, what was aimed past it on page 2 (so
        the documents aimed at 2, 1, 0.5 and 0 pt did end in the last points of the page)."""
        for label, aim, _, _, pages in sweep[(kind, signed)]:
            if aim is None:
                continue
            table_page = next(p.number for p in pages if p.find("Nơi nhận:"))
            if aim >= 0.5:
                assert table_page == 1, f"{label}: aimed inside page 1"
                assert PAGE_FOOT - _anchor(pages[0], signed) == pytest.approx(aim, abs=0.5)
            if aim < 0:
                assert table_page == 2, f"{label}: aimed past page 1"
            assert len(pages) == table_page, f"{label}: nothing after the signature table"

    def test_the_checker_finds_no_error(self, sweep, kind, signed):
        for label, _, _data, docx, _ in sweep[(kind, signed)]:
            errors = [f for f in check_docx(docx, kind=kind).findings if f.severity == ERROR]
            if not signed:  # no name under the authority line: the one thing wrong with such a draft
                errors = [f for f in errors if f.element != "signature"]
            assert errors == [], f"{label}: {[(f.rule, f.message) for f in errors]}"


def test_a_long_trich_yeu_still_builds():
    """A trích yếu may be 500 characters long; the file's title property holds 255 (it used to fail to build)."""
    data = replace(kind_sample("KH"), title="Tổ chức Hội nghị tổng kết công tác Mặt trận " * 11)
    view = DocxView(build_docx(data))
    assert view.document.core_properties.title.endswith("…") and len(view.document.core_properties.title) == 255
    assert data.title.strip() in view.text.split("\n")  # the page prints all of it
