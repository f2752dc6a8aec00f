"""Outline blocks -> body paragraphs (ô 6), in the template's named styles.

Choices (spec §5.1, Mục V table; the bold rule for khoản is ours, documented here):
- "I." sections: "VB Mục", caps and bold; the text is upper-cased, as ND30 wants it in capitals.
- "1." items: "VB Khoản" (bold) when the item is a title: it heads lines of its own, is at most
  ITEM_TITLE_MAX_CHARS characters and has no final punctuation ("1. Mục đích", "1. Ban Thường trực
  Ủy ban MTTQVN tỉnh"). An item that is a sentence ("1. Tuyên truyền ... như sau:") or stands
  alone ("2. Cử đại biểu dự Hội nghị") is a khoản without a title: regular.
- points, "-", "+" and paragraphs: "VB Nội dung", regular. Dashes pasted as "–" or "•" print as
  "-", the office's convention.
- The opening "Căn cứ"/"Thực hiện" references: "VB Căn cứ".
- The last paragraph ends with "./." (added if missing, never doubled).
"""

from __future__ import annotations

from lxml import etree

from docgen import ooxml
from docgen import settings as S
from domain.text.outline import Block, parse
from domain.text.vietnamese import clean_text

END_MARK = "./."
_FINAL_PUNCTUATION = tuple(".,;:!?…")


def is_titled_item(block: Block) -> bool:
    text = block.text
    short = 0 < len(text) <= S.ITEM_TITLE_MAX_CHARS
    return bool(block.children) and short and not text.endswith(_FINAL_PUNCTUATION)


def style_and_text(block: Block) -> tuple[str, str]:
    """The style id and printed text of one outline block."""
    if block.kind == "section":
        return S.MUC, f"{block.marker} {block.text.upper()}".rstrip()
    if block.kind == "item":
        style = S.KHOAN if is_titled_item(block) else S.NOI_DUNG
        return style, f"{block.marker} {block.text}".rstrip()
    if block.kind == "dash":
        return S.NOI_DUNG, f"- {block.text}".rstrip()
    if block.kind == "plus":  # "+" whatever bullet Word drew ("o", "◦"), as "-" for a dash
        return S.NOI_DUNG, f"+ {block.text}".rstrip()
    if block.kind == "point":
        return S.NOI_DUNG, f"{block.marker} {block.text}".rstrip()
    return S.NOI_DUNG, block.text


def with_end_mark(text: str) -> str:
    """ "thực hiện" / "thực hiện." / "thực hiện;" -> "thực hiện./."; "./." stays as it is."""
    text = text.rstrip()
    if text.endswith(END_MARK):
        return text
    text = text.rstrip(";:,").rstrip()
    return text + ("/." if text.endswith(".") else END_MARK)


def body_paragraphs(references: list[str], body: str) -> list[etree._Element]:
    """The references, then every block of the outline, in order; the last one gets "./."."""
    lines = [(S.CAN_CU, clean_text(r, multiline=False).strip()) for r in references]
    lines = [(style, text) for style, text in lines if text]
    lines += [style_and_text(b) for b in parse(body).walk()]
    if lines:
        style, text = lines[-1]
        lines[-1] = (style, with_end_mark(text))
    last = len(lines) - 1  # kept with the signature that follows, never alone on the next page
    return [ooxml.paragraph(style, text, keep_with_next=i == last) for i, (style, text) in enumerate(lines)]
