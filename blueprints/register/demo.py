"""Demonstration data for the register: the approved Chỉ thị 07 plan is issued with the next number.

Runs after the workflow step (which approves the plan) and before plan tracking. Idempotent: only an approved
plan is issued, so a second run finds it issued and does nothing. No signed copy is invented.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from blueprints.register.issuing import attach_final_docx
from domain.documents import workflow as wf
from domain.register import numbering as reg
from extensions import db
from models import Document, User
from models.choices import RECORDS

PLAN_TITLE = "Tuyên truyền thực hiện Chỉ thị số 07"
RECORDS_USERNAME = "vanthu"


def seed_register_demo(_units: dict) -> None:
    records = db.session.scalar(select(User).where(User.username == RECORDS_USERNAME))
    plan = db.session.scalar(select(Document).where(Document.kind == "KH", Document.title.like(f"{PLAN_TITLE}%"))
                             .order_by(Document.id))
    if records is None or not records.has_role(RECORDS) or plan is None or plan.status != wf.APPROVED:
        return
    entry = reg.issue(plan, records, datetime.now(UTC),
                      notes="Gửi qua hệ thống điều hành; bản giấy gửi các huyện, thành phố.")
    attach_final_docx(plan, entry, records)
    db.session.flush()
