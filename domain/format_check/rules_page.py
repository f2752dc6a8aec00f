"""Page set-up, font and colour of every element, Unicode, and the page numbers as the file sets them.

Sources: Phụ lục I Phần I, Mục I (A4 portrait, margins, Times New Roman black, page numbers "canh giữa theo chiều
ngang trong phần lề trên …, không hiển thị số trang thứ nhất"), format-spec.md §9.1 (Unicode NFC).
"""

from __future__ import annotations

import unicodedata

from domain.format_check import findings as F
from domain.format_check import nd30
from domain.format_check.checks import ERROR, WARNING, Checker, Doc
from domain.format_check.paragraphs import Para, paragraphs_of
from domain.format_check.recognize import is_rule_para
from domain.plans.word.xml import VAL, W, int_val
from domain.text.vietnamese import format_count

R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
TWIPS_PER_MM = 1440 / 25.4
CHARS_PER_PAGE = 3500  # more body text than this cannot fit on one A4 page at 13–14 pt


def sections(doc: Doc) -> list:
    """Every section's properties in document order (the last one is the body's own)."""
    body = doc.package.document.find(W + "body")
    found = [s for s in body.iter(W + "sectPr") if s.getparent().tag == W + "pPr"]
    last = body.find(W + "sectPr")
    return found + ([last] if last is not None else [])


def check(doc: Doc, checker: Checker) -> None:
    all_sections = sections(doc)
    for number, sect in enumerate(all_sections):
        _page(checker, sect, number)
    _fonts(doc, checker)
    _page_numbers(doc, checker, all_sections[0] if all_sections else None)


def _page(checker: Checker, sect, number: int) -> None:
    size = sect.find(W + "pgSz")
    if size is None:
        return
    width, height = int_val(size.get(W + "w"), 0), int_val(size.get(W + "h"), 0)
    where = "" if number == 0 else f" (phần {number + 1} của văn bản)"
    a4 = sorted((width, height)) == list(nd30.A4_TWIPS) or all(
        abs(a - b) <= nd30.PAGE_TOLERANCE_TWIPS for a, b in zip(sorted((width, height)), nd30.A4_TWIPS, strict=True))
    if not a4:
        checker.add("page.size", ERROR, F.PAGE, f"Khổ giấy phải là A4 (210 × 297 mm){where}; hãy chọn lại khổ giấy.",
                    expected="A4 (210 × 297 mm)", found=f"{width / TWIPS_PER_MM:.0f} × {height / TWIPS_PER_MM:.0f} mm",
                    source=nd30.SRC_PAGE)
    landscape = width > height
    if landscape and number == 0:
        checker.add("page.orientation", ERROR, F.PAGE, "Trang văn bản phải đặt theo chiều dài khổ A4 (trang đứng); "
                    "chỉ phụ lục có bảng rộng mới được đặt trang ngang.", expected="trang đứng", found="trang ngang",
                    source=nd30.SRC_PAGE)
    margins = sect.find(W + "pgMar")
    if margins is None or landscape:
        return
    wrong = []
    for side, bounds in nd30.MARGINS_MM.items():
        mm = abs(int_val(margins.get(W + side), 0) or 0) / TWIPS_PER_MM
        if not bounds[0] - nd30.MARGIN_TOLERANCE_MM <= mm <= bounds[1] + nd30.MARGIN_TOLERANCE_MM:
            wrong.append((side, mm, bounds))
    if wrong:
        expected = "; ".join(f"lề {nd30.MARGIN_NAMES[s]} {b[0]}–{b[1]} mm" for s, _mm, b in wrong)
        found = "; ".join(f"lề {nd30.MARGIN_NAMES[s]} {mm:.1f} mm".replace(".", ",") for s, mm, _b in wrong)
        checker.add("page.margins", ERROR, F.PAGE, f"Lề trang ngoài khoảng Nghị định 30 cho phép{where}: {found}; "
                    f"hãy đặt {expected}.", expected=expected, found=found, source=nd30.SRC_PAGE)


def _fonts(doc: Doc, checker: Checker) -> None:
    """Times New Roman and black in every run with text: one finding per element, naming each paragraph."""
    wrong_font: dict[str, list[Para]] = {}
    fonts_seen: dict[str, set[str]] = {}
    wrong_color: dict[str, list[Para]] = {}
    decomposed: list[Para] = []
    for para in doc.paras:
        element = doc.element_of.get(para.index, F.BODY)
        visible = [f for s, e, f in para.pieces if para.text[s:e].strip()]
        bad = {name for f in visible for name in f.fonts if not is_times(name)}
        if bad:
            wrong_font.setdefault(element, []).append(para)
            fonts_seen.setdefault(element, set()).update(bad)
        if any(f.color not in nd30.BLACK for f in visible):
            wrong_color.setdefault(element, []).append(para)
        if para.text and not unicodedata.is_normalized("NFC", para.text):
            decomposed.append(para)
    for element, paras in wrong_font.items():
        names = ", ".join(sorted(fonts_seen[element]))
        checker.add("font.family", ERROR, element, f"Phông chữ phải là {nd30.FONT} ({_count(paras)} dùng {names}); "
                    f"hãy chọn lại phông {nd30.FONT} cho các đoạn này.", paras=paras, expected=nd30.FONT,
                    found=names, source=nd30.SRC_PAGE)  # fmt: skip
    for element, paras in wrong_color.items():
        checker.add("font.color", ERROR, element, f"Chữ phải màu đen ({_count(paras)} có chữ màu khác); hãy đặt màu "
                    "chữ Tự động hoặc Đen.", paras=paras, expected="màu đen", found="màu khác", source=nd30.SRC_PAGE)
    if decomposed:
        checker.add("text.unicode", WARNING, F.PAGE, f"Chữ tiếng Việt gõ kiểu tổ hợp (dấu tách rời) ở "
                    f"{_count(decomposed)}: có thể hiển thị lệch dấu; hãy gõ lại bằng Unicode dựng sẵn.",
                    paras=decomposed, expected="Unicode dựng sẵn (NFC)", found="Unicode tổ hợp", source=nd30.SRC_NFC)


def is_times(name: str) -> bool:
    """Times New Roman, also as the first of a list ("Times New Roman;serif") or one of its faces ("… Bold")."""
    first = name.replace(",", ";").split(";")[0].strip().lower()
    for face in (" bold italic", " bold", " italic"):
        first = first.removesuffix(face)
    return first == nd30.FONT.lower()


def _count(paras: list[Para]) -> str:
    return f"{format_count(len(paras))} đoạn"


def _has_page_field(root) -> bool:
    instructions = " ".join(t.text or "" for t in root.iter(W + "instrText"))
    instructions += " " + " ".join(f.get(W + "instr") or "" for f in root.iter(W + "fldSimple"))
    return any(word == "PAGE" for word in instructions.upper().replace("\\", " ").split())


def _page_numbers(doc: Doc, checker: Checker, sect) -> None:
    package = doc.package
    refs = {}
    if sect is not None:
        for tag in ("headerReference", "footerReference"):
            for ref in sect.findall(W + tag):
                refs[(tag, ref.get(W + "type") or "default")] = ref.get(R_ID)
    header = package.headers.get(refs.get(("headerReference", "default")))
    first = package.headers.get(refs.get(("headerReference", "first")))
    title_page = sect is not None and sect.find(W + "titlePg") is not None and (
        (sect.find(W + "titlePg").get(VAL) or "1").lower() not in ("0", "false", "off"))
    in_footer = any(_has_page_field(root) for root in package.footers.values())
    in_header = header is not None and _has_page_field(header)
    src = nd30.SRC_PAGE_NUMBERS
    if in_footer and not in_header:
        checker.add("page_numbers.position", ERROR, F.PAGE_NUMBERS, "Số trang phải đặt ở giữa lề trên (đầu trang), "
                    "không ở chân trang; hãy chuyển trường số trang lên đầu trang.", expected="đầu trang, canh giữa",
                    found="chân trang", source=src)
    elif not in_header:
        text = sum(len(p.text) for p in doc.body)
        if text > CHARS_PER_PAGE:
            checker.add("page_numbers.missing", ERROR, F.PAGE_NUMBERS, "Văn bản nhiều trang nhưng không có số trang; "
                        "hãy chèn số trang ở giữa lề trên, từ trang 2.", expected="số trang ở lề trên từ trang 2",
                        found="không có", source=src)
        return
    if in_header and (not title_page or (first is not None and _has_page_field(first))):
        checker.add("page_numbers.first_page", ERROR, F.PAGE_NUMBERS, "Không hiển thị số trang ở trang thứ nhất; "
                    "hãy chọn “Trang đầu khác” (Different First Page) để trang 1 không có số.",
                    expected="không có số ở trang 1", found="có số ở trang 1", source=src)
    if header is None:
        return
    for para in paragraphs_of(header, doc.styles):
        if not _has_page_field(para.element) or is_rule_para(para):
            continue
        if para.fmt.align not in ("center", "centre"):
            checker.add("page_numbers.align", ERROR, F.PAGE_NUMBERS, "Số trang phải canh giữa; hãy canh giữa đoạn "
                        "số trang ở đầu trang.", expected="canh giữa", found=para.fmt.align, source=src)
        formats = [f for _s, _e, f in para.pieces] or [para.mark]
        sizes = sorted({f.size for f in formats})
        if not all(nd30.in_range(s, nd30.PAGE_NUMBER_SIZES) for s in sizes):
            checker.add("page_numbers.size", ERROR, F.PAGE_NUMBERS, "Số trang phải cỡ chữ 13–14 pt.",
                        expected=nd30.sizes_text(nd30.PAGE_NUMBER_SIZES),
                        found=", ".join(f"{s:g} pt" for s in sizes), source=src)
        if any(f.bold or f.italic for f in formats):
            checker.add("page_numbers.style", ERROR, F.PAGE_NUMBERS, "Số trang phải kiểu chữ đứng, không đậm.",
                        expected="đứng, không đậm", found="đậm hoặc nghiêng", source=src)
        break
