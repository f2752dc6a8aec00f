"""Helpers of the Kiểm tra thể thức page's tests: jobs kept waiting, an upload, and what the page may leave behind."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain.jobs import queue
from extensions import db
from models import StoredFile
from models.jobs import Job


@pytest.fixture
def queued(app, people):
    """Jobs wait in memory: the pages are never drawn unless a test runs the job."""
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    return app


def upload(client, data: bytes, name: str = "van-ban.docx", **kwargs):
    return client.post("/format-check/", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data",
                       **kwargs)  # fmt: skip


def counts(app) -> tuple[int, int, int]:
    """Stored files, jobs, and files held in the cache folder."""
    with app.app_context():
        stored = db.session.scalar(select(func.count(StoredFile.id)))
        jobs = db.session.scalar(select(func.count(Job.id)))
    held = list((Path(app.config["CACHE_DIR"]) / "format_check" / "held").glob("*/*.docx"))
    return stored, jobs, len(held)
