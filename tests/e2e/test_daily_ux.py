"""Small things a clerk meets every day (issue 15), walked through in Chromium as each role would."""

import re

from playwright.sync_api import expect


def test_the_plans_page_offers_a_new_plan_beside_the_import(page, live_server, sign_in):
    sign_in("chuyenvien")
    page.goto(live_server["url"] + "/plans")
    head = page.locator(".page-head")
    expect(head.get_by_role("link", name="Nhập kế hoạch từ tệp")).to_be_visible()
    head.get_by_role("link", name="Soạn kế hoạch mới").click()
    expect(page.get_by_label("Loại văn bản")).to_have_value("KH")
