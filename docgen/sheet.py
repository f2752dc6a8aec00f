"""The HTML page preview of a document, built from the same DocumentData as the .docx.

`sheet(data)` lays out the preview with the same outline parser, the same number/date/title/Kính gửi/Nơi nhận/
signature functions and the same named styles (docgen.settings.STYLES) as the .docx, so what the clerk sees
while typing is what Word will print; only the page breaks are left to the browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from docx.oxml.ns import qn

from docgen import kinds, layout
from docgen import settings as S
from docgen.body import style_and_text, with_end_mark
from docgen.fields import DocumentData
from domain.text.outline import OutlineWarning, parse
from models.choices import MODEL_MINUTES, MODEL_TELEGRAM, get_kind

# ---- the HTML preview ------------------------------------------------------------------------------------


@dataclass
class SheetParagraph:
    style: str  # docgen style id; also the CSS class that gives it the style's size, weight and indents
    text: str
    line: int | None = None  # 1-based line of the body text it came from (None for the references)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    parent_lines: list[str]
    name_lines: list[str]
    number: str
    date_line: str
    subject: str | None  # a Công văn's "V/v …" under the number
    title_line: str | None  # "KẾ HOẠCH"; None for a Công văn
    title: str
    kinh_gui: list[str]  # the lines as printed: one "Kính gửi: X", or "Kính gửi:" then "- X;" … "- Z."
    paragraphs: list[SheetParagraph]
    noi_nhan: list[str]
    signature_heads: list[tuple[str, str]]  # (style id, text), authority first
    signer_name: str
    warnings: list[OutlineWarning]
    draft: bool
    marks: list[str] = field(default_factory=list)  # KHẨN …, LƯU HÀNH NỘI BỘ, framed under the number
    quoc_hieu: str = layout.QUOC_HIEU
    tieu_ngu: str = layout.TIEU_NGU


def _style_of(p) -> str:
    style = p.find(qn("w:pPr") + "/" + qn("w:pStyle"))
    return style.get(qn("w:val")) if style is not None else S.NOI_DUNG


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _kinh_gui_lines(data: DocumentData) -> list[str]:
    """The ô 9a lines exactly as docgen.layout.kinh_gui_block writes them (none for a Công điện: its opening
    lists the bodies it goes to)."""
    if get_kind(data.kind).model == MODEL_TELEGRAM:
        return []
    names = [layout._entry(t) for t in data.kinh_gui]  # docgen's own clean-up of a recipient line
    names = [n for n in names if n]
    if not names:
        return []
    if len(names) == 1:
        return [f"Kính gửi: {names[0]}"]
    return ["Kính gửi:"] + [f"- {n};" for n in names[:-1]] + [f"- {names[-1]}."]


def _paragraphs(data: DocumentData) -> tuple[list[SheetParagraph], list[OutlineWarning]]:
    """The references, then every outline block, as docgen.body.body_paragraphs prints them."""
    text = kinds.body_text(data)  # with a Quyết định's executing article, a Biên bản's closing time
    if closing := kinds.closing_line(data):
        text = f"{text.rstrip()}\n{closing}"
    outline = parse(text)
    by_line: dict[int, list[str]] = {}
    for warning in outline.warnings:
        by_line.setdefault(warning.line, []).append(warning.message)
    if kinds.opening(data):  # the kind's own lines (a Quyết định's grounds and "QUYẾT ĐỊNH:", a Giấy mời's facts)
        paragraphs = [SheetParagraph(_style_of(p), text_of(p)) for p in kinds.opening(data)]
    else:
        paragraphs = [SheetParagraph(S.CAN_CU, text) for r in data.references if (text := layout.line(r))]
    for block in outline.walk():
        style, text = style_and_text(block)
        paragraphs.append(SheetParagraph(style, text, block.line, by_line.pop(block.line, [])))
    if paragraphs:
        paragraphs[-1].text = with_end_mark(paragraphs[-1].text)
    return paragraphs, outline.warnings


def sheet(data: DocumentData) -> Sheet:
    """The page preview of a document: every printed line, in order, with its style."""
    kind = get_kind(data.kind)
    number, when = layout.number_and_date(data)
    sig = data.signature
    heads = [layout.line(t).upper() for t in (sig.authority, sig.deputy_line, sig.title) if layout.line(t)]
    if kind.model == MODEL_MINUTES:  # Mẫu 1.9: the chair signs as CHỦ TỌA (the secretary's block is the .docx's)
        heads = ["CHỦ TỌA"] + ([layout.line(sig.title).upper()] if layout.line(sig.title) else [])
    paragraphs, warnings = _paragraphs(data)
    return Sheet(
        parent_lines=[layout.line(t).upper() for t in data.issuer.parent_lines if layout.line(t)],
        name_lines=[layout.line(t).upper() for t in data.issuer.name_lines if layout.line(t)],
        number=number,
        date_line=when if kind.dated else "",
        marks=[text_of(p) for p in kinds.marks(data)],
        subject=layout.subject_line(data) if kind.subject_prefix else None,
        title_line=kind.title_line,
        title=layout.line(data.title),
        kinh_gui=_kinh_gui_lines(data),
        paragraphs=paragraphs,
        noi_nhan=layout.noi_nhan_lines(data),
        signature_heads=[(S.QUYEN_HAN_KY if i == 0 else S.CHUC_VU_KY, t) for i, t in enumerate(heads)],
        signer_name=layout.line(sig.name),
        warnings=warnings,
        draft=data.number is None,
    )


# ---- the preview's style sheet, generated from the .docx template's numbers --------------------------------

PT_PER_MM = 72 / 25.4
# Word's "single" line of Times New Roman is about 1.15 em (ascent + descent + line gap of the font).
TNR_LINE_EM = 1.15
_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "justify"}


def _pt(value: float) -> str:
    return f"calc({value:.2f} * var(--pt))"


def _style_rule(spec: S.StyleSpec) -> str:
    line = f"{_pt(spec.line)}" if spec.line_exact else f"{spec.line * TNR_LINE_EM:.3f}"
    return (
        f".sheet .{spec.id} {{ font-size: {_pt(spec.size)}; font-weight: {'bold' if spec.bold else 'normal'}; "
        f"font-style: {'italic' if spec.italic else 'normal'}; text-align: {_ALIGN[spec.align]}; "
        f"text-indent: {_pt(spec.first_line_cm * 10 * PT_PER_MM)}; margin: {_pt(spec.before_pt)} 0 "
        f"{_pt(spec.after_pt)}; line-height: {line}; }}"
    )


@cache
def sheet_css() -> str:
    """CSS for the preview sheet: page size, margins, column widths, rules and every ND30 style, in pt scaled
    by --pt (1 pt of paper = var(--pt) on screen), all read from docgen.settings."""
    cm = 10 * PT_PER_MM
    content_pt = S.CONTENT_WIDTH_CM * cm
    left_col, right_col = S.HEADER_COLUMNS_CM
    sig_left, sig_right = S.SIGNATURE_COLUMNS_CM
    rule = _pt(S.RULE_WEIGHT_EIGHTHS / 8)
    rules = [
        "/* Generated from docgen/settings.py by docgen/sheet.py: edit the settings, not this. */",
        ".sheet { --pt: 1px; box-sizing: content-box; background: #fff; color: #000; "
        "font-family: 'Times New Roman', 'Liberation Serif', 'Tinos', serif; "
        f"width: {_pt(content_pt)}; min-height: {_pt(S.PAGE_HEIGHT_MM * PT_PER_MM - (S.MARGIN_TOP_MM + S.MARGIN_BOTTOM_MM) * PT_PER_MM)}; "
        f"padding: {_pt(S.MARGIN_TOP_MM * PT_PER_MM)} {_pt(S.MARGIN_RIGHT_MM * PT_PER_MM)} "
        f"{_pt(S.MARGIN_BOTTOM_MM * PT_PER_MM)} {_pt(S.MARGIN_LEFT_MM * PT_PER_MM)}; overflow-wrap: break-word; }}",
        # Text keeps the spaces typed on purpose (the blanks of a draft's date line); markup around it does not.
        ".sheet p { margin: 0; white-space: pre-wrap; }",
        f".sheet .sheet-header, .sheet .sheet-signature {{ display: grid; column-gap: {_pt(2 * S.CELL_MARGIN_CM * cm)}; }}",
        f".sheet .sheet-header {{ grid-template-columns: {left_col / S.CONTENT_WIDTH_CM * 100:.3f}% 1fr; }}",
        f".sheet .sheet-signature {{ grid-template-columns: {sig_left / S.CONTENT_WIDTH_CM * 100:.3f}% 1fr; "
        f"break-inside: avoid; }}",
        ".sheet .cell { text-align: center; }",
        ".sheet .sheet-signature .recipients { text-align: left; }",
        # Short rules: a bottom border on a block sized against the text it underlines (ND30 II.1.b, II.2.b, II.5.b).
        ".sheet .ruled { display: inline-block; max-width: 100%; }",
        # docgen draws a rule as the bottom border of a 3 pt paragraph (VB Đường kẻ): the same gap here.
        f".sheet .rule {{ border-top: {rule} solid #000; margin: {_pt(S.STYLE_BY_ID[S.DUONG_KE].line)} auto 0; "
        "height: 0; }}",
        ".sheet .rule-full { width: 100%; }",
        f".sheet .rule-issuer {{ width: {S.ISSUER_RULE_RATIO * 100:.1f}%; }}",
        f".sheet .rule-title {{ width: {S.TRICH_YEU_RULE_RATIO * 100:.1f}%; max-width: {_pt(S.TRICH_YEU_RULE_MAX_CM * cm)}; "
        f"margin-bottom: {_pt(S.AFTER_TITLE_RULE_PT)}; }}",
        ".sheet .title-block { text-align: center; }",
    ]
    rules += [_style_rule(spec) for spec in S.STYLES]
    # Several Kính gửi lines: "Kính gửi" and its colon, then each "- X;" with its dash under the colon.
    rules.append(".sheet .kinh-gui { display: grid; grid-template-columns: auto auto; justify-content: center; }")
    rules.append(".sheet .kinh-gui p:nth-child(n+3) { margin-top: 0; }")
    rules.append(".sheet .kinh-gui-single { text-align: center; }")
    return "\n".join(rules) + "\n"
