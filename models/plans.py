"""A plan's tasks, the assignments they fan out to, and every progress report units send back.

PlanTask       a job of section III, given to a unit or a group, with a deadline and indicators to report
Indicator      a figure units report for a task ("Số buổi tuyên truyền", buổi, integer)
PlanTracking   the marker that a plan is being followed up (tasks fanned out to assignments)
Assignment     one unit's share of one task: its current status, narrative and figures
AssignmentUpdate  one report, kept for ever: the history; nothing is overwritten
IndicatorValue the current figure of an assignment for one indicator (history lives in the updates)
Evidence       a file a unit attached to one report
UnitAlias      a name plans write for a unit, mapped once by a clerk and found again at the next import
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, ForeignKey, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.choices import NO_DEADLINE, NOT_STARTED, WHOLE_NUMBER
from models.core import Unit, User, utcnow
from models.documents import Document
from models.files import StoredFile

plan_task_coordinator = Table(
    "plan_task_coordinator",
    db.metadata,
    Column("task_id", ForeignKey("plan_task.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id"), primary_key=True),
)


class PlanTask(db.Model):
    """A job of the plan. `unit` does it (a group stands for its active members); `lead_unit` chairs it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)  # None: not matched yet
    unit_text: Mapped[str] = mapped_column(String(300), default="")  # the unit as the plan writes it
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # chủ trì
    deadline_kind: Mapped[str] = mapped_column(String(12), default=NO_DEADLINE)  # DEADLINE_KINDS
    due_on: Mapped[date | None]
    day_of_month: Mapped[int | None]  # monthly/quarterly: the day; None = the month's last day
    deadline_text: Mapped[str] = mapped_column(String(200), default="")  # as written ("trước ngày 15 hằng tháng")
    section_marker: Mapped[str] = mapped_column(String(10), default="")
    source_line: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship()
    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    lead_unit: Mapped[Unit | None] = relationship(foreign_keys=[lead_unit_id])
    coordinating_units: Mapped[list[Unit]] = relationship(secondary=plan_task_coordinator,
                                                          order_by="Unit.sort_order, Unit.name")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="task", order_by="Indicator.position, Indicator.id", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(back_populates="task", cascade="all, delete-orphan",
                                                         passive_deletes=True)

    def summary(self) -> dict[str, Any]:
        return {
            "text": self.text, "unit_id": self.unit_id, "unit_text": self.unit_text, "lead_unit_id": self.lead_unit_id,
            "coordinating": [u.id for u in self.coordinating_units], "deadline_kind": self.deadline_kind,
            "due_on": self.due_on.isoformat() if self.due_on else None, "day_of_month": self.day_of_month,
            "deadline_text": self.deadline_text, "position": self.position,
            "indicators": [i.summary() for i in self.indicators],
        }  # fmt: skip


class Indicator(db.Model):
    """A figure each unit reports for a task; the value type decides what the form accepts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_of_measure: Mapped[str] = mapped_column(String(50), default="")  # "buổi", "lượt người"
    value_type: Mapped[str] = mapped_column(String(10), default=WHOLE_NUMBER)  # VALUE_TYPES
    position: Mapped[int] = mapped_column(default=0)

    task: Mapped[PlanTask] = relationship(back_populates="indicators")

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "unit_of_measure": self.unit_of_measure, "value_type": self.value_type}


class PlanTracking(db.Model):
    """Present once the plan's tasks have been fanned out: the office follows the plan up from then on."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    starts_on: Mapped[date]  # recurring deadlines fall due after this day (the plan's date)

    document: Mapped[Document] = relationship()
    started_by: Mapped[User | None] = relationship()


class Assignment(db.Model):
    """One unit's share of one task: the current state; how it got there is in `updates`."""

    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=NOT_STARTED, index=True)
    done_on: Mapped[date | None]
    narrative: Mapped[str] = mapped_column(Text, default="")
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    last_reported_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    task: Mapped[PlanTask] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()
    values: Mapped[list[IndicatorValue]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    updates: Mapped[list[AssignmentUpdate]] = relationship(
        order_by="AssignmentUpdate.id.desc()", cascade="all, delete-orphan", passive_deletes=True,
        back_populates="assignment",
    )

    def summary(self) -> dict[str, Any]:
        return {"status": self.status, "done_on": self.done_on.isoformat() if self.done_on else None,
                "narrative": self.narrative, "failure_reason": self.failure_reason}


class AssignmentUpdate(db.Model):
    """One progress report exactly as it was sent: who, when, the status, the words, the figures, the files."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reported_on: Mapped[date]  # the office's day of the report (what recurring deadlines count)
    from_status: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    done_on: Mapped[date | None]
    narrative: Mapped[str] = mapped_column(Text, default="")
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    # {"<indicator id>": "12.5"}: every current figure after this report, as exact decimal strings
    values_json: Mapped[str] = mapped_column(Text, default="{}")

    assignment: Mapped[Assignment] = relationship(back_populates="updates")
    user: Mapped[User | None] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(order_by="Evidence.id", viewonly=True)

    @property
    def values(self) -> dict[int, Decimal]:
        return {int(k): Decimal(v) for k, v in json.loads(self.values_json or "{}").items()}

    @values.setter
    def values(self, value: dict[int, Decimal]) -> None:
        self.values_json = json.dumps({str(k): str(v) for k, v in sorted(value.items())})


class IndicatorValue(db.Model):
    """The current figure of one assignment for one indicator."""

    __table_args__ = (UniqueConstraint("assignment_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Evidence(db.Model):
    """A file that proves a report (the bytes are a StoredFile, content-addressed)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("assignment_update.id", ondelete="CASCADE"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    stored_file: Mapped[StoredFile] = relationship(lazy="joined")


class UnitAlias(db.Model):
    """How plans write a unit the directory does not spell that way ("Đồng chí Phó Chủ tịch Thường trực" -> Ban
    Thường trực): a clerk mapped it once while importing a plan, and every later import finds the unit by it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # domain.plans.units.unit_key of the name
    text: Mapped[str] = mapped_column(String(300))  # the name as first written
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship()

    def summary(self) -> dict[str, Any]:
        return {"key": self.key, "text": self.text, "unit_id": self.unit_id}
