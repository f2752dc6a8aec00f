"""Word files written as raw WordprocessingML, for the tests of domain.plans.word and bench/bench_word_reading.py:
each test says in XML exactly what Word stores, and no binary fixture is committed.

    docx(body, numbering=..., styles=..., footnotes=...)   a .docx of these parts
    p("text", num=1, lvl=0, style=None)                     a paragraph (automatically numbered if num is given)
    abstract(1, [("upperRoman", "%1."), ("decimal", "%2.")])  a numbering definition, one level a tuple
    num(5, 1, starts={0: 1})                                a list of that definition, with start overrides
    numbered_plan_docx(tasks)                               the 40-page plan of limits_fixtures, numbered by Word
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from limits_fixtures import HEADER, SIGNATURE, _body

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NAMESPACE}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14"'
)
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx(body: str, numbering: str = "", styles: str = "", footnotes: str = "", namespace: str = W_NAMESPACE) -> bytes:
    """A .docx whose body is `body` (paragraphs and tables as XML), with the given parts' contents; `namespace`
    is the w: namespace (Strict Open XML has its own)."""
    parts = {"styles": styles, "numbering": numbering, "footnotes": footnotes}
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_RELS}/{kind}" Target="{kind}.xml"/>'
                   for i, (kind, content) in enumerate(parts.items(), start=2) if content)  # fmt: skip
    namespaces = NAMESPACES.replace(W_NAMESPACE, namespace)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("word/_rels/document.xml.rels",
                         '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                         f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')  # fmt: skip
        archive.writestr("word/document.xml",
                         f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {namespaces}>'
                         f"<w:body>{body}<w:sectPr/></w:body></w:document>")  # fmt: skip
        for kind, content in parts.items():
            if content:
                archive.writestr(f"word/{kind}.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                                     f"<w:{kind} {namespaces}>{content}</w:{kind}>")  # fmt: skip
    return out.getvalue()


def run(text: str, props: str = "") -> str:
    r_pr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{r_pr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def p(text: str = "", num: int | None = None, lvl: int | None = 0, style: str | None = None, inner: str = "") -> str:
    """A paragraph of one run of `text` (and `inner` XML after it), numbered by list `num` at level `lvl`."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        level = f'<w:ilvl w:val="{lvl}"/>' if lvl is not None else ""
        props += f'<w:numPr>{level}<w:numId w:val="{num}"/></w:numPr>'
    p_pr = f"<w:pPr>{props}</w:pPr>" if props else ""
    return f"<w:p>{p_pr}{run(text) if text else ''}{inner}</w:p>"


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "", font: str = "") -> str:
    r_pr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{escape(text, {chr(34): "&quot;"})}"/>{extra}{r_pr}</w:lvl>')  # fmt: skip


def abstract(key: int, levels: list[tuple], extra: str = "") -> str:
    """A definition whose level i is levels[i]: (numFmt, lvlText[, start[, extra XML[, font]]])."""
    body = "".join(level(i, *spec) for i, spec in enumerate(levels))
    return f'<w:abstractNum w:abstractNumId="{key}">{extra}{body}</w:abstractNum>'


def num(num_id: int, definition: int, starts: dict[int, int] | None = None) -> str:
    overrides = "".join(f'<w:lvlOverride w:ilvl="{k}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
                        for k, v in (starts or {}).items())  # fmt: skip
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{definition}"/>{overrides}</w:num>'


def table(rows: list[list[str]], cell_props: dict[tuple[int, int], str] | None = None,
          row_props: dict[int, str] | None = None) -> str:
    """A table of cells given as XML content (use p(...)), with optional tcPr XML per (row, column) and trPr XML
    per row."""
    out = ["<w:tbl><w:tblPr/>"]
    for r, row in enumerate(rows):
        tr_pr = (row_props or {}).get(r)
        out.append(f"<w:tr><w:trPr>{tr_pr}</w:trPr>" if tr_pr else "<w:tr>")
        for c, content in enumerate(row):
            props = (cell_props or {}).get((r, c), "")
            out.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{content or '<w:p/>'}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# The plan's three list levels, as an office sets them up: "I." sections, "1." items, "-" bullets.
PLAN_NUMBERING = abstract(1, [("upperRoman", "%1."), ("decimal", "%2."), ("bullet", "-")]) + num(1, 1)
_TYPED_LABEL = re.compile(r"^(?:([IVX]+)\.|(\d+)\.|(-)) ")


def numbered_plan_docx(tasks: int = 300) -> bytes:
    """limits_fixtures' 40-page plan with `tasks` tasks, its "I.", "1." and "-" kept by Word in numbering.xml."""
    body = [table([["".join(p(line) for line in HEADER[:4]), "".join(p(line) for line in HEADER[4:7])]])]
    body += [p(line) for line in HEADER[7:]]
    for line in _body(tasks):
        m = _TYPED_LABEL.match(line)
        if m is None:
            body.append(p(line))
        else:
            body.append(p(line[m.end():], num=1, lvl=0 if m[1] else 1 if m[2] else 2))
    body.append(table([["".join(p(line) for line in SIGNATURE[:4]), "".join(p(line) for line in SIGNATURE[4:])]]))
    return docx("".join(body), numbering=PLAN_NUMBERING)
