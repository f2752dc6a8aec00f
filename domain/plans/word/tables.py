"""A Word table as lines of text, the way domain.plans.importer reads tables (see domain.plans.uploads):

- a layout table — at most two columns that hold text, like the header "ỦY BAN ... | CỘNG HÒA ..." and the
  signature "Nơi nhận: ... | TM. BAN THƯỜNG TRỰC ..." (a narrow empty spacer column between them does not count)
  — row by row, each cell's lines, left cell first;
- any other table is a data table: one line per row, "| 1 | Nội dung | Đơn vị chủ trì | ... |", the paragraphs
  of a cell joined by "; ", a "|" inside a cell written "/".

A cell spanning columns (gridSpan) is written once, followed by empty cells for the columns it covers, so every
row keeps the columns of the title row. A cell merged down over several rows (vMerge) is a value those rows
share ("Đơn vị chủ trì" or "Thời gian" written once for a block of items): a data table writes it in every row it
covers, so that each row says all it means; a layout table shows it once, as Word does. Only here is a merge
known: written as empty cells, a shared value and a cell left blank on purpose would read alike. Rows deleted with tracked changes are left out. A table inside a cell is read in its place:
in a layout table as its own lines, in a data table as more paragraphs of the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.plans.import_limits import check_time
from domain.plans.word.xml import MC, W, child_val, int_val

_ROW, _CELL = W + "tr", W + "tc"
_SDT, _ALTERNATE, _CUSTOM = W + "sdt", MC + "AlternateContent", W + "customXml"


@dataclass
class Content:
    """What a stretch of document gives: its lines, and its paragraphs one by one (for a data table's cell)."""

    lines: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def extend(self, other: Content) -> None:
        self.lines.extend(other.lines)
        self.texts.extend(other.texts)


@dataclass
class Cell:
    content: Content
    column: int
    span: int
    shares: Content | None = None  # merged into the cell above (vMerge): the content of the merge's first cell


def branch(alternate):
    """The one branch of an mc:AlternateContent to read: its first choice, else its fallback (never both)."""
    chosen = alternate.find(MC + "Choice")
    return chosen if chosen is not None else alternate.find(MC + "Fallback")


def _children(parent, tag: str):
    """`parent`'s children with this tag, looking through what wraps rows or cells: content controls, custom XML,
    alternate content."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (_SDT, _ALTERNATE, _CUSTOM):
            inner = (child.find(W + "sdtContent") if child.tag == _SDT
                     else branch(child) if child.tag == _ALTERNATE else child)  # fmt: skip
            if inner is not None:
                yield from _children(inner, tag)


def _rows(table, read_cell) -> list[list[Cell]]:
    rows = []
    merged_from: dict[int, Content] = {}  # column -> the content of the cell a vMerge started there
    for tr in _children(table, _ROW):
        check_time()
        tr_pr = tr.find(W + "trPr")
        if tr_pr is not None and tr_pr.find(W + "del") is not None:
            continue  # a row deleted with tracked changes: accepted, it is gone
        column = int_val(child_val(tr_pr, "gridBefore"), 0) if tr_pr is not None else 0
        cells = []
        for tc in _children(tr, _CELL):
            tc_pr = tc.find(W + "tcPr")
            if tc_pr is not None and tc_pr.find(W + "cellDel") is not None:
                continue  # a cell deleted with tracked changes
            span = max(1, int_val(child_val(tc_pr, "gridSpan"), 1) or 1)
            content = read_cell(tc)  # always read: numbered paragraphs count even where they are not shown
            merged = tc_pr is not None and tc_pr.find(W + "vMerge") is not None
            shares = None
            if merged and child_val(tc_pr, "vMerge") != "restart":
                content, shares = Content(), merged_from.get(column)  # the first cell shows the merged text
            elif merged:
                merged_from[column] = content
            else:
                merged_from.pop(column, None)
            if tc_pr is not None and child_val(tc_pr, "hMerge") == "continue":
                content = Content()  # old Word's horizontal merge: the cell to the left shows it
            cells.append(Cell(content, column, span, shares))
            column += span
        rows.append(cells)
    return rows


def _is_layout(rows: list[list[Cell]]) -> bool:
    used = {cell.column for row in rows for cell in row if any(t.strip() for t in cell.content.texts)}
    return len(used) <= 2


def _cell_text(cell: Cell) -> str:
    parts = (t.replace("\n", " ").strip() for t in (cell.shares or cell.content).texts)
    return "; ".join(p for p in parts if p).replace("|", "/")


def _row_line(row: list[Cell]) -> str:
    texts: list[str] = [""] * (row[0].column if row else 0)
    for cell in row:
        texts.append(_cell_text(cell))
        texts.extend([""] * (cell.span - 1))
    return "| " + " | ".join(texts) + " |"


def table_content(table, read_cell) -> Content:
    """The lines of a table (w:tbl); `read_cell(tc)` gives a cell's Content."""
    rows = _rows(table, read_cell)
    content = Content()
    for row in rows:
        for cell in row:
            content.texts.extend(cell.content.texts)
    if _is_layout(rows):
        content.lines = [line for row in rows for cell in row for line in cell.content.lines]
    else:
        content.lines = [_row_line(row) for row in rows if row]
    return content
