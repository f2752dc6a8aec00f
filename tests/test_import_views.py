"""Importing an existing plan through the pages and the command line; every bad file is refused, nothing kept."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from importer_fixtures import plan_c_docx, zip_bytes
from plans_fixtures import SEED_FILE
from sqlalchemy import func, select

from extensions import db as _db
from models import AuditEvent, Document, DocumentRecipient, Unit
from models.plans import PlanTask

RECIPE_TEXT = """Cách nấu phở bò Nam Định
Nguyên liệu:
- 1 kg xương ống bò;
Cách làm:
1. Rửa sạch xương, chần qua nước sôi.
2. Ninh xương trong 6 tiếng.
"""


class FormReader(HTMLParser):
    """The fields of the first form posting to `action`, as a browser would submit them unchanged."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = [a["name"], None]
        elif tag == "option" and self._select is not None and ("selected" in a or self._select[1] is None):
            self._select[1] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.append(tuple(self._select))
            self._select = None
        elif tag == "form":
            self.inside = False


def form_of(html: str, action: str = "/plans/import/confirm") -> dict:
    reader = FormReader(action)
    reader.feed(html)
    fields: dict = {}
    for name, value in reader.fields:
        fields[name] = value.removeprefix("\n")  # a browser drops the newline right after <textarea>
    return fields


@pytest.fixture
def directory(app, people):
    """The seed's spellings of the two units of section III."""
    with app.app_context():
        group = _db.session.get(Unit, people["group"])
        group.name = "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố"
        _db.session.commit()
    return people


def upload(client, name: str, data: bytes):
    return client.post("/plans/import", data={"file": (BytesIO(data), name), "text": ""},
                       content_type="multipart/form-data")


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return (_db.session.scalar(select(func.count(Document.id))), _db.session.scalar(select(func.count(PlanTask.id))),
                _db.session.scalar(select(func.count(Unit.id))))


def test_the_seed_upload_proposes_its_five_tasks_and_confirming_creates_the_draft(client, login, app, directory):
    login("clerk")
    review = upload(client, "ke-hoach-chi-thi-07.txt", SEED_FILE.read_bytes())
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and "Kiểm tra kế hoạch trước khi lưu" in html
    fields = form_of(html)
    assert fields["task_count"] == "5" and sum(k.endswith("-include") for k in fields) == 5
    assert fields["title"].startswith("Tuyên truyền thực hiện Chỉ thị số 07-CT/TW")
    assert fields["signing_authority"] == "TM. BAN THƯỜNG TRỰC" and fields["signer_title"] == "PHÓ CHỦ TỊCH"
    assert [fields[f"task-{n}-unit_id"] for n in range(5)] == [str(directory["office"])] * 3 + [str(directory["group"])] * 2
    assert counts(app)[0] == 0  # nothing saved before the clerk confirms
    done = client.post("/plans/import/confirm", data=fields)
    assert done.status_code == 303
    with app.app_context():
        document = _db.session.scalar(select(Document))
        assert (document.kind, document.status) == ("KH", "draft")
        assert document.body.startswith("I. MỤC ĐÍCH, YÊU CẦU") and document.references_text.startswith("Thực hiện")
        tasks = _db.session.scalars(select(PlanTask).order_by(PlanTask.position)).all()
        assert [t.unit_id for t in tasks] == [directory["office"]] * 3 + [directory["group"]] * 2
        assert tasks[0].text == "Tổ chức học tập quán triệt Chỉ thị số 07 đến cán bộ, đảng viên trong cơ quan"
        recipients = _db.session.scalars(select(DocumentRecipient).order_by(DocumentRecipient.position)).all()
        assert [r.unit_id for r in recipients][2:4] == [directory["office"], directory["group"]]
        assert recipients[-1].text == "Lưu: VT, Ban Tuyên giáo MTTQ tỉnh"
        assert _db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "plan.import")) == 1
    assert done.headers["Location"].endswith(f"/plans/{document.id}")


def test_a_word_plan_with_a_task_table_and_pasted_text_are_read_too(client, login, app, directory):
    login("clerk")
    html = upload(client, "ke-hoach-27.docx", plan_c_docx()).get_data(as_text=True)
    fields = form_of(html)
    assert fields["task_count"] == "4" and "Tháng 8/2026" in fields.values()
    pasted = client.post("/plans/import", data={"text": SEED_FILE.read_text(encoding="utf-8")})
    assert form_of(pasted.get_data(as_text=True))["task_count"] == "5"


def test_names_not_in_the_directory_can_become_units(client, login, app, directory):
    login("clerk")
    fields = form_of(upload(client, "ke-hoach-27.docx", plan_c_docx()).get_data(as_text=True))
    names = {fields[k]: k.replace("-name", "-choice") for k in fields if k.startswith("name-") and k.endswith("-name")}
    assert "Ban Phong trào" in names and "Thường trực Tỉnh ủy" in names
    fields[names["Ban Phong trào"]] = "new_subordinate"
    fields[names["Thường trực Tỉnh ủy"]] = "new_external"
    assert client.post("/plans/import/confirm", data=fields).status_code == 303
    with app.app_context():
        created = {u.name: u for u in _db.session.scalars(select(Unit).where(Unit.sort_order == 1000))}
        assert (created["Ban Phong trào"].kind, created["Thường trực Tỉnh ủy"].kind) == ("subordinate", "external")
        task = _db.session.scalar(select(PlanTask).where(PlanTask.unit_text == "Ban Phong trào"))
        assert task.unit_id == created["Ban Phong trào"].id
        assert _db.session.scalar(select(DocumentRecipient.unit_id).where(
            DocumentRecipient.unit_id == created["Thường trực Tỉnh ủy"].id)) is not None


def test_a_confirmation_without_a_title_is_shown_again_and_saves_nothing(client, login, app, directory):
    login("clerk")
    fields = form_of(upload(client, "ke-hoach.txt", SEED_FILE.read_bytes()).get_data(as_text=True))
    fields["title"] = "  "
    fields["task-1-text"] = ""
    response = client.post("/plans/import/confirm", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Vui lòng nhập trích yếu" in html and "không được để trống" in html
    assert form_of(html)["task-0-text"].startswith("Tổ chức học tập")  # the clerk's work is still there
    assert counts(app)[:2] == (0, 0)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ke-hoach.txt", b"", "Tệp rỗng"),
        ("pho-bo.txt", RECIPE_TEXT.encode("utf-8"), "Không nhận ra cấu trúc kế hoạch"),
        ("ban-scan.pdf", b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /XObject /Subtype /Image>>", "Không đọc được tệp PDF"),
        ("khong-phai-zip.docx", "KẾ HOẠCH\nI. MỤC ĐÍCH".encode(), "không phải tệp Word"),
        ("bom.docx", zip_bytes({"word/document.xml": bytes(25 * 1024 * 1024)}), "nén bất thường"),
        ("../../etc/ke-hoach.txt", b"KE HOACH", "Tên tệp không hợp lệ"),
        ("lon.txt", b"I. MUC DICH\n" * 5000, "Tệp quá lớn"),
    ],
    ids=["empty", "unrelated", "scanned-pdf", "not-a-zip", "zip-bomb", "path-separators", "over-the-limit"],
)
def test_bad_files_get_a_clear_message_and_leave_nothing_behind(client, login, app, directory, name, data, message):
    app.config["PLAN_IMPORT_MAX_BYTES"] = 40_000  # a small limit stands in for a 50 MB file
    before = counts(app)
    login("clerk")
    response = upload(client, name, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and 'role="alert"' in html
    assert counts(app) == before
    assert [p for p in Path(app.config["FILES_DIR"]).rglob("*") if p.is_file()] == []


def test_an_upload_over_the_applications_limit_gets_a_vietnamese_413_page(client, login, app, directory):
    login("clerk")
    app.config["MAX_CONTENT_LENGTH"] = 50 * 1024  # stands in for the 25 MB default against a 50 MB file
    response = upload(client, "lon.docx", bytes(60 * 1024))
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)
    assert counts(app)[0] == 0


# ------------------------------------------------------------------------------------------------ the command


def test_the_command_prints_the_plan_as_json(app, directory):
    result = app.test_cli_runner().invoke(args=["import-plan", str(SEED_FILE)])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert {"kind", "title", "references", "sections", "tasks", "signature", "recipients"} <= set(plan)
    assert [(t["unit"], t["text"][:20]) for t in plan["tasks"]][3] == (
        "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố", "Xây dựng kế hoạch ph")
    assert counts(app)[0] == 0


def test_the_command_with_commit_saves_the_draft_and_prints_its_id(app, directory):
    result = app.test_cli_runner().invoke(args=["import-plan", str(SEED_FILE), "--commit"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    with app.app_context():
        document = _db.session.get(Document, plan["document_id"])
        assert document.kind == "KH" and document.status == "draft"
        assert _db.session.scalar(select(func.count(PlanTask.id)).where(PlanTask.document_id == document.id)) == 5


def test_the_command_refuses_a_bad_file_with_the_reason(app, tmp_path):
    bad = tmp_path / "ke-hoach.docx"
    bad.write_bytes(b"not a zip")
    result = app.test_cli_runner().invoke(args=["import-plan", str(bad)])
    assert result.exit_code == 1 and "không phải tệp Word" in result.output
