"""Following a plan up, without a browser: fan-out, reports and their history, lateness, evidence, reminders."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from plans_fixtures import (
    PDF,
    PLAN_DATE,
    PNG,
    add_districts,
    assignment_of,
    docx_bytes,
    make_plan,
    make_task,
    tracked_plan,
    user,
    zip_bomb,
)
from sqlalchemy import func, select

from domain.plans.assignments import ValueInvalid, format_value, parse_value
from domain.plans.lateness import is_overdue, remind_late_units
from domain.plans.progress import Report, ReportInvalid, report_progress
from domain.plans.tasks import PlanError, propose_from_document
from domain.plans.tracking import (
    add_unit_to_running_plans,
    after_issue,
    get_assignment,
    new_members_by_unit,
    start_tracking,
    visible_assignments,
)
from models import AuditEvent, Notification, StoredFile, Unit
from models.plans import Assignment, AssignmentUpdate, Evidence, IndicatorValue, PlanTracking

TODAY = date(2026, 4, 10)
MB = 1024 * 1024


def report(assignment, who="reporter", **kw):
    kw.setdefault("status", "in_progress")
    return report_progress(assignment, user(who), Report(**kw), today=TODAY, max_file_bytes=MB)


# ------------------------------------------------------------------------------------------------ fan-out


def test_a_group_task_becomes_one_assignment_per_active_member_and_again_changes_nothing(db, people):
    extra = add_districts(people["group"], 6)
    retired = add_districts(people["group"], 1, prefix="Huyện giải thể")[0]
    retired.active = False
    document, districts, monthly = tracked_plan(people)
    units = [people["district"], people["other_district"], *(u.id for u in extra)]
    for task in (districts, monthly):
        got = db.session.scalars(select(Assignment.unit_id).where(Assignment.task_id == task.id)).all()
        assert sorted(got) == sorted(units) and len(got) == 8
    again = start_tracking(document, user("clerk"))
    assert again.created == []
    assert db.session.scalar(select(func.count(Assignment.id))) == 16
    assert db.session.scalar(select(func.count(PlanTracking.id))) == 1


def test_a_single_unit_task_is_its_own_assignment_and_an_empty_group_is_reported(db, people):
    empty = Unit(name="Nhóm trống", recipient_name="Nhóm trống", slug="nhom-trong", kind="subordinate", is_group=True)
    db.session.add(empty)
    db.session.flush()
    document = make_plan(status="issued", issued_on=PLAN_DATE)
    make_task(document, "Tổ chức học tập quán triệt Chỉ thị", people["office"])
    make_task(document, "Tuyên truyền ở cơ sở", empty.id)
    result = start_tracking(document, user("clerk"))
    assert [a.unit_id for a in result.created] == [people["office"]]
    assert result.empty_groups == [empty.id]


def test_tracking_needs_a_plan_with_tasks_given_to_units(db, people):
    document = make_plan()
    with pytest.raises(PlanError, match="chưa có nhiệm vụ"):
        start_tracking(document, user("clerk"))
    letter = make_plan()
    letter.kind = "CV"
    with pytest.raises(PlanError, match="Chỉ kế hoạch"):
        start_tracking(letter, user("clerk"))


def test_a_unit_joining_the_group_later_is_offered_and_added_to_running_plans(db, people):
    document, districts, monthly = tracked_plan(people)
    newcomer = add_districts(people["group"], 1, prefix="Thành phố mới")[0]
    assert new_members_by_unit() == {newcomer.id: [document.id]}
    created = add_unit_to_running_plans(newcomer, user("clerk"))
    assert sorted(a.task_id for a in created) == sorted([districts.id, monthly.id])
    assert new_members_by_unit() == {}
    assert add_unit_to_running_plans(newcomer, user("clerk")) == []


def test_issuing_a_plan_takes_its_tasks_from_section_three_and_fans_them_out(db, people):
    document = make_plan(status="issued", issued_on=PLAN_DATE)
    office = db.session.get(Unit, people["office"])
    office.name = "Ban Thường trực Ủy ban MTTQVN tỉnh"
    group = db.session.get(Unit, people["group"])
    group.name = "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố"
    after_issue(document)
    pairs = db.session.execute(select(Assignment.task_id, Assignment.unit_id)).all()
    assert len(pairs) == 3 * 1 + 2 * 2  # three office tasks; two district tasks for two districts
    assert db.session.scalar(select(PlanTracking).where(PlanTracking.document_id == document.id)).starts_on == PLAN_DATE


def test_the_clerk_takes_the_five_tasks_of_the_seed_once(db, people):
    document = make_plan()
    tasks = propose_from_document(document, user("clerk"), TODAY)
    assert len(tasks) == 5
    with pytest.raises(PlanError, match="đã có nhiệm vụ"):
        propose_from_document(document, user("clerk"), TODAY)


# ------------------------------------------------------------------------------------------------ reports


def test_every_report_is_kept_and_the_assignment_shows_the_latest(db, people):
    document, districts, _monthly = tracked_plan(people)
    assignment = assignment_of(districts, people["district"])
    sessions, attendees, money = districts.indicators
    report(assignment, narrative="Đã xây dựng kế hoạch", values={sessions.id: "3"})
    report(assignment, status="done", done_on=date(2026, 4, 9), narrative="Tổ chức 5 buổi",
           values={sessions.id: "5", attendees.id: "1.200", money.id: "12,5"})
    updates = db.session.scalars(select(AssignmentUpdate).order_by(AssignmentUpdate.id)).all()
    assert [(u.from_status, u.status, u.narrative) for u in updates] == [
        ("not_started", "in_progress", "Đã xây dựng kế hoạch"),
        ("in_progress", "done", "Tổ chức 5 buổi"),
    ]
    assert updates[0].values == {sessions.id: Decimal("3")}
    assert updates[1].values == {sessions.id: Decimal("5"), attendees.id: Decimal("1200"), money.id: Decimal("12.5")}
    assert (assignment.status, assignment.done_on, assignment.last_reported_on) == ("done", date(2026, 4, 9), TODAY)
    current = {v.indicator_id: v.value for v in db.session.scalars(select(IndicatorValue))}
    assert current == {sessions.id: 5, attendees.id: 1200, money.id: Decimal("12.5")}
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "assignment.report")) == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"status": "failed"}, "failure_reason", "lý do"),
        ({"status": "done", "done_on": date(2026, 4, 11)}, "done_on", "sau ngày hôm nay"),
        ({"status": "bogus"}, "status", "chọn trạng thái"),
        ({"status": "not_started"}, "status", "Chưa có gì mới"),
        ({"values": {"sessions": "-1"}}, "value-sessions", "không được âm"),
        ({"values": {"sessions": "2,5"}}, "value-sessions", "số nguyên"),
        ({"values": {"sessions": "mười"}}, "value-sessions", "phải là một số"),
        ({"values": {"money": "1,234"}}, "value-money", "Tối đa 2 chữ số"),
        ({"values": {"sessions": "2000000000"}}, "value-sessions", "quá lớn"),
        ({"narrative": "x" * 5001}, "narrative", "tối đa"),
    ],
)
def test_a_bad_report_says_why_and_changes_nothing(db, people, fields, field, message):
    _document, districts, _monthly = tracked_plan(people)
    assignment = assignment_of(districts, people["district"])
    ids = {"sessions": districts.indicators[0].id, "money": districts.indicators[2].id}
    fields = dict(fields)
    if "values" in fields:
        fields["values"] = {ids[k]: v for k, v in fields["values"].items()}
        field = field.replace("sessions", str(ids["sessions"])).replace("money", str(ids["money"]))
    with pytest.raises(ReportInvalid) as refused:
        report(assignment, **fields)
    assert message in refused.value.errors[field]
    assert db.session.scalar(select(func.count(AssignmentUpdate.id))) == 0
    assert assignment.status == "not_started"


def test_failed_needs_a_reason_and_keeps_it(db, people):
    _document, districts, _monthly = tracked_plan(people)
    assignment = assignment_of(districts, people["district"])
    report(assignment, status="failed", failure_reason="Địa phương bị lũ, hoãn hội nghị")
    assert (assignment.status, assignment.failure_reason) == ("failed", "Địa phương bị lũ, hoãn hội nghị")


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [("12", "integer", Decimal(12)), ("1.200", "integer", Decimal(1200)), ("1 200", "integer", Decimal(1200)),
     ("12,5", "decimal", Decimal("12.5")), ("12.5", "decimal", Decimal("12.5")), ("1.234,75", "decimal", Decimal("1234.75")),
     ("0", "integer", Decimal(0)), ("", "integer", None)],
)
def test_figures_are_read_the_vietnamese_way(typed, kind, value):
    assert parse_value(typed, kind) == value


def test_figures_are_shown_the_vietnamese_way():
    assert (format_value(Decimal(1200), "integer"), format_value(Decimal("12.50")), format_value(Decimal("3.0"))) == (
        "1.200", "12,5", "3")
    with pytest.raises(ValueInvalid):
        parse_value("12,5", "integer")


# ------------------------------------------------------------------------------------------------ evidence


def test_evidence_is_stored_with_its_sha256_and_kept_with_the_report(app, db, people):
    _document, districts, _monthly = tracked_plan(people)
    assignment = assignment_of(districts, people["district"])
    word = docx_bytes()
    update = report(assignment, narrative="Có ảnh và biên bản", files=[("ảnh hội nghị.png", PNG), ("biên bản.docx", word)])
    evidence = db.session.scalars(select(Evidence).where(Evidence.update_id == update.id)).all()
    stored = [e.stored_file for e in evidence]
    assert [(s.kind, s.original_name, s.size) for s in stored] == [
        ("png", "ảnh hội nghị.png", len(PNG)), ("docx", "biên bản.docx", len(word))]
    assert stored[0].sha256 == hashlib.sha256(PNG).hexdigest()
    assert (Path(app.config["FILES_DIR"]) / stored[1].storage_path).read_bytes() == word


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00 not a pdf at all", "không đúng định dạng"),  # the name says PDF, the bytes do not
        ("anh.png", PDF, None),  # a real PDF named .png is a PDF: accepted by content
        ("lon.pdf", PDF + bytes(2 * MB), "quá lớn"),
        ("bom.docx", zip_bomb(), "bất thường"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_evidence_is_checked_by_content_and_size_and_a_refusal_leaves_nothing(app, db, people, name, data, message):
    _document, districts, _monthly = tracked_plan(people)
    assignment = assignment_of(districts, people["district"])
    files_dir = Path(app.config["FILES_DIR"])
    if message is None:
        report(assignment, files=[(name, data)])
        assert db.session.scalar(select(StoredFile.kind)) == "pdf"
        return
    with pytest.raises(ReportInvalid) as refused:
        report(assignment, narrative="Kèm tệp", files=[("dung.png", PNG), (name, data)])
    assert message in refused.value.errors["files"]
    assert db.session.scalar(select(func.count(StoredFile.id))) == 0
    assert db.session.scalar(select(func.count(AssignmentUpdate.id))) == 0
    assert [p for p in files_dir.rglob("*") if p.is_file()] == []


# ------------------------------------------------------------------------------------------------ lateness


def test_a_dated_task_is_late_from_the_day_after_until_done(db, people):
    _document, districts, _monthly = tracked_plan(people)
    assignment = assignment_of(districts, people["district"])
    assert not is_overdue(assignment, districts, PLAN_DATE, date(2026, 4, 30))
    assert is_overdue(assignment, districts, PLAN_DATE, date(2026, 5, 1))
    report(assignment, status="done", done_on=date(2026, 4, 5))
    assert not is_overdue(assignment, districts, PLAN_DATE, date(2026, 5, 1))


def test_a_failed_assignment_is_closed_not_late(db, people):
    _document, districts, _monthly = tracked_plan(people)
    assignment = assignment_of(districts, people["district"])
    report(assignment, status="failed", failure_reason="Không có kinh phí")
    assert not is_overdue(assignment, districts, PLAN_DATE, date(2026, 6, 1))


def test_a_monthly_task_is_late_when_the_last_period_has_no_report(db, people):
    _document, _districts, monthly = tracked_plan(people)  # plan of 2/3/2026, due the 15th of each month
    assignment = assignment_of(monthly, people["district"])
    assert not is_overdue(assignment, monthly, PLAN_DATE, date(2026, 3, 15))  # due today
    assert is_overdue(assignment, monthly, PLAN_DATE, date(2026, 3, 16))
    report(assignment, narrative="Báo cáo tháng 3")  # reported on TODAY = 10/4
    assert not is_overdue(assignment, monthly, PLAN_DATE, date(2026, 4, 16))  # April's report is in
    assert is_overdue(assignment, monthly, PLAN_DATE, date(2026, 5, 16))  # May's is not


def test_a_quarterly_task_is_late_after_a_quarter_without_report(db, people):
    document = make_plan(status="issued", issued_on=date(2026, 1, 10))
    task = make_task(document, "Sơ kết hằng quý", people["district"], deadline_kind="quarterly")
    start_tracking(document, user("clerk"))
    assignment = assignment_of(task, people["district"])
    assert not is_overdue(assignment, task, date(2026, 1, 10), date(2026, 3, 31))
    assert is_overdue(assignment, task, date(2026, 1, 10), date(2026, 4, 1))


# ----------------------------------------------------------------------------------------------- visibility


def test_a_reporter_sees_only_their_units_assignments_and_staff_see_all(db, people):
    _document, districts, monthly = tracked_plan(people)
    mine = db.session.scalars(visible_assignments(user("reporter"))).all()
    assert {a.unit_id for a in mine} == {people["district"]} and len(mine) == 2
    other = assignment_of(districts, people["other_district"])
    assert get_assignment(user("reporter"), other.id) is None
    assert get_assignment(user("other_reporter"), other.id) is other
    for staff in ("clerk", "approver", "records", "admin"):
        assert len(db.session.scalars(visible_assignments(user(staff))).all()) == 4


# ------------------------------------------------------------------------------------------------ reminders


def test_reminders_go_to_every_user_of_each_late_unit_only(db, people):
    document, districts, _monthly = tracked_plan(people)
    report(assignment_of(districts, people["district"]), status="done", done_on=date(2026, 4, 5))
    late_day = date(2026, 5, 2)  # districts task past due; monthly task: April not reported by anyone
    result = remind_late_units(document, user("clerk"), late_day, "/my-tasks")
    notes = db.session.scalars(select(Notification).where(Notification.message.like("Nhắc việc%"))).all()
    recipients = {n.user_id for n in notes}
    assert recipients == {user("reporter").id, user("other_reporter").id}
    other = [n for n in notes if n.user_id == user("other_reporter").id][0]
    assert "2 nhiệm vụ quá hạn" in other.message and other.link == "/my-tasks"
    assert result.notifications == 2


def test_the_list_shortcut_agrees_with_the_single_assignment_answers():
    """Lateness (used by the matrix and the dashboard) gives what is_overdue and next_due give, case by case."""
    from itertools import product
    from types import SimpleNamespace

    from domain.plans.lateness import Lateness, next_due
    from models.plans import PlanTask

    tasks = [
        PlanTask(id=1, deadline_kind="date", due_on=date(2026, 4, 30)),
        PlanTask(id=2, deadline_kind="monthly", day_of_month=15),
        PlanTask(id=3, deadline_kind="monthly", day_of_month=None),
        PlanTask(id=4, deadline_kind="quarterly", day_of_month=None),
        PlanTask(id=5, deadline_kind="none"),
        PlanTask(id=6, deadline_kind="date", due_on=None),
    ]
    days = [date(2026, 3, 2), date(2026, 3, 16), date(2026, 4, 1), date(2026, 4, 30), date(2026, 5, 1), date(2026, 7, 2)]
    reports = [None, date(2026, 3, 20), date(2026, 4, 2), date(2026, 6, 29)]
    for today, status, reported in product(days, ("not_started", "in_progress", "done", "failed"), reports):
        lateness = Lateness([(t, PLAN_DATE) for t in tasks], today)
        for task in tasks:
            a = SimpleNamespace(status=status, done_on=today if status == "done" else None, last_reported_on=reported)
            assert lateness.of(a, task.id) == (is_overdue(a, task, PLAN_DATE, today), next_due(a, task, PLAN_DATE, today)), \
                (today, status, reported, task.deadline_kind)


def test_the_demo_plan_is_followed_up_with_true_reports_and_seeding_again_changes_nothing(app):
    from demo import seed_demo
    from domain.office import office_today
    from domain.plans.followup import plan_summaries
    from extensions import db
    from models import Document

    with app.app_context():
        seed_demo("demo-12345")
        db.session.commit()
        before = (db.session.scalar(select(func.count(Assignment.id))),
                  db.session.scalar(select(func.count(AssignmentUpdate.id))),
                  db.session.scalar(select(func.count(Notification.id))))
        seed_demo("demo-12345")
        db.session.commit()
        after = (db.session.scalar(select(func.count(Assignment.id))),
                 db.session.scalar(select(func.count(AssignmentUpdate.id))),
                 db.session.scalar(select(func.count(Notification.id))))
        assert before == after
        plan = db.session.scalar(select(Document).where(Document.kind == "KH"))
        summary = plan_summaries([plan.id], office_today())[plan.id]
        assert (summary.tasks, summary.assignments) == (5, 3 + 8 + 8)  # the office's three, two for 8 districts
        assert summary.done >= 3 and summary.overdue >= 1 and summary.by_status.get("in_progress", 0) >= 3
        assert db.session.scalar(select(func.count(IndicatorValue.id))) >= 15
