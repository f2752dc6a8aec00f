"""Signature (ô 7a–7c), Nơi nhận (ô 9b) with its Lưu line, and annexes. Sources: Phụ lục I II.7, II.9, III.1."""

from __future__ import annotations

import re

from domain.format_check import findings as F
from domain.format_check import nd30
from domain.format_check.checks import ERROR, WARNING, Checker, Doc, pt
from domain.format_check.recognize_end import AUTHORITY_RE, RIGHT_INDENT_TWIPS
from domain.plans.word.xml import W
from domain.text.vietnamese import fold

AUTHORITY_FORM_RE = re.compile(r"^(TM|KT|Q|TL|TUQ)\. \S")
LUU_RE = re.compile(r"^- Lưu: VT(, [^.]+)?\.( .*\.)?$")
LUU_LOOSE_RE = re.compile(r"^[-–+•]?\s*lưu\b", re.IGNORECASE)


def check(doc: Doc, checker: Checker) -> None:
    _signature(doc, checker)
    _noi_nhan(doc, checker)
    _annexes(doc, checker)


def _signature(doc: Doc, checker: Checker) -> None:
    e = doc.end
    src = nd30.SRC_SIGNATURE
    if not e.heads:
        checker.add("signature.missing", ERROR, F.SIGNATURE, "Không tìm thấy quyền hạn và chức vụ của người ký (ví dụ "
                    "“TM. BAN THƯỜNG TRỰC” / “CHỦ TỊCH”) ở cuối văn bản; hãy thêm.", at=e.label,
                    expected="TM. BAN THƯỜNG TRỰC / CHỦ TỊCH", found="không có", source=src)
    for index, span in enumerate(e.heads):
        checker.look("signature.font", F.SIGNATURE, span, "Quyền hạn, chức vụ của người ký", src, bold=True,
                     italic=False, upper=True)
        checker.size("signature.size", F.SIGNATURE, span, nd30.SIGNATURE_SIZES, "Quyền hạn, chức vụ của người ký",
                     src)
        if AUTHORITY_RE.match(fold(span.text[:24])) and not AUTHORITY_FORM_RE.match(span.text):
            checker.add("signature.authority", ERROR, F.SIGNATURE, "Chữ viết tắt quyền hạn phải là TM., KT., Q., TL. "
                        "hoặc TUQ. (in hoa, có dấu chấm, một khoảng trắng sau).", at=span,
                        expected="TM. / KT. / Q. / TL. / TUQ.", found=span.text.split()[0], source=src)
        if span.text.startswith("KT.") and index == len(e.heads) - 1:
            checker.add("signature.deputy", ERROR, F.SIGNATURE, "Sau dòng “KT. …” phải có chức vụ của người ký thay "
                        "(ví dụ PHÓ CHỦ TỊCH).", at=span, expected="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
                        found=span.text, source=src)
    if e.heads and e.name is None:
        checker.add("signature.name", ERROR, F.SIGNATURE, "Không có họ tên người ký dưới chức vụ; hãy ghi họ tên "
                    "người ký (chữ thường, đậm).", at=e.heads[-1], expected="họ và tên người ký",
                    found="không có", source=src)
    if e.name is not None:
        name = e.name
        checker.look("signature.name.font", F.SIGNATURE, name, "Họ tên người ký", src, bold=True, italic=False,
                     upper=False)
        checker.size("signature.name.size", F.SIGNATURE, name, nd30.SIGNATURE_SIZES, "Họ tên người ký", src)
        first = name.text.split()[0]
        if first in nd30.ACADEMIC_TITLES or first.rstrip(".") + "." in nd30.ACADEMIC_TITLES:
            checker.add("signature.name.title", ERROR, F.SIGNATURE, "Không ghi học hàm, học vị trước họ tên người "
                        "ký.", at=name, expected="chỉ họ và tên", found=name.text, source=src)
        if e.heads:
            gap = _gap_pt(doc, e.heads[-1].para, name.para)
            if gap < nd30.SIGNATURE_GAP_MIN_PT:
                checker.add("signature.space", WARNING, F.SIGNATURE, "Khoảng trống giữa chức vụ và họ tên quá hẹp để "
                            "ký và đóng dấu.", at=name, expected=f"≥ {pt(nd30.SIGNATURE_GAP_MIN_PT)}",
                            found=pt(round(gap)), source=nd30.SRC_UNCONFIRMED)
    if e.heads:
        _position(doc, checker, e.heads[0])


def _gap_pt(doc: Doc, above, below) -> float:
    """Vertical room between two lines: empty paragraphs between them and the spacing around them."""
    gap = above.fmt.after_pt + below.fmt.before_pt
    for para in doc.paras[above.index + 1 : below.index]:
        if not para.stripped and (para.cell == below.cell):
            gap += para.fmt.before_pt + para.fmt.after_pt + para.mark.size * nd30.SINGLE_LINE_PT
    return gap


def _position(doc: Doc, checker: Checker, span) -> None:
    para = span.para
    right = (para.cell is not None and para.cell.column > 0) or span.start > 0 or para.text.startswith("\t") or (
        para.fmt.left_twips >= RIGHT_INDENT_TWIPS) or para.fmt.align == "right" or (
        para.cell is None and doc.end.label is not None and doc.end.label.para is not para and
        para.fmt.align in ("center", "centre"))
    if not right:
        checker.add("signature.position", WARNING, F.SIGNATURE, "Khối chữ ký nên đặt bên phải, ngang dòng “Nơi nhận:” "
                    "(bảng hai cột không viền là cách dễ nhất).", at=span, expected="bên phải",
                    found="bên trái", source=nd30.SRC_SIGNATURE)


def _noi_nhan(doc: Doc, checker: Checker) -> None:
    e = doc.end
    src = nd30.SRC_NOI_NHAN
    if e.label is None:
        checker.add("noi_nhan.missing", ERROR, F.NOI_NHAN, "Không tìm thấy “Nơi nhận:” ở cuối văn bản, bên trái; hãy "
                    "thêm nơi nhận và dòng “- Lưu: VT, …”.", expected="Nơi nhận:", found="không có", source=src)
        return
    label = e.label
    if label.text != "Nơi nhận:":
        checker.add("noi_nhan.label.text", ERROR, F.NOI_NHAN, "Nhãn phải viết “Nơi nhận:” (chữ thường, có dấu hai "
                    "chấm).", at=label, expected="Nơi nhận:", found=label.text, source=src)
    checker.look("noi_nhan.label.font", F.NOI_NHAN, label, "“Nơi nhận:”", src, bold=True, italic=True)
    checker.size("noi_nhan.label.size", F.NOI_NHAN, label, nd30.NOI_NHAN_LABEL_SIZES, "“Nơi nhận:”", src)
    entries = e.entries
    wrong_size = [s for s in entries if not all(nd30.in_range(z, nd30.NOI_NHAN_ENTRY_SIZES) for z in s.sizes())]
    if wrong_size:
        sizes = sorted({z for s in wrong_size for z in s.sizes()})
        checker.add("noi_nhan.entry.size", ERROR, F.NOI_NHAN, f"Các dòng nơi nhận phải cỡ chữ 11 pt "
                    f"({len(wrong_size)} dòng).", paras=[s.para for s in wrong_size], expected="11 pt",
                    found=", ".join(pt(z) for z in sizes), source=src)
    styled = [s for s in entries if s.any("bold") or s.any("italic")]
    if styled:
        checker.add("noi_nhan.entry.font", ERROR, F.NOI_NHAN, f"Các dòng nơi nhận phải kiểu chữ đứng, không đậm "
                    f"({len(styled)} dòng).", paras=[s.para for s in styled], expected="đứng, không đậm",
                    found="đậm hoặc nghiêng", source=src)
    lines = logical_entries(entries)
    luu = [line for line in lines if LUU_LOOSE_RE.match(line[1])]
    if not luu:
        checker.add("noi_nhan.luu.missing", ERROR, F.NOI_NHAN, "Thiếu dòng cuối “- Lưu: VT, <đơn vị soạn thảo>.” "
                    "trong Nơi nhận; hãy thêm.", at=entries[-1] if entries else label, expected="- Lưu: VT, BTG.",
                    found="không có", source=src)
    else:
        span, text = luu[-1]
        if not LUU_RE.match(text):
            checker.add("noi_nhan.luu.format", ERROR, F.NOI_NHAN, "Dòng lưu phải viết “- Lưu: VT, <đơn vị soạn "
                        "thảo>.”: có “VT” (văn thư), dấu hai chấm, dấu phẩy, kết thúc bằng dấu chấm.", at=span,
                        expected="- Lưu: VT, BTG.", found=text, source=src)
        if luu[-1] is not lines[-1]:
            checker.add("noi_nhan.luu.last", ERROR, F.NOI_NHAN, "Dòng “- Lưu: …” phải là dòng cuối của Nơi nhận.",
                        at=span, expected="dòng cuối", found="không phải dòng cuối", source=src)
    for span, text in lines:
        if LUU_LOOSE_RE.match(text):
            continue
        if not (text.startswith("- ") or span.para.numbered) or not text.endswith(";"):
            checker.add("noi_nhan.entry.form", ERROR, F.NOI_NHAN, "Mỗi nơi nhận một dòng, bắt đầu bằng gạch đầu dòng "
                        "“- ” và kết thúc bằng dấu chấm phẩy “;”.", at=span, expected="- <nơi nhận>;",
                        found=text, source=src)


def logical_entries(entries: list) -> list[tuple]:
    """(first span, whole text) of each recipient: a line that starts without a dash, after a line that did not
    end with ";" or ".", continues that recipient (a long name wrapped by hand)."""
    lines: list[list] = []
    for span in entries:
        text = span.text
        if lines and not text.startswith(("-", "–", "+", "•")) and not lines[-1][1].endswith((";", ".")):
            lines[-1][1] = f"{lines[-1][1]} {text}"
        else:
            lines.append([span, text])
    return [(span, text.strip()) for span, text in lines]


def _annex_numbering(doc: Doc, checker: Checker) -> None:
    """Each annex's pages are numbered on their own: the section holding it restarts the numbering at 1."""
    for annex in doc.end.annexes:
        label = annex.label.para
        ending = next((p for p in doc.paras[label.index :] if p.section_break), None)
        sect = (ending.element.find(f"{W}pPr/{W}sectPr") if ending is not None
                else doc.package.document.find(f"{W}body/{W}sectPr"))
        starts_before = any(p.section_break for p in doc.paras[doc.end.stop or 0 : label.index])
        restart = sect is not None and sect.find(W + "pgNumType") is not None and (
            sect.find(W + "pgNumType").get(W + "start") == "1")
        if not (starts_before and restart):
            checker.add("annex.page_numbering", WARNING, F.ANNEX, "Số trang của phụ lục được đánh riêng: đặt phụ lục "
                        "trong một phần (section) mới, đánh số trang lại từ 1.", at=annex.label,
                        expected="phần mới, số trang từ 1", found="đánh số tiếp theo văn bản",
                        source=nd30.SRC_ANNEX_PAGES)


def _annexes(doc: Doc, checker: Checker) -> None:
    src = nd30.SRC_ANNEX
    _annex_numbering(doc, checker)
    for annex in doc.end.annexes:
        label = annex.label
        checker.size("annex.label.size", F.ANNEX, label, nd30.ANNEX_LABEL_SIZES, "Dòng “Phụ lục”", src)
        checker.look("annex.label.font", F.ANNEX, label, "Dòng “Phụ lục”", src, bold=True, italic=False)
        if label.text.isupper():
            checker.add("annex.label.case", ERROR, F.ANNEX, "Từ “Phụ lục” và số thứ tự viết chữ thường (Phụ lục I), "
                        "không in hoa.", at=label, expected="Phụ lục I", found=label.text, source=src)
        if annex.name is not None:
            checker.look("annex.name.font", F.ANNEX, annex.name, "Tên phụ lục", src, bold=True, upper=True)
            checker.size("annex.name.size", F.ANNEX, annex.name, nd30.ANNEX_NAME_SIZES, "Tên phụ lục", src)
        if annex.reference is None:
            checker.add("annex.reference", WARNING, F.ANNEX, "Dưới tên phụ lục nên có dòng “(Kèm theo … số … ngày … "
                        "của …)” in nghiêng.", at=annex.name or label, expected="(Kèm theo …)", found="không có",
                        source=src)
        else:
            checker.look("annex.reference.font", F.ANNEX, annex.reference, "Dòng “(Kèm theo …)”", src, italic=True)
