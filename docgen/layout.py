"""The fixed parts of an ND30 page: header table, title block, Kính gửi, signature and Nơi nhận,
page numbers. Styles come from the template; this module builds the structure around them."""

from __future__ import annotations

import re
from datetime import date

from docx.oxml.ns import qn
from lxml import etree

from docgen import kinds, ooxml
from docgen import settings as S
from docgen.fields import DocumentData
from docgen.metrics import text_width_cm
from domain.text.vietnamese import blank_date_line, clean_text, date_line, fold, number_line
from models.choices import get_kind

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"  # ASCII hyphens with spaces (spec §2 tests)


def line(text: str) -> str:
    """A single-line field as printed: cleaned, inner runs of spaces kept only if typed on purpose."""
    return clean_text(text, multiline=False).strip()


def _inner_width(cell_cm: float) -> float:
    return cell_cm - 2 * S.CELL_MARGIN_CM


def number_and_date(data: DocumentData) -> tuple[str, str]:
    """ "Số: 05/KH-MTTQ-BTT" and the date line; blanks for a draft not yet numbered or dated."""
    kind = get_kind(data.kind)
    number = number_line(data.number, kind.symbol(line(data.issuer.symbol_suffix)))
    place = line(data.issuer.place)
    if data.issued_on is None:
        when = blank_date_line(place, data.year or date.today().year)
    else:
        when = date_line(place, data.issued_on)
    return number, when


def subject_line(data: DocumentData) -> str:
    """A Công văn's trích yếu with its "V/v " prefix (never doubled)."""
    prefix = get_kind(data.kind).subject_prefix
    title = line(data.title)
    if not title:
        return ""  # a draft without a subject yet: no lone "V/v"
    if prefix and not fold(title).startswith(fold(prefix).strip()):
        title = prefix + title
    return title


def header_table(data: DocumentData) -> etree._Element:
    """Ô 1–4 (and 5b for a Công văn): a borderless two-column table of two rows. The Số and the
    date start their own row, so they sit on the same line however many lines the names take."""
    left_cm, right_cm = S.HEADER_COLUMNS_CM
    tbl, ((name_cell, motto_cell), (number_cell, date_cell)) = ooxml.table(S.HEADER_COLUMNS_CM, 2)

    parent_lines = [line(t).upper() for t in data.issuer.parent_lines if line(t)]
    name_lines = [line(t).upper() for t in data.issuer.name_lines if line(t)]
    names = [ooxml.paragraph(S.CO_QUAN_CHU_QUAN, t) for t in parent_lines]
    names += [ooxml.paragraph(S.CO_QUAN_BAN_HANH, t) for t in name_lines]
    if name_lines:
        widest = max(text_width_cm(t, S.STYLE_BY_ID[S.CO_QUAN_BAN_HANH].size, bold=True) for t in name_lines)
        names.append(ooxml.rule(widest * S.ISSUER_RULE_RATIO, _inner_width(left_cm)))
    ooxml.fill(name_cell, names)

    tieu_ngu_cm = text_width_cm(TIEU_NGU, S.STYLE_BY_ID[S.TIEU_NGU].size, bold=True)
    ooxml.fill(motto_cell, [
        ooxml.paragraph(S.QUOC_HIEU, QUOC_HIEU),
        ooxml.paragraph(S.TIEU_NGU, TIEU_NGU),
        ooxml.rule(tieu_ngu_cm, _inner_width(right_cm)),  # ND30 II.1.b: as long as the Tiêu ngữ
    ])  # fmt: skip

    number, when = number_and_date(data)
    number_paragraphs = [ooxml.paragraph(S.SO_KY_HIEU, number)]
    if get_kind(data.kind).subject_prefix:
        number_paragraphs.append(ooxml.paragraph(S.TRICH_YEU_CONG_VAN, subject_line(data)))
    ooxml.fill(number_cell, number_paragraphs + kinds.marks(data))
    # Mẫu 1.9: a Biên bản prints no place and date in its header.
    ooxml.fill(date_cell, [ooxml.paragraph(S.DIA_DANH_NGAY, when if get_kind(data.kind).dated else "")])
    return tbl


def title_block(data: DocumentData) -> list[etree._Element]:
    """Ô 5a: tên loại, trích yếu and the short rule under them (none for a Công văn)."""
    kind = get_kind(data.kind)
    if kind.title_line is None:
        return []
    title = line(data.title)
    elements = [ooxml.paragraph(S.TEN_LOAI, kind.title_line)]
    if title:
        elements.append(ooxml.paragraph(S.TRICH_YEU, title))
        size = S.STYLE_BY_ID[S.TRICH_YEU].size
        longest_line = min(text_width_cm(title, size, bold=True), S.CONTENT_WIDTH_CM)
        length = min(longest_line * S.TRICH_YEU_RULE_RATIO, S.TRICH_YEU_RULE_MAX_CM)
        elements.append(ooxml.rule(length, S.CONTENT_WIDTH_CM, after_pt=S.AFTER_TITLE_RULE_PT))
    return elements


def kinh_gui_block(data: DocumentData) -> list[etree._Element]:
    """Ô 9a. One recipient: "Kính gửi: X" on one centred line. Several: "Kính gửi:" on its own
    line, then "- X;" lines whose dashes stand under the colon, the last ending "." (ND30 II.9.d)."""
    names = [_entry(t) for t in data.kinh_gui if _entry(t)]
    if not names:
        return []
    size = S.STYLE_BY_ID[S.KINH_GUI].size
    if len(names) == 1:
        return [ooxml.paragraph(S.KINH_GUI, f"Kính gửi: {names[0]}", align="center")]
    lines = [f"- {n};" for n in names[:-1]] + [f"- {names[-1]}."]
    label_cm = text_width_cm("Kính gửi", size)
    block_cm = label_cm + max(text_width_cm(t, size) for t in lines)
    left = max(0.0, (S.CONTENT_WIDTH_CM - block_cm) / 2)
    elements = [ooxml.paragraph(S.KINH_GUI, "Kính gửi:", indent_cm=(left, 0), keep_with_next=True)]
    for text in lines:
        elements.append(ooxml.paragraph(S.KINH_GUI, text, indent_cm=(left + label_cm, 0), before_pt=0))
    return elements


def _entry(text: str) -> str:
    """A recipient as a plain name: the "- " and final ";"/"." some people type are dropped."""
    text = line(text)
    if text.startswith(("-", "–", "•")):
        text = text[1:].strip()
    return text.rstrip(";.,").strip()


# A typed archive line ("Lưu: VT, BTG", "Lưu VT", "Lưu: Ban Tuyên giáo"), not a recipient named Lưu Văn Nam
# or the Lưu trữ lịch sử: only the colon form or "Lưu VT" counts.
_ARCHIVE_LINE = re.compile(r"^luu\s*(:|vt\b)")


def noi_nhan_lines(data: DocumentData) -> list[str]:
    """Ô 9b entries: "- X;" each, "- Như trên;" first when there is a Kính gửi, and the last line
    "- Lưu: VT, <unit>." that docgen always writes itself (a typed "Lưu ..." entry is dropped)."""
    names = [_entry(t) for t in data.recipients]
    names = [n for n in names if n and not _ARCHIVE_LINE.match(fold(n))]
    names = [n for n in kinds.first_recipients(data) if fold(n) not in {fold(x) for x in names}] + names
    if data.kinh_gui and not (names and fold(names[0]) == "nhu tren"):
        names.insert(0, "Như trên")
    archive = f"- Lưu: VT, {line(data.issuer.archive_unit)}."
    extra = line(data.archive_extra).rstrip(".")
    if extra:
        archive = f"{archive} {extra}."
    return [f"- {n};" for n in names] + [archive]


def signature_table(data: DocumentData) -> etree._Element:
    """Ô 9b beside ô 7a–7c: Nơi nhận on the left, the signature block centred on the right, in one
    row that cannot split across pages."""
    tbl, ((recipients_cell, signature_cell),) = ooxml.table(S.SIGNATURE_COLUMNS_CM, 1)
    ooxml.fill(recipients_cell, [ooxml.paragraph(S.NOI_NHAN_NHAN, "Nơi nhận:")]
               + [ooxml.paragraph(S.NOI_NHAN, t) for t in noi_nhan_lines(data)])  # fmt: skip

    sig = data.signature
    heads = [line(t).upper() for t in (sig.authority, sig.deputy_line, sig.title) if line(t)]
    paragraphs = []
    for index, text in enumerate(heads):
        style = S.QUYEN_HAN_KY if index == 0 else S.CHUC_VU_KY
        paragraphs.append(ooxml.paragraph(style, text))
    if not heads:  # keep the block level with "Nơi nhận:" even with no signer lines
        paragraphs.append(ooxml.paragraph(S.QUYEN_HAN_KY))
    paragraphs.append(ooxml.paragraph(S.HO_TEN_KY, line(sig.name)))
    ooxml.fill(signature_cell, paragraphs)
    return tbl


def page_field(p: etree._Element) -> None:
    """Append a PAGE field (showing "2" until the viewer updates it) to a paragraph."""
    begin = ooxml.sub(p, "r")
    ooxml.sub(begin, "fldChar", fldCharType="begin")
    instr = ooxml.sub(ooxml.sub(p, "r"), "instrText")
    instr.text = " PAGE "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    ooxml.sub(ooxml.sub(p, "r"), "fldChar", fldCharType="separate")
    ooxml.run(p, "2")
    ooxml.sub(ooxml.sub(p, "r"), "fldChar", fldCharType="end")


def add_page_numbers(section) -> None:
    """ND30 I.7: numbers centred in the top margin, from 1, not shown on page 1. A different
    first page with an explicit, empty first-page header; the PAGE field in the default header."""
    section.different_first_page_header_footer = True
    for header, with_number in ((section.first_page_header, False), (section.header, True)):
        header.is_linked_to_previous = False
        element = header._element
        for child in list(element):
            element.remove(child)
        p = ooxml.paragraph(S.SO_TRANG)
        if with_number:
            page_field(p)
        element.append(p)


def section_break(sect_pr: etree._Element) -> etree._Element:
    """An empty paragraph that ends a section with the given properties (OOXML keeps a section's
    properties in the last paragraph of that section)."""
    p = ooxml.paragraph(S.DUONG_KE)  # 1 pt high, so it never pushes a page over
    p.find(qn("w:pPr")).append(sect_pr)
    return p


def section_end_paragraph() -> etree._Element:
    """The paragraph that closes the body after the signature table (Word and LibreOffice need one after a
    table). Any height it has spills onto a page of its own when the table ends in the page's last points, which
    printed a blank last page holding only its number. So it takes no room: one hidden space (LibreOffice hides a
    paragraph whose text is all hidden), a hidden paragraph mark (Word's remedy), and, for any reader that shows
    it anyway, 1 pt type on an exact 1 pt line with no spacing."""
    p = ooxml.paragraph(S.DUONG_KE, before_pt=0, after_pt=0)
    ppr = p.find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:line"), str(S.END_PARAGRAPH_TWIPS))
    spacing.set(qn("w:lineRule"), "exact")
    ooxml.sub(ooxml.sub(ppr, "rPr"), "vanish")  # the paragraph mark
    ooxml.sub(ooxml.sub(ooxml.sub(p, "r"), "rPr"), "vanish")
    text = ooxml.sub(p.find(qn("w:r")), "t")
    text.text = " "
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p
