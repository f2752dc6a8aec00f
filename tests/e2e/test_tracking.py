"""A district reporter marks a task done with a figure and a photo; the clerk's open matrix turns green by itself."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from extensions import db
from models import Document, Unit
from models.plans import PlanTask

from .conftest import DEMO_PASSWORD

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
       b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
TASK_START = "Xây dựng kế hoạch phối hợp với Ban Tuyên giáo"


def _ids(app) -> tuple[int, int, int]:
    with app.app_context():
        plan = db.session.scalar(select(Document).where(Document.kind == "KH", Document.title.like("Tuyên truyền%")))
        task = db.session.scalar(select(PlanTask).where(PlanTask.document_id == plan.id,
                                                        PlanTask.text.like(f"{TASK_START}%")))
        unit = db.session.scalar(select(Unit).where(Unit.slug == "huyen-yen-mo"))
        return plan.id, task.id, unit.id


def test_a_reporter_marks_done_and_the_clerks_matrix_turns_green(page, browser, live_server, sign_in):
    url, app = live_server["url"], live_server["app"]
    app.config["PLAN_MATRIX_POLL_SECONDS"] = 1
    plan_id, task_id, unit_id = _ids(app)

    sign_in("chuyenvien")
    page.goto(f"{url}/plans/{plan_id}")
    cell = page.locator(f"#cell-{unit_id}-{task_id}")
    expect(cell).not_to_have_class(re.compile(r"cell-green"))
    page.evaluate("window.__notReloaded = true")

    reporter_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reporter = reporter_context.new_page()
    errors: list[str] = []
    reporter.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    reporter.on("pageerror", lambda exc: errors.append(str(exc)))
    reporter.goto(f"{url}/login")
    reporter.get_by_label("Tên đăng nhập").fill("huyen-yen-mo")
    reporter.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    reporter.get_by_role("button", name="Đăng nhập").click()
    reporter.get_by_role("link", name="Nhiệm vụ của đơn vị").click()

    row = reporter.locator("article.assignment", has_text=TASK_START)
    expect(row.get_by_text("Quá hạn")).to_be_visible()
    row.get_by_text("Cập nhật tiến độ").click()  # the form opens in place
    expect(row.get_by_label("Lý do (khi không thực hiện được)")).to_be_hidden()  # only for "không thực hiện được"
    row.get_by_label("Trạng thái").select_option(label="Hoàn thành")
    expect(row.get_by_label("Ngày hoàn thành")).to_be_visible()
    row.get_by_label("Số buổi tuyên truyền (buổi)").fill("abc")
    row.get_by_role("button", name="Gửi cập nhật").click()
    expect(row.get_by_text("phải là một số")).to_be_visible()  # refused in place, nothing saved

    row.get_by_label("Số buổi tuyên truyền (buổi)").fill("6")
    row.get_by_label("Số lượt người tham dự (lượt người)").fill("540")
    row.get_by_label("Kết quả thực hiện").fill("Tổ chức 6 buổi tuyên truyền ở 6 xã, thị trấn.")
    row.get_by_label("Tệp minh chứng").set_input_files(
        files=[{"name": "hoi-nghi.png", "mimeType": "image/png", "buffer": PNG}])
    row.get_by_role("button", name="Gửi cập nhật").click()
    expect(row.get_by_text(re.compile(r"Đã ghi nhận lúc"))).to_be_visible()
    expect(row.locator(".badge", has_text="Hoàn thành")).to_be_visible()
    expect(row.get_by_text("Quá hạn")).to_have_count(0)

    reporter.locator("article.assignment", has_text=TASK_START).get_by_role("link", name=re.compile("Lịch sử")).click()
    expect(reporter.get_by_role("link", name="hoi-nghi.png")).to_be_visible()
    expect(reporter.get_by_text("Tổ chức 6 buổi tuyên truyền ở 6 xã, thị trấn.").first).to_be_visible()
    reporter_context.close()
    assert errors == []

    expect(cell).to_have_class(re.compile(r"cell-green"), timeout=10_000)
    assert page.evaluate("window.__notReloaded") is True  # the page was never reloaded
    expect(page.get_by_role("link", name="Huyện Yên Mô")).to_be_visible()
