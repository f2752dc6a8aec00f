"""Tên loại and trích yếu (ô 5a), Kính gửi (ô 9a) and the body (ô 6). Sources: Phụ lục I II.5.b, II.6, II.9.d,
the Mục V table; the end mark "./." of the Phụ lục III models."""

from __future__ import annotations

import re

from domain.format_check import findings as F
from domain.format_check import nd30
from domain.format_check.checks import ERROR, WARNING, Checker, Doc, pt
from domain.format_check.paragraphs import Para, Span
from domain.format_check.rules_header import rule_near
from domain.text.vietnamese import fold, format_count

TWIPS_PER_CM = 1440 / 2.54
ROMAN_HEADING_RE = re.compile(r"^[IVXL]+\.\s+\S")
PART_RE = re.compile(r"^phan\s+[ivxl]+$")
DECIDES_RE = re.compile(r"^(quyet dinh|quyet nghi|nghi quyet)\s*:$")


def check(doc: Doc, checker: Checker) -> None:
    _title(doc, checker)
    _kinh_gui(doc, checker)
    _body(doc, checker)


def _title(doc: Doc, checker: Checker) -> None:
    t = doc.title
    src = nd30.SRC_TITLE
    if t.title is None:
        if doc.header.vv is None:
            checker.add("title.missing", ERROR, F.TITLE, "Không tìm thấy tên loại văn bản (KẾ HOẠCH, BÁO CÁO …) dưới "
                        "phần đầu, hoặc trích yếu “V/v …” của công văn; hãy thêm.", expected="tên loại văn bản",
                        found="không có", source=src)
        return
    if doc.kind and doc.kind != t.kind and doc.kind != nd30.CONG_VAN:
        checker.add("title.kind", ERROR, F.TITLE, f"Tên loại văn bản là “{t.kind.upper()}”, không khớp loại văn bản "
                    f"“{doc.kind}”.", at=t.title, expected=doc.kind.upper(), found=t.title.text, source=src)
    checker.look("title.font", F.TITLE, t.title, "Tên loại văn bản", src, bold=True, italic=False, upper=True)
    checker.size("title.size", F.TITLE, t.title, nd30.TITLE_SIZES, "Tên loại văn bản", src)
    _centred(checker, "title.align", F.TITLE, t.title, "Tên loại văn bản", src)
    if t.kind in nd30.NO_TRICH_YEU:
        return
    if not t.trich_yeu:
        checker.add("trich_yeu.missing", ERROR, F.TRICH_YEU, "Không có trích yếu nội dung ngay dưới tên loại văn "
                    "bản; hãy thêm một dòng tóm tắt nội dung (chữ thường, đậm, canh giữa).", at=t.title,
                    expected="trích yếu", found="không có", source=src)
        return
    for span in t.trich_yeu:
        checker.look("trich_yeu.font", F.TRICH_YEU, span, "Trích yếu", src, bold=True, italic=False, upper=False)
        checker.size("trich_yeu.size", F.TRICH_YEU, span, nd30.TITLE_SIZES, "Trích yếu", src)
    if not rule_near(doc, t.trich_yeu[-1]):
        checker.add("trich_yeu.rule", ERROR, F.TRICH_YEU, "Dưới trích yếu phải có đường kẻ ngang, nét liền, dài 1/3–1/2 "
                    "dòng chữ, canh giữa; hãy thêm.", at=t.trich_yeu[-1], expected="đường kẻ ngang",
                    found="không có", source=src)


def _centred(checker: Checker, rule: str, element: str, span: Span, what: str, source: str) -> None:
    if span.para.fmt.align not in ("center", "centre"):
        checker.add(rule, ERROR, element, f"{what} phải canh giữa.", at=span, expected="canh giữa",
                    found=_align_text(span.para.fmt.align), source=source)


def _align_text(align: str) -> str:
    return {"both": "canh đều", "left": "canh trái", "start": "canh trái", "right": "canh phải",
            "end": "canh phải", "center": "canh giữa", "distribute": "dàn đều"}.get(align, align)  # fmt: skip


def _kinh_gui(doc: Doc, checker: Checker) -> None:
    """Ô 9a: one recipient on the "Kính gửi:" line; several, each on its own line "- …;", the last ending "."."""
    lines = doc.title.kinh_gui
    for para in lines:
        span = para.span()
        checker.size("kinh_gui.size", F.NOI_NHAN, span, nd30.KINH_GUI_SIZES, "Kính gửi", nd30.SRC_NOI_NHAN)
        checker.look("kinh_gui.font", F.NOI_NHAN, span, "Kính gửi", nd30.SRC_NOI_NHAN, italic=False, bold=False)
    entries = lines[1:]
    for index, para in enumerate(entries):
        text = para.stripped
        end = "." if index == len(entries) - 1 else ";"
        if not text.startswith("- ") or not text.endswith(end):
            checker.add("kinh_gui.form", ERROR, F.NOI_NHAN, "Khi kính gửi nhiều nơi, mỗi nơi một dòng bắt đầu bằng "
                        "“- ”, kết thúc bằng dấu chấm phẩy; dòng cuối kết thúc bằng dấu chấm.", at=para,
                        expected=f"- <nơi nhận>{end}", found=text, source=nd30.SRC_NOI_NHAN)


def _many(checker: Checker, rule: str, severity: str, paras: list[Para], message: str, expected: str,
          found: str, source: str) -> None:
    if paras:
        checker.add(rule, severity, F.BODY, f"{message} ({format_count(len(paras))} đoạn).", paras=paras,
                    expected=expected, found=found, source=source)


def _body(doc: Doc, checker: Checker) -> None:
    text_paras = [p for p in doc.body if p.stripped and p.cell is None and not p.in_text_box]
    if not text_paras:
        checker.add("body.missing", ERROR, F.BODY, "Văn bản không có nội dung (ô 6) giữa phần đầu và chữ ký.",
                    expected="nội dung", found="không có", source=nd30.SRC_BODY)
        return
    src = nd30.SRC_BODY
    wrong_size = [p for p in text_paras if not all(nd30.in_range(s, nd30.BODY_SIZES) for s in p.span().sizes())]
    sizes = sorted({s for p in wrong_size for s in p.span().sizes()})
    _many(checker, "body.size", ERROR, wrong_size, "Nội dung phải cỡ chữ 13–14 pt",
          nd30.sizes_text(nd30.BODY_SIZES), ", ".join(pt(s) for s in sizes), src)
    prose = [p for p in text_paras if not _is_heading(p)]
    _many(checker, "body.align", ERROR, [p for p in prose if p.fmt.align not in ("both", "distribute")],
          "Nội dung phải canh đều hai lề", "canh đều", "canh khác", src)
    low, high = (cm * TWIPS_PER_CM for cm in nd30.FIRST_LINE_CM)
    tolerance = nd30.FIRST_LINE_TOLERANCE_CM * TWIPS_PER_CM
    indented = [p for p in prose if not low - tolerance <= p.fmt.first_line_twips <= high + tolerance]
    found = sorted({round(p.fmt.first_line_twips / TWIPS_PER_CM, 2) for p in indented})
    _many(checker, "body.indent", ERROR, indented, "Đầu dòng mỗi đoạn phải lùi vào 1–1,27 cm",
          "lùi đầu dòng 1–1,27 cm", ", ".join(f"{cm:g} cm".replace(".", ",") for cm in found[:5]), src)
    _spacing(checker, text_paras, src)
    _headings(checker, text_paras)
    _can_cu(doc, checker, text_paras)
    last = text_paras[-1]
    if not last.stripped.endswith(nd30.END_MARK) and doc.end.found:
        checker.add("body.end_mark", WARNING, F.BODY, "Đoạn cuối của nội dung thường kết thúc bằng dấu “./.” theo các "
                    "mẫu của Nghị định 30.", at=last, expected="…./.", found=last.stripped[-10:],
                    source=nd30.SRC_END_MARK)


def _is_heading(para: Para) -> bool:
    """A heading or a line the models centre: "I. …", "Phần I", the Quyết định's authority line and its
    "QUYẾT ĐỊNH:", a part title in capitals. They keep the body's size but not its justification and indent."""
    short = fold(para.stripped) if len(para.stripped) <= 20 else ""
    if ROMAN_HEADING_RE.match(para.stripped) or PART_RE.match(short):
        return True
    return para.fmt.align in ("center", "centre") and (para.span().shown_upper() or bool(DECIDES_RE.match(short)))


def _spacing(checker: Checker, paras: list[Para], source: str) -> None:
    tight = [nxt for prev, nxt in zip(paras, paras[1:], strict=False)
             if prev.fmt.after_pt + nxt.fmt.before_pt < nd30.MIN_PARAGRAPH_GAP_PT - 0.01
             and prev.index + 1 == nxt.index]
    _many(checker, "body.paragraph_spacing", ERROR, tight, "Khoảng cách giữa các đoạn văn tối thiểu 6 pt",
          "≥ 6 pt", "< 6 pt", source)
    wrong = []
    for para in paras:
        line, rule = para.fmt.line, para.fmt.line_rule
        if line is None:
            continue
        if rule == "auto":
            ok = nd30.LINE_MULTIPLE[0] * 240 - 1 <= line <= nd30.LINE_MULTIPLE[1] * 240 + 1
        else:
            size = max(para.span().sizes())
            single = size * nd30.SINGLE_LINE_PT * 20
            ok = rule == "atLeast" and line <= single * nd30.LINE_MULTIPLE[1] or (
                single * 0.95 <= line <= single * nd30.LINE_MULTIPLE[1] * 1.05)
        if not ok:
            wrong.append(para)
    _many(checker, "body.line_spacing", ERROR, wrong, "Khoảng cách giữa các dòng phải từ một dòng (single) đến 1,5 "
          "dòng", "1–1,5 dòng", "ngoài khoảng", source)


def _headings(checker: Checker, paras: list[Para]) -> None:
    wrong = [p for p in paras if ROMAN_HEADING_RE.match(p.stripped)
             and not (p.span().all("bold") and p.span().shown_upper())]
    _many(checker, "body.heading", ERROR, wrong, "Số thứ tự và tiêu đề của mục (I., II., …) phải in hoa, đậm",
          "in hoa, đậm", "không in hoa hoặc không đậm", nd30.SRC_HEADINGS)


def _can_cu(doc: Doc, checker: Checker, paras: list[Para]) -> None:
    """In a Quyết định (and Nghị quyết) the căn cứ lines are italic (II.6.a); other kinds print them upright."""
    if doc.kind not in ("Quyết định", "Nghị quyết"):
        return
    wrong = [p for p in paras if fold(p.stripped[:8]).startswith("can cu ") and not p.span().all("italic")]
    _many(checker, "body.can_cu", ERROR, wrong, "Các căn cứ ban hành phải in nghiêng", "nghiêng", "đứng",
          nd30.SRC_CAN_CU)
