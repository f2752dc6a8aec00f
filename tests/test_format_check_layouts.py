"""Documents this application did not make: the parts are recognized however they were laid out — a header typed
with tabs instead of a table, a signature block typed with tabs beside the Nơi nhận, or centred above it."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Cm, Pt
from lxml import etree

from domain.format_check import check_docx
from domain.format_check.engine import recognize

CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def _add(document, text: str, *, bold=False, italic=False, size=14, align=None, indent=True):
    p = document.add_paragraph()
    parts = text.split("\t")
    for i, part in enumerate(parts):
        if i:
            p.add_run().add_tab()
        run = p.add_run(part)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        run.font.name = "Times New Roman"
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_before = Pt(6)
    if indent and align == JUSTIFY:
        p.paragraph_format.first_line_indent = Cm(1.27)
    return p


def typed_with_tabs(signature_above: bool = False) -> bytes:
    d = Document()
    s = d.sections[0]
    s.page_width, s.page_height = Cm(21), Cm(29.7)
    s.top_margin = s.bottom_margin = Cm(2)
    s.left_margin, s.right_margin = Cm(3), Cm(1.5)
    _add(d, "ỦY BAN MTTQ VIỆT NAM\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13)
    _add(d, "BAN THƯỜNG TRỰC\tĐộc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _add(d, "Số: 05/KH-MTTQ-BTT\tNinh Bình, ngày 05 tháng 01 năm 2026", size=13)
    _add(d, "KẾ HOẠCH", bold=True, align=CENTER)
    _add(d, "Tuyên truyền kỷ niệm Ngày truyền thống Mặt trận", bold=True, align=CENTER)
    _add(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True, align=JUSTIFY)
    _add(d, "Tuyên truyền sâu rộng trong Nhân dân./.", align=JUSTIFY)
    if signature_above:
        _add(d, "TM. BAN THƯỜNG TRỰC", bold=True, align=CENTER)
        _add(d, "CHỦ TỊCH", bold=True, align=CENTER)
        _add(d, "", align=CENTER)
        _add(d, "", align=CENTER)
        _add(d, "Nguyễn Văn A", bold=True, align=CENTER)
        _add(d, "Nơi nhận:", bold=True, italic=True, size=12)
        _add(d, "- Ban A;", size=11)
        _add(d, "- Lưu: VT, BTG.", size=11)
    else:
        _add(d, "Nơi nhận:\t\tTM. BAN THƯỜNG TRỰC", bold=True, size=12)
        _add(d, "- Ban A;\t\tCHỦ TỊCH", size=11)
        _add(d, "- Lưu: VT, BTG.", size=11)
        _add(d, "")
        _add(d, "")
        _add(d, "\t\tNguyễn Văn A", bold=True)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_a_header_and_signature_typed_with_tabs_are_recognized():
    doc = recognize(typed_with_tabs())
    h, e = doc.header, doc.end
    assert h.quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and h.tieu_ngu.text == "Độc lập - Tự do - Hạnh phúc"
    assert [s.text for s in h.chu_quan] == ["ỦY BAN MTTQ VIỆT NAM"] and [s.text for s in h.issuer] == ["BAN THƯỜNG TRỰC"]
    assert h.number.text == "Số: 05/KH-MTTQ-BTT" and h.place_date.text.startswith("Ninh Bình, ngày 05")
    assert doc.title.title.text == "KẾ HOẠCH" and doc.kind == "Kế hoạch"
    assert [s.text for s in doc.title.trich_yeu] == ["Tuyên truyền kỷ niệm Ngày truyền thống Mặt trận"]
    assert [p.stripped for p in doc.body] == ["I. MỤC ĐÍCH, YÊU CẦU", "Tuyên truyền sâu rộng trong Nhân dân./."]
    assert [s.text for s in e.entries] == ["- Ban A;", "- Lưu: VT, BTG."]
    assert [s.text for s in e.heads] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"] and e.name.text == "Nguyễn Văn A"


def test_the_tab_document_is_checked_element_by_element():
    report = check_docx(typed_with_tabs())
    rules = {f.rule for f in report.findings}
    # What that typing really lacks: the two short rules, the rule under the trích yếu, and the chủ quản at 13 pt
    # is right while the Quốc hiệu line, typed in the chủ quản's 13 pt regular run, is not bold.
    assert {"issuer.rule", "tieu_ngu.rule", "trich_yeu.rule", "quoc_hieu.font"} <= rules
    assert not rules & {"quoc_hieu.missing", "issuer.missing", "number.missing", "place_date.missing",
                        "title.missing", "signature.missing", "signature.name", "noi_nhan.missing",
                        "noi_nhan.luu.missing", "body.missing"}
    for key in ("quoc_hieu", "tieu_ngu", "issuer", "number", "place_date", "title", "trich_yeu", "body", "noi_nhan",
                "signature"):
        assert key in report.elements, key


def test_a_signature_centred_above_the_noi_nhan_is_recognized():
    doc = recognize(typed_with_tabs(signature_above=True))
    e = doc.end
    assert [s.text for s in e.heads] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"] and e.name.text == "Nguyễn Văn A"
    assert [s.text for s in e.entries] == ["- Ban A;", "- Lưu: VT, BTG."]
    assert doc.body[-1].stripped == "Tuyên truyền sâu rộng trong Nhân dân./."


def test_a_wrapped_recipient_is_one_entry_and_a_signature_typed_under_the_noi_nhan_is_found():
    d = Document(io.BytesIO(typed_with_tabs(signature_above=True)))
    body = d.element.body
    for p in list(body.iterchildren())[-9:-1]:  # drop the signature above and the Nơi nhận
        body.remove(p)
    for text, bold, size in (("Nơi nhận:", True, 12), ("- Ủy ban Kiểm tra, Ban Xây dựng Đảng,", False, 11),
                             ("Văn phòng Đảng ủy;", False, 11), ("- Lưu: VT, BTG.", False, 11),
                             ("TM. BAN THƯỜNG TRỰC", True, 14), ("CHỦ TỊCH", True, 14), ("", False, 14),
                             ("Nguyễn Văn A", True, 14)):
        _add(d, text, bold=bold, size=size)
    out = io.BytesIO()
    d.save(out)
    report = check_docx(out.getvalue())
    doc = recognize(out.getvalue())
    assert [s.text for s in doc.end.entries] == ["- Ủy ban Kiểm tra, Ban Xây dựng Đảng,", "Văn phòng Đảng ủy;",
                                                 "- Lưu: VT, BTG."]
    assert [s.text for s in doc.end.heads] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"] and doc.end.name.text == "Nguyễn Văn A"
    rules = {f.rule for f in report.findings}
    assert "noi_nhan.entry.form" not in rules and "signature.missing" not in rules
    assert "signature.position" in rules  # typed on the left: said as a warning


_BOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
  xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
  xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor
  distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1"
  allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>
  </wp:positionH><wp:positionV relativeFrom="line"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent
  cx="6000000" cy="1500000"/><wp:wrapSquare wrapText="right"/><wp:docPr id="1" name="Frame1"/><a:graphic><a:graphicData
  uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>
  <a:prstGeom prst="rect"/></wps:spPr><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx><wps:bodyPr/>
  </wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:rect><v:textbox>
  <w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def test_a_header_in_a_text_box_anchored_in_the_title_is_read_once_in_place():
    source = Document(io.BytesIO(typed_with_tabs()))
    header = list(source.element.body.iterchildren())[:3]
    inner = "".join(etree.tostring(p, encoding="unicode") for p in header)
    for p in header:
        source.element.body.remove(p)
    title = source.paragraphs[0]
    assert title.text == "KẾ HOẠCH"
    title._p.append(parse_xml(_BOX.format(paragraphs=inner)))
    out = io.BytesIO()
    source.save(out)
    doc = recognize(out.getvalue())
    texts = [p.stripped for p in doc.paras]
    assert texts[0] == "KẾ HOẠCH" and texts.count("BAN THƯỜNG TRỰC Độc lập - Tự do - Hạnh phúc") == 1  # no fallback copy
    assert [p.in_text_box for p in doc.paras[:5]] == [False, True, True, True, False]
    assert doc.header.quoc_hieu is not None and doc.header.number.text == "Số: 05/KH-MTTQ-BTT"
    assert [s.text for s in doc.header.issuer] == ["BAN THƯỜNG TRỰC"]
    assert [s.text for s in doc.title.trich_yeu] == ["Tuyên truyền kỷ niệm Ngày truyền thống Mặt trận"]
    assert doc.body[0].stripped == "I. MỤC ĐÍCH, YÊU CẦU"
