"""The demo plan as LibreOffice prints it, and the PDF converter's own guarantees.

Tests marked `libreoffice` render for real (CI installs LibreOffice and poppler-utils); they are
skipped, with the reason, only where soffice is missing. The converter tests below them use a fake
soffice and run everywhere.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from docgen import build_docx, pdf
from docgen.pdf import PdfConversionFailed, PdfUnavailable, convert_docx_to_pdf

try:  # tests/ on sys.path (pytest's default) or the project root (python -m pytest)
    from docgen_fixtures import demo_plan
except ImportError:  # pragma: no cover
    from tests.docgen_fixtures import demo_plan

needs_libreoffice = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(pdf.libreoffice_path() is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed"),
]

A4_POINTS = (595.3, 841.9)


def poppler(*args: str) -> str:
    return subprocess.run(args, capture_output=True, check=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    target = out / "plan.pdf"
    target.write_bytes(convert_docx_to_pdf(build_docx(demo_plan()), out / "cache", timeout=120))
    return target


def words(pdf_file: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of one page, in points from the top left."""
    html = poppler("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf_file), "-")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, html)]


def find_line(page_words, phrase: str):
    """The words of `phrase` if they appear consecutively, else None."""
    wanted = phrase.split()
    texts = [w[4] for w in page_words]
    for i in range(len(texts) - len(wanted) + 1):
        if texts[i : i + len(wanted)] == wanted:
            return page_words[i : i + len(wanted)]
    return None


def _pdfinfo(pdf_file: Path) -> dict[str, str]:
    info = poppler("pdfinfo", str(pdf_file))
    return dict(line.split(":", 1) for line in info.splitlines() if ":" in line)


class TestDemoPlanRendered:
    pytestmark = needs_libreoffice

    def test_two_to_four_a4_pages(self, plan_pdf):
        info = _pdfinfo(plan_pdf)
        assert 2 <= int(info["Pages"]) <= 4
        width, height = map(float, re.findall(r"[\d.]+", info["Page size"])[:2])
        assert (round(width, 1), round(height, 1)) == A4_POINTS

    def test_text_in_the_order_of_the_document(self, plan_pdf):
        text = poppler("pdftotext", str(plan_pdf), "-")
        marks = [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "KẾ HOẠCH",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "II. NỘI DUNG TUYÊN TRUYỀN",
            "III. TỔ CHỨC THỰC HIỆN",
            "tổng hợp báo cáo./.",
            "Nơi nhận:",
        ]
        positions = [text.find(m) for m in marks]
        assert -1 not in positions, dict(zip(marks, positions, strict=True))
        assert positions == sorted(positions)

    def test_quoc_hieu_on_one_line(self, plan_pdf):
        line = find_line(words(plan_pdf, 1), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert line is not None
        assert len({round(w[1]) for w in line}) == 1  # every word on the same baseline

    def test_number_and_date_on_the_same_visual_line(self, plan_pdf):
        page = words(plan_pdf, 1)
        number = find_line(page, "Số: 05/KH-MTTQ-BTT")
        when = find_line(page, "Ninh Bình, ngày 01 tháng 5 năm 2026")
        assert number and when
        assert abs(number[0][3] - when[0][3]) < 3  # bottoms within 3 pt
        assert number[-1][2] < when[0][0]  # number on the left, date on the right

    def test_signature_block_beside_noi_nhan(self, plan_pdf):
        pages = int(_pdfinfo(plan_pdf)["Pages"])
        page = words(plan_pdf, pages)
        label = find_line(page, "Nơi nhận:")
        authority = find_line(page, "TM. BAN THƯỜNG TRỰC")
        assert label and authority
        assert abs(label[0][1] - authority[0][1]) < 6
        assert authority[0][0] > label[-1][2]

    def test_page_number_from_page_two_only(self, plan_pdf):
        top_margin = 20 / 25.4 * 72
        first = [w for w in words(plan_pdf, 1) if w[3] < top_margin]  # wholly inside the margin
        assert first == []
        second = [w for w in words(plan_pdf, 2) if w[3] < top_margin]
        assert [w[4] for w in second] == ["2"]
        x_centre = (second[0][0] + second[0][2]) / 2
        content_centre = (30 + (210 - 15)) / 2 / 25.4 * 72
        assert abs(x_centre - content_centre) < 5

    def test_only_liberation_serif_or_times_fonts(self, plan_pdf):
        listing = poppler("pdffonts", str(plan_pdf)).splitlines()[2:]
        names = [line.split()[0].split("+")[-1] for line in listing if line.strip()]
        assert names
        assert all(re.match(r"(LiberationSerif|TimesNewRoman)", n) for n in names), names


# --- the converter, with a fake soffice -----------------------------------------------------------

FAKE_SOFFICE = textwrap.dedent(
    """\
    #!{python}
    import os, sys, time, pathlib
    state = pathlib.Path({state!r})
    args = sys.argv[1:]
    profile = next(a for a in args if a.startswith("-env:UserInstallation=file:///"))
    outdir = pathlib.Path(args[args.index("--outdir") + 1])
    source = pathlib.Path(args[-1])
    marker = state / f"running-{{os.getpid()}}"
    marker.touch()
    running = len(list(state.glob("running-*")))
    with open(state / "log", "a") as log:
        log.write(f"{{running}} {{profile}}\\n")
    time.sleep(float(os.environ.get("FAKE_SOFFICE_SLEEP", "0.3")))
    marker.unlink()
    (outdir / (source.stem + ".pdf")).write_bytes(b"%PDF-fake " + source.read_bytes()[:16])
    """
)


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    state = tmp_path / "state"
    state.mkdir()
    script = tmp_path / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable, state=str(state)))
    script.chmod(0o755)
    monkeypatch.setattr(pdf, "libreoffice_path", lambda: str(script))
    return state


def test_missing_libreoffice_raises_pdf_unavailable(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "libreoffice_path", lambda: None)
    with pytest.raises(PdfUnavailable, match="LibreOffice"):
        convert_docx_to_pdf(b"docx", tmp_path)


def test_result_is_cached_by_sha256_and_written_atomically(tmp_path, fake_soffice, monkeypatch):
    first = convert_docx_to_pdf(b"same bytes", tmp_path / "cache")
    monkeypatch.setattr(pdf, "libreoffice_path", lambda: None)  # a second conversion would fail
    assert convert_docx_to_pdf(b"same bytes", tmp_path / "cache") == first
    files = list((tmp_path / "cache").iterdir())
    assert [f.name for f in files] == [f"{hashlib.sha256(b'same bytes').hexdigest()}.pdf"]


def test_at_most_two_conversions_at_once_each_with_its_own_profile(tmp_path, fake_soffice):
    threads = [
        threading.Thread(target=convert_docx_to_pdf, args=(f"docx {i}".encode(), tmp_path / "cache"))
        for i in range(5)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log = (fake_soffice / "log").read_text().splitlines()
    assert len(log) == 5
    assert max(int(line.split()[0]) for line in log) <= pdf.MAX_CONCURRENT
    assert len({line.split()[1] for line in log}) == 5  # a profile directory per conversion


def test_timeout_raises_conversion_failed_and_kills_the_process(tmp_path, fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE_SLEEP", "30")
    started = time.monotonic()
    with pytest.raises(PdfConversionFailed, match="quá"):
        convert_docx_to_pdf(b"slow", tmp_path / "cache", timeout=0.5)
    assert time.monotonic() - started < 10
    assert not list((tmp_path / "cache").glob("*.pdf"))


def test_failure_raises_conversion_failed(tmp_path, monkeypatch):
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    script.chmod(0o755)
    monkeypatch.setattr(pdf, "libreoffice_path", lambda: str(script))
    with pytest.raises(PdfConversionFailed, match="broken"):
        convert_docx_to_pdf(b"x", tmp_path / "cache")
