"""Helpers of the importer's rule tests (tests/test_import_*.py): a plan's body -> its tasks, briefly."""

from __future__ import annotations

from domain.plans.extraction import extract_tasks
from domain.plans.importer import parse_plan
from domain.text.outline import parse

HEAD = "Số: 05/KH-MTTQ-BTT\nNinh Bình, ngày 05 tháng 01 năm 2026\nKẾ HOẠCH\nTổ chức các hoạt động năm 2026\n"
TAIL = "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. BAN THƯỜNG TRỰC\nCHỦ TỊCH\nNguyễn Văn An"


def tasks(body: str) -> list[tuple[str, str]]:
    """(assignee, text) of each task of a body in the outline convention."""
    return [(t.unit, t.text) for t in extract_tasks(parse(body))]


def units(body: str) -> list[str]:
    return [t.unit for t in extract_tasks(parse(body))]


def plan(body: str):
    """The whole import of a plan with this body (a header, a signature around it)."""
    return parse_plan(HEAD + body + TAIL)
