"""A name a plan writes for a unit: matched to the directory, or mapped once by the clerk and remembered (an alias)
for every later import; the administrator sees the remembered names and forgets a wrong one."""

from __future__ import annotations

from datetime import date

import pytest
from import_review_fixtures import OFFICE_STAFF, PLAN_WITH_A_POSITION
from plans_fixtures import make_plan
from sqlalchemy import func, select

from domain.plans.aliases import alias_map, delete_alias, remember_alias
from domain.plans.import_review import (
    NEW_EXTERNAL,
    ReviewedPlan,
    ReviewedTask,
    merge_with_previous,
    split_task,
)
from domain.plans.proposals import confirmed_from_proposal, create_imported_plan, propose_import
from domain.plans.tasks import propose_from_document
from domain.plans.units import UnitRef, find_unit, match_unit
from extensions import db as _db
from models import AuditEvent, Unit, User
from models.plans import PlanTask, UnitAlias

DIRECTORY = [
    UnitRef(1, "Ban Thường trực Ủy ban MTTQVN tỉnh", "Ban Thường trực Ủy ban MTTQVN tỉnh", "ban-thuong-truc-tinh"),
    UnitRef(2, "Ban Tuyên giáo", "Ban Tuyên giáo MTTQ tỉnh", "ban-tuyen-giao"),
    UnitRef(3, "Các huyện, thành phố", "Ban Thường trực UBMTTQVN các huyện, thành phố", "cac-huyen-thanh-pho", True),
    UnitRef(4, "Huyện Yên Mô", "Ban Thường trực Ủy ban MTTQVN huyện Yên Mô", "huyen-yen-mo"),
    UnitRef(5, "Ban Thường trực Ủy ban MTTQ xã Lương Minh", "", "btt-xa"),
    UnitRef(6, "Các thôn", "Ban Công tác Mặt trận các thôn", "cac-thon", True),
    UnitRef(7, "Các xã, phường", "Ban Thường trực Ủy ban MTTQ các xã, phường", "cac-xa-phuong", True),
    UnitRef(8, "Các tổ chức thành viên của Mặt trận Tổ quốc xã", "", "to-chuc-thanh-vien", True),
]


@pytest.mark.parametrize(
    ("written", "unit_id"),
    [
        ("BTT UBMTTQVN tỉnh", 1),
        ("BTT Ủy ban MTTQ VN tỉnh", 1),
        ("Ủy ban MTTQ Việt Nam tỉnh", 1),  # the committee for its standing body
        ("Đề nghị Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh", 1),
        ("Ủy ban MTTQ Việt Nam các huyện, thành phố", 3),  # a plural is the group
        ("Các huyện, thành phố", 3),
        ("UBMTTQ huyện Yên Mô", 4),
        ("Ban Thường trực Ủy ban MTTQ Việt Nam xã", 5),
        ("BTT Ủy ban MTTQ Việt Nam xã Lương Minh", 5),
        ("Ủy ban MTTQ các xã, phường, thị trấn", 7),
        ("Hội Nông dân các xã, phường", None),  # another body's plural is not the office's group
        ("Ban Thường trực HĐND, UBND xã", None),
        ("Ban Thường trực Ủy ban MTTQ Việt Nam", None),  # which level? not guessed
        ("Ban Công tác MT các thôn", 6),
        ("Ban công tác Mặt trận các thôn trên địa bàn xã", 6),
        ("Các tổ chức thành viên của Mặt trận", 8),  # the one unit that is this name at a level
        ("Ban Tuyên giáo Tỉnh ủy", None),  # the party's, not the office's Ban Tuyên giáo
    ],
)
def test_the_offices_abbreviations_and_groups_find_their_unit(written, unit_id):
    found = match_unit(written, DIRECTORY)
    assert (found.id if found else None) == unit_id


def test_an_alias_is_consulted_first_and_one_to_a_unit_gone_from_the_directory_finds_nothing():
    aliases = {"van phong uy ban mttq tinh": 1, "phong van hoa": 99}
    assert find_unit("Văn phòng UBMTTQVN tỉnh", DIRECTORY, aliases=aliases).by_alias is True
    assert find_unit("Văn phòng UBMTTQVN tỉnh", DIRECTORY, aliases=aliases).unit.id == 1
    assert find_unit("Văn phòng UBMTTQVN tỉnh", DIRECTORY).unit is None
    assert find_unit("Phòng Văn hóa", DIRECTORY, aliases=aliases).unit is None  # unit 99 is inactive or gone
    assert find_unit("Ban Tuyên giáo", DIRECTORY, aliases=aliases) == find_unit("Ban Tuyên giáo", DIRECTORY)


def _events(action: str) -> list[AuditEvent]:
    return list(_db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_remembering_creates_changes_and_deletes_an_alias_and_audits_each(db, people):
    clerk = db.session.scalar(select(User).filter_by(username="clerk"))
    alias = remember_alias("Đồng chí Phó Chủ tịch Thường trực", people["office"], clerk)
    assert (alias.text, alias.key, alias.created_by_id) == ("Đồng chí Phó Chủ tịch Thường trực",
                                                            "pho chu tich thuong truc", clerk.id)
    assert remember_alias("đồng chí PHÓ CHỦ TỊCH thường trực", people["office"], clerk) is alias  # unchanged
    assert len(_events("unit_alias.create")) == 1 and _events("unit_alias.update") == []
    remember_alias("Phó Chủ tịch Thường trực", people["district"], clerk)
    assert alias.unit_id == people["district"] and alias.text == "Đồng chí Phó Chủ tịch Thường trực"
    assert _events("unit_alias.update")[0].changes() == [("unit_id", people["office"], people["district"])]
    assert remember_alias("  ", people["office"], clerk) is None and remember_alias("Ai đó", 424242, clerk) is None
    delete_alias(alias, clerk)
    assert alias_map() == {} and len(_events("unit_alias.delete")) == 1


def _import(app, text: str, choose=None):
    """Propose a pasted plan, let `choose(reviewed)` act as the clerk, save it; returns (proposal, document id)."""
    with app.app_context():
        proposal = propose_import(text=text)
        reviewed = confirmed_from_proposal(proposal)
        if choose:
            choose(reviewed)
        clerk = _db.session.scalar(select(User).filter_by(username="clerk"))
        document = create_imported_plan(reviewed, clerk, date(2026, 2, 10))
        _db.session.commit()
        return proposal, document.id


def test_a_name_mapped_in_one_import_is_found_in_the_next(app, people):
    def map_office_staff(reviewed: ReviewedPlan):
        reviewed.choice_for(OFFICE_STAFF).choice = str(people["office"])

    first, first_id = _import(app, PLAN_WITH_A_POSITION, map_office_staff)
    assert OFFICE_STAFF in first["unmatched_units"]
    with app.app_context():
        tasks = _db.session.scalars(select(PlanTask).where(PlanTask.document_id == first_id,
                                                           PlanTask.unit_text == OFFICE_STAFF)).all()
        assert len(tasks) == 2 and {t.unit_id for t in tasks} == {people["office"]}
        alias = _db.session.scalar(select(UnitAlias))
        assert (alias.text, alias.unit_id) == (OFFICE_STAFF, people["office"])
        assert len(_events("unit_alias.create")) == 1
    second, _ = _import(app, PLAN_WITH_A_POSITION)
    assert OFFICE_STAFF not in second["unmatched_units"]
    entry = next(n for n in second["names"] if n["name"] == OFFICE_STAFF)
    assert entry == {"name": OFFICE_STAFF, "unit_id": people["office"], "by_alias": True, "in_tasks": 2}
    assert {t["unit_id"] for t in second["tasks"] if t["unit"] == OFFICE_STAFF} == {people["office"]}
    with app.app_context():
        assert _db.session.scalar(select(func.count(UnitAlias.id))) == 1 and len(_events("unit_alias.update")) == 0


def test_a_unit_given_to_every_task_of_a_name_is_remembered_and_a_new_unit_needs_no_alias(app, people):
    def choose(reviewed: ReviewedPlan):
        for task in reviewed.tasks:
            if task.unit_text == OFFICE_STAFF:
                task.unit_id = people["district"]
        reviewed.choice_for("Ban Tuyên giáo").choice = NEW_EXTERNAL

    _import(app, PLAN_WITH_A_POSITION, choose)
    with app.app_context():
        assert alias_map() == {"van phong uy ban mttq tinh": people["district"]}
        assert _db.session.scalar(select(Unit.kind).where(Unit.name == "Ban Tuyên giáo")) == "external"
    second, _ = _import(app, PLAN_WITH_A_POSITION)
    assert OFFICE_STAFF not in second["unmatched_units"] and "Ban Tuyên giáo" not in second["unmatched_units"]


def test_a_name_whose_tasks_went_to_different_units_is_not_remembered(app, people):
    def choose(reviewed: ReviewedPlan):
        staff = [t for t in reviewed.tasks if t.unit_text == OFFICE_STAFF]
        staff[0].unit_id, staff[1].unit_id = people["office"], people["district"]

    _import(app, PLAN_WITH_A_POSITION, choose)
    with app.app_context():
        assert alias_map() == {}


def test_split_and_merge_keep_the_unit_the_deadline_and_the_source_lines():
    plan = ReviewedPlan("KH", "", "x", tasks=[
        ReviewedTask("Tổ chức hội nghị. Báo cáo kết quả", "Ban A", 1, "trước ngày 15/3/2026", "2026-03-15", lines=(20, 20)),
        ReviewedTask("Một việc", "Ban A", 1, lines=(21, 22)),
        ReviewedTask("Việc khác\nViệc thứ ba", "Ban B", 2, lines=(24, 24)),
    ])  # fmt: skip
    assert split_task(plan, 0) is None
    assert [(t.text, t.unit_id, t.due_on, t.lines) for t in plan.tasks[:2]] == [
        ("Tổ chức hội nghị.", 1, "2026-03-15", (20, 20)), ("Báo cáo kết quả", 1, "2026-03-15", (20, 20))]
    assert merge_with_previous(plan, 2) is None
    assert (plan.tasks[1].text, plan.tasks[1].lines, len(plan.tasks)) == ("Báo cáo kết quả; Một việc", (20, 22), 3)
    assert "cùng một đơn vị" in merge_with_previous(plan, 2)
    assert split_task(plan, 2) is None and [t.text for t in plan.tasks[2:]] == ["Việc khác", "Việc thứ ba"]
    assert "xuống dòng" in split_task(plan, 0)


def test_the_administrator_sees_the_remembered_names_and_deletes_one(client, login, app, people):
    with app.app_context():
        clerk = _db.session.scalar(select(User).filter_by(username="clerk"))
        alias_id = remember_alias(OFFICE_STAFF, people["office"], clerk).id
        _db.session.commit()
    login("clerk")
    assert client.get("/admin/units/aliases").status_code == 403
    assert client.post(f"/admin/units/aliases/{alias_id}/delete").status_code == 403
    login("admin")
    assert "Tên đơn vị đã ghi nhớ" in client.get("/admin/units").get_data(as_text=True)
    page = client.get("/admin/units/aliases").get_data(as_text=True)
    assert OFFICE_STAFF in page and "Ban Thường trực Ủy ban MTTQVN tỉnh" in page and "Nguyễn Thị Thu Hà" in page
    assert client.post(f"/admin/units/aliases/{alias_id}/delete", csrf=False).status_code == 400
    with app.app_context():
        assert alias_map() != {}
    response = client.post(f"/admin/units/aliases/{alias_id}/delete")
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/units/aliases")
    after = client.get("/admin/units/aliases").get_data(as_text=True)
    assert "Đã xóa tên đã ghi nhớ" in after and "Chưa có tên nào được ghi nhớ." in after
    assert client.post(f"/admin/units/aliases/{alias_id}/delete").status_code == 404
    with app.app_context():
        assert alias_map() == {} and len(_events("unit_alias.delete")) == 1


def test_taking_the_tasks_from_a_plans_own_text_uses_the_remembered_names(db, people):
    body = PLAN_WITH_A_POSITION[PLAN_WITH_A_POSITION.index("I. MỤC ĐÍCH"):PLAN_WITH_A_POSITION.index("Nơi nhận")]
    document = make_plan(title="Tổ chức Ngày hội Đại đoàn kết", body=body)
    clerk = db.session.scalar(select(User).filter_by(username="clerk"))
    remember_alias(OFFICE_STAFF, people["office"], clerk)
    tasks = propose_from_document(document, clerk, date(2026, 2, 10))
    staff = [t for t in tasks if t.unit_text == OFFICE_STAFF]
    assert len(staff) == 2 and {(t.unit_id, t.lead_unit_id) for t in staff} == {(people["office"], people["office"])}


def test_a_name_remembered_under_an_older_spelling_of_its_key_is_still_found(db, people):
    db.session.add(UnitAlias(key="ban cong tac mat tran thon", text="Ban công tác MT thôn", unit_id=people["group"]))
    db.session.flush()
    assert alias_map()["ban cong tac mttq thon"] == people["group"]
