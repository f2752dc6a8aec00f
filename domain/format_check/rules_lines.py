"""Lengths measured on the page: the short rules under the issuer, the Tiêu ngữ and the trích yếu, and whether the
Quốc hiệu fits its cell on one line. Measured with Times New Roman's widths (domain.text.metrics) on rules drawn as
a paragraph's bottom border (their length is the width left by the indents); a rule drawn as a shape is not
measured. All warnings: the rendered check (docgen.rendered_checks) says for sure whether the Quốc hiệu wraps, and
real offices draw rules of about the full text width, which the spec asks a checker to tolerate (§7.2)."""

from __future__ import annotations

from domain.format_check import findings as F
from domain.format_check import nd30
from domain.format_check.checks import WARNING, Checker, Doc
from domain.format_check.paragraphs import Para, Span
from domain.format_check.recognize import is_rule_para
from domain.format_check.rules_page import sections
from domain.plans.word.xml import W, int_val
from domain.text.metrics import text_width_cm

TWIPS_PER_CM = 1440 / 2.54
# (ratio of the rule to its line: what ND30 asks, and the range tolerated before a warning)
SHORT_RULE = ((1 / 3, 1 / 2), (0.25, 1.1))  # II.2.b, II.5.b: 1/3–1/2 of the line above
FULL_RULE = ((1.0, 1.0), (0.8, 1.2))  # II.1.b: as long as the Tiêu ngữ


def check(doc: Doc, checker: Checker) -> None:
    h, t = doc.header, doc.title
    content = _content_cm(doc)
    if h.issuer:
        _rule(doc, checker, "issuer.rule.length", F.ISSUER, h.issuer, SHORT_RULE, content, nd30.SRC_ISSUER)
    if h.tieu_ngu is not None:
        _rule(doc, checker, "tieu_ngu.rule.length", F.TIEU_NGU, [h.tieu_ngu], FULL_RULE, content, nd30.SRC_QUOC_HIEU)
    if t.trich_yeu:
        _rule(doc, checker, "trich_yeu.rule.length", F.TRICH_YEU, t.trich_yeu, SHORT_RULE, content, nd30.SRC_TITLE)
    if h.quoc_hieu is not None:
        _quoc_hieu_fits(checker, h.quoc_hieu)


def _content_cm(doc: Doc) -> float | None:
    found = sections(doc)
    if not found:
        return None
    sect = found[0]
    size, margins = sect.find(W + "pgSz"), sect.find(W + "pgMar")
    if size is None or margins is None:
        return None
    twips = (int_val(size.get(W + "w"), 0) or 0) - sum(int_val(margins.get(W + side), 0) or 0
                                                      for side in ("left", "right"))
    return twips / TWIPS_PER_CM if twips > 0 else None


def _width_cm(para: Para, content: float | None) -> float | None:
    if para.cell is not None:
        inner = para.cell.inner_twips
        return inner / TWIPS_PER_CM if inner else None
    return content


def _bordered_rule(doc: Doc, span: Span) -> Para | None:
    """The empty bordered paragraph right under the line (in the same cell), if the rule is drawn that way."""
    for para in doc.paras[span.para.index + 1 : span.para.index + 3]:
        if para.cell != span.para.cell:
            return None
        if is_rule_para(para) and para.fmt.bottom_border and not para.text.strip():
            return para
        if para.stripped:
            return None
    return None


def _line_cm(span: Span, available: float) -> float:
    size = max(span.sizes())
    return min(text_width_cm(span.text, size, bold=span.all("bold")), available)


def _rule(doc: Doc, checker: Checker, rule_id: str, element: str, lines: list[Span],
          ratios: tuple[tuple[float, float], tuple[float, float]], content: float | None, source: str) -> None:
    rule = _bordered_rule(doc, lines[-1])
    if rule is None:
        return
    available = _width_cm(rule, content)
    if not available:
        return
    length = available - (rule.fmt.left_twips + rule.fmt.right_twips) / TWIPS_PER_CM
    line = max(_line_cm(span, available) for span in lines)
    if line <= 0:
        return
    (low, high), (tolerated_low, tolerated_high) = ratios
    ratio = length / line
    if tolerated_low <= ratio <= tolerated_high:
        return
    wanted = f"{low * line:.1f}–{high * line:.1f} cm" if low != high else f"{line:.1f} cm"
    share = "dài bằng dòng chữ" if low == high else "dài 1/3–1/2 dòng chữ"
    checker.add(rule_id, WARNING, element, f"Đường kẻ dưới dòng này nên {share} ({wanted.replace('.', ',')}); hãy chỉnh "
                "thụt lề hai bên của đường kẻ.", at=lines[-1], expected=wanted.replace(".", ","),
                found=f"{length:.1f} cm".replace(".", ","), source=source)


def _quoc_hieu_fits(checker: Checker, span: Span) -> None:
    cell = span.para.cell
    if cell is None or not cell.inner_twips:
        return
    inner = cell.inner_twips / TWIPS_PER_CM
    needed = text_width_cm(span.text, max(span.sizes()), bold=True)
    if needed > inner:
        checker.add("quoc_hieu.fits", WARNING, F.QUOC_HIEU, "Quốc hiệu dài hơn ô chứa nó nên có thể bị xuống dòng khi "
                    "in; hãy nới rộng ô bên phải hoặc giảm cỡ chữ (12–13 pt). Kiểm tra bản in để chắc chắn.",
                    at=span, expected=f"ô rộng ≥ {needed:.2f} cm".replace(".", ","),
                    found=f"ô rộng {inner:.2f} cm".replace(".", ","), source=nd30.SRC_QUOC_HIEU)
