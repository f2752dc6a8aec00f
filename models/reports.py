"""Report rounds: the province asks units for their results on a plan, units answer, the clerk aggregates.

ReportRound      one request (đợt báo cáo) on a plan: what is asked, the period, cut-off and due dates
RoundUnit        a unit asked in a round (removing it keeps its submission: removed_at is set, nothing deleted)
Submission       one unit's answer in one round: draft, then submitted (frozen), accepted or returned
SubmissionEvent  every submit, resubmit, accept, return, removal: who, when, why, and the content as it was sent
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.choices import ACCEPTED, CLOSED, DRAFT, OPEN, RETURNED, SUBMITTED  # noqa: E402,F401
from models.core import Unit, User, utcnow
from models.documents import Document
from models.files import StoredFile


def _loads(text: str | None, default):
    return json.loads(text) if text else default


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


class ReportRound(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)  # the plan
    title: Mapped[str] = mapped_column(String(500))  # what is reported: the trích yếu of the aggregated Báo cáo
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    cutoff_on: Mapped[date]  # ngày chốt số liệu
    due_on: Mapped[date]  # late = submitted after the end of this day in the office's time zone
    status: Mapped[str] = mapped_column(String(10), default=OPEN, index=True)
    task_ids_json: Mapped[str] = mapped_column(Text, default="[]")  # the plan's tasks asked, in order
    questions_json: Mapped[str] = mapped_column(Text, default="[]")  # free questions, in order
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    request_letter_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    report_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    # What the last (re)draft wrote, part by part, and the annex table it built (see domain.reports.redrafting).
    generated_sections_json: Mapped[str] = mapped_column(Text, default="{}")
    generated_at: Mapped[datetime | None]

    plan: Mapped[Document] = relationship(foreign_keys=[document_id])
    created_by: Mapped[User | None] = relationship()
    request_letter: Mapped[Document | None] = relationship(foreign_keys=[request_letter_document_id])
    report_document: Mapped[Document | None] = relationship(foreign_keys=[report_document_id])
    units: Mapped[list[RoundUnit]] = relationship(back_populates="round", cascade="all, delete-orphan",
                                                  order_by="RoundUnit.id")

    @property
    def task_ids(self) -> list[int]:
        return [int(x) for x in _loads(self.task_ids_json, [])]

    @task_ids.setter
    def task_ids(self, value: list[int]) -> None:
        self.task_ids_json = _dumps([int(x) for x in value])

    @property
    def questions(self) -> list[str]:
        return list(_loads(self.questions_json, []))

    @questions.setter
    def questions(self, value: list[str]) -> None:
        self.questions_json = _dumps(list(value))

    @property
    def generated_sections(self) -> dict[str, Any]:
        return _loads(self.generated_sections_json, {})

    @generated_sections.setter
    def generated_sections(self, value: dict[str, Any]) -> None:
        self.generated_sections_json = _dumps(value)

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def summary(self) -> dict[str, Any]:
        return {
            "title": self.title, "document_id": self.document_id, "status": self.status,
            "period_start": self.period_start, "period_end": self.period_end, "cutoff_on": self.cutoff_on,
            "due_on": self.due_on, "task_ids": self.task_ids, "questions": self.questions,
        }  # fmt: skip


class RoundUnit(db.Model):
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("report_round.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]  # no longer asked; a submission it sent is kept
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    last_reminded_at: Mapped[datetime | None]

    round: Mapped[ReportRound] = relationship(back_populates="units")
    unit: Mapped[Unit] = relationship(lazy="joined")

    @property
    def active(self) -> bool:
        return self.removed_at is None


class Submission(db.Model):
    """A unit's answer. Content is JSON keyed by ids: {"<task id>": text}, {"<indicator id>": "12.5"}, [answers]."""

    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("report_round.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True)
    first_submitted_at: Mapped[datetime | None]  # lateness is judged on this (a return is the province's doing)
    submitted_at: Mapped[datetime | None]  # the last (re)submission
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    returned_at: Mapped[datetime | None]
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    return_comment: Mapped[str] = mapped_column(Text, default="")
    narratives_json: Mapped[str] = mapped_column(Text, default="{}")
    answers_json: Mapped[str] = mapped_column(Text, default="[]")
    figures_json: Mapped[str] = mapped_column(Text, default="{}")
    stored_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    version: Mapped[int] = mapped_column(default=0)  # number of (re)submissions
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Optimistic lock: two tabs, or a clerk returning while the unit resubmits, never overwrite each other.
    lock_version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship(lazy="joined")
    stored_file: Mapped[StoredFile | None] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def narratives(self) -> dict[int, str]:
        return {int(k): v for k, v in _loads(self.narratives_json, {}).items()}

    @narratives.setter
    def narratives(self, value: dict[int, str]) -> None:
        self.narratives_json = _dumps({str(k): v for k, v in sorted(value.items())})

    @property
    def answers(self) -> list[str]:
        return list(_loads(self.answers_json, []))

    @answers.setter
    def answers(self, value: list[str]) -> None:
        self.answers_json = _dumps(list(value))

    @property
    def figures(self) -> dict[int, Decimal]:
        return {int(k): Decimal(v) for k, v in _loads(self.figures_json, {}).items()}

    @figures.setter
    def figures(self, value: dict[int, Decimal]) -> None:
        self.figures_json = _dumps({str(k): str(v) for k, v in sorted(value.items())})

    def content(self) -> dict[str, Any]:
        """Everything the unit wrote, as stored: what an event keeps."""
        return {"narratives": _loads(self.narratives_json, {}), "answers": self.answers,
                "figures": _loads(self.figures_json, {}), "stored_file_id": self.stored_file_id}

    def summary(self) -> dict[str, Any]:
        return {"status": self.status, "version": self.version, **self.content()}


class SubmissionEvent(db.Model):
    """One step of a submission's life, kept for ever; a submit/resubmit keeps the content it sent."""

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # submit, resubmit, accept, return, remove, restore
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=0)
    content_json: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()

    @property
    def content(self) -> dict[str, Any] | None:
        return _loads(self.content_json, None)


def submission_events(submission_id: int) -> list[SubmissionEvent]:
    return list(db.session.scalars(
        select(SubmissionEvent).where(SubmissionEvent.submission_id == submission_id)
        .order_by(SubmissionEvent.at, SubmissionEvent.id)
    ))
