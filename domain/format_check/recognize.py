"""Finding the parts of an official document in any .docx, however it was laid out.

The header may be a two-column table, a table inside a text box or frame, paragraphs, or lines split by tabs;
the signature block a table beside the Nơi nhận, tab-separated lines, or paragraphs. Parts are recognized by
their text (Quốc hiệu, "Số:", "…, ngày … năm …", a tên loại of Phụ lục III, "Nơi nhận:", "TM."/"KT." …) and their
place relative to each other, never by the styles this application uses. See `recognize_end` for the block at
the end (signature, Nơi nhận, annexes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.format_check import nd30
from domain.format_check.paragraphs import Para, Span, segments
from domain.text.vietnamese import fold

HEADER_SCAN = 40  # the header and title are within the document's first paragraphs
_QUOC_HIEU = "cong hoa xa hoi chu nghia viet nam"
_TIEU_NGU_RE = re.compile(r"^doc lap\s*\W+\s*tu do\s*\W+\s*hanh phuc\W*$")
_NUMBER_RE = re.compile(r"^so\s*[:.]?\s*[\d\s\u00a0]*/|^so\s*:")
_DATE_RE = re.compile(r"^[^,]{2,60},?\s+ngay\b.*\bnam\b")
_VV_RE = re.compile(r"^v\s*/\s*v\b")
_KIND_BY_FOLD = {fold(name): name for name in [*nd30.ABBREVIATIONS, "Nghị định", "Thông tư"]}
RULE_TEXT_RE = re.compile(r"^[\s_\-–—―=.]{3,}$")
_KINH_GUI_RE = re.compile(r"^kinh gui\b")
# Ô 10b (mức độ khẩn) and ô 11 (phạm vi lưu hành), Phụ lục I III.2.b–c: a short line of its own.
MARK_RE = re.compile(r"^(khan|thuong khan|hoa toc|hoa toc hen gio|luu hanh noi bo|xem xong tra lai|"
                     r"tai lieu hop|khong pho bien)$")


def find_marks(paras: list[Para]) -> list[Span]:
    """The urgency and circulation stamps (KHẨN, THƯỢNG KHẨN, HỎA TỐC, LƯU HÀNH NỘI BỘ …) anywhere in the document."""
    return [span for para in paras if len(para.stripped) <= 30 for span in segments(para)
            if MARK_RE.match(fold(span.text).strip(" .:"))]


@dataclass
class Header:
    quoc_hieu: Span | None = None
    tieu_ngu: Span | None = None
    chu_quan: list[Span] = field(default_factory=list)
    issuer: list[Span] = field(default_factory=list)
    number: Span | None = None
    place_date: Span | None = None
    vv: Span | None = None
    end: int = 0  # index of the first paragraph after the header
    paras: list[Para] = field(default_factory=list)


@dataclass
class Title:
    title: Span | None = None
    kind: str | None = None  # "Kế hoạch"
    trich_yeu: list[Span] = field(default_factory=list)
    kinh_gui: list[Para] = field(default_factory=list)
    end: int = 0  # index of the first paragraph after the title block (the body's start)
    boxed: list[int] = field(default_factory=list)  # text-box paragraphs anchored in the title's paragraph


def is_rule_para(para: Para) -> bool:
    """An empty paragraph that only draws a short rule (a bottom border, a drawn line, or underscores)."""
    text = para.text.strip()
    if not text:
        return para.fmt.bottom_border or para.line_shapes > 0
    return bool(RULE_TEXT_RE.match(text)) and ("_" in text or "―" in text)


def _folded(span: Span) -> str:
    return fold(span.text).strip()


def find_title(paras: list[Para], after: int) -> Title:
    """The tên loại: a paragraph that is only the name of a kind of document (case-insensitive), then the trích
    yếu under it (centred lines up to a rule or an empty line) and any "Kính gửi:" lines."""
    result = Title(end=after)
    for para in paras[after : after + HEADER_SCAN]:
        if para.cell is not None and para.cell.columns > 1:
            continue
        kind = _KIND_BY_FOLD.get(fold(para.stripped).rstrip(":."))
        if kind:
            result.title, result.kind = para.span(), kind
            break
    if result.title is None:
        return result
    index = result.title.para.index + 1
    if not result.title.para.in_text_box:  # a header in a text box anchored in the title's paragraph
        while index < len(paras) and paras[index].in_text_box:
            result.boxed.append(index)
            index += 1
    while index < len(paras) and len(result.trich_yeu) < 4:
        para = paras[index]
        if not para.stripped or is_rule_para(para) or para.fmt.align not in ("center", "centre"):
            break
        if _KINH_GUI_RE.match(fold(para.stripped)):
            break
        result.trich_yeu.append(para.span())
        index += 1
    result.end = skip_to_body(paras, index, result)
    return result


def skip_to_body(paras: list[Para], index: int, result: Title) -> int:
    """Skip the rule, empty lines and the Kính gửi block (kept in result.kinh_gui) before the body."""
    while index < len(paras):
        para = paras[index]
        if not para.stripped or is_rule_para(para):
            index += 1
        elif _KINH_GUI_RE.match(fold(para.stripped)):
            result.kinh_gui.append(para)
            index += 1
            while index < len(paras) and paras[index].stripped.startswith(("-", "–")) and len(result.kinh_gui) < 12:
                result.kinh_gui.append(paras[index])
                index += 1
        else:
            break
    return index


def find_header(paras: list[Para], title_start: int | None, boxed: list[int] | None = None) -> Header:
    """Quốc hiệu, Tiêu ngữ, the issuer's lines, Số, the date and a Công văn's V/v, in the first paragraphs (and
    in the text boxes anchored in the title's paragraph, `boxed`)."""
    header = Header()
    limit = min(len(paras), title_start if title_start is not None else HEADER_SCAN)
    scanned = paras[:limit] + [paras[i] for i in boxed or ()]
    spans: list[Span] = []
    for para in scanned:
        for span in segments(para):
            spans.append(span)
    others = []
    for span in spans:
        key = _folded(span)
        if header.quoc_hieu is None and _QUOC_HIEU in key:
            header.quoc_hieu = span
        elif header.tieu_ngu is None and _TIEU_NGU_RE.match(key):
            header.tieu_ngu = span
        elif header.number is None and _NUMBER_RE.match(key):
            header.number = span
        elif header.place_date is None and _DATE_RE.match(key):
            header.place_date = span
        elif header.vv is None and _VV_RE.match(key):
            header.vv = span
        else:
            others.append(span)
    found = [s for s in (header.quoc_hieu, header.tieu_ngu, header.number, header.place_date, header.vv) if s]
    if not found:
        header.end = 0
        return header
    last = max(s.para.index for s in found)
    tables = {s.para.cell.table for s in found if s.para.cell is not None}
    while last + 1 < limit and paras[last + 1].cell is not None and paras[last + 1].cell.table in tables:
        last += 1
    header.end = title_start if title_start is not None else last + 1
    header.paras = paras[: header.end] + [paras[i] for i in boxed or ()]
    inside = {p.index for p in header.paras}
    _issuer_lines(header, [s for s in others if s.para.index in inside])
    return header


def _issuer_lines(header: Header, others: list[Span]) -> None:
    """The lines on the issuer's side, above the Số: chủ quản (not bold) then the issuing body (bold)."""
    motto = header.quoc_hieu or header.tieu_ngu
    number = header.number
    candidates = []
    for span in others:
        text = span.text
        if not any(ch.isalpha() for ch in text) or RULE_TEXT_RE.match(text) or text.startswith("("):
            continue
        if number is not None and span.para.index > number.para.index and not _same_column(span, number):
            continue
        if number is not None and span.para.index > number.para.index:
            continue  # under the Số: a stamp (KHẨN) or the V/v, not the issuer
        if motto is not None and _beside(span, motto):
            continue
        candidates.append(span)
    if number is not None and number.para.cell is not None:
        column = [s for s in candidates if _same_column(s, number)]
        candidates = column or candidates
    if not candidates:
        return
    bold_tail = []
    for span in reversed(candidates):
        if span.all("bold"):
            bold_tail.insert(0, span)
        elif bold_tail:
            break
    issuer = bold_tail or candidates[-1:]
    header.issuer = issuer
    header.chu_quan = [s for s in candidates if s.para.index < issuer[0].para.index or
                       (s.para is issuer[0].para and s.start < issuer[0].start)]


def _same_column(a: Span, b: Span) -> bool:
    ca, cb = a.para.cell, b.para.cell
    return ca is not None and cb is not None and ca.table == cb.table and ca.column == cb.column


def _beside(span: Span, motto: Span) -> bool:
    """On the Quốc hiệu's side: in its table column, or after a tab on one of its lines."""
    if span.para.cell is not None and motto.para.cell is not None:
        return _same_column(span, motto)
    if span.para is motto.para:
        return span.start > motto.start
    return len(segments(span.para)) > 1 and segments(span.para)[0] != span
