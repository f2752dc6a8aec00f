"""A document's journey: drafted, submitted, returned with a comment, fixed, resubmitted, approved, issued with a
number, archived with its signed copy, and found again in the archive."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import expect

TITLE = "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026"
BODY = """I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Phát huy truyền thống đoàn kết của Nhân dân các dân tộc tỉnh Ninh Bình.
2. Yêu cầu
- Tổ chức trang trọng, thiết thực.
II. NỘI DUNG
Các khu dân cư tổ chức Ngày hội trong tháng 11."""
FIXED_BODY = BODY.replace("trang trọng, thiết thực.", "trang trọng, thiết thực, tiết kiệm.") \
    .replace("trong tháng 11.", "từ ngày 01/11 đến ngày 18/11/2026.")


def _sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()


def _docx_text(data: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


def _scan(path) -> str:
    """A scanned page (an image, as offices scan the signed paper)."""
    image = Image.new("RGB", (620, 877), "white")
    ImageDraw.Draw(image).text((60, 60), "KE HOACH - ban co chu ky", fill="black")
    image.save(path, "PNG")
    return str(path)


def test_document_goes_from_draft_to_the_archive(page, live_server, sign_in, tmp_path):
    url = live_server["url"]

    # The clerk drafts a plan in the editor and submits it to the vice-chair.
    sign_in("chuyenvien")
    page.goto(url + "/documents/new?kind=KH")
    page.get_by_label("Trích yếu").fill(TITLE)
    page.get_by_label("Nội dung", exact=True).fill(BODY)
    # A document is not submitted without its signer (the gate names what to fix).
    page.get_by_label("Người ký", exact=True).select_option(index=1)
    page.get_by_role("button", name="Tạo dự thảo").click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    document_url = page.url
    panel = page.locator("#workflow-panel")
    expect(panel.get_by_text("Dự thảo", exact=True)).to_be_visible()
    panel.get_by_label("Trình lãnh đạo duyệt").select_option(label="Đinh Văn Thắng — Phó chủ tịch")
    panel.get_by_role("button", name="Trình duyệt").click()
    expect(page.get_by_text("Đã trình Đinh Văn Thắng duyệt.")).to_be_visible()
    expect(page.locator("#workflow-panel").get_by_text("Chờ duyệt", exact=True)).to_be_visible()
    _sign_out(page)

    # The vice-chair finds it in the queue, comments on a line, and returns it with a note.
    sign_in("phochutich")
    queue = page.locator("section.queue", has_text="Chờ tôi duyệt")
    queue.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Đây là lần trình đầu tiên")).to_be_visible()
    page.locator(".dl", has_text="Tổ chức trang trọng").get_by_role("link", name="Góp ý").click()
    expect(page.get_by_label("Góp ý cho")).to_have_value("5")
    page.get_by_label("Nội dung góp ý").fill("Nêu rõ yêu cầu tiết kiệm.")
    page.get_by_role("button", name="Gửi góp ý").click()
    expect(page.locator("#comments").get_by_text("Nêu rõ yêu cầu tiết kiệm.")).to_be_visible()
    panel = page.locator("#workflow-panel")
    panel.get_by_role("button", name="Trả lại").click()
    expect(panel.get_by_text("Vui lòng ghi rõ ý kiến khi trả lại văn bản")).to_be_visible()  # nothing changed
    panel.get_by_label("Ý kiến khi trả lại").fill("Ghi rõ thời gian tổ chức Ngày hội.")
    panel.get_by_role("button", name="Trả lại").click()
    expect(panel.get_by_text("Văn bản đã trả lại để chỉnh sửa.")).to_be_visible()
    expect(panel.locator(".badge").first).to_have_text("Trả lại")
    _sign_out(page)

    # The clerk sees why, fixes the text and submits again.
    sign_in("chuyenvien")
    returned = page.locator("section.queue", has_text="Văn bản bị trả lại")
    expect(returned.get_by_text("Ghi rõ thời gian tổ chức Ngày hội.")).to_be_visible()
    returned.get_by_role("link", name=TITLE).click()
    page.wait_for_url(document_url)
    expect(page.locator("#workflow-panel").get_by_text("Lý do trả lại")).to_be_visible()
    page.get_by_label("Nội dung", exact=True).fill(FIXED_BODY)
    page.locator("#document-form").get_by_role("button", name="Lưu", exact=True).last.click()
    expect(page.get_by_text(re.compile(r"Đã lưu văn bản"))).to_be_visible()
    panel = page.locator("#workflow-panel")
    expect(panel.get_by_label("Trình lãnh đạo duyệt")).to_have_value(re.compile(r"\d+"))  # the same approver
    panel.get_by_role("button", name="Trình duyệt").click()
    expect(page.get_by_text("Đã trình Đinh Văn Thắng duyệt.")).to_be_visible()
    _sign_out(page)

    # The vice-chair sees exactly what changed, word by word, and approves.
    sign_in("phochutich")
    page.locator("section.queue", has_text="Chờ tôi duyệt").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name="Thay đổi so với lần trình trước")).to_be_visible()
    expect(page.locator("#changes ins", has_text="tiết kiệm")).to_be_visible()
    expect(page.locator("#changes del", has_text="trong tháng")).to_be_visible()
    expect(page.locator("#changes ins", has_text="đến ngày 18/11/2026")).to_be_visible()
    panel = page.locator("#workflow-panel")
    panel.get_by_label("Đã kiểm tra nội dung").check()
    panel.get_by_role("button", name="Duyệt", exact=True).click()
    expect(panel.get_by_text("Hãy xác nhận đã kiểm tra thể thức trước khi duyệt.")).to_be_visible()
    panel.get_by_label("Đã kiểm tra nội dung").check()
    panel.get_by_label("Đã kiểm tra thể thức").check()
    panel.get_by_role("button", name="Duyệt", exact=True).click()
    expect(panel.get_by_text("Văn bản đã duyệt nội dung và thể thức.")).to_be_visible()
    expect(panel.locator(".badge").first).to_have_text("Đã duyệt")
    expect(panel.locator(".timeline")).to_contain_text("đã trả lại để chỉnh sửa")
    _sign_out(page)

    # The records clerk issues it: the register gives the number, which is printed in the .docx.
    sign_in("vanthu")
    page.locator("section.queue", has_text="Chờ phát hành").get_by_role("link", name=TITLE).click()
    page.locator("#workflow-panel").get_by_role("link", name=re.compile("Cấp số và phát hành")).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cấp số và phát hành").click()
    issued = page.get_by_text(re.compile(r"Đã cấp số \d+/KH-MTTQ-BTT ngày"))
    expect(issued).to_be_visible()
    number_symbol = re.search(r"\d+/KH-MTTQ-BTT", issued.inner_text()).group(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản phát hành (.docx)").click()
    docx_text = _docx_text(Path(download.value.path()).read_bytes())
    assert f"Số: {number_symbol}" in docx_text and TITLE in docx_text

    # ... and files the scanned signed copy, which archives it.
    page.get_by_label("Tải lên bản có chữ ký và lưu trữ").set_input_files(_scan(tmp_path / "ban-ky.png"))
    page.get_by_role("button", name="Tải lên và lưu trữ").click()
    expect(page.get_by_text(re.compile(r"Đã lưu bản có chữ ký .* và lưu trữ văn bản."))).to_be_visible()
    expect(page.locator(".badge", has_text="Đã lưu trữ").first).to_be_visible()

    # Anyone in the office finds it in the archive by its number.
    page.get_by_role("link", name="Lưu trữ", exact=True).click()
    page.get_by_label("Số").fill(number_symbol.split("/")[0])
    page.get_by_role("button", name="Tìm").click()
    result = page.locator("#archive-results").get_by_role("link", name=re.compile("Ngày hội Đại đoàn kết"))
    expect(result).to_be_visible()
    result.click()
    history = page.locator("#history")
    for step in ("đã trình duyệt", "đã trả lại để chỉnh sửa", "đã duyệt nội dung và thể thức",
                 "đã cấp số và phát hành", "đã lưu trữ bản có chữ ký"):
        expect(history).to_contain_text(step)
