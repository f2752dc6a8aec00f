"""Shared data and readers for the docgen tests: the demo plan from the seed, and a small view of
a generated .docx that resolves each paragraph's effective formatting (direct -> style -> defaults).

Not a conftest (the lead owns that): test modules import from here.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date
from functools import cached_property
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

import models.choices as C
from docgen import DocumentData, Issuer, Signature, Table, build_docx
from docgen.metrics import text_width_cm
from models.choices import KINDS

FIXTURES = Path(__file__).parent / "fixtures"
SEED_BODY = (FIXTURES / "ke-hoach-chi-thi-07-body.txt").read_text(encoding="utf-8")

SEED_REFERENCE = (
    "Thực hiện Hướng dẫn số 20-HD/BTGTU, ngày 03/5/2017 của Ban Tuyên giáo Tỉnh ủy Ninh Bình về tuyên "
    "truyền thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư (khóa XII) về “Đẩy mạnh công tác thông tin cơ "
    "sở trong tình hình mới”( sau đây gọi tắt là Chỉ thị số 07), Ban Thường trực Ủy ban MTTQVN tỉnh "
    "Ninh Bình xây dựng kế hoạch tuyên truyền cụ thể như sau:"
)
SEED_TITLE = (
    "Tuyên truyền thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư (khóa XII) về “Đẩy mạnh công tác "
    "thông tin cơ sở trong tình hình mới”"
)
SEED_RECIPIENTS = [
    "Ban Tuyên giáo Ủy ban Trung ương MTTQVN",
    "Ban Tuyên giáo Tỉnh ủy Ninh Bình",
    "Ban Thường trực Ủy ban MTTQVN tỉnh",
    "Ban Thường trực UBMTTQVN các huyện, thành phố",
]

NINH_BINH = Issuer(
    parent_lines=["ỦY BAN MTTQ VIỆT NAM", "TỈNH NINH BÌNH"],
    name_lines=["BAN THƯỜNG TRỰC"],
    place="Ninh Bình",
    symbol_suffix="MTTQ-BTT",
    archive_unit="BTG",
    full_name="Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình",
)


def demo_plan(**changes) -> DocumentData:
    """The office's real plan (seed), numbered and dated."""
    plan = DocumentData(
        kind="KH",
        issuer=NINH_BINH,
        title=SEED_TITLE,
        body=SEED_BODY,
        references=[SEED_REFERENCE],
        signature=Signature("TM. BAN THƯỜNG TRỰC", "", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"),
        recipients=list(SEED_RECIPIENTS),
        number=5,
        issued_on=date(2026, 5, 1),
    )
    return replace(plan, **changes)


def demo_draft() -> DocumentData:
    return demo_plan(
        number=None,
        issued_on=None,
        year=2026,
        signature=Signature("TM. BAN THƯỜNG TRỰC", "", "PHÓ CHỦ TỊCH", ""),
    )


def demo_cong_van() -> DocumentData:
    return DocumentData(
        kind="CV",
        issuer=NINH_BINH,
        title="tổ chức Hội nghị tổng kết công tác Mặt trận năm 2025",
        body="Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh đề nghị:\n1. Gửi báo cáo trước ngày 10/12/2025.\n"
        "2. Cử đại biểu dự Hội nghị",
        references=[],
        signature=Signature("TM. BAN THƯỜNG TRỰC", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Bình"),
        recipients=["Ban Tuyên giáo Tỉnh ủy Ninh Bình"],
        kinh_gui=["Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố", "Các tổ chức thành viên"],
        number=123,
        issued_on=date(2026, 2, 3),
    )


def demo_report() -> DocumentData:
    """A Báo cáo sent upward (one Kính gửi), with points, and one annex table over two landscape
    pages."""
    rows = [[i, f"Xã {i}", 10 * i, 8500 + i, 0.5 + i / 10] for i in range(1, 41)]
    return DocumentData(
        kind="BC",
        issuer=NINH_BINH,
        title="Kết quả tuyên truyền Chỉ thị số 07-CT/TW năm 2026",
        body="I. KẾT QUẢ\n1. Tuyên truyền\na) Đã tổ chức 120 buổi;\nb) Đã phát 8.500 tờ rơi.\n"
        "II. KIẾN NGHỊ\nKhông có kiến nghị.",
        references=[],
        signature=Signature("TM. BAN THƯỜNG TRỰC", "", "CHỦ TỊCH", "Trần Thị Bình"),
        recipients=["Ban Tuyên giáo Tỉnh ủy Ninh Bình"],
        kinh_gui=["Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam"],  # sent upward
        archive_extra="NVA(05)",
        number=12,
        issued_on=date(2026, 2, 3),
        annexes=[
            Table(
                "Kết quả tuyên truyền theo đơn vị",
                ["STT", "Đơn vị", "Số buổi", "Số người", "Tỷ lệ (%)"],
                rows,
                total_row=["", "Tổng cộng", 8200, 341820, 12.5],
            )
        ],
    )


# --- measuring text, independently of docgen when the fonts are installed --------------------

_LIBERATION = Path("/usr/share/fonts/truetype/liberation2")


def measure_cm(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of a line of text: from Liberation Serif itself if installed, else docgen's table."""
    font_file = _LIBERATION / ("LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf")
    try:
        from PIL import ImageFont

        font = ImageFont.truetype(str(font_file), 1000)
    except (ImportError, OSError):
        return text_width_cm(text, size_pt, bold)
    return font.getlength(text) / 1000 * size_pt * 2.54 / 72


# --- reading a .docx back ----------------------------------------------------------------------

TWIPS_PER_CM = 1440 / 2.54
ON = {None, "1", "true", "on"}
TOGGLES = {"b", "i", "caps", "keepNext"}


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


class DocxView:
    """A generated .docx, opened with python-docx and as raw XML."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = Document(io.BytesIO(data))
        self.root = self.xml("word/document.xml")
        self.body = self.root.find(qn("w:body"))
        styles = self.xml("word/styles.xml")
        self.styles_root = styles
        self.styles = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
        defaults = styles.find(qn("w:docDefaults"))
        self.rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        ppr_default = defaults.find(qn("w:pPrDefault"))
        self.ppr_default = ppr_default.find(qn("w:pPr")) if ppr_default is not None else None

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    @cached_property
    def text(self) -> str:
        return "\n".join(p.text for p in self.document.paragraphs)

    # structure
    def tables(self):
        return self.body.findall(qn("w:tbl"))

    def rows(self, tbl):
        return tbl.findall(qn("w:tr"))

    def cells(self, tbl):
        return [tc for tr in self.rows(tbl) for tc in tr.findall(qn("w:tc"))]

    def paragraphs(self, container=None):
        return list((self.body if container is None else container).iter(qn("w:p")))

    def body_paragraphs(self):
        """Top-level paragraphs that carry text (not the header, title or signature blocks)."""
        return [p for p in self.body.findall(qn("w:p")) if self.style(p) in BODY_STYLES]

    def find(self, pattern: str, container=None):
        """The first paragraph whose text matches a regex (searched anywhere in the text)."""
        for p in self.paragraphs(container):
            if re.search(pattern, text_of(p)):
                return p
        raise AssertionError(f"no paragraph matches {pattern!r}")

    def style(self, p) -> str | None:
        ps = p.find(qn("w:pPr") + "/" + qn("w:pStyle"))
        return ps.get(qn("w:val")) if ps is not None else None

    def style_chain(self, style_id):
        while style_id and style_id in self.styles:
            style = self.styles[style_id]
            yield style
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None

    # effective formatting: direct formatting, then the style and the styles it is based on,
    # then the document defaults
    def _ppr_sources(self, p):
        yield p.find(qn("w:pPr"))
        for style in self.style_chain(self.style(p)):
            yield style.find(qn("w:pPr"))
        yield self.ppr_default

    def pattr(self, p, tag: str, attr: str | None = None):
        """Effective paragraph property: the element (attr None) or one of its attributes."""
        for ppr in self._ppr_sources(p):
            el = ppr.find(qn(f"w:{tag}")) if ppr is not None else None
            if el is None:
                continue
            if attr is None:
                return el
            if el.get(qn(f"w:{attr}")) is not None:
                return el.get(qn(f"w:{attr}"))
        return None

    def _rpr_sources(self, p, r=None):
        if r is not None:
            yield r.find(qn("w:rPr"))
        for style in self.style_chain(self.style(p)):
            yield style.find(qn("w:rPr"))
        yield self.rpr_default

    def rattr(self, p, tag: str, attr: str = "val", r=None):
        """Effective run property of run r (default: the paragraph's first run)."""
        if r is None:
            r = p.find(qn("w:r"))
        for rpr in self._rpr_sources(p, r):
            el = rpr.find(qn(f"w:{tag}")) if rpr is not None else None
            if el is None:
                continue
            value = el.get(qn(f"w:{attr}"))
            if value is not None or tag in TOGGLES:  # <w:b/> alone means bold
                return value
        return "__absent__"

    def size(self, p) -> float:
        return int(self.rattr(p, "sz")) / 2

    def bold(self, p, r=None) -> bool:
        return self.rattr(p, "b", r=r) in ON

    def italic(self, p, r=None) -> bool:
        return self.rattr(p, "i", r=r) in ON

    def align(self, p) -> str | None:
        return self.pattr(p, "jc", "val")

    def indent_cm(self, p, attr: str) -> float:
        value = self.pattr(p, "ind", attr)
        return int(value) / TWIPS_PER_CM if value else 0.0

    def spacing_pt(self, p, attr: str) -> float:
        value = self.pattr(p, "spacing", attr)
        return int(value) / 20 if value else 0.0

    def cell_width_cm(self, tc) -> float:
        return int(tc.find(qn("w:tcPr") + "/" + qn("w:tcW")).get(qn("w:w"))) / TWIPS_PER_CM

    def cell_margin_cm(self, tc, side: str) -> float:
        tbl = next(a for a in tc.iterancestors() if a.tag == qn("w:tbl"))
        mar = tbl.find(qn("w:tblPr") + "/" + qn("w:tblCellMar") + "/" + qn(f"w:{side}"))
        return int(mar.get(qn("w:w"))) / TWIPS_PER_CM

    def rule_after(self, p):
        """The next paragraph when it is a short rule (a bottom border), else None."""
        nxt = p.getnext()
        if nxt is not None and self.pattr(nxt, "pBdr") is not None:
            return nxt
        return None

    def rule_length_cm(self, rule, width_cm: float) -> float:
        return width_cm - self.indent_cm(rule, "left") - self.indent_cm(rule, "right")


BODY_STYLES = {"VBCanCu", "VBNoiDung", "VBMuc", "VBKhoan"}


def view(data: DocumentData) -> DocxView:
    return DocxView(build_docx(data))


# --- one sample of every kind ---------------------------------------------------------------------------------


def kind_sample(kind: str) -> DocumentData:
    """A signed, numbered document of `kind` with what that kind needs (a Kính gửi where it takes one)."""
    info = KINDS[kind]
    return DocumentData(
        kind=kind,
        issuer=NINH_BINH,
        title="Tổ chức Hội nghị tổng kết công tác Mặt trận năm 2026",
        body=SAMPLE_BODIES.get(kind, "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh triển khai thực hiện."),
        references=SAMPLE_REFERENCES.get(kind, []),
        particulars=dict(SAMPLE_PARTICULARS.get(kind, {})),
        signature=Signature("TM. BAN THƯỜNG TRỰC", "", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"),
        recipients=["Ban Tuyên giáo Tỉnh ủy Ninh Bình", "Các tổ chức thành viên"],
        kinh_gui=["Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam"] if info.addressed else [],
        number=5,
        issued_on=date(2026, 5, 4),
    )


SAMPLE_REFERENCES = {
    "QD": ["Căn cứ Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13",
           "Căn cứ Điều lệ Mặt trận Tổ quốc Việt Nam"],
}
SAMPLE_BODIES = {
    "QD": "Điều 1. Thành lập Ban Tổ chức Hội nghị tổng kết công tác Mặt trận năm 2026.\n"
          "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "BB": "1. Đồng chí Chủ tịch báo cáo kết quả công tác năm 2026.\n2. Hội nghị thống nhất phương hướng năm 2027.",
    "GM": "Đề nghị đại biểu đến đúng giờ.",
}
SAMPLE_PARTICULARS = {
    "QD": {C.P_PROPOSED_BY: "Trưởng Ban Tổ chức",
           C.P_EXECUTORS: "Văn phòng, các Ban chuyên môn và các đồng chí có tên tại Điều 1"},
    "GM": {C.P_ATTENDEES: "Đại diện lãnh đạo các tổ chức thành viên",
           C.P_EVENT: "Hội nghị tổng kết công tác Mặt trận năm 2026",
           C.P_CHAIR: "Đồng chí Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", C.P_TIME: "08 giờ 00, ngày 15/12/2026",
           C.P_PLACE: "Hội trường Ủy ban MTTQ Việt Nam tỉnh"},
    "BB": {C.P_STARTED: "08 giờ 00, ngày 15/12/2026", C.P_PLACE: "Hội trường Ủy ban MTTQ Việt Nam tỉnh",
           C.P_PARTICIPANTS: "Thường trực Ủy ban, các Trưởng ban chuyên môn", C.P_CHAIR: "Đồng chí Nguyễn Văn An",
           C.P_SECRETARY: "Trần Thị Bình", C.P_ENDED: "11 giờ 00 cùng ngày"},
    "CD": {C.P_SENDER: "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM TỈNH NINH BÌNH"},
}
