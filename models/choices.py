"""The application's vocabulary: every status, role and kind, each as one choice set in one place.

A code is what the database stores; beside it stand its Vietnamese label, its badge colour (grey, amber, red,
blue, green) and, where a cell is too small for the label, a short label. Everything else (models, rules,
templates, tests) imports the constants from here: a bare "issued" or "KH" elsewhere is a bug that a test finds.
Plain Python: no database, no request.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    color: str = "grey"
    short: str = ""
    closed: bool = False  # an assignment status after which nothing more is expected from the unit


def choice_set(*choices: Choice) -> dict[str, Choice]:
    return {c.code: c for c in choices}


def choice_of(choices: dict[str, Choice], code: str) -> Choice:
    """The choice for a code, or a grey stand-in that shows the code itself (data older than the vocabulary)."""
    return choices.get(code) or Choice(code, code, "grey", "?")


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


# ---- plans ----------------------------------------------------------------------------------------------

NOT_STARTED, IN_PROGRESS, DONE, FAILED = "not_started", "in_progress", "done", "failed"
ASSIGNMENT_STATUSES = choice_set(
    Choice(NOT_STARTED, "Chưa thực hiện", "grey", "–"),
    Choice(IN_PROGRESS, "Đang thực hiện", "blue", "…"),
    Choice(DONE, "Hoàn thành", "green", "✓", closed=True),
    Choice(FAILED, "Không thực hiện được", "red", "✗", closed=True),
)

NO_DEADLINE, ONE_DATE, MONTHLY, QUARTERLY = "none", "date", "monthly", "quarterly"
DEADLINE_KINDS = choice_set(
    Choice(NO_DEADLINE, "Không có hạn"),
    Choice(ONE_DATE, "Hạn một ngày"),
    Choice(MONTHLY, "Hằng tháng"),
    Choice(QUARTERLY, "Hằng quý"),
)

WHOLE_NUMBER, DECIMAL = "integer", "decimal"
VALUE_TYPES = choice_set(Choice(WHOLE_NUMBER, "Số nguyên"), Choice(DECIMAL, "Số thập phân"))

# Where an imported task was read: the implementation section's units, or a schedule's items (time + unit).
FROM_IMPLEMENTATION, FROM_SCHEDULE = "implementation", "schedule"
TASK_SOURCES = choice_set(
    Choice(FROM_IMPLEMENTATION, "Tổ chức thực hiện", "blue", "TCTH"),
    Choice(FROM_SCHEDULE, "Tiến độ thực hiện", "amber", "Tiến độ"),
)


# ---- report rounds --------------------------------------------------------------------------------------

OPEN, CLOSED = "open", "closed"
ROUND_STATUSES = choice_set(Choice(OPEN, "Đang nhận báo cáo", "blue"), Choice(CLOSED, "Đã kết thúc", "grey"))

ACCEPTED = "accepted"
SUBMISSION_STATUSES = choice_set(
    Choice(DRAFT, "Đang soạn", "grey"),
    Choice(SUBMITTED, "Chờ tiếp nhận", "blue"),
    Choice(ACCEPTED, "Đã tiếp nhận", "green"),
    Choice(RETURNED, "Bị trả lại", "red"),
)
# Statuses whose figures count: the unit sent them and the province has not sent them back.
COUNTED = frozenset({SUBMITTED, ACCEPTED})
# Statuses in which the unit may still change its report.
SUBMISSION_EDITABLE = frozenset({DRAFT, RETURNED})

# Where a unit stands in a round (computed, never stored).
ON_TIME, LATE, MISSING = "on_time", "late", "missing"
COMPLETENESS = choice_set(
    Choice(ON_TIME, "Đã nộp", "green"),
    Choice(LATE, "Nộp muộn", "amber"),
    Choice(MISSING, "Chưa nộp", "grey"),
    Choice(RETURNED, "Bị trả lại", "red"),
)


# ---- notifications and e-mail ---------------------------------------------------------------------------

# What a notification is about: each kind has its own link, and at most one per task (or round) and event.
NOTE_GENERAL, NOTE_TASKS_ASSIGNED, NOTE_ROUND_OPENED = "general", "tasks_assigned", "round_opened"
NOTE_SUBMISSION_RETURNED, NOTE_DEADLINE_SOON, NOTE_OVERDUE = "submission_returned", "deadline_soon", "task_overdue"
NOTE_REVIEW_REQUESTED, NOTE_DOCUMENT_RETURNED = "review_requested", "document_returned"
NOTIFICATION_KINDS = choice_set(
    Choice(NOTE_GENERAL, "Thông báo"),
    Choice(NOTE_TASKS_ASSIGNED, "Được giao nhiệm vụ", "blue"),
    Choice(NOTE_ROUND_OPENED, "Đề nghị báo cáo", "blue"),
    Choice(NOTE_SUBMISSION_RETURNED, "Báo cáo bị trả lại", "red"),
    Choice(NOTE_DEADLINE_SOON, "Sắp đến hạn", "amber"),
    Choice(NOTE_OVERDUE, "Quá hạn", "red"),
    Choice(NOTE_REVIEW_REQUESTED, "Trình duyệt", "amber"),
    Choice(NOTE_DOCUMENT_RETURNED, "Văn bản bị trả lại", "red"),
)

# How a person wants their notifications by e-mail (their own choice, on their settings page).
MAIL_IMMEDIATE, MAIL_DAILY, MAIL_OFF = "mail_immediate", "mail_daily", "mail_off"
MAIL_MODES = choice_set(
    Choice(MAIL_IMMEDIATE, "Gửi thư ngay khi có thông báo"),
    Choice(MAIL_DAILY, "Một thư tổng hợp mỗi ngày"),
    Choice(MAIL_OFF, "Không nhận thư"),
)

# A notification's e-mail: not wanted, waiting to go alone, waiting for the daily digest, sent, given up.
MAIL_NOT_WANTED, MAIL_PENDING, MAIL_IN_DIGEST = "mail_not_wanted", "mail_pending", "mail_digest"
MAIL_SENDING, MAIL_SENT, MAIL_GAVE_UP = "mail_sending", "mail_sent", "mail_gave_up"
MAIL_STATES = choice_set(
    Choice(MAIL_NOT_WANTED, "Không gửi thư", "grey"),
    Choice(MAIL_PENDING, "Chờ gửi thư", "amber"),
    Choice(MAIL_IN_DIGEST, "Chờ thư tổng hợp", "amber"),
    Choice(MAIL_SENDING, "Đang gửi thư", "blue"),
    Choice(MAIL_SENT, "Đã gửi thư", "green"),
    Choice(MAIL_GAVE_UP, "Gửi thư không được", "red"),
)

# How the office's mail server is reached.
SMTP_STARTTLS, SMTP_SSL, SMTP_PLAIN = "starttls", "ssl_tls", "no_tls"
SMTP_SECURITY = choice_set(
    Choice(SMTP_STARTTLS, "STARTTLS (thường dùng cổng 587)"),
    Choice(SMTP_SSL, "SSL/TLS ngay từ đầu (thường dùng cổng 465)"),
    Choice(SMTP_PLAIN, "Không mã hóa (chỉ dùng trong mạng nội bộ)"),
)


# ---- background jobs ------------------------------------------------------------------------------------

# A job waits in the queue, runs in the worker, and ends done or failed (after its last attempt).
QUEUED, RUNNING = "queued", "running"
JOB_STATES = choice_set(
    Choice(QUEUED, "Đang chờ", "amber"),
    Choice(RUNNING, "Đang xử lý", "blue"),
    Choice(DONE, "Đã xong", "green", closed=True),
    Choice(FAILED, "Không thành công", "red", closed=True),
)
JOB_FINISHED = frozenset({DONE, FAILED})

# What a job does: each kind is registered by the feature that owns it (domain.jobs.task).
JOB_PDF_PREVIEW, JOB_READ_SCAN = "pdf_preview", "read_scan"  # read_scan: OCR of a scanned signed copy
JOB_SEND_MAIL, JOB_DAILY_NOTICES = "send_mail", "daily_notices"
JOB_KINDS = choice_set(
    Choice(JOB_PDF_PREVIEW, "Tạo bản PDF xem trước"),
    Choice(JOB_SEND_MAIL, "Gửi thư thông báo"),
    Choice(JOB_DAILY_NOTICES, "Nhắc hạn nhiệm vụ và thư tổng hợp hằng ngày"),
    Choice(JOB_READ_SCAN, "Nhận dạng chữ (OCR) trên bản quét có chữ ký"),
)


# ---- format check (Nghị định 30/2020 thể thức) ----------------------------------------------------------

# A finding of the format checker: what ND30 makes mandatory, or a setting / style preference (UNCONFIRMED rules).
ERROR, WARNING = "format_error", "format_warning"
FINDING_SEVERITIES = choice_set(Choice(ERROR, "Lỗi", "red"), Choice(WARNING, "Cảnh báo", "amber"))

# The Kiểm tra thể thức page's pictures of a checked file's pages (LibreOffice -> PDF -> PNG), drawn by the worker.
JOB_FORMAT_CHECK_PAGES = "format_check_pages"
JOB_KINDS[JOB_FORMAT_CHECK_PAGES] = Choice(JOB_FORMAT_CHECK_PAGES, "Vẽ hình các trang để kiểm tra thể thức")


# ---- digital signatures of signed copies (pyHanko) -------------------------------------------------------

# Checking a signed copy's digital signatures after its upload; the issued document as PDF/A to be signed.
JOB_VERIFY_SIGNATURES, JOB_SIGNING_PDF = "verify_signatures", "signing_pdf"
JOB_KINDS[JOB_VERIFY_SIGNATURES] = Choice(JOB_VERIFY_SIGNATURES, "Kiểm tra chữ ký số của bản có chữ ký")
JOB_KINDS[JOB_SIGNING_PDF] = Choice(JOB_SIGNING_PDF, "Tạo bản PDF/A để ký số")  # the issued document, PDF/A-2b

# The verdict on one signature, the first that applies in this order (a broken signature says nothing of trust).
SIG_UNREADABLE, SIG_BROKEN, SIG_MODIFIED = "sig_unreadable", "sig_broken", "sig_modified"
SIG_EXPIRED, SIG_REVOKED, SIG_UNTRUSTED, SIG_VALID = "sig_expired", "sig_revoked", "sig_untrusted", "sig_valid"
SIGNATURE_VERDICTS = choice_set(
    Choice(SIG_UNREADABLE, "Chữ ký bị hỏng, không đọc được", "red"),
    Choice(SIG_BROKEN, "Chữ ký không còn nguyên vẹn: phần đã ký bị thay đổi", "red"),
    Choice(SIG_MODIFIED, "Văn bản bị sửa sau khi ký", "red"),
    Choice(SIG_EXPIRED, "Chứng thư hết hạn hoặc chưa có hiệu lực khi ký", "red"),
    Choice(SIG_REVOKED, "Chứng thư đã bị thu hồi", "red"),
    Choice(SIG_UNTRUSTED, "Chứng thư không thuộc danh sách tin cậy", "amber"),
    Choice(SIG_VALID, "Chữ ký hợp lệ, tin cậy", "green"),
)

# The copy as a whole, for the archive's badge: its worst signature, none, or a file that could not be checked.
COPY_SIGNED_VALID, COPY_SIGNED_UNTRUSTED, COPY_SIGNED_BAD = "signed_valid", "signed_untrusted", "signed_bad"
COPY_UNSIGNED, COPY_UNCHECKABLE, COPY_SIGNATURES_PENDING = "unsigned", "uncheckable", "signatures_pending"
COPY_SIGNATURE_STATES = choice_set(
    Choice(COPY_SIGNED_VALID, "Chữ ký số hợp lệ", "green", "Ký số ✓"),
    Choice(COPY_SIGNED_UNTRUSTED, "Chữ ký số chưa được tin cậy", "amber", "Ký số ?"),
    Choice(COPY_SIGNED_BAD, "Chữ ký số không hợp lệ", "red", "Ký số ✗"),
    Choice(COPY_UNSIGNED, "Không có chữ ký số", "grey", "Không ký số"),
    Choice(COPY_UNCHECKABLE, "Không kiểm tra được chữ ký số", "amber", "Không kiểm tra được"),
    Choice(COPY_SIGNATURES_PENDING, "Đang kiểm tra chữ ký số", "blue", "Đang kiểm tra"),
)

# Certificates the administrator trusts: a root ends a chain; an intermediate only helps build one.
CERT_ROOT, CERT_INTERMEDIATE = "root", "intermediate"
TRUSTED_CERT_KINDS = choice_set(Choice(CERT_ROOT, "Chứng thư gốc (Root CA)", "green"),
                                Choice(CERT_INTERMEDIATE, "Chứng thư trung gian", "blue"))
