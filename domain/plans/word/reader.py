"""The text of a Word document body as Word shows it, with every tracked change accepted.

Each paragraph is a line, its number or bullet in front ("II. NỘI DUNG", "- Tổ chức ..."; see numbering.py);
a soft line break (w:br, also a page break) starts a new line; a tab is a tab; a non-breaking space is a space,
several spaces one, and spaces around a line are dropped; text formatted all caps is in capitals; hidden text is left out. Tables come
out as tables.py says. Besides the runs of text:

- tracked changes, accepted: inserted text (w:ins, w:moveTo) is kept, deleted text (w:del, w:delText,
  w:moveFrom) is not, and a paragraph whose mark was deleted joins the next one;
- fields: the result Word shows ("Kế hoạch số 12", a date, a page number), never the instruction (w:instrText,
  or text between a field's begin and separate marks);
- text boxes and shapes (w:txbxContent): their paragraphs and tables, before the paragraph they are anchored
  in; where a shape is stored twice (mc:AlternateContent: a DrawingML choice and a VML fallback) only one
  branch is read;
- content controls (w:sdt) are read through; one still showing its placeholder prompt is not text;
- footnote and endnote reference marks, comments and their marks add nothing: footnotes are not tasks.
"""

from __future__ import annotations

import re
import unicodedata

from domain.plans.import_limits import check_time
from domain.plans.word.formats import symbol_char
from domain.plans.word.numbering import Numbering
from domain.plans.word.tables import Content, branch, table_content
from domain.plans.word.xml import MC, W, child_val, toggle

_P, _TBL, _R, _PPR, _RPR = W + "p", W + "tbl", W + "r", W + "pPr", W + "rPr"
_SDT, _SDT_CONTENT, _ALTERNATE = W + "sdt", W + "sdtContent", MC + "AlternateContent"
_T, _TAB, _PTAB, _BR, _CR = W + "t", W + "tab", W + "ptab", W + "br", W + "cr"
_FLD_CHAR, _SYM, _TXBX = W + "fldChar", W + "sym", W + "txbxContent"
_NO_BREAK_HYPHEN = W + "noBreakHyphen"
# Inline wrappers whose runs are text: inserted or moved-here text, links, simple fields (their runs are the
# result), smart tags, custom XML, bidirectional embeddings.
_INLINE_WRAPPERS = {W + t for t in ("ins", "moveTo", "hyperlink", "fldSimple", "smartTag", "customXml", "dir",
                                    "bdo")}  # fmt: skip
# Block wrappers read through: custom XML, and (inside a cell or box) a tracked insertion's container.
_BLOCK_WRAPPERS = {W + "customXml", W + "ins", W + "moveTo"}
# Run children that are shapes and may hold text boxes.
_SHAPES = {W + "drawing", W + "pict", W + "object", _ALTERNATE}
# Spaces typed to push text across the page ("Số:      /KH-MTTQ"): one space is what they mean.
_SPACES_RE = re.compile(" {2,}")
_CHARS = {_TAB: "\t", _PTAB: "\t", _BR: "\n", _CR: "\n", _NO_BREAK_HYPHEN: "-"}


class BodyReader:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.styles = numbering.styles
        self._fields: list[bool] = []  # open fields, innermost last: True while in the instruction part
        self._carry = ""  # the text of a paragraph whose mark was deleted: it joins the next paragraph

    # ---------------------------------------------------------------------------------------------- blocks

    def blocks(self, container) -> Content:
        """Paragraphs and tables of the body, a cell, a text box or a content control, in order."""
        content = Content()
        for child in container:
            tag = child.tag
            if tag == _P:
                self._paragraph(child, content)
            elif tag == _TBL:
                content.extend(table_content(child, self.blocks))
            elif tag == _SDT:
                if not _placeholder(child) and (inner := child.find(_SDT_CONTENT)) is not None:
                    content.extend(self.blocks(inner))
            elif tag == _ALTERNATE:
                if (chosen := branch(child)) is not None:
                    content.extend(self.blocks(chosen))
            elif tag in _BLOCK_WRAPPERS:
                content.extend(self.blocks(child))
        return content

    def _paragraph(self, p, content: Content) -> None:
        check_time()
        p_pr = p.find(_PPR)
        style = child_val(p_pr, "pStyle")
        parts: list[str] = []
        self._inline(p, parts, content, style)  # text boxes go straight into `content`, before this paragraph
        if any(self._fields):  # an instruction never runs on into the next paragraph
            self._fields = [False for _ in self._fields]
        text = "".join(parts)
        mark = p_pr.find(_RPR) if p_pr is not None else None
        if mark is not None and (mark.find(W + "del") is not None or mark.find(W + "moveFrom") is not None):
            self._carry += text  # the mark was deleted: accepted, this paragraph runs on into the next
            return
        label = self.numbering.label(p_pr, style)
        if label and label[0]:
            text = label[0] + label[1] + self._carry + text
        else:
            text = self._carry + text
        self._carry = ""
        if "\n" in text or "  " in text or "\xa0" in text:
            text = "\n".join(_SPACES_RE.sub(" ", line).strip(" \t") for line in text.replace("\xa0", " ").split("\n"))
        text = unicodedata.normalize("NFC", text.strip(" \t"))
        content.lines.append(text)
        content.texts.append(text)

    # ------------------------------------------------------------------------------------------------ runs

    def _inline(self, parent, parts: list[str], boxes: Content, style: str | None) -> None:
        for child in parent:
            tag = child.tag
            if tag == _R:
                self._run(child, parts, boxes, style)
            elif tag in _INLINE_WRAPPERS:
                self._inline(child, parts, boxes, style)
            elif tag == _SDT:
                if not _placeholder(child) and (inner := child.find(_SDT_CONTENT)) is not None:
                    self._inline(inner, parts, boxes, style)
            elif tag == _ALTERNATE:
                if (chosen := branch(child)) is not None:
                    self._inline(chosen, parts, boxes, style)
            # anything else is not text: w:del and w:moveFrom (deleted), bookmarks, comments, proofing marks

    def _run(self, run, parts: list[str], boxes: Content, style: str | None) -> None:
        r_pr = run.find(_RPR)
        hidden = self._flag(r_pr, style, "vanish")
        caps = self._flag(r_pr, style, "caps")
        for child in run:
            tag = child.tag
            if tag == _FLD_CHAR:
                self._field_mark(child.get(W + "fldCharType"))
                continue
            if tag in _SHAPES:
                self._boxes(child, boxes)
                continue
            if hidden or (self._fields and any(self._fields)):
                continue
            if tag == _T:
                text = child.text or ""
                parts.append(text.upper() if caps else text)
            elif tag in _CHARS:
                parts.append(_CHARS[tag])
            elif tag == _SYM:
                parts.append(symbol_char(child.get(W + "char"), child.get(W + "font") or ""))
            # not text: w:delText, w:instrText, footnote/endnote/comment references, soft hyphens, pictures

    def _field_mark(self, kind: str | None) -> None:
        if kind == "begin":
            self._fields.append(True)
        elif kind == "separate" and self._fields:
            self._fields[-1] = False  # the result follows: it is what Word shows
        elif kind == "end" and self._fields:
            self._fields.pop()

    def _boxes(self, element, boxes: Content) -> None:
        """The text boxes inside a shape, each read as blocks; of alternate content, one branch only."""
        if element.tag == _TXBX:
            boxes.extend(self.blocks(element))
        elif element.tag == _ALTERNATE:
            if (chosen := branch(element)) is not None:
                self._boxes(chosen, boxes)
        else:
            for child in element:
                if len(child):
                    self._boxes(child, boxes)

    def _flag(self, r_pr, style: str | None, name: str) -> bool:
        """A run toggle as Word resolves it: the run, its character style, the paragraph's style, the defaults."""
        if r_pr is not None:
            value = toggle(r_pr, name)
            if value is None:
                value = self.styles.flag(child_val(r_pr, "rStyle"), name)
            if value is not None:
                return value
        return self.styles.paragraph_flag(style, name)


def _placeholder(sdt) -> bool:
    """A content control still showing its prompt ("Nhập nội dung ở đây"), which is not the author's text."""
    sdt_pr = sdt.find(W + "sdtPr")
    return sdt_pr is not None and sdt_pr.find(W + "showingPlcHdr") is not None
