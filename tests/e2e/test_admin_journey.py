"""An administrator adds a unit and a user; the new user signs in."""

from playwright.sync_api import expect


def test_admin_creates_unit_and_user_who_then_signs_in(page, live_server, sign_in):
    url = live_server["url"]
    sign_in("admin")
    expect(page.get_by_text("Phạm Quốc Khánh").first).to_be_visible()

    page.get_by_role("link", name="Đơn vị").click()
    page.get_by_role("link", name="+ Thêm đơn vị").click()
    page.get_by_label("Tên đầy đủ").fill("Huyện Thử Nghiệm")
    page.get_by_label("Loại đơn vị").select_option("subordinate")
    page.get_by_label("Thuộc đơn vị").select_option(label="— Ban Thường trực Ủy ban MTTQVN các huyện, thành phố")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã tạo đơn vị “Huyện Thử Nghiệm”.")).to_be_visible()
    expect(page.get_by_role("link", name="Huyện Thử Nghiệm")).to_be_visible()

    page.get_by_role("link", name="Người dùng").click()
    page.get_by_role("link", name="+ Thêm người dùng").click()
    page.get_by_label("Tên đăng nhập").fill("co dau cach")
    page.get_by_label("Họ và tên").fill("Trần Văn Thử")
    page.get_by_label("Đơn vị", exact=True).select_option(label="— — Huyện Thử Nghiệm")
    page.get_by_label("Cán bộ đơn vị báo cáo").check()
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-2026")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("không có dấu cách")).to_be_visible()  # bad input: explained, nothing saved
    page.get_by_label("Tên đăng nhập").fill("huyen-thu-nghiem")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-2026")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã tạo người dùng huyen-thu-nghiem.")).to_be_visible()

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    # The administrator chose the password: it is a one-time one, and the first page is the change of it.
    page.goto(url + "/login")
    page.get_by_label("Tên đăng nhập").fill("huyen-thu-nghiem")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Bạn đang dùng mật khẩu tạm thời do quản trị cấp.")).to_be_visible()
    page.get_by_label("Mật khẩu hiện tại").fill("mat-khau-thu-2026")
    page.get_by_label("Mật khẩu mới", exact=True).fill("rieng-cua-toi-2026")
    page.get_by_label("Nhập lại mật khẩu mới").fill("rieng-cua-toi-2026")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_text("Đã đổi mật khẩu.")).to_be_visible()
    expect(page.get_by_role("heading", name="Xin chào, Trần Văn Thử")).to_be_visible()
    expect(page.get_by_role("link", name="Người dùng")).to_have_count(0)
    assert page.goto(url + "/admin/users").status == 403
    expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
    page.console_errors.remove("Failed to load resource: the server responded with a status of 403 (FORBIDDEN)")
