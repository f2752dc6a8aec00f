"""The clerk imports a plan: the text beside the tasks, a task's lines lit on click, a name mapped to a unit, one
task dropped, one edited and split, the draft saved with the right tasks; the next import knows the name."""

from __future__ import annotations

import re

from import_review_fixtures import OFFICE_STAFF, PLAN_WITH_A_POSITION
from playwright.sync_api import expect
from sqlalchemy import select

from extensions import db
from models import Document, Unit
from models.plans import PlanTask, UnitAlias

OFFICE = "Ban Thường trực Ủy ban MTTQVN tỉnh"


def _upload(page, url):
    page.goto(f"{url}/plans/import")
    page.get_by_label("Tệp kế hoạch").set_input_files(
        files=[{"name": "ke-hoach-ngay-hoi.txt", "mimeType": "text/plain", "buffer": PLAN_WITH_A_POSITION.encode()}])
    page.get_by_role("button", name="Đọc kế hoạch").click()
    expect(page.get_by_role("heading", name="Kiểm tra kế hoạch trước khi lưu")).to_be_visible()


def _card(page, start: str):
    """The task whose text starts so (its textarea's value, as the clerk sees it)."""
    return page.locator("article.import-task").filter(
        has=page.locator("textarea").filter(has_text=re.compile("^" + re.escape(start))))


def _no_page_wide_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_clerk_checks_an_imported_plan_beside_its_text_and_the_next_import_remembers(page, live_server, sign_in):
    url, app = live_server["url"], live_server["app"]
    with app.app_context():
        office_id = db.session.scalar(select(Unit.id).where(Unit.name == OFFICE))
    sign_in("chuyenvien")
    _upload(page, url)
    source = page.locator("#source-lines")
    expect(source).to_contain_text("III. TỔ CHỨC THỰC HIỆN")
    tasks_read = page.locator("article.import-task").count()
    assert tasks_read >= 4

    funding = _card(page, "Bảo đảm kinh phí")
    first_line = funding.get_attribute("data-lines").split("-")[0]
    expect(page.locator(f"#L{first_line}")).to_contain_text("Bảo đảm kinh phí")
    expect(page.locator(f"#L{first_line}")).not_to_have_class(re.compile("is-lit"))
    funding.locator(".import-task-head strong").click()
    expect(page.locator(f"#L{first_line}")).to_have_class(re.compile("is-lit"))
    expect(funding).to_have_class(re.compile("is-active"))
    expect(funding.get_by_text("Tổ chức thực hiện")).to_be_visible()  # the kind of task
    expect(funding.get_by_text(re.compile("chưa khớp danh mục"))).to_be_visible()

    # The name the directory does not know: mapped once for both its tasks (redrawn in place by htmx).
    page.evaluate("window.__notReloaded = true")
    page.get_by_label(f"Đơn vị của “{OFFICE_STAFF}”").select_option(value=str(office_id))
    expect(_card(page, "Bảo đảm kinh phí").get_by_label("Đơn vị thực hiện")).to_have_value(str(office_id))
    expect(_card(page, "Tổng hợp kết quả").get_by_label("Đơn vị thực hiện")).to_have_value(str(office_id))

    # Drop one task, edit another (text and date) and split it in two.
    _card(page, "Tổng hợp kết quả").get_by_label("Nhập").uncheck()
    expect(_card(page, "Tổng hợp kết quả")).to_have_class(re.compile("is-dropped"))
    leaflets = _card(page, "Biên tập tài liệu")
    expect(leaflets.get_by_label("Hạn", exact=True)).to_have_value("2026-09-30")
    expect(leaflets.get_by_label("Thời hạn như ghi trong kế hoạch")).to_have_value("trước ngày 30/9/2026")
    leaflets.get_by_label("Hạn", exact=True).fill("2026-09-25")
    leaflets.locator("textarea").fill("Biên tập đề cương tuyên truyền Ngày hội\nIn và gửi tài liệu cho các huyện, thành phố")
    leaflets.get_by_role("button", name="Tách").click()
    expect(page.locator("article.import-task")).to_have_count(tasks_read + 1)
    expect(_card(page, "In và gửi tài liệu").get_by_label("Hạn", exact=True)).to_have_value("2026-09-25")
    expect(_card(page, "Tổng hợp kết quả").get_by_label("Nhập")).not_to_be_checked()  # the page kept the drop
    assert page.evaluate("window.__notReloaded") is True

    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        assert _no_page_wide_scroll(page), f"the review page scrolls sideways at {width} px"

    page.get_by_role("button", name="Lưu thành dự thảo kế hoạch").click()
    expect(page.get_by_text("Đã tạo dự thảo kế hoạch và các nhiệm vụ.")).to_be_visible()
    plan_id = int(re.search(r"/plans/(\d+)", page.url)[1])
    with app.app_context():
        tasks = db.session.scalars(select(PlanTask).where(PlanTask.document_id == plan_id)
                                   .order_by(PlanTask.position)).all()
        assert [(t.text, t.unit_id == office_id) for t in tasks if t.unit_text == OFFICE_STAFF] == [
            ("Bảo đảm kinh phí, cơ sở vật chất tổ chức Ngày hội cấp tỉnh", True)]
        edited = [t for t in tasks if t.text.startswith(("Biên tập đề cương", "In và gửi"))]
        assert [(t.due_on.isoformat(), t.deadline_text) for t in edited] == [("2026-09-25", "trước ngày 30/9/2026")] * 2
        assert len(tasks) == tasks_read and not any(t.text.startswith("Tổng hợp kết quả") for t in tasks)
        assert db.session.scalar(select(Document.status).where(Document.id == plan_id)) == "draft"
        assert db.session.scalar(select(UnitAlias.unit_id).where(UnitAlias.text == OFFICE_STAFF)) == office_id

    # The next plan that names it: the unit is found at once, and the page says it was remembered.
    _upload(page, url)
    row = page.locator(".import-names tr", has_text=OFFICE_STAFF)
    expect(row.get_by_text("Đã ghi nhớ")).to_be_visible()
    expect(row.locator("select")).to_have_value(str(office_id))
    expect(_card(page, "Bảo đảm kinh phí").get_by_label("Đơn vị thực hiện")).to_have_value(str(office_id))
    expect(_card(page, "Tổng hợp kết quả").get_by_label("Đơn vị thực hiện")).to_have_value(str(office_id))
