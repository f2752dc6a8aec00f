"""A clerk writes a short plan: the page preview follows the typing, a structure problem is pointed out, the
Nơi nhận picker works in place, the plan is saved and downloaded as a .docx that python-docx opens."""

import io
import re
from pathlib import Path

import docx
from playwright.sync_api import expect


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


def test_clerk_writes_a_plan_watches_the_preview_and_downloads_the_docx(page, live_server, sign_in):
    url = live_server["url"]
    sign_in("chuyenvien")
    page.get_by_role("link", name="Văn bản", exact=True).click()
    page.get_by_role("link", name="+ Soạn văn bản mới").click()
    page.locator(".kind-choices").get_by_role("link", name=re.compile("^Kế hoạch")).click()
    expect(page.get_by_label("Loại văn bản")).to_have_value("KH")

    # The preview is redrawn in place: a marker set on this page survives every update.
    page.evaluate("window.__samePage = true")
    page.get_by_label("Trích yếu").fill("Tuyên truyền kỷ niệm Ngày truyền thống MTTQ Việt Nam")
    body = page.locator("textarea[name=body]")
    body.fill("I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao nhận thức của Nhân dân")
    preview = page.locator("#preview .sheet")
    expect(preview.locator("p.VBMuc")).to_have_text("I. MỤC ĐÍCH, YÊU CẦU")
    expect(preview.locator("p.VBTrichYeu")).to_have_text("Tuyên truyền kỷ niệm Ngày truyền thống MTTQ Việt Nam")
    expect(preview.locator("p.VBNoiDung").last).to_have_text("- Nâng cao nhận thức của Nhân dân./.")

    # A "2." with no "1." under the new section: a gentle warning beside its line, in the form and the preview.
    body.press("End")
    body.type("\nII. NỘI DUNG\n2. Tổ chức hội nghị")
    warnings = page.locator("#outline-warnings")
    expect(warnings).to_contain_text("Dòng 5")
    expect(warnings).to_contain_text("Mục “2.” đứng trước khi có mục “1.”")
    expect(preview.locator("p.has-warning")).to_have_text("2. Tổ chức hội nghị./.")
    warnings.get_by_role("button", name="Dòng 5").click()
    assert page.evaluate("document.activeElement.name") == "body"

    # The Nơi nhận picker works in place (htmx) and the preview follows it.
    page.get_by_label("Chọn đơn vị").select_option(label="Ban Tuyên giáo Tỉnh ủy Ninh Bình")
    page.get_by_role("button", name="Thêm", exact=True).click()
    page.get_by_label("Dòng khác").fill("Các tổ chức thành viên")
    page.get_by_label("Dòng khác").press("Enter")
    recipients = page.locator("#recipients .recipient-list")
    expect(recipients).to_contain_text("- Ban Tuyên giáo Tỉnh ủy Ninh Bình;")
    expect(recipients.locator("input.recipient-text")).to_have_value("Các tổ chức thành viên")
    page.get_by_role("button", name="Lên: Các tổ chức thành viên").click()
    expect(preview.locator("p.VBNoiNhan")).to_have_text([
        "- Các tổ chức thành viên;", "- Ban Tuyên giáo Tỉnh ủy Ninh Bình;", "- Lưu: VT, Ban Tuyên giáo MTTQ tỉnh."])
    assert page.evaluate("window.__samePage") is True  # no reload so far

    # Leaving with unsaved text asks first; staying keeps everything.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator(".crumbs").get_by_role("link", name="Văn bản").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"] and page.evaluate("window.__samePage") is True

    page.get_by_label("Người ký", exact=True).select_option(label="Đinh Văn Thắng — PHÓ CHỦ TỊCH")
    page.get_by_role("button", name="Tạo dự thảo").click()
    expect(page.get_by_text("Đã tạo dự thảo văn bản.")).to_be_visible()
    assert re.fullmatch(rf"{re.escape(url)}/documents/\d+", page.url)
    expect(page.locator("#revisions")).to_contain_text("Phiên bản 1")
    expect(page.locator("#preview p.VBHoTenKy")).to_have_text("Đinh Văn Thắng")

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải .docx").click()
    download = info.value
    assert download.suggested_filename == "KH-du-thao.docx"
    text = _docx_text(Path(download.path()).read_bytes())
    assert "Tuyên truyền kỷ niệm Ngày truyền thống MTTQ Việt Nam" in text
    assert "I. MỤC ĐÍCH, YÊU CẦU" in text and "2. Tổ chức hội nghị./." in text
    assert "- Các tổ chức thành viên;" in text and "PHÓ CHỦ TỊCH" in text


def test_the_demo_plan_opens_read_only_for_the_vice_chair_with_its_page(page, live_server, sign_in):
    sign_in("phochutich")
    page.goto(live_server["url"] + "/documents?q=chi thi so 07")
    page.get_by_role("link", name=re.compile("^Tuyên truyền thực hiện Chỉ thị số 07")).click()
    expect(page.locator("#document-form")).to_have_count(0)
    sheet = page.locator(".sheet")
    expect(sheet.locator("p.VBMuc").first).to_have_text("I. MỤC ĐÍCH, YÊU CẦU")
    expect(sheet.locator("p.VBQuyenHanKy")).to_have_text("TM. BAN THƯỜNG TRỰC")
    expect(sheet.locator("p.VBNoiNhan").last).to_have_text("- Lưu: VT, Ban Tuyên giáo MTTQ tỉnh.")
