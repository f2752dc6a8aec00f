"""Small things a clerk meets every day (issue 15), walked through in Chromium as each role would."""

import re
import threading

import docx
from playwright.sync_api import expect
from register_fixtures import pdf_bytes

from demo.organization import CLERK_USERNAME, RECORDS_USERNAME, VICE_CHAIR_USERNAME, person
from docgen import pdf as docgen_pdf
from domain import clock
from domain.documents import workflow as wf
from domain.register import numbering
from extensions import db
from models import Document
from models.choices import LETTER
from models.core import utcnow

BODY_LINES = ["Để chuẩn bị hội nghị, đề nghị các đơn vị:", "1. Báo cáo kết quả năm;", "2. Gửi trước ngày 15/12;",
              "3. Cử người dự."]


def test_the_plans_page_offers_a_new_plan_beside_the_import(page, live_server, sign_in):
    sign_in("chuyenvien")
    page.goto(live_server["url"] + "/plans")
    head = page.locator(".page-head")
    expect(head.get_by_role("link", name="Nhập kế hoạch từ tệp")).to_be_visible()
    head.get_by_role("link", name="Soạn kế hoạch mới").click()
    expect(page.get_by_label("Loại văn bản")).to_have_value("KH")


def _submitted_letter(app, title: str) -> int:
    """A fresh letter from the clerk, waiting for the vice-chair (each test its own, so none depends on another)."""
    with app.test_request_context():  # notifications carry links
        clerk, vice_chair = person(CLERK_USERNAME), person(VICE_CHAIR_USERNAME)
        letter = Document(kind=LETTER, title=title, body="\n".join(BODY_LINES), year=utcnow().year,
                          created_by_id=clerk.id, signer_id=vice_chair.id)
        db.session.add(letter)
        db.session.flush()
        letter.save_revision(clerk, "Tạo")
        wf.perform(letter, "submit", clerk, expected_status=letter.status, approver_id=vice_chair.id)
        db.session.commit()
        return letter.id


def _issued_letter(app, title: str) -> int:
    document_id = _submitted_letter(app, title)
    with app.test_request_context():  # notifications carry links
        letter = db.session.get(Document, document_id)
        wf.perform(letter, "approve", person(VICE_CHAIR_USERNAME), expected_status=letter.status, content_ok=True,
                   format_ok=True)
        db.session.commit()
        numbering.issue(letter, person(RECORDS_USERNAME), clock.now())
        db.session.commit()
        return document_id


def test_a_message_belongs_to_the_action_that_caused_it(page, live_server, sign_in):
    url = live_server["url"]
    document_id = _submitted_letter(live_server["app"], "V/v góp ý rồi trả lại")
    sign_in("phochutich")
    page.goto(f"{url}/documents/{document_id}/review")
    page.locator("#line-3").get_by_role("link", name="Góp ý").click()
    page.get_by_label("Nội dung góp ý").fill("Nêu rõ thời hạn.")
    page.get_by_role("button", name="Gửi góp ý").click()
    expect(page.get_by_text("Đã ghi góp ý cho dòng 3.")).to_be_visible()
    # A comment on a line chosen in the list, from the review page itself: the page is shown again with it.
    page.goto(f"{url}/documents/{document_id}/review")
    page.get_by_label("Góp ý cho").select_option(value="4")
    page.get_by_label("Nội dung góp ý").fill("Ghi rõ số người.")
    page.get_by_role("button", name="Gửi góp ý").click()
    expect(page.get_by_text("Đã ghi góp ý cho dòng 4.")).to_be_visible()
    expect(page.locator("#line-4 + .line-comment")).to_contain_text("Ghi rõ số người.")
    expect(page.get_by_text("Đã ghi góp ý cho dòng 3.")).to_have_count(0)

    page.get_by_label("Ý kiến khi trả lại").fill("Đề nghị sửa theo góp ý.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_text("Văn bản đã trả lại để chỉnh sửa.")).to_be_visible()
    expect(page.get_by_text(re.compile("Đã ghi góp ý"))).to_have_count(0)
    # Nor does it come back on the next page.
    page.goto(f"{url}/documents/{document_id}")
    expect(page.locator(".flash")).to_have_count(0)


def test_a_word_file_as_the_signed_copy_is_refused_plainly_and_a_reload_posts_nothing(page, live_server, sign_in,
                                                                                      tmp_path):
    url = live_server["url"]
    document_id = _issued_letter(live_server["app"], "V/v gửi bản ký")
    word = tmp_path / "Công văn đã ký.docx"
    document = docx.Document()
    document.add_paragraph("Công văn gửi các huyện")
    document.save(word)
    sign_in("vanthu")
    page.goto(f"{url}/archive/{document_id}")
    page.get_by_label("Tải lên bản có chữ ký và lưu trữ").set_input_files(str(word))
    page.get_by_role("button", name="Tải lên và lưu trữ").click()
    page.wait_for_url(f"{url}/archive/{document_id}")
    refusal = page.locator(".flash-error")
    expect(refusal).to_contain_text("Bản có chữ ký phải là tệp PDF (bản quét hoặc bản có chữ ký số) hoặc ảnh quét JPG/PNG.")
    expect(refusal).not_to_contain_text("DOCX")

    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.reload()
    expect(page.locator(".flash-error")).to_have_count(0)
    assert posts == []


def test_the_history_of_a_document_downloaded_ten_times_still_shows_its_transitions(page, live_server, sign_in):
    url = live_server["url"]
    document_id = _submitted_letter(live_server["app"], "V/v tải nhiều lần")
    sign_in("phochutich")
    page.goto(f"{url}/documents/{document_id}")
    for _ in range(10):
        with page.expect_download():
            page.get_by_role("link", name="Tải .docx").click()
    page.reload()
    timeline = page.locator("#workflow-panel .timeline > li")
    expect(timeline.filter(has_text="Đã xem/tải 10 lần")).to_have_count(1)
    expect(timeline.filter(has_text="đã trình duyệt")).to_have_count(1)
    expect(timeline).to_have_count(2)  # the submission and the count: no line per download


LAYOUT = """() => {
  const box = e => e.getBoundingClientRect();
  const lines = e => { const r = box(e), s = getComputedStyle(e);
    return Math.round((r.height - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)
                       - parseFloat(s.borderTopWidth) - parseFloat(s.borderBottomWidth)) / parseFloat(s.lineHeight)); };
  const links = [...document.querySelectorAll('.mainnav a')];
  return {navRows: new Set(links.map(a => Math.round(box(a).top))).size, linkLines: Math.max(...links.map(lines)),
          topbar: Math.round(box(document.querySelector('.topbar')).height),
          userRight: Math.round(box(document.querySelector('.userbox')).right),
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          buttons: [...document.querySelectorAll('.review-links .button')].map(lines)};
}"""


def test_the_menu_is_one_line_at_1280_and_wraps_tidily_at_1024(page, live_server, sign_in):
    url = live_server["url"]
    long_title = ("báo cáo kết quả thực hiện Kế hoạch tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư về đẩy mạnh "
                  "công tác thông tin cơ sở trong tình hình mới")
    document_id = _submitted_letter(live_server["app"], long_title)
    measured = {}
    for username in ("phochutich", "vanthu", "chuyenvien", "admin"):
        sign_in(username)
        for width in (1280, 1024):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{url}/documents/{document_id}/review")
            measured[username, width] = m = page.evaluate(LAYOUT)
            assert m["overflow"] <= 0 and m["userRight"] <= width, (username, width, m)  # nothing off the screen
            assert m["linkLines"] == 1, (username, width, m)  # no menu entry broken in two
            assert m["buttons"] == [1, 1], (username, width, m)  # "Xem bản PDF", "Trang văn bản" on one line each
            if width == 1280 and username != "admin":
                assert m["navRows"] == 1 and m["topbar"] < 56, (username, m)
            else:  # the administrator's eleven entries, and everyone at 1024: at most two rows of whole links
                assert m["navRows"] <= 2 and m["topbar"] < 90, (username, m)
        page.get_by_role("button", name="Đăng xuất").click()
    print({key: (m["navRows"], m["topbar"]) for key, m in measured.items()})


def _slow_libreoffice(monkeypatch, release: threading.Event, *, fails: bool = False):
    """LibreOffice as slow as the office's server is, held until the test has seen the progress page."""
    def convert(docx_bytes, cache_dir, timeout=60):
        release.wait(10)
        if fails:
            raise docgen_pdf.PdfConversionFailed("Không tạo được bản PDF: LibreOffice chạy quá 60 giây.")
        return pdf_bytes("Cong van")

    monkeypatch.setattr(docgen_pdf, "convert_docx_to_pdf", convert)


def test_the_pdf_preview_shows_its_progress_and_turns_into_the_pdf(page, live_server, sign_in, monkeypatch):
    url = live_server["url"]
    document_id = _submitted_letter(live_server["app"], "V/v xem bản PDF")
    release = threading.Event()
    _slow_libreoffice(monkeypatch, release)
    sign_in("phochutich")
    page.goto(f"{url}/documents/{document_id}")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Xem PDF").click()
    tab = opened.value
    expect(tab.get_by_role("heading", name="Đang tạo bản PDF…")).to_be_visible()
    expect(tab.locator("progress")).to_be_visible()
    with tab.expect_response(lambda r: r.url == f"{url}/documents/{document_id}/pdf"
                             and r.headers.get("content-type") == "application/pdf"):
        release.set()


def test_the_pdf_preview_says_plainly_when_libreoffice_fails(page, live_server, sign_in, monkeypatch):
    url = live_server["url"]
    document_id = _submitted_letter(live_server["app"], "V/v bản PDF không tạo được")
    release = threading.Event()
    _slow_libreoffice(monkeypatch, release, fails=True)
    sign_in("phochutich")
    page.goto(f"{url}/documents/{document_id}/pdf")
    expect(page.locator("progress")).to_be_visible()
    release.set()
    expect(page.get_by_role("heading", name="Không tạo được bản PDF")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("LibreOffice chạy quá 60 giây")
    expect(page.locator("progress")).to_have_count(0)
    expect(page.get_by_role("link", name="Tải bản .docx")).to_be_visible()
