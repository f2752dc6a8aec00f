"""A clerk checks a Word file made elsewhere: the findings, grouped by element, beside the pictures of its pages with
each finding's number pinned where it is; then "Chuẩn hóa" makes a draft in the right format, the comparison lists
the one word of the original the draft does not have, and the draft opens in the editor."""

import re

from playwright.sync_api import expect

from extensions import db
from models.choices import DRAFT
from models.documents import Document

try:
    from format_check_fixtures import broken, fonts, para
except ImportError:  # pragma: no cover
    from tests.format_check_fixtures import broken, fonts, para


def typed_in_word(document):
    """What a district's clerk does in Word: the trích yếu in Arial 12."""
    fonts(para(document, "^Tuyên truyền thực hiện Chỉ thị"), name="Arial", size=12)


def test_a_clerk_checks_a_word_file_sees_where_each_finding_is_and_makes_a_correct_draft(
    page, live_server, sign_in, tmp_path
):
    source = tmp_path / "ke-hoach-huyen.docx"
    source.write_bytes(broken("draft", typed_in_word))
    sign_in("chuyenvien")
    page.get_by_role("link", name="Kiểm tra thể thức").click()
    page.get_by_label("Tệp văn bản (.docx)").set_input_files(str(source))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("ke-hoach-huyen.docx")
    findings = page.locator(".fc-findings")
    expect(findings.locator("h3.fc-element").first).to_have_text("Số, ký hiệu")
    trich_yeu = findings.locator("li.fc-finding", has_text="Arial")
    expect(trich_yeu.first).to_contain_text("Times New Roman")

    # The worker draws the pages; the page polls until they are there, then pins each finding on its page.
    expect(page.locator("figure.fc-page")).to_have_count(3, timeout=60_000)
    number = trich_yeu.first.locator(".fc-number").inner_text()
    marker = page.locator(f'#fc-page-1 a.fc-marker[data-findings*="{number}"]')
    expect(marker).to_have_count(1)
    marker.dispatch_event("click")
    expect(page).to_have_url(re.compile(r"#finding-\d+$"))

    page.get_by_role("button", name="Chuẩn hóa").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Dự thảo mới: Kế hoạch Tuyên truyền thực hiện"
    )
    # Every word is there but the archive line's unit: the office's own "Lưu: VT, …" replaces the district's.
    expect(page.locator(".fc-lost")).to_contain_text("1 từ của tệp gốc không có trong dự thảo mới")
    expect(page.locator(".fc-lost del")).to_have_text(["BTG"])
    expect(page.locator(".flash-warning")).to_contain_text("hãy chọn người ký")
    page.get_by_role("link", name="Mở dự thảo để sửa").click()
    expect(page.get_by_label("Trích yếu")).to_have_value(
        re.compile("^Tuyên truyền thực hiện Chỉ thị số 07-CT/TW")
    )
    draft_id = int(re.search(r"/documents/(\d+)", page.url)[1])

    # The session's other browser tests find the demo plan by its title: this draft of the same title goes again.
    with live_server["app"].app_context():
        draft = db.session.get(Document, draft_id)
        assert (draft.status, draft.created_by.username) == (DRAFT, "chuyenvien")
        db.session.delete(draft)
        db.session.commit()
