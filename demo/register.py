"""Demonstration data for the register: the approved Chỉ thị 07 plan is issued with the next number.

Runs after the workflow step (which approves the plan) and before plan tracking. Idempotent: only an approved
plan is issued, so a second run finds it issued and does nothing. No signed copy is invented.
"""

from __future__ import annotations

from datetime import UTC, datetime

from demo.documents import the_plan
from demo.organization import RECORDS_USERNAME, person
from docgen.records import store_issued_docx
from domain.documents import workflow as wf
from domain.register import numbering as reg
from extensions import db
from models.choices import RECORDS


def seed_register_demo(_units: dict) -> None:
    records, plan = person(RECORDS_USERNAME), the_plan()
    if records is None or not records.has_role(RECORDS) or plan is None or plan.status != wf.APPROVED:
        return
    entry = reg.issue(plan, records, datetime.now(UTC),
                      notes="Gửi qua hệ thống điều hành; bản giấy gửi các huyện, thành phố.")
    store_issued_docx(plan, entry, records)
    db.session.flush()
