"""check_docx: open the file, recognize its parts, run every rule module, report."""

from __future__ import annotations

from domain.format_check import findings as F
from domain.format_check import nd30, rules_body, rules_end, rules_header, rules_page
from domain.format_check.checks import Checker, Doc
from domain.format_check.findings import CheckReport
from domain.format_check.formatting import Styles
from domain.format_check.package import open_package
from domain.format_check.paragraphs import paragraphs
from domain.format_check.recognize import Title, find_header, find_title, skip_to_body
from domain.format_check.recognize_end import find_end
from models.choices import KINDS

RULE_MODULES = (rules_page, rules_header, rules_body, rules_end)


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
    found: dict[int, str] = {}
    h, t, e = doc.header, doc.title, doc.end
    for p in h.paras:
        found[p.index] = F.HEADER
    for key, spans in ((F.QUOC_HIEU, [h.quoc_hieu]), (F.TIEU_NGU, [h.tieu_ngu]), (F.ISSUER, h.chu_quan + h.issuer),
                       (F.NUMBER, [h.number, h.vv]), (F.PLACE_DATE, [h.place_date]), (F.TITLE, [t.title]),
                       (F.TRICH_YEU, t.trich_yeu)):  # fmt: skip
        for span in spans:
            if span is not None:
                found[span.para.index] = key
    for p in doc.body:
        found.setdefault(p.index, F.BODY)
    for p in t.kinh_gui:
        found[p.index] = F.NOI_NHAN
    if e.start is not None:
        for p in doc.paras[e.start : e.stop or e.start]:
            found.setdefault(p.index, F.SIGNATURE)
    for span in [e.label, *e.entries]:
        if span is not None:
            found[span.para.index] = F.NOI_NHAN
    for span in [*e.heads, e.name]:
        if span is not None and found.get(span.para.index) != F.NOI_NHAN:
            found[span.para.index] = F.SIGNATURE
    if e.annexes:
        for p in doc.paras[e.annexes[0].label.para.index :]:
            found[p.index] = F.ANNEX
    return found


def check_docx(data: bytes, *, kind: str | None = None) -> CheckReport:
    """The static checks of a .docx (no rendering). Raises FormatCheckError (Vietnamese) for a file it cannot read."""
    doc = recognize(data, kind)
    checker = Checker()
    for module in RULE_MODULES:
        module.check(doc, checker)
    elements: dict[str, list[int]] = {}
    for index, key in sorted(doc.element_of.items()):
        elements.setdefault(key, []).append(index)
    return CheckReport(findings=checker.findings, elements=elements, rendered=False, pages=None,
                       paragraph_texts=[p.stripped for p in doc.paras], kind=doc.kind)
