"""A district sends its report in the demo round (after the due date: late); the clerk sees it, brings the
aggregated Báo cáo up to date and sends it to the vice-chair for review."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def _sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()


def test_a_district_reports_and_the_clerk_sends_the_aggregated_report_for_review(page, live_server, sign_in):
    page.on("dialog", lambda dialog: dialog.accept())  # "Gửi báo cáo?" confirmations

    # Huyện Yên Mô has not reported yet: the dashboard says so and leads to the form.
    sign_in("huyen-yen-mo")
    panel = page.locator("section", has=page.get_by_role("heading", name="Báo cáo cần gửi"))
    panel.get_by_role("link", name=re.compile("Kết quả tuyên truyền")).click()
    expect(page.get_by_role("heading", name="Báo cáo của Huyện Yên Mô")).to_be_visible()
    expect(page.get_by_text("Đã quá hạn gửi báo cáo")).to_be_visible()

    page.get_by_label("Số buổi tuyên truyền").fill("bảy")
    page.get_by_label("Số lượt người tham dự").fill("1.050")
    page.get_by_label("Số tin, bài").fill("4")
    page.get_by_label("Kết quả thực hiện").first.fill("Tổ chức 7 buổi tuyên truyền tại 17 xã, thị trấn.")
    page.get_by_label("Đề xuất, kiến nghị").fill("Đề nghị tỉnh hỗ trợ tài liệu tuyên truyền.")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Số liệu phải là một số, ví dụ 12 hoặc 12,5.")).to_be_visible()  # nothing sent
    expect(page.get_by_label("Số lượt người tham dự")).to_have_value("1.050")  # what was typed is kept

    page.get_by_label("Số buổi tuyên truyền").fill("7")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo. Số liệu đã được khóa")).to_be_visible()
    expect(page.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)  # frozen: no form any more
    expect(page.get_by_text("1.050")).to_be_visible()
    _sign_out(page)

    # The clerk sees Yên Mô late, brings the Báo cáo up to date and sends it for review.
    sign_in("chuyenvien")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name=re.compile("Kết quả tuyên truyền")).first.click()
    row = page.locator("#unit-table tr", has_text="Huyện Yên Mô")
    expect(row.get_by_text("Nộp muộn")).to_be_visible()
    expect(page.locator("#completeness").get_by_text("7", exact=True)).to_be_visible()  # units that reported

    page.get_by_role("button", name="Cập nhật báo cáo tổng hợp").click()
    expect(page.get_by_text(re.compile(r"Đã cập nhật báo cáo tổng hợp"))).to_be_visible()
    page.locator("section", has=page.get_by_role("heading", name="Báo cáo tổng hợp")) \
        .get_by_role("link", name=re.compile("Kết quả tuyên truyền")).click()
    page.wait_for_url(re.compile(r"/documents/\d+"))
    expect(page.get_by_text("Huyện Yên Mô 7 buổi").first).to_be_visible()

    panel = page.locator("#workflow-panel")
    panel.get_by_label("Trình lãnh đạo duyệt").select_option(label="Đinh Văn Thắng — Phó chủ tịch")
    panel.get_by_role("button", name="Trình duyệt").click()
    expect(page.get_by_text("Đã trình Đinh Văn Thắng duyệt.")).to_be_visible()
    expect(page.locator("#workflow-panel").get_by_text("Chờ duyệt", exact=True)).to_be_visible()

    # The round's page says the report is now with the vice-chair and can no longer be redrafted.
    page.goto(live_server["url"] + "/reports")
    page.get_by_role("link", name=re.compile("Kết quả tuyên truyền")).first.click()
    expect(page.get_by_text("không cập nhật số liệu được nữa")).to_be_visible()
