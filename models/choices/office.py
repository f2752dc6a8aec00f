"""People, units and documents: roles, unit kinds, document kinds, urgencies, document and register statuses."""

from __future__ import annotations

from dataclasses import dataclass

from models.choices.base import Choice, choice_set

# ---- people and units -----------------------------------------------------------------------------------

CLERK, APPROVER, RECORDS, UNIT_REPORTER, ADMIN = "clerk", "approver", "records", "unit_reporter", "admin"
ROLES = choice_set(
    Choice(CLERK, "Chuyên viên"),
    Choice(APPROVER, "Lãnh đạo duyệt"),
    Choice(RECORDS, "Văn thư"),
    Choice(UNIT_REPORTER, "Cán bộ đơn vị báo cáo"),
    Choice(ADMIN, "Quản trị hệ thống"),
)
ROLE_LABELS = {code: c.label for code, c in ROLES.items()}

# The office itself; an internal department; a subordinate committee; an outside body that only receives documents.
UNIT_OFFICE, UNIT_DEPARTMENT, UNIT_SUBORDINATE, UNIT_EXTERNAL = "office", "department", "subordinate", "external"
UNIT_KINDS = choice_set(
    Choice(UNIT_OFFICE, "Cơ quan ban hành"),
    Choice(UNIT_DEPARTMENT, "Ban chuyên môn"),
    Choice(UNIT_SUBORDINATE, "Ủy ban cấp dưới"),
    Choice(UNIT_EXTERNAL, "Cơ quan bên ngoài (chỉ nhận văn bản)"),
)
UNIT_KIND_LABELS = {code: c.label for code, c in UNIT_KINDS.items()}


# ---- documents ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKind:
    """A kind of official document and the rules that differ per kind (Nghị định 30/2020, Phụ lục III)."""

    code: str  # stable identifier stored in the database
    name: str  # Vietnamese name, sentence case ("Kế hoạch")
    title_line: str | None  # the tên loại printed above the trích yếu; None for a Công văn
    abbreviation: str | None  # ND30 Phụ lục III abbreviation; a Công văn has none
    subject_prefix: str = ""  # a Công văn's trích yếu starts with "V/v "
    # May be sent to named recipients: a "Kính gửi:" block (ô 9a), then "Như trên" first in Nơi nhận
    # (ND30 II.9.d). A Công văn always is; a Báo cáo when it goes upward. Other kinds print no Kính gửi.
    addressed: bool = False
    needs_subject: bool = True  # a trích yếu is part of its format (a Giấy mời's is optional: Mẫu 1.7)
    model: str = ""  # the Phụ lục III model when it is not Mẫu 1.4/1.5: MODEL_DECISION, MODEL_INVITATION, ...
    dated: bool = True  # the place and date line (ô 4); Mẫu 1.9 (Biên bản) has none
    particulars: tuple[Choice, ...] = ()  # the kind's own fields (code: key in Document.particulars, label)

    @property
    def label(self) -> str:
        return self.name

    def symbol(self, suffix: str) -> str:
        """The ký hiệu after the number: "KH-MTTQ-BTT", or "MTTQ-BTT" for a Công văn."""
        return f"{self.abbreviation}-{suffix}" if self.abbreviation else suffix


PLAN, REPORT, LETTER, NOTICE, GUIDE = "KH", "BC", "CV", "TB", "HD"
DECISION, INVITATION, PROPOSAL, PROGRAM, MINUTES, TELEGRAM = "QD", "GM", "TTR", "CTR", "BB", "CD"
# The Phụ lục III models whose layout differs from Mẫu 1.4 (docgen.kinds draws their particulars).
MODEL_DECISION, MODEL_INVITATION, MODEL_MINUTES, MODEL_TELEGRAM = "decision", "invitation", "minutes", "telegram"
# Keys of Document.particulars, with the label the editor shows.
P_AUTHORITY, P_PROPOSED_BY, P_EXECUTORS = "decision_authority", "decision_proposed_by", "decision_executors"
P_ATTENDEES, P_EVENT, P_CHAIR = "invitees", "meeting_name", "meeting_chair"
P_TIME, P_PLACE, P_STARTED, P_ENDED = "meeting_time", "meeting_place", "meeting_start", "meeting_end"
P_PARTICIPANTS, P_SECRETARY, P_SENDER = "meeting_participants", "meeting_secretary", "telegram_sender"
KINDS: dict[str, DocumentKind] = {
    k.code: k
    for k in (
        DocumentKind(PLAN, "Kế hoạch", "KẾ HOẠCH", "KH"),
        DocumentKind(REPORT, "Báo cáo", "BÁO CÁO", "BC", addressed=True),
        DocumentKind(LETTER, "Công văn", None, None, subject_prefix="V/v ", addressed=True),
        DocumentKind(NOTICE, "Thông báo", "THÔNG BÁO", "TB"),
        DocumentKind(GUIDE, "Hướng dẫn", "HƯỚNG DẪN", "HD"),
        # Mẫu 1.2: the issuing authority's line, Căn cứ lines, "QUYẾT ĐỊNH:", Điều 1., Điều 2., ... and the article
        # naming who carries it out (Nơi nhận "Như Điều …").
        DocumentKind(DECISION, "Quyết định", "QUYẾT ĐỊNH", "QĐ", model=MODEL_DECISION, particulars=(
            Choice(P_AUTHORITY, "Thẩm quyền ban hành (in hoa)"),
            Choice(P_PROPOSED_BY, "Theo đề nghị của"),
            Choice(P_EXECUTORS, "Điều cuối: cơ quan, đơn vị, cá nhân thi hành quyết định"))),
        # Mẫu 1.7: who is invited, to what, chaired by whom, when and where.
        DocumentKind(INVITATION, "Giấy mời", "GIẤY MỜI", "GM", needs_subject=False, model=MODEL_INVITATION,
                     particulars=(Choice(P_ATTENDEES, "Trân trọng kính mời"), Choice(P_EVENT, "Tới dự"),
                                  Choice(P_CHAIR, "Chủ trì"), Choice(P_TIME, "Thời gian"),
                                  Choice(P_PLACE, "Địa điểm"))),
        DocumentKind(PROPOSAL, "Tờ trình", "TỜ TRÌNH", "TTr", addressed=True),  # Mẫu 1.4 (sent upward), and:
        DocumentKind(PROGRAM, "Chương trình", "CHƯƠNG TRÌNH", "CTr"),
        # Mẫu 1.9: the meeting's facts, and the secretary's and the chair's signatures side by side.
        DocumentKind(MINUTES, "Biên bản", "BIÊN BẢN", "BB", model=MODEL_MINUTES, dated=False, particulars=(
            Choice(P_STARTED, "Thời gian bắt đầu"), Choice(P_PLACE, "Địa điểm"),
            Choice(P_PARTICIPANTS, "Thành phần tham dự"), Choice(P_CHAIR, "Chủ trì (chủ tọa)"),
            Choice(P_SECRETARY, "Thư ký (người ghi biên bản)"), Choice(P_ENDED, "Kết thúc vào (giờ, ngày)"))),
        DocumentKind(TELEGRAM, "Công điện", "CÔNG ĐIỆN", "CĐ", addressed=True, model=MODEL_TELEGRAM,  # Mẫu 1.6
                     particulars=(Choice(P_SENDER, "Cơ quan (người đứng đầu) điện"),)),  # "… điện:", to whom
    )
}

# Mức độ khẩn (ô 10b) and phạm vi lưu hành (ô 11): the words printed in their frame (ND30 Phụ lục I, III.2).
URGENT, VERY_URGENT, FLASH = "khan", "thuong_khan", "hoa_toc"
URGENCIES = choice_set(Choice(URGENT, "KHẨN", "amber"), Choice(VERY_URGENT, "THƯỢNG KHẨN", "red"),
                       Choice(FLASH, "HỎA TỐC", "red"))
INTERNAL_CIRCULATION = "LƯU HÀNH NỘI BỘ"


# Kinds whose implementation section ("Tổ chức thực hiện") assigns work that the office follows up: their tasks,
# tracking and plan pages. A Hướng dẫn or Chương trình often still assigns work; a Công văn or Báo cáo does not.
TRACKABLE_KINDS = frozenset({PLAN, GUIDE, PROGRAM})


def get_kind(code: str) -> DocumentKind:
    return KINDS[code]


DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
ISSUED, ARCHIVED, CANCELLED, RECALLED = "issued", "archived", "cancelled", "recalled"
DOCUMENT_STATUSES = choice_set(
    Choice(DRAFT, "Dự thảo", "grey"),
    Choice(SUBMITTED, "Chờ duyệt", "amber"),
    Choice(RETURNED, "Trả lại", "red"),
    Choice(APPROVED, "Đã duyệt", "blue"),
    Choice(ISSUED, "Đã phát hành", "green"),
    Choice(ARCHIVED, "Đã lưu trữ", "green"),
    Choice(CANCELLED, "Đã hủy", "grey"),
    Choice(RECALLED, "Đã thu hồi", "red"),
)
# The clerk may change the content only in these statuses; everything later is frozen.
EDITABLE = frozenset({DRAFT, RETURNED})
# Issued documents are immutable; these statuses carry a register number.
NUMBERED = frozenset({ISSUED, ARCHIVED, RECALLED})

# Register entries as stored. A recalled document keeps its entry "issued"; the register shows it as recalled
# from the document's status, so there is one source of truth for a recall (the workflow).
RESERVED = "reserved"
ENTRY_STATUSES = choice_set(
    Choice(RESERVED, "Giữ số trước", "amber"),
    Choice(ISSUED, "Đã phát hành", "green"),
    Choice(CANCELLED, "Số đã hủy", "grey"),
    Choice(RECALLED, "Đã thu hồi", "red"),
)
