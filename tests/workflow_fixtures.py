"""Documents at each step of the workflow, for the workflow and review tests."""

from __future__ import annotations

from sqlalchemy import select

from domain.documents import workflow as wf
from extensions import db
from models import Document, User

BODY = """I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Tuyên truyền sâu rộng Chỉ thị số 07-CT/TW trong Nhân dân.
2. Yêu cầu
- Bám sát nội dung Chỉ thị;
- Bảo đảm thiết thực, hiệu quả.
II. NỘI DUNG
Ban Thường trực Ủy ban MTTQ tỉnh tổ chức hội nghị quán triệt."""


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def make_document(*, title: str = "Tuyên truyền Chỉ thị số 07-CT/TW", body: str = BODY, kind: str = "KH",
                  author: str = "clerk", status: str = wf.DRAFT) -> Document:
    """A document written by `author`, then moved along the real transitions up to `status`."""
    clerk = user(author)
    document = Document(kind=kind, title=title, body=body, year=2026, created_by_id=clerk.id,
                        references_text="Thực hiện Chỉ thị số 07-CT/TW ngày 14/6/2022 của Ban Bí thư;",
                        signer_id=user("approver").id, signer_title="PHÓ CHỦ TỊCH")  # no step without a signer
    db.session.add(document)
    db.session.flush()
    document.save_revision(clerk, "Tạo")
    move_to(document, status)
    return document


# The path to each status, as (action, username, details).
PATHS = {
    wf.DRAFT: [],
    wf.SUBMITTED: [("submit", "clerk", {"approver": "approver"})],
    wf.RETURNED: [("submit", "clerk", {"approver": "approver"}), ("return", "approver", {"comment": "Sửa mục II."})],
    wf.APPROVED: [("submit", "clerk", {"approver": "approver"}),
                  ("approve", "approver", {"content_ok": True, "format_ok": True})],
    wf.ISSUED: [("submit", "clerk", {"approver": "approver"}),
                ("approve", "approver", {"content_ok": True, "format_ok": True}), ("issue", "records", {})],
    wf.ARCHIVED: [("submit", "clerk", {"approver": "approver"}),
                  ("approve", "approver", {"content_ok": True, "format_ok": True}), ("issue", "records", {}),
                  ("archive", "records", {})],
    wf.CANCELLED: [("cancel", "clerk", {})],
    wf.RECALLED: [("submit", "clerk", {"approver": "approver"}),
                  ("approve", "approver", {"content_ok": True, "format_ok": True}), ("issue", "records", {}),
                  ("recall", "records", {"reason": "Ban hành nhầm đối tượng."})],
}


def move_to(document: Document, status: str) -> Document:
    """Take the remaining steps of the path to `status` (steps the document is already past are skipped)."""
    for action, username, details in PATHS[status]:
        if document.status not in wf.BY_ACTION[action].from_statuses:
            continue
        details = dict(details)
        if "approver" in details:
            details["approver_id"] = user(details.pop("approver")).id
        if action == "issue":  # what the register does before calling perform
            document.number = (db.session.scalar(select(db.func.max(Document.number))) or 0) + 1
        wf.perform(document, action, user(username), expected_status=document.status, **details)
    db.session.flush()
    return document
