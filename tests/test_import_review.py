"""The review page of an import: the text beside the tasks, corrections (split, merge, drop, a name mapped) that
save nothing, and a confirmation that saves exactly what the clerk left; only clerks, never without CSRF."""

from __future__ import annotations

import pytest
from import_review_fixtures import OFFICE_STAFF, PLAN_WITH_A_POSITION
from sqlalchemy import func, select
from test_import_views import counts, form_of

from extensions import db as _db
from models import AuditEvent
from models.plans import PlanTask, UnitAlias

HTMX = {"HX-Request": "true", "HX-Target": "review-panel"}


def _review(client) -> tuple[str, dict]:
    response = client.post("/plans/import", data={"text": PLAN_WITH_A_POSITION})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, form_of(html)


def _task(fields: dict, start: str) -> int:
    return next(int(k.split("-")[1]) for k, v in fields.items() if k.endswith("-text") and v.startswith(start))


def _name(fields: dict, name: str) -> str:
    return next(k.removesuffix("-name") for k, v in fields.items() if k.startswith("name-") and v == name)


def test_the_review_shows_the_text_beside_the_tasks_each_pointing_at_its_lines(client, login, people):
    login("clerk")
    html, fields = _review(client)
    lines = PLAN_WITH_A_POSITION.splitlines()
    n = lines.index("- Bảo đảm kinh phí, cơ sở vật chất tổ chức Ngày hội cấp tỉnh.") + 1
    assert f'<li id="L{n}" value="{n}" class="in-task">- Bảo đảm kinh phí' in html
    task = _task(fields, "Bảo đảm kinh phí")
    assert f'id="task-{task}" data-lines="{n}-{n}"' in html and f'href="#L{n}">Dòng {n}</a>' in html
    assert fields[f"task-{task}-unit_id"] == "0" and "chưa khớp danh mục" in html
    assert fields[f"task-{_task(fields, 'Biên tập tài liệu')}-due_on"] == "2026-09-30"
    assert fields["text_lines"].splitlines() == lines[: len(fields["text_lines"].splitlines())]
    assert OFFICE_STAFF in [v for k, v in fields.items() if k.endswith("-name")]


def test_corrections_come_back_without_saving_anything_and_htmx_gets_only_the_tasks(client, login, app, people):
    login("clerk")
    _html, fields = _review(client)
    before = counts(app)
    task = _task(fields, "Biên tập tài liệu")
    fields[f"task-{task}-text"] = "Biên tập đề cương\nGửi tài liệu cho các huyện, thành phố"
    fields[f"task-{task}-due_on"] = "2026-09-25"
    fields["op"] = f"split-{task}"
    response = client.post("/plans/import/review", data=fields, headers=HTMX)
    part = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in part and part.lstrip().startswith('<div id="review-panel"')
    split = form_of(f'<form action="/plans/import/confirm">{part}</form>')
    assert int(split["task_count"]) == int(fields["task_count"]) + 1
    assert [split[f"task-{task}-text"], split[f"task-{task + 1}-text"]] == ["Biên tập đề cương",
                                                                              "Gửi tài liệu cho các huyện, thành phố"]
    assert split[f"task-{task + 1}-due_on"] == "2026-09-25"

    fields["op"] = f"merge-{task}"  # without htmx: the whole page again, the task joined to the one above
    page = client.post("/plans/import/review", data=fields).get_data(as_text=True)
    merged = form_of(page)
    assert "<html" in page and int(merged["task_count"]) == int(fields["task_count"]) - 1
    assert merged[f"task-{task - 1}-text"].endswith("; Biên tập đề cương\nGửi tài liệu cho các huyện, thành phố")
    assert counts(app) == before


def test_a_name_mapped_on_the_page_gives_its_tasks_the_unit_and_is_remembered_when_saved(client, login, app, people):
    login("clerk")
    _html, fields = _review(client)
    fields[f"{_name(fields, OFFICE_STAFF)}-choice"] = str(people["office"])
    mapped = form_of(client.post("/plans/import/review", data=fields).get_data(as_text=True))
    staff = [n for n in range(int(mapped["task_count"])) if mapped[f"task-{n}-unit"] == OFFICE_STAFF]
    assert len(staff) == 2 and {mapped[f"task-{n}-unit_id"] for n in staff} == {str(people["office"])}
    mapped[f"task-{staff[1]}-unit_id"] = str(people["district"])  # one task of the name given elsewhere
    mapped.pop(f"task-{_task(mapped, 'Biên tập tài liệu')}-include")  # dropped
    with app.app_context():
        assert _db.session.scalar(select(func.count(UnitAlias.id))) == 0  # nothing saved by the review
    assert client.post("/plans/import/confirm", data=mapped).status_code == 303
    with app.app_context():
        saved = {t.text: t.unit_id for t in _db.session.scalars(select(PlanTask))}
        assert saved["Bảo đảm kinh phí, cơ sở vật chất tổ chức Ngày hội cấp tỉnh"] == people["office"]
        assert saved["Tổng hợp kết quả Ngày hội, báo cáo Ban Thường trực trước ngày 30/11/2026"] == people["district"]
        assert not any(text.startswith("Biên tập tài liệu") for text in saved)
        alias = _db.session.scalar(select(UnitAlias))
        assert (alias.text, alias.unit_id) == (OFFICE_STAFF, people["office"])
        assert _db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "unit_alias.create")) == 1
    again = _review(client)[1]
    entry = _name(again, OFFICE_STAFF)
    assert again[f"{entry}-choice"] == str(people["office"]) and again[f"{entry}-by_alias"] == "1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.update({f"task-{_task(f, 'Bảo đảm')}-unit_id": "999999"}), "Đơn vị không tồn tại."),
        (lambda f: f.update({f"task-{_task(f, 'Bảo đảm')}-due_on": "2026-02-30"}), "Ngày hết hạn không hợp lệ"),
        (lambda f: f.update({f"task-{_task(f, 'Bảo đảm')}-text": "  "}), "không được để trống"),
        (lambda f: f.update({f"{_name(f, OFFICE_STAFF)}-choice": "999999"}), "Đơn vị không tồn tại."),
        (lambda f: f.update({f"{_name(f, OFFICE_STAFF)}-choice": "delete_everything"}), "Hãy chọn một đơn vị"),
        (lambda f: f.update({f"{_name(f, OFFICE_STAFF)}-choice": "²"}), "Hãy chọn một đơn vị"),
    ],
    ids=["unknown-unit", "impossible-date", "blank-text", "unknown-mapped-unit", "odd-choice", "not-ascii-digits"],
)
def test_bad_input_gets_a_message_and_changes_nothing(client, login, app, people, change, message):
    login("clerk")
    _html, fields = _review(client)
    fields[f"{_name(fields, OFFICE_STAFF)}-choice"] = str(people["office"])
    change(fields)
    before = counts(app)
    response = client.post("/plans/import/confirm", data=fields)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert counts(app) == before
    with app.app_context():
        assert _db.session.scalar(select(func.count(UnitAlias.id))) == 0


@pytest.mark.parametrize("field", ["task_count", "task-0-unit_id", "name_count"])
def test_a_posted_number_that_is_not_one_is_refused_before_anything_is_read(client, login, app, people, field):
    login("clerk")
    _html, fields = _review(client)
    fields[field] = "²"
    assert client.post("/plans/import/confirm", data=fields).status_code == 400
    assert client.post("/plans/import/review", data=fields).status_code == 400
    assert counts(app)[:2] == (0, 0)


@pytest.mark.parametrize("user", ["approver", "records", "reporter", "admin"])
def test_only_clerks_review_and_confirm_an_import(client, login, app, people, user):
    login("clerk")
    _html, fields = _review(client)
    fields.pop("csrf_token")  # each request below gets the token of its own session, or none
    login(user)
    assert client.post("/plans/import/review", data=fields).status_code == 403
    assert client.post("/plans/import/confirm", data=fields).status_code == 403
    login("clerk")
    assert client.post("/plans/import/confirm", data=fields, csrf=False).status_code == 400
    assert counts(app)[:2] == (0, 0)
