"""The records clerk keeps the register (reserve a number, cancel it with a reason) and anyone finds issued
documents in the archive by typing without diacritics; a district sees only what was sent to it."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def _sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def test_records_reserves_and_cancels_a_number_in_the_register(page, live_server, sign_in):
    sign_in("vanthu")
    page.get_by_role("link", name="Sổ văn bản đi").click()
    expect(page.get_by_role("heading", name="Sổ văn bản đi")).to_be_visible()
    table = page.locator("#register-table")
    expect(table).to_contain_text("01/KH-MTTQ-BTT")  # the demo plan, issued by the register's demo step

    page.get_by_text("Lấy số trước").click()
    note = page.get_by_label("Giữ số cho văn bản nào")
    next_label = page.get_by_role("button", name=re.compile(r"^Giữ số \d+$")).inner_text()
    number = next_label.split()[-1]
    page.get_by_role("button", name=next_label).click()  # empty note: refused in place
    expect(page.get_by_text("Vui lòng ghi rõ số được giữ cho văn bản nào.")).to_be_visible()
    note = page.get_by_label("Giữ số cho văn bản nào")
    note.fill("Công văn gửi Tỉnh ủy về Hội nghị tổng kết")
    page.get_by_role("button", name=next_label).click()
    expect(page.get_by_text(f"Đã giữ trước số {number}")).to_be_visible()
    row = table.locator("tr", has_text="Công văn gửi Tỉnh ủy")
    expect(row).to_contain_text("Giữ số trước")

    row.get_by_text("Hủy số…").click()
    row.get_by_role("button", name=f"Hủy số {number}").click()
    row = page.locator("#register-table tr", has_text="Công văn gửi Tỉnh ủy")
    expect(row.get_by_text("Vui lòng ghi lý do hủy số.")).to_be_visible()
    row.get_by_label("Lý do hủy số").fill("Lãnh đạo quyết định không ban hành")
    row.get_by_role("button", name=f"Hủy số {number}").click()
    expect(page.get_by_text(f"Đã hủy số giữ trước {number}")).to_be_visible()
    expect(page.locator("#register-table tr", has_text="Lãnh đạo quyết định không ban hành")).to_contain_text(
        "Số đã hủy")
    expect(page).to_have_url(re.compile(r"/register"))


def test_the_archive_filters_as_one_types_without_diacritics(page, live_server, sign_in):
    sign_in("phochutich")
    page.get_by_role("link", name="Lưu trữ", exact=True).click()
    results = page.locator("#archive-results")
    page.get_by_label("Tìm trong nội dung").fill("tuyen truyen chi thi 07")  # no Enter: htmx filters live
    expect(results.get_by_role("link", name=re.compile("^Kế hoạch Tuyên truyền thực hiện Chỉ thị số 07"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=tuyen(%20|\+)truyen"))
    page.get_by_label("Tìm trong nội dung").fill("khong co van ban nao nhu the")
    expect(results).to_contain_text("Không tìm thấy văn bản nào phù hợp")
    page.get_by_label("Tìm trong nội dung").fill("")
    page.get_by_label("Người ký").fill("thang")
    link = results.get_by_role("link", name=re.compile("^Kế hoạch Tuyên truyền"))
    link.click()
    expect(page.get_by_role("heading", name=re.compile(r"Số 01.KH-MTTQ-BTT"))).to_be_visible()
    expect(page.locator("#history")).to_contain_text("đã cấp số và phát hành")
    _sign_out(page)

    sign_in("huyen-yen-mo")  # the plan went to the districts' group, so Yên Mô finds it
    page.get_by_role("link", name="Lưu trữ", exact=True).click()
    page.get_by_label("Tìm trong nội dung").fill("dang")
    expect(page.locator("#archive-results")).not_to_contain_text("Tổng kết công tác xây dựng Đảng")
    page.get_by_label("Tìm trong nội dung").fill("chi thi")
    expect(page.locator("#archive-results").get_by_role("link", name=re.compile("Chỉ thị số 07"))).to_be_visible()
