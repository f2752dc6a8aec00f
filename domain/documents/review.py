"""What a reviewer reads: submitted revisions and their differences, comments, the timeline.

The dashboard's queues (what waits for whom) are in domain.documents.queues.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from domain.access import READER_ROLES, is_reader
from domain.documents.workflow import ACTIONS, APPROVED, BY_ACTION, RETURNED, SUBMITTED, status_of
from domain.errors import DomainError
from domain.text.textdiff import FieldDiff, diff_fields
from domain.text.vietnamese import clean_text, number_text
from extensions import db
from models.choices import APPROVER, CLERK, DRAFT, KINDS, URGENCIES
from models.core import AuditEvent, Unit, User, audit, utcnow
from models.documents import Document, DocumentRevision
from models.register import RegisterEntry
from models.workflow import DocumentComment, DocumentEvent, document_comments, document_events

# Who may open the review screen and the workflow panel: the office (a district reporter who may read an issued
# document addressed to their unit still sees neither the review comments nor the internal history: 404).
DOCUMENT_ROLES = READER_ROLES
# Who may write and resolve review comments, and while the document is still being worked on.
COMMENT_ROLES = (CLERK, APPROVER)
COMMENTABLE = frozenset({DRAFT, SUBMITTED, RETURNED, APPROVED})

FIELD_LABELS = {
    "title": "Trích yếu",
    "kinh_gui": "Kính gửi",
    "references": "Căn cứ",
    "body": "Nội dung",
    "recipients": "Nơi nhận",
    "signer": "Người ký",
    "details": "Thông tin riêng, mức độ khẩn",
}


def can_view_documents(user: User) -> bool:
    return is_reader(user)


# ---- submitted revisions and their differences --------------------------------------------------------------


def revision_texts(data: dict[str, Any]) -> dict[str, str]:
    """A revision's content as the plain text fields the reviewer compares."""
    unit_ids = {r.get("unit_id") for r in data.get("recipients", []) if r.get("unit_id")}
    names = dict(db.session.execute(select(Unit.id, Unit.recipient_name).where(Unit.id.in_(unit_ids))).all()) \
        if unit_ids else {}
    recipients = [r.get("text") or names.get(r.get("unit_id"), "") for r in data.get("recipients", [])]
    signer = db.session.get(User, data["signer_id"]) if data.get("signer_id") else None
    signature = [data.get("signing_authority", ""), data.get("signing_deputy_line", ""),
                 data.get("signer_title", ""), signer.full_name if signer else ""]
    return {
        "title": data.get("title", ""),
        "kinh_gui": data.get("kinh_gui", ""),
        "references": data.get("references", ""),
        "body": data.get("body", ""),
        "recipients": "\n".join(r for r in recipients if r),
        "signer": "\n".join(s for s in signature if s),
        "details": "\n".join(_details(data)),
    }


def _details(data: dict[str, Any]) -> list[str]:
    """A kind's own fields (a Giấy mời's time and place …) and the marks, one "label: value" a line."""
    kind = KINDS.get(data.get("kind", ""))
    labels = {c.code: c.label for c in kind.particulars} if kind else {}
    try:
        values = json.loads(data.get("particulars_json") or "{}")
    except ValueError:
        values = {}
    lines = [f"{labels[k]}: {v}" for k, v in values.items() if k in labels] if isinstance(values, dict) else []
    if data.get("urgency") in URGENCIES:
        lines.append(f"Mức độ khẩn: {URGENCIES[data['urgency']].label}")
    if data.get("internal_only"):
        lines.append("Lưu hành nội bộ")
    return lines


@dataclass
class Submission:
    event: DocumentEvent
    revision: DocumentRevision | None
    ordinal: int  # 1 for the first submission


@dataclass
class ReviewDiff:
    current: Submission | None
    previous: Submission | None
    fields: list[FieldDiff] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.fields)


def submissions(document: Document) -> list[Submission]:
    events = [e for e in document_events(document.id) if e.action == "submit"]
    numbers = {e.details.get("revision") for e in events} - {None}
    revisions = {r.number: r for r in db.session.scalars(
        select(DocumentRevision).where(DocumentRevision.document_id == document.id,
                                       DocumentRevision.number.in_(numbers)))} if numbers else {}
    return [Submission(e, revisions.get(e.details.get("revision")), i + 1) for i, e in enumerate(events)]


def review_diff(document: Document) -> ReviewDiff:
    """The last submitted revision against the one submitted before it (fields unchanged on a first submission)."""
    subs = submissions(document)
    current = subs[-1] if subs else None
    previous = subs[-2] if len(subs) > 1 else None
    new = revision_texts(current.revision.data if current and current.revision else document.content())
    old = revision_texts(previous.revision.data) if previous and previous.revision else None
    labels = {k: v for k, v in FIELD_LABELS.items()
              if k not in ("kinh_gui", "details") or new[k] or (old or {}).get(k)}
    return ReviewDiff(current, previous, diff_fields(old, new, labels))


def body_lines(document: Document) -> list[tuple[int, str]]:
    """(1-based line number, text) of the non-blank lines of the body: what a comment may be anchored to."""
    return [(i, line) for i, line in enumerate(document.body.splitlines(), start=1) if line.strip()]


# ---- comments -------------------------------------------------------------------------------------------------


class CommentRefused(DomainError):
    """A comment that cannot be written; most often the text itself is at fault."""

    def __init__(self, message: str, field: str | None = "text"):
        super().__init__(message, field)


def add_comment(document: Document, user: User, text: str, anchor_line: int | None = None) -> DocumentComment:
    """Write a review comment on the current revision, optionally anchored to a line of the body."""
    if document.status not in COMMENTABLE:
        raise CommentRefused(f"Không thể góp ý khi văn bản ở trạng thái «{status_of(document.status).label}».", None)
    text = clean_text(text or "").strip()
    if not text:
        raise CommentRefused("Vui lòng nhập nội dung góp ý.")
    if len(text) > 5000:
        raise CommentRefused("Góp ý quá dài (tối đa 5.000 ký tự).")
    excerpt = ""
    if anchor_line is not None:
        lines = dict(body_lines(document))
        if anchor_line not in lines:
            raise CommentRefused("Dòng được chọn không còn trong nội dung văn bản.", "anchor_line")
        excerpt = lines[anchor_line][:300]
    revision = document.last_revision()
    comment = DocumentComment(document_id=document.id, revision_number=revision.number if revision else None,
                              anchor_line=anchor_line, anchor_excerpt=excerpt, author_id=user.id, text=text)
    db.session.add(comment)
    db.session.flush()
    where = f" (dòng {anchor_line})" if anchor_line else ""
    audit("document.comment", document, user=user, summary=f"{user.full_name} góp ý{where}: {text}"[:500],
          after={"comment_id": comment.id, "anchor_line": anchor_line, "text": text})
    return comment


def resolve_comment(document: Document, comment: DocumentComment, user: User) -> None:
    if comment.resolved_at is not None:
        return
    comment.resolved_at, comment.resolved_by_id = utcnow(), user.id
    audit("document.comment_resolved", document, user=user,
          summary=f"{user.full_name} đánh dấu đã xử lý góp ý: {comment.text}"[:500],
          after={"comment_id": comment.id})


# ---- timeline ---------------------------------------------------------------------------------------------------


@dataclass
class TimelineItem:
    at: datetime
    kind: str  # event, comment, audit, downloads
    who: str
    title: str
    text: str = ""
    color: str = "grey"
    extra: list[str] = field(default_factory=list)


_OWN_AUDITS = {f"document.{a}" for a in ACTIONS} | {"document.comment", "document.comment_resolved"}
# Reading a document's .docx or PDF is not something that happened to it: those views and downloads are folded
# into a count (each one stays in the audit log). A signed copy's downloads matter and stay listed one by one.
DOWNLOAD_AUDIT = "document_download"
FORMAT_LABELS = {"docx": "bản .docx", "pdf": "bản PDF"}


def _downloads_item(audits: list, name) -> TimelineItem | None:
    """One line for every view and download: how many, of what, by how many people, the last one."""
    if not audits:
        return None
    by_what: dict[str, int] = {}
    for a in audits:
        label = FORMAT_LABELS.get((a.after or {}).get("format"), "tệp")
        by_what[label] = by_what.get(label, 0) + 1
    people = len({a.user_id for a in audits})
    extra = [f"{label}: {count} lần" for label, count in by_what.items()]
    extra += [f"{people} người", f"lần cuối: {name(audits[-1].user_id)}"]
    return TimelineItem(audits[-1].at, "downloads", "", f"Đã xem/tải {len(audits)} lần", extra=extra)


def timeline(document: Document) -> list[TimelineItem]:
    """Every transition, comment and audited action on the document (numbers, edits, signed copies downloaded),
    oldest first; the views and downloads of its .docx and PDF as one count."""
    items: list[TimelineItem] = []
    users: dict[int, str] = {}

    def name(user_id: int | None) -> str:
        if user_id is None:
            return "Hệ thống"
        if user_id not in users:
            user = db.session.get(User, user_id)
            users[user_id] = user.full_name if user else "?"
        return users[user_id]

    for e in document_events(document.id):
        transition = BY_ACTION.get(e.action)
        details = e.details
        extra = []
        if e.action == "submit" and details.get("approver_id"):
            extra.append(f"Trình: {name(details['approver_id'])}")
        if e.action == "approve":
            extra.append("Đã kiểm tra nội dung và thể thức")
        if details.get("reason"):
            extra.append(f"Lý do: {details['reason']}")
        if details.get("revision"):
            extra.append(f"Phiên bản {details['revision']}")
        if number := details.get("number"):  # the register passes "05/KH-MTTQ-BTT"
            extra.append(f"Số {number_text(number) if isinstance(number, int) else number}")
        items.append(TimelineItem(e.at, "event", name(e.user_id), transition.done if transition else e.action,
                                  e.comment, status_of(e.to_status).color, extra))
    for c in document_comments(document.id):
        where = f"Góp ý dòng {c.anchor_line}" if c.anchor_line else "Góp ý"
        items.append(TimelineItem(c.created_at, "comment", name(c.author_id), where, c.text, "blue",
                                  [f"«{c.anchor_excerpt}»"] if c.anchor_excerpt else []))
    # Rows about the document itself, and about its line in the register (a number reserved before the issue).
    entry_ids = select(RegisterEntry.id).where(RegisterEntry.document_id == document.id)
    audits = db.session.scalars(select(AuditEvent).where(
        ((AuditEvent.object_type == "document") & (AuditEvent.object_id == document.id))
        | ((AuditEvent.object_type == "register_entry") & AuditEvent.object_id.in_(entry_ids)),
        AuditEvent.action.not_in(_OWN_AUDITS)).order_by(AuditEvent.at, AuditEvent.id)).all()
    for a in audits:
        if a.action != DOWNLOAD_AUDIT:
            items.append(TimelineItem(a.at, "audit", name(a.user_id), a.summary or a.action))
    if downloads := _downloads_item([a for a in audits if a.action == DOWNLOAD_AUDIT], name):
        items.append(downloads)
    items.sort(key=lambda item: item.at)
    return items
