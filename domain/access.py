"""Who may see what and do what: the role groups, one visible_*(user) query per kind of record, and can().

Every list and every page that loads a record goes through these queries, so a record that is not the user's
is simply not found (404), the same way everywhere. Office staff see every document, plan, assignment and
round; a unit reporter sees only what concerns their own unit: issued documents addressed to it (or to a group
it belongs to), its own assignments, the rounds that ask it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Select, false, select

from extensions import db
from models.choices import (
    ADMIN,
    APPROVER,
    ARCHIVED,
    CLERK,
    EDITABLE,
    ISSUED,
    NUMBERED,
    RECORDS,
    TRACKABLE_KINDS,
    UNIT_REPORTER,
)
from models.core import Notification, Unit, User
from models.documents import EDITOR_ROLES, READER_ROLES, Document, DocumentRecipient  # noqa: F401
from models.plans import Assignment, Evidence, PlanTask
from models.register import DocumentSearch
from models.reports import ReportRound, RoundUnit

# The office's own people: they follow every plan and every round.
STAFF_ROLES = READER_ROLES


def signed_in(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_staff(user: User) -> bool:
    return signed_in(user) and user.has_role(*STAFF_ROLES)


def is_reader(user: User) -> bool:
    return signed_in(user) and user.has_role(*READER_ROLES)


def _reporter_unit(user: User) -> Unit | None:
    if signed_in(user) and user.has_role(UNIT_REPORTER) and user.unit_id is not None:
        return db.session.get(Unit, user.unit_id)
    return None


def visible_documents(user: User) -> Select:
    """Documents: office staff see all; a unit reporter sees numbered documents addressed to their unit or to a
    group that contains it; anyone else nothing."""
    stmt = select(Document)
    if is_reader(user):
        return stmt
    unit = _reporter_unit(user)
    if unit is not None:
        unit_ids = [unit.id] + [u.id for u in unit.ancestors() if u.is_group]
        # EXISTS, checked row by row through the recipient's document index: a newest-first page stops after 20
        # documents, where IN (…) first gathered every document ever sent to the unit (archive: 44 ms -> 1 ms).
        addressed = (select(DocumentRecipient.id).where(DocumentRecipient.document_id == Document.id,
                                                         DocumentRecipient.unit_id.in_(unit_ids)).exists())
        return stmt.where(Document.status.in_(NUMBERED), addressed)
    return stmt.where(false())


def visible_archive(user: User) -> Select:
    """Issued documents (issued, archived, recalled) with their search keys, as this user may see them."""
    return (visible_documents(user).join(DocumentSearch, DocumentSearch.document_id == Document.id)
            .where(Document.status.in_(NUMBERED)))


def visible_assignments(user: User) -> Select:
    """Assignments: office staff see all; a unit reporter their unit's own."""
    stmt = select(Assignment)
    if is_staff(user):
        return stmt
    if signed_in(user) and user.has_role(UNIT_REPORTER) and user.unit_id is not None:
        return stmt.where(Assignment.unit_id == user.unit_id)
    return stmt.where(false())


def visible_plans(user: User) -> Select:
    """Plans to follow up (Kế hoạch, Hướng dẫn: models.choices.TRACKABLE_KINDS): office staff see all; a unit reporter the plans that give their unit a task."""
    stmt = select(Document).where(Document.kind.in_(TRACKABLE_KINDS))
    if is_staff(user):
        return stmt
    tasked = (visible_assignments(user).join(PlanTask, PlanTask.id == Assignment.task_id)
              .with_only_columns(PlanTask.document_id))
    return stmt.where(Document.id.in_(tasked))


def visible_rounds(user: User) -> Select:
    """Report rounds: office staff see all; a unit reporter the rounds that ask their unit."""
    stmt = select(ReportRound)
    if is_staff(user):
        return stmt
    if signed_in(user) and user.has_role(UNIT_REPORTER) and user.unit_id is not None:
        asked = select(RoundUnit.round_id).where(RoundUnit.unit_id == user.unit_id)
        return stmt.where(ReportRound.id.in_(asked))
    return stmt.where(false())


def document_for(user: User, document_id: int) -> Document | None:
    """The document if this user may see it, else None (the caller answers 404)."""
    return db.session.scalar(visible_documents(user).where(Document.id == document_id))


def workflow_document_for(user: User, document_id: int) -> Document | None:
    """The document if this user takes part in drafting and review (the office's people), else None: a unit
    reporter does not see the office's workflow, even of a document addressed to their unit."""
    return document_for(user, document_id) if is_reader(user) else None


def archived_document_for(user: User, document_id: int) -> Document | None:
    return db.session.scalar(visible_archive(user).where(Document.id == document_id))


def assignment_for(user: User, assignment_id: int) -> Assignment | None:
    return db.session.scalar(visible_assignments(user).where(Assignment.id == assignment_id))


def plan_for(user: User, document_id: int) -> Document | None:
    return db.session.scalar(visible_plans(user).where(Document.id == document_id))


def round_for(user: User, round_id: int) -> ReportRound | None:
    return db.session.scalar(visible_rounds(user).where(ReportRound.id == round_id))


def plan_task_for(user: User, document_id: int, task_id: int) -> PlanTask | None:
    """A task of a plan this user may see."""
    if plan_for(user, document_id) is None:
        return None
    return db.session.scalar(select(PlanTask).where(PlanTask.id == task_id, PlanTask.document_id == document_id))


def evidence_for(user: User, evidence_id: int) -> Evidence | None:
    """A file attached to a report, for those who may see the assignment it was reported on."""
    assignments = visible_assignments(user).with_only_columns(Assignment.id)
    return db.session.scalar(select(Evidence).where(Evidence.id == evidence_id,
                                                    Evidence.assignment_id.in_(assignments)))


def notification_for(user: User, notification_id: int) -> Notification | None:
    """One of the user's own notifications."""
    if not signed_in(user):
        return None
    return db.session.scalar(select(Notification).where(Notification.id == notification_id,
                                                        Notification.user_id == user.id))


# ---- what a user may do: the one gate, for views and templates alike ----------------------------------------

# Each action: who may take it, given the record it is about (None for actions on no record). Views answer 403 when
# can() says no; templates show a button or a link only when it says yes, so the two never disagree.
ACTIONS: dict[str, Callable[[User, object], bool]] = {
    "draft_documents": lambda user, _: user.has_role(CLERK, ADMIN),
    "follow_office_work": lambda user, _: is_reader(user),  # histories, the register, every plan and round
    "manage_plans": lambda user, _: user.has_role(CLERK),  # import, tasks, tracking, reminders
    "manage_rounds": lambda user, _: user.has_role(CLERK),
    "keep_register": lambda user, _: user.has_role(RECORDS),  # reserve and cancel numbers
    "administer": lambda user, _: user.has_role(ADMIN),
    "report_on": lambda user, assignment: user.has_role(CLERK) or (
        user.has_role(UNIT_REPORTER) and assignment is not None and user.unit_id == assignment.unit_id),
    "upload_signed_copy": lambda user, document: user.has_role(RECORDS) and document is not None
    and document.status in (ISSUED, ARCHIVED),
    "watch_drafting": lambda user, document: user.has_role(APPROVER, RECORDS) and document is not None
    and document.status in EDITABLE,  # reads a draft someone else is writing
}


def can(user: User | None, action: str, obj: object = None) -> bool:
    """May this user take this action (on this record)? Unknown actions are a programming error."""
    rule = ACTIONS[action]
    return signed_in(user) and rule(user, obj)
