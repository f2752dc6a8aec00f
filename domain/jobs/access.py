"""Who may follow a job on a page: whoever asked for it, an administrator, and whoever may see what it is about
(a job about "document:12" is shown to everyone who may see document 12: two people asking for the same PDF
share one job)."""

from __future__ import annotations

from collections.abc import Callable

from domain.access import document_for
from extensions import db
from models.choices import ADMIN
from models.core import User
from models.jobs import Job

DOCUMENT_SUBJECT = "document"

# A subject's prefix -> the gate that returns the object if the user may see it. Features add their own.
SUBJECT_GATES: dict[str, Callable[[User, int], object | None]] = {DOCUMENT_SUBJECT: document_for}


def subject_of(kind: str, object_id: int) -> str:
    """The subject text of a job about an object: subject_of(DOCUMENT_SUBJECT, 12) == "document:12"."""
    return f"{kind}:{object_id}"


def job_for(user: User, job_id: int) -> Job | None:
    """The job if this user may follow it, else None (the caller answers 404)."""
    job = db.session.get(Job, job_id)
    if job is None:
        return None
    if job.created_by_id == user.id or user.has_role(ADMIN):
        return job
    prefix, _, object_id = job.subject.partition(":")
    gate = SUBJECT_GATES.get(prefix)
    return job if gate is not None and object_id.isascii() and object_id.isdigit() and gate(user, int(object_id)) is not None else None
