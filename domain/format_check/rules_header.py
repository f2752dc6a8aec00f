"""The header (ô 1–4, 5b): Quốc hiệu, Tiêu ngữ and its rule, the issuer's lines and rule, Số/ký hiệu, place and
date, a Công văn's V/v. Sources: Phụ lục I II.1–II.5, Phụ lục III Mục I (abbreviations)."""

from __future__ import annotations

import re
from datetime import date

from domain.format_check import findings as F
from domain.format_check import nd30
from domain.format_check.checks import ERROR, WARNING, Checker, Doc
from domain.format_check.paragraphs import Span
from domain.format_check.recognize import find_marks, is_rule_para

NUMBER_RE = re.compile(r"^Số: (?P<number>\d+)/(?P<symbol>\S+)$")
SYMBOL_RE = re.compile(r"^[A-ZĐ][A-Za-zĐđ]*(-[A-ZĐ0-9][A-Za-zĐđ0-9]*)*$")
BLANK_NUMBER_RE = re.compile(r"^Số\s*:\s*/\s*\S")
DATE_RE = re.compile(r"^(?P<place>[^,]+), ngày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2}) năm (?P<y>\d{4})$")
BLANK_DATE_RE = re.compile(r"^[^,]+, ngày\s+(tháng\s+(\d{1,2}\s+)?|\d{1,2}\s+tháng\s+)năm\s+\d{4}$")


def check(doc: Doc, checker: Checker) -> None:
    h = doc.header
    _quoc_hieu(doc, checker)
    _issuer(doc, checker)
    if h.number is None:
        checker.add("number.missing", ERROR, F.NUMBER, "Không tìm thấy dòng “Số: …/…” dưới tên cơ quan ban hành; hãy "
                    "thêm số và ký hiệu văn bản.", expected="Số: 05/KH-MTTQ-BTT", found="không có",
                    source=nd30.SRC_NUMBER)
    else:
        _number(doc, checker, h.number)
    if h.place_date is None and doc.kind not in nd30.NO_DATE_LINE:
        checker.add("place_date.missing", ERROR, F.PLACE_DATE, "Không tìm thấy dòng địa danh và ngày tháng năm ban "
                    "hành; hãy thêm, ví dụ “Ninh Bình, ngày 05 tháng 01 năm 2026”.", found="không có",
                    expected="Ninh Bình, ngày 05 tháng 01 năm 2026", source=nd30.SRC_DATE)
    elif h.place_date is not None:
        _place_date(checker, h.place_date)
    for mark in find_marks(doc.paras):
        _mark(checker, mark)
    if h.vv is not None:
        checker.size("number.vv.size", F.NUMBER, h.vv, nd30.VV_SIZES, "Trích yếu công văn (V/v)", nd30.SRC_TITLE)
        checker.look("number.vv.font", F.NUMBER, h.vv, "Trích yếu công văn (V/v)", nd30.SRC_TITLE, bold=False)


def _mark(checker: Checker, span: Span) -> None:
    """KHẨN, HỎA TỐC, LƯU HÀNH NỘI BỘ …: capitals, bold, 13–14 pt, in a single-line rectangle."""
    src = nd30.SRC_MARKS
    what = f"Dấu “{span.text}”"
    checker.look("mark.font", F.HEADER, span, what, src, bold=True, upper=True)
    checker.size("mark.size", F.HEADER, span, nd30.MARK_SIZES, what, src)
    para = span.para
    if not (para.fmt.boxed or (para.cell is not None and para.cell.bordered) or para.in_text_box):
        checker.add("mark.box", WARNING, F.HEADER, f"{what} nên đặt trong khung chữ nhật viền đơn (đường viền "
                    "đoạn văn hoặc một ô bảng có viền).", at=span, expected="khung viền đơn", found="không có khung",
                    source=src)


def rule_near(doc: Doc, span: Span) -> bool:
    """A short rule under the line: its paragraph's bottom border, an empty bordered or underscore paragraph just
    after it, or a line drawn as a shape near it (shapes are anchored loosely, so any in the region counts)."""
    para = span.para
    if para.fmt.bottom_border or para.line_shapes:
        return True
    following = doc.paras[para.index + 1 : para.index + 3]
    if any(is_rule_para(p) for p in following if p.cell == para.cell or p.cell is None):
        return True
    region = doc.paras[max(0, para.index - 12) : para.index + 3]
    return any(p.line_shapes for p in region) or any(
        p.line_shapes for p in doc.paras[: doc.header.end] if para.index < doc.header.end)


def _quoc_hieu(doc: Doc, checker: Checker) -> None:
    qh, tn = doc.header.quoc_hieu, doc.header.tieu_ngu
    src = nd30.SRC_QUOC_HIEU
    if qh is None:
        checker.add("quoc_hieu.missing", ERROR, F.QUOC_HIEU, f"Không tìm thấy Quốc hiệu “{nd30.QUOC_HIEU}” ở đầu "
                    "văn bản, bên phải; hãy thêm.", expected=nd30.QUOC_HIEU, found="không có", source=src)
    else:
        if qh.text.upper() != nd30.QUOC_HIEU:
            checker.add("quoc_hieu.text", WARNING if qh.text.upper().replace("HOÀ", "HÒA") == nd30.QUOC_HIEU else ERROR,
                        F.QUOC_HIEU, f"Quốc hiệu phải viết đúng “{nd30.QUOC_HIEU}”.", at=qh, expected=nd30.QUOC_HIEU,
                        found=qh.text, source=src)
        checker.look("quoc_hieu.font", F.QUOC_HIEU, qh, "Quốc hiệu", src, bold=True, italic=False, upper=True)
        checker.size("quoc_hieu.size", F.QUOC_HIEU, qh, nd30.QUOC_HIEU_SIZES, "Quốc hiệu", src)
    if tn is None:
        checker.add("tieu_ngu.missing", ERROR, F.TIEU_NGU, f"Không tìm thấy Tiêu ngữ “{nd30.TIEU_NGU}” dưới Quốc "
                    "hiệu; hãy thêm.", expected=nd30.TIEU_NGU, found="không có", source=src)
        return
    if tn.text != nd30.TIEU_NGU:
        checker.add("tieu_ngu.text", ERROR, F.TIEU_NGU, f"Tiêu ngữ phải viết đúng “{nd30.TIEU_NGU}”: chữ cái đầu các "
                    "cụm từ viết hoa, giữa các cụm từ có gạch nối (-) và cách chữ.", at=tn, expected=nd30.TIEU_NGU,
                    found=tn.text, source=src)
    checker.look("tieu_ngu.font", F.TIEU_NGU, tn, "Tiêu ngữ", src, bold=True, italic=False)
    checker.size("tieu_ngu.size", F.TIEU_NGU, tn, nd30.TIEU_NGU_SIZES, "Tiêu ngữ", src)
    if qh is not None and len(qh.sizes()) == 1 and len(tn.sizes()) == 1 and nd30.in_range(qh.sizes()[0], (12, 13)):
        wanted = qh.sizes()[0] + 1
        if tn.sizes()[0] != wanted:
            checker.add("tieu_ngu.size_pair", ERROR, F.TIEU_NGU, f"Quốc hiệu cỡ {qh.sizes()[0]:g} thì Tiêu ngữ cỡ "
                        f"{wanted:g}.", at=tn, expected=f"{wanted:g} pt", found=f"{tn.sizes()[0]:g} pt", source=src)
    if tn.any("underline") and not rule_near(doc, tn):
        checker.add("tieu_ngu.rule", WARNING, F.TIEU_NGU, "Tiêu ngữ được gạch chân; Nghị định 30 yêu cầu một đường kẻ "
                    "ngang nét liền bên dưới, dài bằng dòng chữ.", at=tn, expected="đường kẻ dưới dòng chữ",
                    found="gạch chân chữ", source=src)
    elif not rule_near(doc, tn):
        checker.add("tieu_ngu.rule", ERROR, F.TIEU_NGU, "Dưới Tiêu ngữ phải có đường kẻ ngang, nét liền, dài bằng dòng "
                    "chữ; hãy thêm.", at=tn, expected="đường kẻ ngang", found="không có", source=src)


def _issuer(doc: Doc, checker: Checker) -> None:
    h = doc.header
    src = nd30.SRC_ISSUER
    if not h.issuer:
        checker.add("issuer.missing", ERROR, F.ISSUER, "Không tìm thấy tên cơ quan ban hành (in hoa, đậm) ở đầu văn "
                    "bản, bên trái; hãy thêm.", expected="tên cơ quan ban hành", found="không có", source=src)
        return
    for span in h.chu_quan:
        checker.look("issuer.chu_quan.font", F.ISSUER, span, "Tên cơ quan chủ quản", src, bold=False, upper=True)
        checker.size("issuer.chu_quan.size", F.ISSUER, span, nd30.ISSUER_SIZES, "Tên cơ quan chủ quản", src)
    for span in h.issuer:
        checker.look("issuer.font", F.ISSUER, span, "Tên cơ quan ban hành", src, bold=True, upper=True)
        checker.size("issuer.size", F.ISSUER, span, nd30.ISSUER_SIZES, "Tên cơ quan ban hành", src)
    if not rule_near(doc, h.issuer[-1]):
        checker.add("issuer.rule", ERROR, F.ISSUER, "Dưới tên cơ quan ban hành phải có đường kẻ ngang, nét liền, dài "
                    "1/3–1/2 dòng chữ, đặt cân đối; hãy thêm.", at=h.issuer[-1], expected="đường kẻ ngang",
                    found="không có", source=src)


def _number(doc: Doc, checker: Checker, span: Span) -> None:
    src = nd30.SRC_NUMBER
    text = span.text.replace("\u00a0", " ")
    checker.size("number.size", F.NUMBER, span, nd30.NUMBER_SIZES, "Số, ký hiệu", src)
    checker.look("number.font", F.NUMBER, span, "Số, ký hiệu", src, bold=False, italic=False)
    if BLANK_NUMBER_RE.match(text):
        checker.add("number.blank", WARNING, F.NUMBER, "Văn bản chưa có số (dự thảo): văn thư ghi số khi phát hành.",
                    at=span, expected="số văn bản", found="để trống", source=src)
        symbol = re.sub(r"\s+", "", text.split("/", 1)[1])
    else:
        m = NUMBER_RE.match(text)
        if m is None:
            checker.add("number.format", ERROR, F.NUMBER, "Dòng số phải viết “Số: 05/KH-MTTQ-BTT”: chữ “Số” với dấu "
                        "hai chấm, số, gạch chéo (/) rồi ký hiệu in hoa nối bằng gạch nối (-), không có khoảng trắng.",
                        at=span, expected="Số: 05/KH-MTTQ-BTT", found=text, source=src)
            return
        if int(m["number"]) < 10 and len(m["number"]) != 2 or int(m["number"]) >= 10 and m["number"].startswith("0"):
            checker.add("number.padding", ERROR, F.NUMBER, "Số nhỏ hơn 10 phải ghi thêm số 0 phía trước (05), số từ 10 "
                        "trở lên không thêm số 0.", at=span, expected=f"{int(m['number']):02d}", found=m["number"],
                        source=src)
        symbol = m["symbol"]
    if not SYMBOL_RE.match(symbol):
        checker.add("number.symbol", ERROR, F.NUMBER, "Ký hiệu văn bản phải in hoa, các nhóm chữ nối bằng gạch nối "
                    "(-), không có khoảng trắng (ví dụ KH-MTTQ-BTT).", at=span, expected="KH-MTTQ-BTT", found=symbol,
                    source=src)
        return
    _abbreviation(doc, checker, span, symbol)


def _abbreviation(doc: Doc, checker: Checker, span: Span, symbol: str) -> None:
    if doc.kind is None:
        return
    first = symbol.split("-")[0]
    wanted = nd30.ABBREVIATIONS.get(doc.kind)
    if doc.kind == nd30.CONG_VAN:
        if first in nd30.ABBREVIATIONS.values():
            checker.add("number.abbreviation", ERROR, F.NUMBER, "Công văn không có chữ viết tắt tên loại trong ký "
                        "hiệu; ký hiệu chỉ gồm tên cơ quan và đơn vị soạn thảo.", at=span,
                        expected="MTTQ-BTT", found=symbol, source=nd30.SRC_NUMBER)
    elif wanted and first != wanted:
        checker.add("number.abbreviation", ERROR, F.NUMBER, f"{doc.kind} có chữ viết tắt tên loại “{wanted}”: ký hiệu "
                    f"phải bắt đầu bằng “{wanted}-”.", at=span, expected=f"{wanted}-…", found=symbol,
                    source=nd30.SRC_ABBREVIATIONS)


def _place_date(checker: Checker, span: Span) -> None:
    src = nd30.SRC_DATE
    text = span.text.replace("\u00a0", " ")
    checker.look("place_date.font", F.PLACE_DATE, span, "Địa danh và ngày tháng", src, bold=False, italic=True)
    checker.size("place_date.size", F.PLACE_DATE, span, nd30.DATE_SIZES, "Địa danh và ngày tháng", src)
    if BLANK_DATE_RE.match(text):
        checker.add("place_date.blank", WARNING, F.PLACE_DATE, "Văn bản chưa ghi ngày tháng (dự thảo).", at=span,
                    expected="ngày tháng năm ban hành", found="để trống", source=src)
        return
    m = DATE_RE.match(text)
    if m is None:
        checker.add("place_date.format", ERROR, F.PLACE_DATE, "Dòng ngày tháng phải viết “<Địa danh>, ngày 05 tháng "
                    "01 năm 2026”: dấu phẩy sau địa danh, chữ thường, đủ ngày, tháng, năm bằng chữ số Ả Rập.",
                    at=span, expected="Ninh Bình, ngày 05 tháng 01 năm 2026", found=text, source=src)
        return
    day, month, year = int(m["d"]), int(m["m"]), int(m["y"])
    try:
        date(year, month, day)
    except ValueError:
        checker.add("place_date.invalid", ERROR, F.PLACE_DATE, "Ngày tháng không có thật; hãy sửa lại.", at=span,
                    expected="một ngày có thật", found=f"{m['d']}/{m['m']}/{m['y']}", source=src)
        return
    day_ok, month_ok = m["d"] == f"{day:02d}", m["m"] == (f"{month:02d}" if month <= 2 else str(month))
    if not (day_ok and month_ok):
        expected = f"ngày {day:02d} tháng {month:02d}" if month <= 2 else f"ngày {day:02d} tháng {month}"
        checker.add("place_date.padding", ERROR, F.PLACE_DATE, "Ngày nhỏ hơn 10 và tháng 1, 2 phải ghi thêm số 0 phía "
                    "trước; các tháng khác không thêm (tháng 3, không phải tháng 03).", at=span, expected=expected,
                    found=f"ngày {m['d']} tháng {m['m']}", source=src)
    if not m["place"][:1].isupper():
        checker.add("place_date.place", ERROR, F.PLACE_DATE, "Địa danh phải viết hoa chữ cái đầu.", at=span,
                    expected=m["place"].title(), found=m["place"], source=src)
