"""The numbers and tables of Nghị định 30/2020/NĐ-CP the checker holds documents to, with their sources.

Legal ranges are law (errors when broken). The few values format-spec.md marks UNCONFIRMED are the checker's
settings (warnings): they agree with docgen/settings.py, which generates to the same choices
(tests/test_format_check.py checks that the application's own documents pass).
"""

from __future__ import annotations

# ---- sources, as format-spec.md cites them ---------------------------------------------------------------
PL1 = "NĐ 30/2020, Phụ lục I"
SRC_PAGE = f"{PL1}, Phần I, Mục I"
SRC_PAGE_NUMBERS = f"{PL1}, I.7"
SRC_QUOC_HIEU = f"{PL1}, II.1"
SRC_ISSUER = f"{PL1}, II.2.b"
SRC_NUMBER = f"{PL1}, II.3"
SRC_ABBREVIATIONS = "NĐ 30/2020, Phụ lục III, Mục I"
SRC_DATE = f"{PL1}, II.4"
SRC_TITLE = f"{PL1}, II.5.b"
SRC_CAN_CU = f"{PL1}, II.6.a"
SRC_BODY = f"{PL1}, II.6.e"
SRC_HEADINGS = f"{PL1}, II.6.đ và Mục V"
SRC_SIGNATURE = f"{PL1}, II.7"
SRC_NOI_NHAN = f"{PL1}, II.9"
SRC_ANNEX = f"{PL1}, III.1"
SRC_ANNEX_PAGES = f"{PL1}, III.1.đ"
SRC_MARKS = f"{PL1}, III.2"
SRC_END_MARK = "NĐ 30/2020, Phụ lục III, các Mẫu 1.1–1.10"
SRC_UNCONFIRMED = "format-spec.md (UNCONFIRMED: thông lệ, cấu hình được)"
SRC_NFC = "format-spec.md §9.1 (TCVN 6909:2001, Unicode dựng sẵn)"

# ---- page (Phần I, Mục I) ---------------------------------------------------------------------------------
A4_TWIPS = (11906, 16838)
PAGE_TOLERANCE_TWIPS = 60  # about 1 mm: Word and LibreOffice round A4 differently
MARGINS_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
MARGIN_NAMES = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
MARGIN_TOLERANCE_MM = 0.3
FONT = "Times New Roman"
BLACK = {"000000", "auto"}

# ---- sizes (pt) per element: Phụ lục I Mục II and the Mục V table -----------------------------------------
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
QUOC_HIEU_SIZES = (12, 13)
TIEU_NGU_SIZES = (13, 14)
ISSUER_SIZES = (12, 13)
NUMBER_SIZES = (13, 13)
VV_SIZES = (12, 13)
DATE_SIZES = (13, 14)
TITLE_SIZES = (13, 14)
BODY_SIZES = (13, 14)
SIGNATURE_SIZES = (13, 14)
NOI_NHAN_LABEL_SIZES = (12, 12)
NOI_NHAN_ENTRY_SIZES = (11, 11)
KINH_GUI_SIZES = (13, 14)
PAGE_NUMBER_SIZES = (13, 14)
MARK_SIZES = (13, 14)  # KHẨN, LƯU HÀNH NỘI BỘ (III.2.b–c)
ANNEX_LABEL_SIZES = (14, 14)
ANNEX_NAME_SIZES = (13, 14)

# ---- body (II.6.e) ----------------------------------------------------------------------------------------
FIRST_LINE_CM = (1.0, 1.27)  # "lùi đầu dòng từ 1 cm đến 1,27 cm"
FIRST_LINE_TOLERANCE_CM = 0.03
MIN_PARAGRAPH_GAP_PT = 6  # "khoảng cách giữa các đoạn văn tối thiểu là 6 pt"
LINE_MULTIPLE = (1.0, 1.5)  # "từ cách dòng đơn đến 1,5 lines"
SINGLE_LINE_PT = 1.15  # a single line of Times New Roman is about 1.15 × its size
END_MARK = "./."

# ---- signature (II.7) -------------------------------------------------------------------------------------
SIGNATURE_GAP_MIN_PT = 36  # UNCONFIRMED (§2 row 24): room for the signature and seal; docgen leaves 72 pt
ACADEMIC_TITLES = ("GS.", "PGS.", "TS.", "ThS.", "CN.", "KS.", "BS.", "GS.TS.", "PGS.TS.", "TSKH.")

# ---- Phụ lục III, Mục I: abbreviations of the tên loại (verbatim table) -----------------------------------
ABBREVIATIONS: dict[str, str] = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ",
    "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH",
    "Phương án": "PA", "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr",
    "Hợp đồng": "HĐ", "Công điện": "CĐ", "Bản ghi nhớ": "BGN", "Bản thỏa thuận": "BTT", "Giấy ủy quyền": "GUQ",
    "Giấy mời": "GM", "Giấy giới thiệu": "GGT", "Giấy nghỉ phép": "GNP", "Phiếu gửi": "PG", "Phiếu chuyển": "PC",
    "Phiếu báo": "PB",
}  # fmt: skip
# Kinds whose trích yếu is not under the tên loại (or that have none): Giấy mời, giấy tờ, phiếu, Công điện.
NO_TRICH_YEU = frozenset({"Giấy giới thiệu", "Giấy nghỉ phép", "Phiếu gửi", "Phiếu chuyển", "Phiếu báo",
                          "Giấy ủy quyền", "Hợp đồng"})  # fmt: skip
# Kinds whose model (Phụ lục III) has no place and date line in the header: a Biên bản gives its time in the body.
NO_DATE_LINE = frozenset({"Biên bản"})
# A Công văn prints no tên loại: its trích yếu starts "V/v" under the Số (II.5.b, last paragraph).
CONG_VAN = "Công văn"


def in_range(value: float, bounds: tuple[float, float], tolerance: float = 0.01) -> bool:
    return bounds[0] - tolerance <= value <= bounds[1] + tolerance


def sizes_text(bounds: tuple[float, float]) -> str:
    low, high = (f"{b:g}".replace(".", ",") for b in bounds)
    return f"{low} pt" if low == high else f"{low}–{high} pt"
