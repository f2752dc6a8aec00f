"""Background jobs as the database knows them: what is asked, where it stands, and which worker runs it.

The queue (huey) only carries a job's id; the row here is the truth. A page shows its state, the worker claims it
(queued -> running) with one conditional UPDATE, and a job whose worker died is found here and queued again.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.choices import JOB_FINISHED, JOB_KINDS, JOB_STATES, QUEUED, choice_of
from models.core import utcnow


class Job(db.Model):
    """One piece of slow work: a PDF to render, a signature to check, a scan to read, a letter to send."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # JOB_KINDS
    # What the job is about, "document:12" or "stored_file:7": for pages that look for the job of their object.
    subject: Mapped[str] = mapped_column(String(80), default="")
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    # Two requests for the same work (the same .docx) share one job while it is not finished.
    dedupe_key: Mapped[str] = mapped_column(String(128), default="")
    # A job asked for at most once ever under this key ("daily_notices:2026-04-28", a day's morning run): the
    # database refuses a second row, so two workers starting at the same moment on two machines ask for one.
    once_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=QUEUED)  # JOB_STATES
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    progress: Mapped[str] = mapped_column(String(300), default="")  # Vietnamese, for the page
    error: Mapped[str] = mapped_column(Text, default="")  # the last attempt's error, Vietnamese where we wrote it
    result_json: Mapped[str] = mapped_column(Text, default="")
    worker: Mapped[str] = mapped_column(String(120), default="")  # JobWorker.name while running
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    run_after: Mapped[datetime | None]  # a retry waits until then
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_job_state_kind", "state", "kind"),
        Index("ix_job_subject", "subject"),
        Index("ix_job_dedupe_key", "dedupe_key"),
    )

    @property
    def params(self) -> dict[str, Any]:
        return json.loads(self.params_json or "{}")

    @property
    def result(self) -> Any:
        return json.loads(self.result_json) if self.result_json else None

    @property
    def finished(self) -> bool:
        return self.state in JOB_FINISHED

    @property
    def state_choice(self):
        return choice_of(JOB_STATES, self.state)

    @property
    def kind_label(self) -> str:
        return choice_of(JOB_KINDS, self.kind).label


class JobWorker(db.Model):
    """A running worker process and its heartbeat: a job is only "running" while its worker still beats."""

    name: Mapped[str] = mapped_column(String(120), primary_key=True)  # host:pid:token
    host: Mapped[str] = mapped_column(String(100))
    pid: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
