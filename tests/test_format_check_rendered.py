"""The checks of the printed pages (docgen.rendered_checks): the application's documents pass, and each rendered
rule finds a document that breaks it. Every document of this module is rendered in ONE LibreOffice run
(docgen.pdf.convert_batch fills the conversion cache that check_rendered then reads)."""

from __future__ import annotations

import shutil

import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen import pdf
from docgen.rendered_checks import check_rendered
from domain.format_check import check_docx

try:  # tests/ on sys.path (pytest's default) or the project root (python -m pytest)
    import format_check_fixtures as fx
except ImportError:  # pragma: no cover
    from tests import format_check_fixtures as fx

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(pdf.libreoffice_path() is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed"),
]


def page_break_before(d, element) -> None:
    p = OxmlElement("w:p")
    element.addprevious(p)
    from_p = fx.Paragraph(p, d._body)
    from_p.add_run().add_break(WD_BREAK.PAGE)


def blank_last_page(d) -> None:
    page_break_before(d, d.element.body.findall(qn("w:p"))[-1])


def signature_on_its_own_page(d) -> None:
    page_break_before(d, d.element.body.findall(qn("w:tbl"))[-1])


DOCUMENTS = {
    "plan": fx.correct("plan"),
    "cv": fx.correct("cv"),
    "report": fx.correct("report"),
    "rendered.quoc_hieu.one_line": fx.broken("plan", fx.narrow_motto_cell),
    "rendered.blank_page": fx.broken("plan", blank_last_page),
    "rendered.page_numbers.first": fx.broken("plan", fx.first_page_number),
    "rendered.page_numbers.missing": fx.broken("plan", fx.no_page_number),
    "rendered.signature.split": fx.broken("plan", signature_on_its_own_page),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    cache = tmp_path_factory.mktemp("pdf-cache")
    pdf.convert_batch(list(DOCUMENTS.values()), cache)
    return {name: check_rendered(data, check_docx(data), cache_dir=cache) for name, data in DOCUMENTS.items()}


@pytest.mark.parametrize("name", ["plan", "cv", "report"])
def test_the_applications_documents_pass_when_printed(rendered, name):
    report = rendered[name]
    assert report.rendered and report.pages >= 1
    assert report.findings == []


def test_page_counts_are_what_the_documents_print_on(rendered):
    assert rendered["cv"].pages == 1
    assert 2 <= rendered["plan"].pages <= 4
    assert rendered["report"].pages > rendered["plan"].pages - 2


@pytest.mark.parametrize("rule", [name for name in DOCUMENTS if name.startswith("rendered.")])
def test_each_rendered_rule_finds_the_document_that_breaks_it(rendered, rule):
    found = [f for f in rendered[rule].findings if f.rule == rule]
    assert found, [(f.rule, f.message) for f in rendered[rule].findings]
    assert all(f.page is not None and f.is_error for f in found)
    for name in ("plan", "cv", "report"):
        assert not [f for f in rendered[name].findings if f.rule == rule]


def test_the_blank_page_is_named(rendered):
    report = rendered["rendered.blank_page"]
    blank = next(f for f in report.findings if f.rule == "rendered.blank_page")
    assert blank.page == report.pages
