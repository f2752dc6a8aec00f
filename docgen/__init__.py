"""Document fields + outline text -> an official .docx in the format of Nghị định 30/2020/NĐ-CP.

Plain Python: imports neither Flask nor the models. The look of every element is a named style of
docx_templates/base.docx; this package builds the structure and refers to those styles.
"""

from __future__ import annotations

import copy
import io
import zipfile
from functools import cache
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from docgen import annex, kinds, layout
from docgen.body import body_paragraphs
from docgen.fields import DocumentData, Issuer, Signature, Table
from domain.text.vietnamese import number_text, slugify
from models.choices import MODEL_DECISION, MODEL_MINUTES, MODEL_TELEGRAM, get_kind

__all__ = ["DocumentData", "Issuer", "Signature", "Table", "build_docx", "suggested_filename", "TEMPLATE"]

TEMPLATE = Path(__file__).resolve().parent.parent / "docx_templates" / "base.docx"
_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_PROPERTY_MAX = 255


@cache
def _template_bytes() -> bytes:
    """Read once per process: every document starts from the same bytes."""
    return TEMPLATE.read_bytes()


def _deterministic(docx: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps, so the same data gives the same bytes (and the PDF
    cache, keyed by the SHA-256 of the .docx, is hit)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, _FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item))
    return out.getvalue()


def build_docx(data: DocumentData) -> bytes:
    """The .docx bytes of one document. Raises KeyError for an unknown kind; any text is accepted."""
    get_kind(data.kind)
    document = Document(io.BytesIO(_template_bytes()))
    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))

    model = get_kind(data.kind).model
    if data.address:
        kinds.address_footer(document.sections[0], data.address)
    elements = [layout.header_table(data), *layout.title_block(data), *kinds.opening(data)]
    if model != MODEL_TELEGRAM:  # a Công điện lists the bodies it goes to in its opening
        elements += layout.kinh_gui_block(data)
    text = kinds.body_text(data)
    if closing := kinds.closing_line(data):
        text = f"{text.rstrip()}\n{closing}"
    paragraphs = body_paragraphs([] if model == MODEL_DECISION else data.references, text)
    kinds.bold_article_numbers(paragraphs)
    elements += paragraphs
    if model == MODEL_MINUTES:
        elements.append(kinds.minutes_signatures(data, layout.noi_nhan_lines(data)))
    else:
        elements.append(layout.signature_table(data))
    fill_annex_tables = []
    if data.annexes:
        portrait = copy.deepcopy(sect_pr)
        elements.append(layout.section_break(portrait))
        rotated = annex.landscape(sect_pr)
        for index, table in enumerate(data.annexes):
            if index:
                elements.append(layout.section_break(copy.deepcopy(rotated)))
            annex_parts, fill_rows = annex.annex_elements(data, table, index)
            elements += annex_parts
            fill_annex_tables.append(fill_rows)
        body.replace(sect_pr, rotated)
        sect_pr = rotated
    # A document must end with a paragraph; Word would otherwise add a full-height one after the
    # signature table, which can spill onto an empty last page.
    elements.append(layout.section_end_paragraph())
    for element in elements:
        sect_pr.addprevious(element)
    for fill_rows in fill_annex_tables:
        fill_rows()

    _set_properties(document, data)
    out = io.BytesIO()
    document.save(out)
    return _deterministic(out.getvalue())


def _set_properties(document, data: DocumentData) -> None:
    """File properties shown by viewers (the PDF title): the document's own, not the template's."""
    kind = get_kind(data.kind)
    props = document.core_properties
    props.title = _property(f"{kind.name}: {layout.line(data.title)}".rstrip(": "))
    props.subject = _property(layout.number_and_date(data)[0])
    props.author = props.last_modified_by = _property(" ".join(layout.line(t) for t in data.issuer.name_lines))
    props.comments = ""


def _property(text: str) -> str:
    """A file property holds at most 255 characters (python-docx refuses more): a long trích yếu is cut there."""
    return text if len(text) <= _PROPERTY_MAX else text[: _PROPERTY_MAX - 1].rstrip() + "…"


def suggested_filename(data: DocumentData) -> str:
    """ASCII-safe: "KH-05-2026-05-01.docx", or "KH-du-thao.docx" for a draft without a number."""
    code = slugify(data.kind).upper() or "VB"
    if data.number is None:
        return f"{code}-du-thao.docx"
    parts = [code, number_text(data.number)]
    if data.issued_on is not None:
        parts.append(data.issued_on.isoformat())
    return "-".join(parts) + ".docx"
