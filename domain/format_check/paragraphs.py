"""The document's paragraphs in reading order, each with its text, its runs' effective formats and where it sits.

Order (the `paragraph` index of a finding): the body's children in order; a table's paragraphs row by row, cell
by cell, where the table stands (a nested table inside its cell); the paragraphs of a text box or frame right
after the paragraph that anchors it. Word's second copy of a text box for old readers (mc:Fallback) is skipped,
as are deleted revisions. A paragraph's own text leaves out its text boxes' text. Tabs are "\t" and line breaks
"\n": a header typed with tabs ("ỦY BAN …<tab>CỘNG HÒA …") is split into its parts by `segments`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.format_check.formatting import NO_LINE, ParagraphFormat, RunFormat, Styles
from domain.plans.word.xml import MC, W

V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
_CONTAINERS = {W + t for t in ("hyperlink", "ins", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml",
                               "moveTo", "dir", "bdo")}  # fmt: skip
_LINE_SHAPES = {"line", "straightConnector1", "bentConnector2"}
_SEGMENT_RE = re.compile(r"[^\t\n]+")
DEFAULT_CELL_MARGIN_TWIPS = 108  # Word's 0.19 cm on each side


@dataclass(frozen=True)
class Cell:
    table: int  # the table's number, in document order (0-based, nested tables counted)
    row: int
    column: int
    columns: int  # cells in that row
    width_twips: int | None
    margins_twips: int = 2 * DEFAULT_CELL_MARGIN_TWIPS  # left + right padding of the table's cells
    bordered: bool = False  # the cell's own or its table's borders are drawn

    @property
    def inner_twips(self) -> int | None:
        """The width text can take in the cell."""
        return None if self.width_twips is None else self.width_twips - self.margins_twips


@dataclass
class Para:
    index: int
    element: object = field(repr=False)
    text: str
    pieces: list[tuple[int, int, RunFormat]] = field(repr=False)  # (start, end, format) of each run's text
    mark: RunFormat = field(repr=False)  # the paragraph mark's format (an empty paragraph's size)
    fmt: ParagraphFormat = field(repr=False)
    cell: Cell | None = None
    in_text_box: bool = False
    line_shapes: int = 0  # drawn lines anchored here (rules drawn as shapes)
    section_break: bool = False  # ends a section (its properties are in this paragraph)
    numbered: bool = False  # Word's automatic numbering or bullet (its "-" or "1." is not in the text)

    @property
    def stripped(self) -> str:
        return " ".join(self.text.split())

    def span(self) -> Span:
        start = len(self.text) - len(self.text.lstrip())
        return Span(self, start, len(self.text.rstrip()))


@dataclass(frozen=True)
class Span:
    """A part of one paragraph's text: the whole paragraph, or one tab-separated part of it."""

    para: Para
    start: int
    end: int

    @property
    def text(self) -> str:
        return " ".join(self.para.text[self.start : self.end].split())

    @property
    def formats(self) -> list[RunFormat]:
        """Formats of the runs with visible text inside the span (the mark's for an empty one)."""
        found = [f for s, e, f in self.para.pieces
                 if s < self.end and e > self.start and self.para.text[max(s, self.start): min(e, self.end)].strip()]
        return found or [self.para.mark]

    def sizes(self) -> list[float]:
        return sorted({f.size for f in self.formats})

    def all(self, attribute: str) -> bool:
        return all(getattr(f, attribute) for f in self.formats)

    def any(self, attribute: str) -> bool:
        return any(getattr(f, attribute) for f in self.formats)

    def shown_upper(self) -> bool:
        """Printed in capitals: typed so, or formatted as caps."""
        letters = [ch for ch in self.text if ch.isalpha()]
        return bool(letters) and (all(ch.isupper() for ch in letters) or self.all("caps"))


def segments(para: Para) -> list[Span]:
    """The tab- or line-break-separated parts of a paragraph with text, as spans."""
    spans = []
    for m in _SEGMENT_RE.finditer(para.text):
        raw = m.group()
        if raw.strip():
            start = m.start() + len(raw) - len(raw.lstrip())
            spans.append(Span(para, start, m.start() + len(raw.rstrip())))
    return spans


class _Walker:
    def __init__(self, styles: Styles):
        self.styles = styles
        self.paras: list[Para] = []
        self.tables = 0

    def container(self, element, cell: Cell | None, table, in_box: bool) -> None:
        for child in element:
            if child.tag == W + "p":
                self.paragraph(child, cell, table, in_box)
            elif child.tag == W + "tbl":
                self.table(child, in_box)
            elif child.tag in _CONTAINERS:
                self.container(child, cell, table, in_box)

    def table(self, tbl, in_box: bool) -> None:
        number = self.tables
        self.tables += 1
        margins = 0
        for side, alias in (("left", "start"), ("right", "end")):
            mar = tbl.find(f"{W}tblPr/{W}tblCellMar/{W}{side}")
            mar = mar if mar is not None else tbl.find(f"{W}tblPr/{W}tblCellMar/{W}{alias}")
            value = mar.get(W + "w") if mar is not None else None
            margins += int(value) if value and value.isascii() and value.isdigit() else DEFAULT_CELL_MARGIN_TWIPS
        for r, tr in enumerate(tbl.findall(W + "tr")):
            cells = tr.findall(W + "tc") or [tc for sdt in tr.findall(W + "sdt") for tc in sdt.iter(W + "tc")]
            for c, tc in enumerate(cells):
                width = tc.find(f"{W}tcPr/{W}tcW")
                twips = width.get(W + "w") if width is not None and width.get(W + "type") in (None, "dxa") else None
                cell = Cell(number, r, c, len(cells), int(twips) if twips and twips.isascii() and twips.isdigit() else None, margins,
                            _bordered(tc, tbl))
                self.container(tc, cell, tbl, in_box)

    def paragraph(self, p, cell: Cell | None, table, in_box: bool) -> None:
        parts: list[str] = []
        pieces: list[tuple[int, int, RunFormat]] = []
        length = 0
        for r in _runs(p):
            text = _run_text(r)
            if text:
                pieces.append((length, length + len(text), self.styles.run_format(r, p, table)))
                parts.append(text)
                length += len(text)
        para = Para(
            index=len(self.paras), element=p, text="".join(parts), pieces=pieces,
            mark=self.styles.run_format(None, p, table), fmt=self.styles.paragraph_format(p, table), cell=cell,
            in_text_box=in_box, line_shapes=_line_shapes(p), section_break=p.find(f"{W}pPr/{W}sectPr") is not None,
            numbered=p.find(f"{W}pPr/{W}numPr") is not None,
        )  # fmt: skip
        self.paras.append(para)
        for box in _text_boxes(p):
            self.container(box, cell, table, True)


def paragraphs(document_root, styles: Styles) -> list[Para]:
    """The body's paragraphs (see the module's docstring for their order)."""
    return paragraphs_of(document_root.find(W + "body"), styles)


def paragraphs_of(container, styles: Styles) -> list[Para]:
    """The paragraphs of any container of blocks: the body, a header or footer part, a cell."""
    walker = _Walker(styles)
    walker.container(container, None, None, False)
    return walker.paras


def _bordered(tc, tbl) -> bool:
    """A cell drawn with borders: its own top border, else its table's (a table style's borders are not read)."""
    for top in (tc.find(f"{W}tcPr/{W}tcBorders/{W}top"), tbl.find(f"{W}tblPr/{W}tblBorders/{W}top")):
        if top is not None:
            return (top.get(W + "val") or "") not in NO_LINE
    return False


def _runs(p):
    """The paragraph's own runs in order: through hyperlinks, insertions and content controls, not into text
    boxes, deleted text or Word's fallback copies."""
    for child in p:
        if child.tag == W + "r":
            yield child
        elif child.tag in _CONTAINERS:
            yield from _runs(child)


def _run_text(r) -> str:
    out = []
    for child in r:
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


def _text_boxes(p) -> list:
    """The text boxes anchored in this paragraph (not those of a nested box, nor Word's fallback copies)."""
    boxes = []
    for box in p.iter(W + "txbxContent"):
        ancestor, keep = box.getparent(), True
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in (MC + "Fallback", W + "txbxContent"):
                keep = False
                break
            ancestor = ancestor.getparent()
        if keep:
            boxes.append(box)
    return boxes


def _line_shapes(p) -> int:
    """Drawn lines in the paragraph (DrawingML lines and connectors; VML lines when there is no DrawingML copy)."""
    drawn = vml = 0
    for el in p.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.endswith("}prstGeom") and el.get("prst") in _LINE_SHAPES:
            drawn += 1
        elif tag == f"{{{V}}}line" or (tag == f"{{{V}}}shape" and (
                "_x0000_t32" in (el.get("type") or "") or el.get(f"{{{OFFICE}}}connectortype"))):
            vml += 1
    return drawn or vml
