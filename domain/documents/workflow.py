"""A document's life: statuses with their Vietnamese labels and badge colours, and the transition table.

The table is written once. `available_actions` reads it to decide which buttons a page shows; `perform` reads it
again on the server for every action, so a hidden button is never the only defence. `perform` changes the
document, records a DocumentEvent and an audit row in the caller's transaction; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.documents.readiness import CHECKED_ACTIONS, readiness_problems
from domain.errors import DomainError
from domain.notifications import notify_users
from domain.text.vietnamese import clean_text
from extensions import db
from models.choices import (  # noqa: F401  (re-exported: the workflow's vocabulary)
    APPROVED,
    APPROVER,
    ARCHIVED,
    CANCELLED,
    CLERK,
    DOCUMENT_STATUSES,
    DRAFT,
    EDITABLE,
    ISSUED,
    NOTE_DOCUMENT_RETURNED,
    NOTE_GENERAL,
    NOTE_REVIEW_REQUESTED,
    NUMBERED,
    RECALLED,
    RECORDS,
    RETURNED,
    SUBMITTED,
    Choice,
    choice_of,
)
from models.core import Notification, Organization, User, UserRole, audit, utcnow
from models.documents import Document
from models.workflow import DocumentEvent, current_approver, last_event

STATUSES = DOCUMENT_STATUSES

# Functions called with the document after it is issued, in the same transaction (e.g. plans start tracking).
AFTER_ISSUE: list = []
# Functions (document, action) -> Vietnamese reasons that block submit, approve or issue (docgen.gate adds the
# format check of the generated .docx; it sits above domain, so it registers itself here).
GATES: list = []


@dataclass(frozen=True)
class Transition:
    action: str
    from_statuses: frozenset[str]
    to_status: str
    roles: frozenset[str]
    label: str  # the button
    done: str  # the flash message / timeline line, past tense
    style: str = ""  # button class: "primary", "danger" or ""
    needs_comment: bool = False  # a comment is required (the return note)
    needs_reason: bool = False  # a reason is required (recall)
    only_current_approver: bool = False  # only the approver the document was submitted to
    confirm: str = ""  # asked before a destructive action (data-confirm)


def _t(action, sources, target, roles, label, done, **kw) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label, done, **kw)


TRANSITIONS: list[Transition] = [
    _t("submit", {DRAFT, RETURNED}, SUBMITTED, {CLERK}, "Trình duyệt", "đã trình duyệt", style="primary"),
    _t("withdraw", {SUBMITTED}, DRAFT, {CLERK}, "Rút lại", "đã rút lại văn bản trình duyệt"),
    _t("return", {SUBMITTED}, RETURNED, {APPROVER}, "Trả lại", "đã trả lại để chỉnh sửa", style="danger",
       needs_comment=True, only_current_approver=True),
    _t("approve", {SUBMITTED}, APPROVED, {APPROVER}, "Duyệt", "đã duyệt nội dung và thể thức", style="primary",
       only_current_approver=True),
    _t("issue", {APPROVED}, ISSUED, {RECORDS}, "Cấp số và phát hành", "đã cấp số và phát hành", style="primary"),
    _t("archive", {ISSUED}, ARCHIVED, {RECORDS}, "Lưu trữ", "đã lưu trữ bản có chữ ký"),
    _t("cancel", {DRAFT, RETURNED}, CANCELLED, {CLERK}, "Hủy dự thảo", "đã hủy dự thảo", style="danger",
       confirm="Hủy dự thảo này? Văn bản vẫn được giữ lại và đánh dấu là đã hủy."),
    _t("recall", {ISSUED, ARCHIVED}, RECALLED, {APPROVER, RECORDS}, "Thu hồi", "đã thu hồi văn bản", style="danger",
       needs_reason=True, confirm="Thu hồi văn bản đã phát hành? Số văn bản sẽ không được dùng lại."),
]
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
ACTIONS = tuple(BY_ACTION)

# Actions whose form lives with the register (numbering, the signed copy), not in the workflow blueprint.
REGISTER_ACTIONS = frozenset({"issue", "archive"})


class TransitionRefused(DomainError):
    """The action is not allowed now; `message` says why in Vietnamese, `field` names the form field at fault."""


class StaleAction(DomainError):
    """The page was out of date: the document is no longer in the status the person saw."""

    def __init__(self, current_status: str):
        label = STATUSES[current_status].label if current_status in STATUSES else current_status
        super().__init__(f"Văn bản đã chuyển sang trạng thái «{label}» trước thao tác này; không có gì bị thay đổi. "
                         "Trang đã được cập nhật theo trạng thái hiện tại.")
        self.current_status = current_status


def status_of(code: str) -> Choice:
    return choice_of(STATUSES, code)


def is_own(document: Document, user: User) -> bool:
    """The user wrote the document or submitted it: approving it would be approving oneself."""
    if document.created_by_id == user.id:
        return True
    submit = last_event(document, "submit")
    return submit is not None and submit.user_id == user.id


def _who_may(transition: Transition, document: Document, user: User) -> str | None:
    """Why this user may not take this action on this document now (None: they may), input aside."""
    if user is None or not user.has_role(*transition.roles):
        return f"Bạn không có quyền thực hiện thao tác «{transition.label}»."
    if document.status not in transition.from_statuses:
        return f"Không thể «{transition.label}» khi văn bản đang ở trạng thái «{status_of(document.status).label}»."
    if transition.only_current_approver:
        approver = current_approver(document)
        if approver is None or approver.id != user.id:
            name = approver.full_name if approver else "người khác"
            return f"Văn bản này được trình cho {name} duyệt; chỉ người đó mới có thể «{transition.label}»."
    if transition.action == "approve" and Organization.current().forbid_self_approval and is_own(document, user):
        return "Cơ quan không cho phép tự duyệt văn bản do chính mình soạn hoặc trình; hãy trình lãnh đạo khác duyệt."
    return None


def refusal(document: Document, action: str, user: User) -> str | None:
    """The Vietnamese reason the action is refused to this user now, or None when it is allowed."""
    transition = BY_ACTION.get(action)
    if transition is None:
        return "Thao tác không tồn tại."
    return _who_may(transition, document, user)


def available_actions(document: Document, user: User) -> list[Transition]:
    """The transitions this user may take on this document now, in table order (the buttons a page shows)."""
    return [t for t in TRANSITIONS if _who_may(t, document, user) is None]


def approvers(exclude: User | None = None) -> list[User]:
    """Active users who may approve, for the submit form (without the clerk when self-approval is forbidden)."""
    users = db.session.scalars(
        db.select(User).join(UserRole).where(UserRole.role == APPROVER, User.active.is_(True)).order_by(User.full_name)
    ).unique().all()
    if exclude is not None and Organization.current().forbid_self_approval:
        users = [u for u in users if u.id != exclude.id]
    return list(users)


def _check_input(transition: Transition, document: Document, user: User, comment: str, details: dict) -> dict:
    """Guards on what the person typed or ticked; returns the details to record."""
    recorded: dict = {}
    blocking = readiness_problems(document, transition.action)
    if not blocking and transition.action in CHECKED_ACTIONS:
        blocking = [reason for gate in GATES for reason in gate(document, transition.action)]
    if blocking:
        raise TransitionRefused(" ".join(blocking))
    if transition.needs_comment and not comment:
        raise TransitionRefused("Vui lòng ghi rõ ý kiến khi trả lại văn bản để chuyên viên biết cần sửa gì.",
                                field="comment")
    if transition.action == "submit":
        approver_id = details.get("approver_id")
        approver = db.session.get(User, int(approver_id)) if str(approver_id or "").isdigit() else None
        if approver is None or not approver.active or not approver.has_role(APPROVER):
            raise TransitionRefused("Vui lòng chọn lãnh đạo duyệt văn bản.", field="approver_id")
        if approver.id == user.id and Organization.current().forbid_self_approval:
            raise TransitionRefused("Cơ quan không cho phép tự duyệt: hãy trình một lãnh đạo khác.",
                                    field="approver_id")
        if not document.title.strip():
            raise TransitionRefused("Văn bản chưa có trích yếu (tên văn bản); hãy bổ sung trước khi trình.")
        recorded["approver_id"] = approver.id
    if transition.action == "approve":
        content_ok, format_ok = bool(details.get("content_ok")), bool(details.get("format_ok"))
        if not content_ok:
            raise TransitionRefused("Hãy xác nhận đã kiểm tra nội dung trước khi duyệt.", field="content_ok")
        if not format_ok:
            raise TransitionRefused("Hãy xác nhận đã kiểm tra thể thức trước khi duyệt.", field="format_ok")
        recorded.update(content_ok=True, format_ok=True)
    if transition.needs_reason:
        reason = clean_text(str(details.get("reason") or "")).strip()
        if not reason:
            raise TransitionRefused("Vui lòng ghi lý do thu hồi.", field="reason")
        recorded["reason"] = reason
    for key in ("register_entry_id", "number", "file_id"):  # what the register passes along, kept as given
        if key in details and details[key] is not None:
            recorded[key] = details[key]
    return recorded


def perform(document: Document, action: str, user: User, *, expected_status: str, comment: str = "",
            **details) -> DocumentEvent:
    """Take one transition after re-checking everything; the caller commits.

    Raises StaleAction when the document is no longer in `expected_status` (the page was old), and
    TransitionRefused (a Vietnamese message) when the role, the status or a guard forbids it. Nothing is changed
    when either is raised.
    """
    transition = BY_ACTION.get(action)
    if transition is None:
        raise TransitionRefused("Thao tác không tồn tại.")
    if document.status != expected_status:
        raise StaleAction(document.status)
    reason = _who_may(transition, document, user)
    if reason:
        raise TransitionRefused(reason)
    comment = clean_text(comment or "").strip()
    recorded = _check_input(transition, document, user, comment, details)

    before = document.status
    if action == "submit":
        # The reviewer compares what was submitted each time: remember which revision that was.
        revision = document.save_revision(user, "Trình duyệt") or document.last_revision()
        recorded["revision"] = revision.number
    document.status = transition.to_status
    event = DocumentEvent(document_id=document.id, action=action, from_status=before,
                          to_status=transition.to_status, user_id=user.id, comment=comment)
    event.details = recorded
    event.at = utcnow()
    db.session.add(event)
    audit(f"document.{action}", document, user=user,
          summary=f"{user.full_name} {transition.done}: {document.title}"[:500],
          before={"status": before}, after={"status": transition.to_status, **recorded,
                                            **({"comment": comment} if comment else {})})
    if action == "issue":
        for hook in AFTER_ISSUE:
            hook(document)
    db.session.flush()
    return event


def notify(event: DocumentEvent, document: Document, link: str) -> list[Notification]:
    """Tell the next person in line: the approver on submit, the author on return/approval, records on approval."""
    actor = db.session.get(User, event.user_id) if event.user_id else None
    who = actor.full_name if actor else "Hệ thống"
    title = document.title or "(chưa có trích yếu)"
    recipients: list[tuple[int, str]] = []
    kind = {"submit": NOTE_REVIEW_REQUESTED, "return": NOTE_DOCUMENT_RETURNED}.get(event.action, NOTE_GENERAL)
    if event.action == "submit":
        recipients.append((event.details.get("approver_id"), f"{who} trình duyệt: {title}"))
    elif event.action in ("return", "approve"):
        verb = "trả lại" if event.action == "return" else "đã duyệt"
        submitter = last_event(document, "submit")
        author_ids = {document.created_by_id, submitter.user_id if submitter else None} - {None, event.user_id}
        recipients += [(uid, f"{who} {verb}: {title}") for uid in sorted(author_ids)]
        if event.action == "approve":
            records = db.session.scalars(db.select(User.id).join(UserRole).where(
                UserRole.role == RECORDS, User.active.is_(True))).all()
            recipients += [(uid, f"Chờ cấp số phát hành: {title}") for uid in records if uid not in author_ids]
    elif event.action == "withdraw":
        approver_event = last_event(document, "submit")
        approver_id = approver_event.details.get("approver_id") if approver_event else None
        recipients.append((approver_id, f"{who} đã rút lại văn bản trình duyệt: {title}"))
    notes: list[Notification] = []
    for uid, message in recipients:
        if uid and uid != event.user_id:
            notes += notify_users([uid], actor, message, link, kind=kind)
    return notes

