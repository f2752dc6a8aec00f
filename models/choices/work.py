"""Plans and report rounds: assignment statuses, deadline kinds, value types, task sources, rounds, submissions."""

from __future__ import annotations

from models.choices.base import Choice, choice_set
from models.choices.office import DRAFT, RETURNED, SUBMITTED  # a submission goes through the same steps

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
