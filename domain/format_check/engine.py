"""check_docx: open the file, recognize its parts, run every rule module, report."""

from __future__ import annotations

from domain.format_check import findings as F
from domain.format_check import nd30, rules_body, rules_end, rules_header, rules_lines, rules_page
from domain.format_check.checks import Checker, Doc
from domain.format_check.findings import CheckReport
from domain.format_check.formatting import Styles
from domain.format_check.package import open_package
from domain.format_check.paragraphs import paragraphs
from domain.format_check.recognize import Title, find_header, find_title, skip_to_body
from domain.format_check.recognize_end import find_end
from models.choices import KINDS

RULE_MODULES = (rules_page, rules_header, rules_lines, rules_body, rules_end)


def kind_name(kind: str | None) -> str | None:
    """A kind given as the application's code (models.choices.KINDS) or as a tên loại ("Kế hoạch")."""
    if kind is None:
        return None
    if kind in KINDS:
        return KINDS[kind].name
    return kind


def recognize(data: bytes, kind: str | None = None) -> Doc:
    package = open_package(data)
    styles = Styles(package.styles, package.theme)
    paras = paragraphs(package.document, styles)
    title = find_title(paras, 0)
    header = find_header(paras, title.title.para.index if title.title else None, title.boxed)
    if title.title is None:
        title = Title()  # no tên loại (a Công văn): the body starts after the header and any Kính gửi
        title.end = skip_to_body(paras, header.end, title)
    end = find_end(paras, title.end)
    stop = end.start if end.start is not None else (end.annexes[0].label.para.index if end.annexes else len(paras))
    body = [p for p in paras[title.end : stop]]
    recognized = title.kind or (nd30.CONG_VAN if header.vv is not None else None)
    doc = Doc(package, styles, paras, header, title, end, body, kind_name(kind) or recognized)
    doc.element_of = _element_map(doc)
    return doc


def _element_map(doc: Doc) -> dict[int, str]:
    """Paragraph index -> the element it belongs to (for a line holding several, as a tab-typed header line does,
    the last recognized; `element_spans` lists them all)."""
    found: dict[int, str] = {}
    for p in doc.header.paras:
        found[p.index] = F.HEADER
    for p in doc.body:
        found.setdefault(p.index, F.BODY)
    e = doc.end
    if e.start is not None:
        for p in doc.paras[e.start : e.stop or e.start]:
            found.setdefault(p.index, F.SIGNATURE)
    for key, spans in element_spans(doc).items():
        for span in spans:
            found[span.para.index] = key
    if e.annexes:
        for p in doc.paras[e.annexes[0].label.para.index :]:
            found[p.index] = F.ANNEX
    return found


def element_spans(doc: Doc) -> dict[str, list]:
    """Each recognized element's lines (spans), in the order the elements read."""
    h, t, e = doc.header, doc.title, doc.end
    spans = {
        F.QUOC_HIEU: [h.quoc_hieu], F.TIEU_NGU: [h.tieu_ngu], F.ISSUER: h.chu_quan + h.issuer,
        F.NUMBER: [h.number, h.vv], F.PLACE_DATE: [h.place_date], F.TITLE: [t.title], F.TRICH_YEU: t.trich_yeu,
        F.NOI_NHAN: [p.span() for p in t.kinh_gui] + [e.label, *e.entries], F.SIGNATURE: [*e.heads, e.name],
    }  # fmt: skip
    return {key: [s for s in found if s is not None] for key, found in spans.items()}


def _elements(doc: Doc) -> dict[str, list[int]]:
    """Element -> the paragraphs it covers; a paragraph may be in several (a tab-typed header line)."""
    elements: dict[str, set[int]] = {}
    for index, key in doc.element_of.items():
        elements.setdefault(key, set()).add(index)
    for key, spans in element_spans(doc).items():
        for span in spans:
            elements.setdefault(key, set()).add(span.para.index)
    return {key: sorted(indexes) for key, indexes in elements.items() if indexes}


def check_docx(data: bytes, *, kind: str | None = None) -> CheckReport:
    """The static checks of a .docx (no rendering). Raises FormatCheckError (Vietnamese) for a file it cannot read."""
    doc = recognize(data, kind)
    checker = Checker()
    for module in RULE_MODULES:
        module.check(doc, checker)
    return CheckReport(findings=checker.findings, elements=_elements(doc), rendered=False, pages=None,
                       paragraph_texts=[p.stripped for p in doc.paras], kind=doc.kind)
