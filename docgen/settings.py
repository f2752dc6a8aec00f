"""Every number of the ND30 layout in one place, and the named styles of docx_templates/base.docx.

Rules from Nghị định 30/2020 are cited by section of /work/shared/nd30/format-spec.md. Values the
spec marks UNCONFIRMED are choices, not law: they are kept here, named, so the office can change
them in one place (then run `python docx_templates/build_base.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- page (spec §1: A4 portrait, margins top/bottom 20–25, left 30–35, right 15–20 mm) ---------
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10  # UNCONFIRMED (§9.2): keeps the page number inside the 20 mm top margin
FOOTER_DISTANCE_MM = 10
CONTENT_WIDTH_CM = (PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10  # 16.5 cm

FONT = "Times New Roman"
LANGUAGE = "vi-VN"

# --- header and signature tables (§3, §6.4; widths UNCONFIRMED, §11.1) --------------------------
# 10.5 cm leaves 10.12 cm of text in the right cell: the 13 pt bold Quốc hiệu (9.50 cm) fits.
HEADER_COLUMNS_CM = (6.0, 10.5)
SIGNATURE_COLUMNS_CM = (6.0, 10.5)
MINUTES_COLUMNS_CM = (8.25, 8.25)  # Mẫu 1.9: the secretary's and the chair's signatures side by side
CELL_MARGIN_CM = 0.19  # Word's default left/right cell padding, written out so both renderers agree

# --- short rules (§9.4 option b: bottom border of an empty paragraph sized by its indents) ------
RULE_WEIGHT_EIGHTHS = 6  # w:sz in eighths of a point: 0.75 pt
ISSUER_RULE_RATIO = 0.42  # ND30 II.2.b: 1/3 to 1/2 of the issuer's line; middle of the range
TRICH_YEU_RULE_RATIO = 0.42  # ND30 II.5.b: 1/3 to 1/2 of the trích yếu line
TRICH_YEU_RULE_MAX_CM = 6.0  # UNCONFIRMED: a long, wrapped trích yếu still gets a short rule

# --- vertical rhythm (UNCONFIRMED practice, §3 and §9.6–9.10) ------------------------------------
HEADER_GAP_PT = 6  # between the short rules and the Số / date line
TITLE_GAP_PT = 12  # between the header table and the tên loại
AFTER_TITLE_RULE_PT = 6  # below the rule under the trích yếu, before the body
BODY_LINE_SPACING = 1.15  # multiple; ND30 II.6.e allows single to 1.5 lines
BODY_SPACE_BEFORE_PT = 6  # ND30 II.6.e: at least 6 pt between paragraphs
BODY_FIRST_LINE_CM = 1.27  # ND30 II.6.e: 1 cm or 1.27 cm
SIGNATURE_GAP_PT = 72  # UNCONFIRMED (§2 row 24): about 25 mm for the signature and seal
SIGNATURE_TOP_PT = 6  # above both "Nơi nhận:" and the quyền hạn line, so they stay level
END_PARAGRAPH_TWIPS = 20  # the hidden paragraph after the signature table: an exact 1 pt line

# --- body rules (§5; UNCONFIRMED choices) --------------------------------------------------------
CAN_CU_ITALIC = False  # §5.1: real MTTQ plans print "Căn cứ"/"Thực hiện" upright
ITEM_TITLE_MAX_CHARS = 100  # a "1." item this short with no final punctuation is a titled khoản
ANNEX_TABLE_SIZE = 12  # UNCONFIRMED: annex tables are not sized by ND30


@dataclass(frozen=True)
class StyleSpec:
    """A named paragraph style of base.docx: one ND30 element each."""

    id: str  # ASCII style id referred to by code
    name: str  # Vietnamese name a person sees in Word/LibreOffice
    size: float  # pt
    bold: bool = False
    italic: bool = False
    align: str = "center"  # "left", "center", "right", "justify"
    first_line_cm: float = 0.0
    before_pt: float = 0.0
    after_pt: float = 0.0
    line: float = 1.0  # multiple of single spacing, or exact pt when line_exact
    line_exact: bool = False
    keep_with_next: bool = False


QUOC_HIEU = "VBQuocHieu"
TIEU_NGU = "VBTieuNgu"
CO_QUAN_CHU_QUAN = "VBCoQuanChuQuan"
CO_QUAN_BAN_HANH = "VBCoQuanBanHanh"
SO_KY_HIEU = "VBSoKyHieu"
TRICH_YEU_CONG_VAN = "VBTrichYeuCongVan"
DIA_DANH_NGAY = "VBDiaDanhNgay"
TEN_LOAI = "VBTenLoai"
TRICH_YEU = "VBTrichYeu"
DUONG_KE = "VBDuongKe"
KINH_GUI = "VBKinhGui"
CAN_CU = "VBCanCu"
NOI_DUNG = "VBNoiDung"
MUC = "VBMuc"
KHOAN = "VBKhoan"
NOI_NHAN_NHAN = "VBNoiNhanNhan"
NOI_NHAN = "VBNoiNhan"
QUYEN_HAN_KY = "VBQuyenHanKy"
CHUC_VU_KY = "VBChucVuKy"
HO_TEN_KY = "VBHoTenKy"
SO_TRANG = "VBSoTrang"
PHU_LUC = "VBPhuLuc"
TEN_PHU_LUC = "VBTenPhuLuc"
KEM_THEO = "VBKemTheo"
BANG = "VBBang"
BANG_TIEU_DE = "VBBangTieuDe"

_BODY = dict(size=14, align="justify", first_line_cm=BODY_FIRST_LINE_CM, before_pt=BODY_SPACE_BEFORE_PT,
             line=BODY_LINE_SPACING)  # fmt: skip

STYLES: tuple[StyleSpec, ...] = (
    StyleSpec(QUOC_HIEU, "VB Quốc hiệu", 13, bold=True),  # §2 row 1
    StyleSpec(TIEU_NGU, "VB Tiêu ngữ", 14, bold=True),  # row 2
    StyleSpec(CO_QUAN_CHU_QUAN, "VB Cơ quan chủ quản", 13),  # row 4
    StyleSpec(CO_QUAN_BAN_HANH, "VB Cơ quan ban hành", 13, bold=True),  # row 5
    StyleSpec(SO_KY_HIEU, "VB Số ký hiệu", 13, before_pt=HEADER_GAP_PT),  # row 7
    StyleSpec(TRICH_YEU_CONG_VAN, "VB Trích yếu công văn", 13, before_pt=6),  # row 12
    StyleSpec(DIA_DANH_NGAY, "VB Địa danh ngày", 14, italic=True, before_pt=HEADER_GAP_PT),  # row 8
    StyleSpec(TEN_LOAI, "VB Tên loại", 14, bold=True, before_pt=TITLE_GAP_PT, keep_with_next=True),  # row 9
    StyleSpec(TRICH_YEU, "VB Trích yếu", 14, bold=True, keep_with_next=True),  # row 10
    # Rules are the bottom border of this near-empty paragraph (rows 3, 6, 11).
    # 3 pt high: the rule sits just clear of the descenders of the line above.
    StyleSpec(DUONG_KE, "VB Đường kẻ", 1, line=3, line_exact=True, keep_with_next=True),
    StyleSpec(KINH_GUI, "VB Kính gửi", 14, align="left", before_pt=12),  # row 26
    StyleSpec(CAN_CU, "VB Căn cứ", italic=CAN_CU_ITALIC, **_BODY),  # row 13
    StyleSpec(NOI_DUNG, "VB Nội dung", **_BODY),  # row 14, 19–21
    StyleSpec(MUC, "VB Mục", bold=True, keep_with_next=True, **_BODY),  # row 17
    StyleSpec(KHOAN, "VB Khoản", bold=True, keep_with_next=True, **_BODY),  # row 18
    StyleSpec(
        NOI_NHAN_NHAN,
        "VB Nơi nhận nhãn",
        12,
        bold=True,
        italic=True,
        align="left",
        before_pt=SIGNATURE_TOP_PT,
    ),  # row 27  # fmt: skip
    StyleSpec(NOI_NHAN, "VB Nơi nhận", 11, align="left"),  # rows 28–29
    StyleSpec(QUYEN_HAN_KY, "VB Quyền hạn ký", 14, bold=True, before_pt=SIGNATURE_TOP_PT),  # row 22
    StyleSpec(CHUC_VU_KY, "VB Chức vụ ký", 14, bold=True),  # row 23
    StyleSpec(HO_TEN_KY, "VB Họ tên ký", 14, bold=True, before_pt=SIGNATURE_GAP_PT),  # rows 24–25
    StyleSpec(SO_TRANG, "VB Số trang", 14),  # row 31
    StyleSpec(PHU_LUC, "VB Phụ lục", 14, bold=True),  # row 32
    StyleSpec(TEN_PHU_LUC, "VB Tên phụ lục", 14, bold=True),  # row 33
    StyleSpec(KEM_THEO, "VB Kèm theo", 14, italic=True),  # row 34
    StyleSpec(BANG, "VB Bảng", ANNEX_TABLE_SIZE, align="left", before_pt=2, after_pt=2),
    StyleSpec(BANG_TIEU_DE, "VB Bảng tiêu đề", ANNEX_TABLE_SIZE, bold=True, before_pt=2, after_pt=2),
)
STYLE_BY_ID = {s.id: s for s in STYLES}
