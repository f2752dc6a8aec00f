"""Demonstration data: the Ninh Bình office with its units and people, then the Chỉ thị 07 plan carried through
the application's own verbs (drafted, reviewed, approved, issued, tracked, reported on). Idempotent.

Each step is a function taking the units by slug, in the order they build on each other.
"""

from __future__ import annotations

from demo.documents import seed_documents
from demo.organization import seed_organization
from demo.plans import seed_plan_tracking
from demo.register import seed_register_demo
from demo.reports import seed_reports
from demo.workflow import seed_workflow_demo

STEPS = [
    seed_documents,  # the Chỉ thị 07 plan as a draft
    seed_workflow_demo,  # plan approved; a letter waits for review
    seed_register_demo,  # the approved plan issued with the next number
    seed_plan_tracking,  # its tasks fanned out; districts report progress
    seed_reports,  # a report round, six of eight districts, the Báo cáo
]

# When not empty, the steps seed_demo runs instead of STEPS (a benchmark seeds only the first one).
DEMO_EXTENSIONS: list = []


def seed_demo(password: str | None = None) -> dict[str, str]:
    """Create or refresh the demonstration organization and its work; returns {username: password}."""
    units, credentials = seed_organization(password)
    for step in DEMO_EXTENSIONS or STEPS:
        step(units)
    return credentials
