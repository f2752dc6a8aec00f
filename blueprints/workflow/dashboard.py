"""The workflow's dashboard queues: what waits for the signed-in approver, clerk or records clerk."""

from __future__ import annotations

from blueprints.shared import dashboard_panel
from domain.documents import queues
from models.choices import APPROVER, CLERK, RECORDS


def review_queue(user) -> dict | None:
    """Chờ tôi duyệt: documents submitted to this approver, oldest first."""
    if not user.has_role(APPROVER):
        return None
    return {"key": "review", "title": "Chờ tôi duyệt", "color": "amber", "rows": queues.waiting_for_review(user),
            "who_label": "Người trình", "since_label": "Đã chờ", "show_comment": True,
            "empty": "Không có văn bản nào đang chờ bạn duyệt."}


def returned_queue(user) -> dict | None:
    """Văn bản bị trả lại: this clerk's documents returned for changes, with the reviewer's note."""
    if not user.has_role(CLERK):
        return None
    return {"key": "returned", "title": "Văn bản bị trả lại", "color": "red", "rows": queues.returned_to(user),
            "who_label": "Người trả lại", "since_label": "Trả lại", "show_comment": True,
            "empty": "Không có văn bản nào bị trả lại."}


def issue_queue(user) -> dict | None:
    """Chờ phát hành: approved documents waiting for a number."""
    if not user.has_role(RECORDS):
        return None
    return {"key": "issue", "title": "Chờ phát hành", "color": "blue", "rows": queues.awaiting_issue(),
            "who_label": "Người duyệt", "since_label": "Đã chờ", "show_comment": False,
            "empty": "Không có văn bản nào chờ cấp số."}


TEMPLATE = "workflow/dashboard_queue.html"
dashboard_panel(10, TEMPLATE, review_queue)
dashboard_panel(11, TEMPLATE, returned_queue)
dashboard_panel(12, TEMPLATE, issue_queue)
