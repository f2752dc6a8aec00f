"""A district reporter does their work on a 390 × 844 phone: every page fits the screen (no sideways scrolling), touch
targets are large, a task is updated and the round's report is sent by tapping, and what was typed survives an
ended session. Office pages at 768 px never scroll the page sideways either.

Set VANBAN_SHOTS=/some/dir to keep a screenshot of each page."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SHOTS = os.environ.get("VANBAN_SHOTS")
TASK_WITH_FIGURES = "Xây dựng kế hoạch phối hợp với Ban Tuyên giáo"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def phone(browser):
    """A phone's browser; fails the test on a console error, as the `page` fixture does."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


def _sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").tap()
    page.wait_for_url(f"{url}/")


def _fits(page, width: int, name: str) -> None:
    """The page is exactly as wide as the screen: nothing sticks out sideways."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert (scroll, inner) == (width, width), f"{name}: {scroll} px wide on a {width} px screen"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        # caret="initial": hiding the caret would inject a style, which the CSP refuses (a console error)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True, caret="initial")


def _small_targets(page) -> list[str]:
    """Visible buttons, fields and menu links in the page less than 44 px high."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        'main .button, main button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select,'
        + ' main summary, .mainnav a, .userbox a, .userbox button'))
      .filter(el => el.offsetParent !== null)
      .map(el => [el.getBoundingClientRect().height, (el.textContent || el.name || el.id).trim().slice(0, 40)])
      .filter(([h]) => h < 43.5).map(([h, t]) => `${t} (${Math.round(h)} px)`)""")


def test_every_reporter_page_fits_the_phone_with_large_touch_targets(phone, live_server):
    url = live_server["url"]
    phone.goto(f"{url}/login")
    _fits(phone, 390, "01-login")
    assert _small_targets(phone) == []
    _sign_in(phone, url, "huyen-nho-quan")
    pages = [("02-dashboard", "/"), ("03-my-tasks", "/my-tasks"), ("05-reports", "/reports"),
             ("07-notifications", "/notifications"), ("08-password", "/account/password"), ("09-archive", "/archive")]
    phone.goto(f"{url}/my-tasks")
    pages.append(("04-assignment", phone.locator("a", has_text="Lịch sử").first.get_attribute("href")))
    phone.goto(f"{url}/reports")
    pages.append(("06-round-report", phone.locator("a[href$='/my']").first.get_attribute("href")))
    for name, path in pages:
        phone.goto(url + path)
        _fits(phone, 390, name)
        assert _small_targets(phone) == [], name
    phone.goto(f"{url}/my-tasks")
    phone.locator("summary", has_text="Cập nhật tiến độ").first.tap()
    _fits(phone, 390, "03b-my-tasks-form-open")
    assert _small_targets(phone) == []


def test_a_reporter_updates_a_task_by_tapping_and_sees_it_sent(phone, live_server):
    url = live_server["url"]
    _sign_in(phone, url, "huyen-nho-quan")
    phone.get_by_role("link", name="Nhiệm vụ của đơn vị").tap()
    card = phone.locator("article.assignment", has_text=TASK_WITH_FIGURES)
    card.locator("summary", has_text="Cập nhật tiến độ").tap()
    card.get_by_label("Trạng thái").select_option(label="Đang thực hiện")
    card.get_by_label("Số buổi tuyên truyền").fill("3")
    card.get_by_label("Kết quả thực hiện").fill("Đã tổ chức 3 buổi tuyên truyền ở các xã vùng giáo.")
    card.get_by_label("Chụp ảnh minh chứng").set_input_files(
        files=[{"name": "IMG_0412.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    send = card.get_by_role("button", name="Gửi cập nhật")
    box = send.bounding_box()
    assert box["y"] + box["height"] <= 844, "the send button is on the screen without scrolling to it"
    send.tap()
    expect(card.get_by_text(re.compile(r"Đã gửi\. Đã ghi nhận lúc \d\d:\d\d"))).to_be_visible()
    expect(card.locator(".badge", has_text="Đang thực hiện")).to_be_visible()
    _fits(phone, 390, "09-task-sent")
    card.get_by_role("link", name=re.compile("Lịch sử")).tap()
    expect(phone.get_by_role("link", name="IMG_0412.jpg")).to_be_visible()
    expect(phone.get_by_text("Đã tổ chức 3 buổi tuyên truyền ở các xã vùng giáo.").first).to_be_visible()


def test_a_reporter_sends_the_rounds_report_by_tapping(phone, live_server):
    url = live_server["url"]
    _sign_in(phone, url, "huyen-nho-quan")
    panel = phone.locator("section", has=phone.get_by_role("heading", name="Báo cáo cần gửi"))
    panel.get_by_role("link", name=re.compile("Kết quả tuyên truyền")).tap()
    expect(phone.get_by_role("heading", name="Báo cáo của Huyện Nho Quan")).to_be_visible()
    phone.get_by_label("Số buổi tuyên truyền").fill("5")
    phone.get_by_label("Số lượt người tham dự").fill("620")
    phone.get_by_label("Kết quả thực hiện").first.fill("Tổ chức 5 buổi tuyên truyền ở các xã miền núi.")
    send = phone.get_by_role("button", name="Gửi báo cáo")
    box = send.bounding_box()
    assert box["y"] + box["height"] <= 844, "the send button stays at the bottom of the screen"
    send.tap()
    expect(phone.locator(".sent-state")).to_contain_text("Đã gửi")
    expect(phone.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)
    _fits(phone, 390, "10-round-report-sent")


def test_what_was_typed_survives_an_ended_session_and_is_sent_after_signing_in(phone, live_server):
    url = live_server["url"]
    _sign_in(phone, url, "huyen-kim-son")
    phone.goto(f"{url}/my-tasks")
    card = phone.locator("article.assignment", has_text=TASK_WITH_FIGURES)
    card_id = card.get_attribute("id")
    card.locator("summary", has_text="Cập nhật tiến độ").tap()
    typed = "Tổ chức 9 buổi ở 27 khu dân cư ven biển; gửi kèm ảnh sau."
    card.get_by_label("Kết quả thực hiện").fill(typed)
    card.get_by_label("Số buổi tuyên truyền").fill("9")

    phone.context.clear_cookies()  # the session ended while the reporter was typing
    card.get_by_role("button", name="Gửi cập nhật").tap()
    phone.wait_for_url(re.compile(r"/login"))
    expect(phone.get_by_text("Phiên đăng nhập đã hết hạn")).to_be_visible()
    _fits(phone, 390, "11-session-ended")
    phone.get_by_label("Tên đăng nhập").fill("huyen-kim-son")
    phone.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").tap()

    phone.wait_for_url(re.compile(r"^[^?]*/my-tasks"))
    card = phone.locator(f"#{card_id}")
    expect(card.get_by_text("Đã khôi phục nội dung đang soạn dở")).to_be_visible()
    expect(card.get_by_label("Kết quả thực hiện")).to_have_value(typed)
    expect(card.get_by_label("Số buổi tuyên truyền")).to_have_value("9")
    _fits(phone, 390, "12-draft-restored")
    card.get_by_role("button", name="Gửi cập nhật").tap()
    expect(card.get_by_text(re.compile(r"Đã gửi\. Đã ghi nhận lúc"))).to_be_visible()
    # The sent card's swap is followed by htmx:load, where the confirmed draft is let go.
    phone.wait_for_function("!Object.keys(localStorage).some(k => k.startsWith('vanban:draft:'))")
    phone.reload()
    expect(phone.get_by_text("Đã khôi phục nội dung đang soạn dở")).to_have_count(0)


def test_without_network_nothing_is_lost_and_it_is_sent_when_the_line_is_back(phone, live_server):
    url = live_server["url"]
    _sign_in(phone, url, "huyen-gia-vien")
    phone.goto(f"{url}/my-tasks")
    card = phone.locator("article.assignment", has_text=TASK_WITH_FIGURES)
    card.locator("summary", has_text="Cập nhật tiến độ").tap()
    card.get_by_label("Kết quả thực hiện").fill("Đã in 1.200 tờ gấp.")
    phone.context.set_offline(True)
    card.get_by_role("button", name="Gửi cập nhật").tap()
    expect(card.locator(".draft-note")).to_contain_text("Chưa có kết nối mạng nên chưa gửi được")
    expect(card.get_by_label("Kết quả thực hiện")).to_have_value("Đã in 1.200 tờ gấp.")
    phone.context.set_offline(False)
    card.get_by_role("button", name="Gửi cập nhật").tap()
    expect(card.get_by_text(re.compile(r"Đã gửi\. Đã ghi nhận lúc"))).to_be_visible()


def _first_link(page, pattern: str) -> str:
    hrefs = page.evaluate("Array.from(document.querySelectorAll('main a[href]'), a => a.getAttribute('href'))")
    return next(h for h in hrefs if re.fullmatch(pattern, h))


OFFICE_PAGES = ["/", "/documents", "/plans", "/reports", "/register", "/archive", "/notifications"]


def test_office_pages_at_768px_never_scroll_the_page_sideways(page, live_server, sign_in):
    url = live_server["url"]
    page.set_viewport_size({"width": 768, "height": 1000})
    sign_in("chuyenvien")
    paths = list(OFFICE_PAGES)
    page.goto(f"{url}/plans")
    plan = _first_link(page, r"/plans/\d+")
    paths += [plan, f"{plan}/reports"]
    page.goto(f"{url}/reports")
    paths.append(_first_link(page, r"/reports/\d+"))
    page.goto(f"{url}/documents")
    paths.append(_first_link(page, r"/documents/\d+"))
    for path in paths:
        page.goto(url + path)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner == 768, f"{path}: {scroll} px wide at 768 px"
