"""A document's life: statuses with their Vietnamese labels and badge colours, in one place.

The transition table (status, action) -> (new status, role) lives here too; views and the server check both
read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    color: str  # badge colour: grey, amber, red, blue, green


DRAFT, SUBMITTED, RETURNED, APPROVED, ISSUED, ARCHIVED, CANCELLED, RECALLED = (
    "draft", "submitted", "returned", "approved", "issued", "archived", "cancelled", "recalled",
)

STATUSES: dict[str, Status] = {
    s.code: s
    for s in (
        Status(DRAFT, "Dự thảo", "grey"),
        Status(SUBMITTED, "Chờ duyệt", "amber"),
        Status(RETURNED, "Trả lại", "red"),
        Status(APPROVED, "Đã duyệt", "blue"),
        Status(ISSUED, "Đã phát hành", "green"),
        Status(ARCHIVED, "Đã lưu trữ", "green"),
        Status(CANCELLED, "Đã hủy", "grey"),
        Status(RECALLED, "Đã thu hồi", "red"),
    )
}

# The clerk may change the content only in these statuses; everything later is frozen.
EDITABLE = frozenset({DRAFT, RETURNED})
# Issued documents are immutable; these statuses carry a register number.
NUMBERED = frozenset({ISSUED, ARCHIVED, RECALLED})

# Functions called with the document after it is issued, in the same transaction (e.g. plans start tracking).
AFTER_ISSUE: list = []
