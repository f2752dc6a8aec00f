"""A unit's progress report on its assignment: checked in full first, then kept for ever as a history row.

    report_progress(assignment, user, Report(...), today=..., max_file_bytes=...) -> AssignmentUpdate

The assignment shows the latest state (status, date done, narrative, figures); every report is an
AssignmentUpdate with the figures as they stood after it and its evidence files. Nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain import files, photos
from domain.errors import FormInvalid
from domain.file_kinds import EVIDENCE_KINDS, MSG_EVIDENCE_TYPE
from domain.plans.assignments import DONE, FAILED, STATUSES, ValueInvalid, parse_value, status_of
from domain.text.vietnamese import clean_text
from extensions import db, lock_row
from models.core import User, audit, utcnow
from models.plans import Assignment, AssignmentUpdate, Evidence, IndicatorValue

NARRATIVE_MAX = 5000
FILES_PER_REPORT = 10


@dataclass
class Report:
    """What a unit sends. None means "not in this form" (the current value stays)."""

    status: str
    done_on: date | None = None
    narrative: str | None = None
    failure_reason: str | None = None
    values: dict[int, str] = field(default_factory=dict)  # indicator id -> as typed
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, bytes)


class ReportInvalid(FormInvalid):
    """Field -> Vietnamese message; nothing was saved and no file was written."""


def _check_report(assignment: Assignment, report: Report, today: date, max_file_bytes: int) -> tuple[dict, dict]:
    errors: dict[str, str] = {}
    if report.status not in STATUSES:
        errors["status"] = "Vui lòng chọn trạng thái."
    narrative = assignment.narrative if report.narrative is None else clean_text(report.narrative).strip()
    if len(narrative) > NARRATIVE_MAX:
        errors["narrative"] = f"Kết quả thực hiện tối đa {NARRATIVE_MAX} ký tự."
    reason = assignment.failure_reason if report.failure_reason is None else clean_text(report.failure_reason).strip()
    if report.status == FAILED and not reason:
        errors["failure_reason"] = "Vui lòng ghi rõ lý do không thực hiện được."
    if len(reason) > NARRATIVE_MAX:
        errors["failure_reason"] = f"Lý do tối đa {NARRATIVE_MAX} ký tự."
    done_on = None
    if report.status == DONE:
        done_on = report.done_on or (assignment.done_on if assignment.status == DONE else None) or today
        if done_on > today:
            errors["done_on"] = "Ngày hoàn thành không được sau ngày hôm nay."
        elif done_on < date(2000, 1, 1):
            errors["done_on"] = "Ngày hoàn thành không hợp lệ."
    indicators = {i.id: i for i in assignment.task.indicators}
    current = {v.indicator_id: v.value for v in assignment.values}
    values: dict[int, Decimal] = {}
    for indicator_id, raw in report.values.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            continue
        try:
            value = parse_value(raw, indicator.value_type)
        except ValueInvalid as problem:
            errors[f"value-{indicator_id}"] = f"{indicator.name}: {problem}"
            continue
        if value is not None:
            values[indicator_id] = value
    if len(report.files) > FILES_PER_REPORT:
        errors["files"] = f"Mỗi lần gửi tối đa {FILES_PER_REPORT} tệp."
    displays: list[bytes | None] = []  # each photo's display copy, made while checking that it is a readable image
    for name, data in report.files:
        try:
            kind = files.check_upload(data, allowed_kinds=EVIDENCE_KINDS, max_bytes=max_file_bytes,
                                      wrong_kind=MSG_EVIDENCE_TYPE)
            displays.append(photos.display_copy(data) if photos.is_photo(kind) else None)
        except files.FileRejected as refused:
            errors["files"] = f"“{files.sanitize_name(name)}”: {refused.message}"
            break
    changed_values = {k: v for k, v in values.items() if current.get(k) != v}
    if not errors and not (report.files or changed_values or report.status != assignment.status
                           or narrative != assignment.narrative or done_on != assignment.done_on
                           or (report.status == FAILED and reason != assignment.failure_reason)):
        errors["status"] = "Chưa có gì mới để cập nhật: hãy đổi trạng thái, ghi kết quả, số liệu hoặc đính kèm tệp."
    fields = {"narrative": narrative, "failure_reason": reason if report.status == FAILED else "", "done_on": done_on}
    return errors, {"fields": fields, "values": changed_values, "current": current, "displays": displays}


def report_progress(assignment: Assignment, user: User, report: Report, *, today: date,
                    max_file_bytes: int) -> AssignmentUpdate:
    """Record one report: the assignment's current state changes, the report itself is kept for ever.

    Everything is checked before any file is written, so a refused report leaves nothing behind. Reports on one
    assignment are taken one at a time (its row is locked), each against the figures the one before left.
    """
    lock_row(assignment)
    errors, checked = _check_report(assignment, report, today, max_file_bytes)
    if errors:
        raise ReportInvalid(errors)
    fields, changed = checked["fields"], checked["values"]
    before = assignment.summary()
    stored = [photos.store_photo(data, name, display, allowed_kinds=EVIDENCE_KINDS, max_bytes=max_file_bytes,
                                 user=user)
              for (name, data), display in zip(report.files, checked["displays"], strict=True)]
    now = utcnow()
    by_indicator = {v.indicator_id: v for v in assignment.values}
    for indicator_id, value in changed.items():
        if indicator_id in by_indicator:
            by_indicator[indicator_id].value = value
            by_indicator[indicator_id].updated_at = now
        else:
            assignment.values.append(IndicatorValue(indicator_id=indicator_id, value=value, updated_at=now))
    snapshot = {**checked["current"], **changed}
    update = AssignmentUpdate(assignment_id=assignment.id, user_id=user.id, at=now, reported_on=today,
                              from_status=assignment.status, status=report.status, done_on=fields["done_on"],
                              narrative=fields["narrative"], failure_reason=fields["failure_reason"])
    update.values = snapshot
    db.session.add(update)
    db.session.flush()
    for stored_file in stored:
        db.session.add(Evidence(assignment_id=assignment.id, update_id=update.id, stored_file_id=stored_file.id))
    assignment.status, assignment.done_on = report.status, fields["done_on"]
    assignment.narrative, assignment.failure_reason = fields["narrative"], fields["failure_reason"]
    assignment.last_reported_on, assignment.updated_at = today, now
    db.session.flush()
    db.session.expire(assignment, ["updates"])
    audit("assignment.report", assignment, user=user,
          summary=f"{assignment.unit.name} báo cáo «{status_of(report.status).label}»: {assignment.task.text}"[:500],
          before=before, after={**assignment.summary(), "values": {str(k): str(v) for k, v in snapshot.items()},
                                "files": [f.summary() for f in stored]})
    return update
