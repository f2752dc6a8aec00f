"""What runs around the office's work: notifications and e-mail, background jobs, the format check, signatures."""

from __future__ import annotations

from models.choices.base import Choice, choice_set
from models.choices.work import DONE, FAILED  # a job ends done or failed, like a task

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
# Onboarding a province from an .xlsx: the units and reporting accounts, their one-time passwords hashed.
JOB_ONBOARDING = "onboarding_import"
JOB_KINDS[JOB_ONBOARDING] = Choice(JOB_ONBOARDING, "Nhập đơn vị và tài khoản báo cáo từ tệp")


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

# The copy's text against the register (number, date, trích yếu: from its text layer or from OCR), for the
# archive's second badge: all found, one not found, some found and the rest unread, or nothing read yet.
COPY_TEXT_MATCHES, COPY_TEXT_DIFFERS = "text_matches", "text_differs"
COPY_TEXT_PARTLY, COPY_TEXT_UNREAD = "text_partly", "text_unread"
COPY_TEXT_STATES = choice_set(
    Choice(COPY_TEXT_MATCHES, "Số, ngày và trích yếu trên bản ký khớp với sổ", "green", "Khớp sổ ✓"),
    Choice(COPY_TEXT_DIFFERS, "Bản ký không khớp với sổ", "red", "Lệch sổ ✗"),
    Choice(COPY_TEXT_PARTLY, "Chỉ đối chiếu được một phần với sổ", "amber", "Khớp một phần"),
    Choice(COPY_TEXT_UNREAD, "Chưa đọc được chữ trên bản ký để đối chiếu với sổ", "grey", "Chưa đối chiếu"),
)

# Certificates the administrator trusts: a root ends a chain; an intermediate only helps build one.
CERT_ROOT, CERT_INTERMEDIATE = "root", "intermediate"
TRUSTED_CERT_KINDS = choice_set(Choice(CERT_ROOT, "Chứng thư gốc (Root CA)", "green"),
                                Choice(CERT_INTERMEDIATE, "Chứng thư trung gian", "blue"))
