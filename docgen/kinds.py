"""The particulars of the Phụ lục III models other than Mẫu 1.4 and 1.5, and the marks any kind may carry.

- Quyết định (Mẫu 1.2): the issuing authority's line in capitals, the Căn cứ lines (italic, each ending ";", the
  last "."), "Theo đề nghị của …", "QUYẾT ĐỊNH:", the articles ("Điều 1." in bold) and, when the executing bodies
  are named, the last article that charges them with it, which the Nơi nhận then opens with ("Như Điều 3").
- Giấy mời (Mẫu 1.7): "<office> trân trọng kính mời: …", "Tới dự: …", "Chủ trì: …", "Thời gian: …", "Địa điểm: …",
  then the notes.
- Biên bản (Mẫu 1.9): the meeting's facts before the content, its closing time after it, and the secretary's and
  the chair's signatures side by side, the Nơi nhận under the secretary's.
- Công điện (Mẫu 1.6): "<sender> điện:" and the bodies it goes to, one a line, before the text.
- Urgency (ô 10b) and circulation (ô 11) marks: capitals, bold, 13–14 pt, in a single-line frame, under the Số.
- The office's address (ô 13): at the foot of page 1, under a full-width rule, 11 pt.
"""

from __future__ import annotations

import re

from docx.oxml.ns import qn
from lxml import etree

from docgen import ooxml
from docgen import settings as S
from docgen.fields import DocumentData
from docgen.metrics import text_width_cm
from domain.text.vietnamese import clean_text
from models.choices import (
    MODEL_DECISION,
    MODEL_INVITATION,
    MODEL_MINUTES,
    MODEL_TELEGRAM,
    P_ATTENDEES,
    P_AUTHORITY,
    P_CHAIR,
    P_ENDED,
    P_EVENT,
    P_EXECUTORS,
    P_PARTICIPANTS,
    P_PLACE,
    P_PROPOSED_BY,
    P_SECRETARY,
    P_SENDER,
    P_STARTED,
    P_TIME,
    get_kind,
)

ARTICLE = re.compile(r"^(Điều\s+\d+\.)\s*(.*)$")
MARK_PADDING_CM = 0.3  # room between a mark's words and its frame, each side


def _line(text: str) -> str:
    return clean_text(text or "", multiline=False).strip()


def particular(data: DocumentData, key: str) -> str:
    return _line(data.particulars.get(key, ""))


def model(data: DocumentData) -> str:
    return get_kind(data.kind).model


# --- the Quyết định -------------------------------------------------------------------------------------------


def articles(body: str) -> list[str]:
    return [line for line in body.splitlines() if ARTICLE.match(line.strip())]


def executing_article(data: DocumentData) -> int | None:
    """The number of the article that names who carries the decision out (the last one), when they are named."""
    if model(data) != MODEL_DECISION or not particular(data, P_EXECUTORS):
        return None
    return len(articles(data.body)) + 1


def body_text(data: DocumentData) -> str:
    """The body as printed: a Quyết định's executing article appended."""
    number = executing_article(data)
    if number is None:
        return data.body
    executors = particular(data, P_EXECUTORS).rstrip(" .;")
    return f"{data.body.rstrip()}\nĐiều {number}. {executors} chịu trách nhiệm thi hành Quyết định này."


def first_recipients(data: DocumentData) -> list[str]:
    """Nơi nhận lines that come first for this kind: "Như Điều 3" for the bodies charged with a decision."""
    number = executing_article(data)
    return [f"Như Điều {number}"] if number else []


def _italic(p: etree._Element) -> etree._Element:
    for r in p.findall(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.Element(qn("w:rPr"))
            r.insert(0, rpr)
        ooxml.sub(rpr, "i")
        ooxml.sub(rpr, "iCs")
    return p


def _decision_opening(data: DocumentData) -> list[etree._Element]:
    authority = particular(data, P_AUTHORITY) or _line(data.issuer.full_name)
    elements = [ooxml.paragraph(S.TEN_LOAI, authority.upper(), before_pt=6)] if authority else []
    grounds = [_line(r).rstrip(" ;.,") for r in data.references if _line(r)]
    if proposed := particular(data, P_PROPOSED_BY).rstrip(" ;.,"):
        grounds.append(proposed if proposed.lower().startswith("theo đề nghị") else f"Theo đề nghị của {proposed}")
    for index, text in enumerate(grounds):  # ND30 II.6.a: one a line, ";" after each, "." after the last
        end = "." if index == len(grounds) - 1 else ";"
        elements.append(_italic(ooxml.paragraph(S.CAN_CU, text + end)))
    elements.append(ooxml.paragraph(S.TEN_LOAI, "QUYẾT ĐỊNH:", before_pt=6))
    return elements


def bold_article_numbers(paragraphs: list[etree._Element]) -> None:
    """ "Điều 1." in bold, the rest of the article's line regular (ND30 Phụ lục I, Mục V: Điều … đậm)."""
    for p in paragraphs:
        runs = p.findall(qn("w:r"))
        if len(runs) != 1:
            continue
        t = runs[0].find(qn("w:t"))
        found = ARTICLE.match(t.text or "")
        if not found:
            continue
        p.remove(runs[0])
        ooxml.run(p, found.group(1), bold=True)
        if found.group(2):
            ooxml.run(p, " " + found.group(2), bold=False)


# --- Giấy mời, Biên bản, Công điện ------------------------------------------------------------------------------


def _facts(pairs: list[tuple[str, str]]) -> list[etree._Element]:
    return [ooxml.paragraph(S.NOI_DUNG, f"{label}: {value}") for label, value in pairs if value]


def _invitation_opening(data: DocumentData) -> list[etree._Element]:
    office = _line(data.issuer.full_name) or " ".join(_line(t) for t in data.issuer.name_lines)
    elements = [ooxml.paragraph(S.NOI_DUNG, f"{office} trân trọng kính mời: {particular(data, P_ATTENDEES)}".rstrip())]
    return elements + _facts([("Tới dự", particular(data, P_EVENT)), ("Chủ trì", particular(data, P_CHAIR)),
                              ("Thời gian", particular(data, P_TIME)), ("Địa điểm", particular(data, P_PLACE))])


def _minutes_opening(data: DocumentData) -> list[etree._Element]:
    elements = _facts([("Thời gian bắt đầu", particular(data, P_STARTED)), ("Địa điểm", particular(data, P_PLACE)),
                       ("Thành phần tham dự", particular(data, P_PARTICIPANTS)),
                       ("Chủ trì (chủ tọa)", particular(data, P_CHAIR)),
                       ("Thư ký (người ghi biên bản)", particular(data, P_SECRETARY))])
    return elements + [ooxml.paragraph(S.KHOAN, "Nội dung:", keep_with_next=True)]


def _telegram_opening(data: DocumentData) -> list[etree._Element]:
    sender = particular(data, P_SENDER) or _line(data.issuer.full_name)
    names = [_line(t).lstrip("-–• ").rstrip(" ;.,") for t in data.kinh_gui if _line(t)]
    lines = [f"- {n};" for n in names[:-1]] + ([f"- {names[-1]}."] if names else [])
    return [ooxml.paragraph(S.NOI_DUNG, f"{sender} điện:", keep_with_next=True)] + [
        ooxml.paragraph(S.NOI_DUNG, text, keep_with_next=True) for text in lines]


def opening(data: DocumentData) -> list[etree._Element]:
    """What the kind prints between its title block and its body."""
    drawers = {MODEL_DECISION: _decision_opening, MODEL_INVITATION: _invitation_opening,
               MODEL_MINUTES: _minutes_opening, MODEL_TELEGRAM: _telegram_opening}
    drawer = drawers.get(model(data))
    return drawer(data) if drawer else []


def closing_line(data: DocumentData) -> str:
    """A Biên bản's last line: when the meeting ended (it carries the "./." then)."""
    if model(data) == MODEL_MINUTES and (ended := particular(data, P_ENDED)):
        return f"Cuộc họp kết thúc vào {ended}."
    return ""


def minutes_signatures(data: DocumentData, recipients: list[str]) -> etree._Element:
    """Mẫu 1.9: THƯ KÝ and its name on the left with the Nơi nhận under them, CHỦ TỌA and the signer's name on the
    right, in one row that cannot split across pages."""
    tbl, ((left, right),) = ooxml.table(S.MINUTES_COLUMNS_CM, 1)
    heads = ["CHỦ TỌA"] + ([_line(data.signature.title).upper()] if _line(data.signature.title) else [])
    # As many heading lines on the left as on the right: the two names stand level.
    ooxml.fill(left, [ooxml.paragraph(S.QUYEN_HAN_KY, "THƯ KÝ")]
               + [ooxml.paragraph(S.CHUC_VU_KY) for _ in heads[1:]]
               + [ooxml.paragraph(S.HO_TEN_KY, particular(data, P_SECRETARY)),
                  ooxml.paragraph(S.NOI_NHAN_NHAN, "Nơi nhận:", before_pt=12)]
               + [ooxml.paragraph(S.NOI_NHAN, t) for t in recipients])  # fmt: skip
    ooxml.fill(right, [ooxml.paragraph(S.QUYEN_HAN_KY if i == 0 else S.CHUC_VU_KY, text) for i, text in enumerate(heads)]
               + [ooxml.paragraph(S.HO_TEN_KY, _line(data.signature.name))])  # fmt: skip
    return tbl


# --- marks and the address ---------------------------------------------------------------------------------------


def mark(text: str, cell_cm: float) -> etree._Element:
    """A word mark in a single-line frame, centred in its cell (ND30 Phụ lục I, III.2.b–c)."""
    size = S.STYLE_BY_ID[S.QUYEN_HAN_KY].size
    inner = cell_cm - 2 * S.CELL_MARGIN_CM
    side = max(0.0, (inner - text_width_cm(text, size, bold=True) - 2 * MARK_PADDING_CM) / 2)
    p = ooxml.paragraph(S.QUYEN_HAN_KY, text, indent_cm=(side, side), first_line_cm=0, before_pt=6)
    ppr = p.find(qn("w:pPr"))
    borders = etree.Element(qn("w:pBdr"))
    for edge in ("top", "left", "bottom", "right"):
        ooxml.sub(borders, edge, val="single", sz=str(S.RULE_WEIGHT_EIGHTHS), space="1", color="000000")
    ppr.find(qn("w:pStyle")).addnext(borders)
    return p


def marks(data: DocumentData) -> list[etree._Element]:
    """Ô 10b and ô 11 under the Số, when the document carries them."""
    width = S.HEADER_COLUMNS_CM[0]
    return [mark(_line(text).upper(), width) for text in (data.urgency, data.circulation) if _line(text)]


def address_footer(section, address: str) -> None:
    """Ô 13 on page 1 only: the first-page footer, its lines under a rule across the whole text width."""
    lines = [_line(t) for t in address.splitlines() if _line(t)]
    if not lines:
        return
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    element = footer._element
    for child in list(element):
        element.remove(child)
    for index, text in enumerate(lines):
        p = ooxml.paragraph(S.NOI_NHAN, text, align="center")
        if index == 0:
            borders = etree.Element(qn("w:pBdr"))
            ooxml.sub(borders, "top", val="single", sz=str(S.RULE_WEIGHT_EIGHTHS), space="1", color="000000")
            p.find(qn("w:pPr")).find(qn("w:pStyle")).addnext(borders)
        element.append(p)
