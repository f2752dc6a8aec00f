"""What the import takes: a Kế hoạch, or a Hướng dẫn (or any kind of models.choices.TRACKABLE_KINDS) whose
implementation section assigns work, saved as its own kind and followed up as a plan is; every file the page
accepts is named alike in its file dialog, its hint and its messages (domain.plans.uploads)."""

from __future__ import annotations

import json
import re
from datetime import date
from io import BytesIO

import pytest
from conftest import field_error
from sqlalchemy import func, select
from test_import_views import form_of, upload

from domain.access import visible_plans
from domain.plans.tasks import PlanError, propose_from_document
from domain.plans.tracking import start_tracking
from domain.plans.uploads import ACCEPTED_EXTENSIONS, UPLOAD_ACCEPT
from extensions import db as _db
from models import Document, User
from models.choices import GUIDE, LETTER, PLAN, PROGRAM, TRACKABLE_KINDS
from models.plans import PlanTask

HEAD = "ỦY BAN MTTQ VIỆT NAM\nXÃ AN BÌNH\nSố: 03/HD-MTTQ\nAn Bình, ngày 10 tháng 3 năm 2026\nHƯỚNG DẪN\n"
TAIL = "\nNơi nhận:\n- Các thôn;\n- Lưu: VT.\nTM. BAN THƯỜNG TRỰC\nCHỦ TỊCH\nNguyễn Văn An\n"
GUIDE_WITH_TASKS = (
    HEAD
    + """Công tác bầu cử tại khu dân cư
I. MỤC ĐÍCH, YÊU CẦU
1. Bảo đảm dân chủ, đúng luật.
II. NỘI DUNG
1. Hiệp thương giới thiệu người ứng cử.
III. TỔ CHỨC THỰC HIỆN
1. Ban Thường trực Ủy ban MTTQVN tỉnh
- Hướng dẫn các thôn tổ chức hội nghị cử tri.
2. Các huyện, thành phố
- Tổ chức hội nghị cử tri trước ngày 20/3/2026.
Trên đây là Hướng dẫn công tác bầu cử."""
    + TAIL
)
GUIDE_WITHOUT_TASKS = (
    HEAD
    + """Quy trình giới thiệu người ứng cử
I. HỘI NGHỊ CỬ TRI
1. Thành phần hội nghị gồm cử tri của thôn.
II. BIÊN BẢN
1. Biên bản ghi rõ số cử tri có mặt."""
    + TAIL
)


def post_text(client, text: str):
    return client.post("/plans/import", data={"text": text})


@pytest.mark.parametrize(
    ("title_line", "kind", "name"), [("HƯỚNG DẪN", GUIDE, "hướng dẫn"), ("CHƯƠNG TRÌNH", PROGRAM, "chương trình")]
)
def test_a_huong_dan_or_chuong_trinh_whose_implementation_section_assigns_work_is_saved_as_its_kind_with_its_tasks(
    client, login, app, people, title_line, kind, name
):
    login("clerk")
    text = GUIDE_WITH_TASKS.replace("HƯỚNG DẪN\n", f"{title_line}\n", 1)
    html = upload(client, "van-ban.txt", text.encode()).get_data(as_text=True)
    assert f"Kiểm tra {name} trước khi lưu" in html and "không phải kế hoạch" not in html
    fields = form_of(html)
    assert fields["task_count"] == "2"
    done = client.post("/plans/import/confirm", data=fields)
    assert done.status_code == 303
    with app.app_context():
        guide = _db.session.scalar(select(Document))
        assert (guide.kind, guide.title) == (kind, "Công tác bầu cử tại khu dân cư")
        tasks = _db.session.scalars(select(PlanTask).order_by(PlanTask.position)).all()
        assert [t.unit_id for t in tasks] == [people["office"], people["group"]]
        clerk = _db.session.scalar(select(User).where(User.username == "clerk"))
        assert _db.session.scalar(visible_plans(clerk).where(Document.id == guide.id)) is guide
        start_tracking(guide, clerk)  # followed up as a plan is
    listed = client.get("/plans").get_data(as_text=True)
    assert "Công tác bầu cử tại khu dân cư" in listed and f">{name.capitalize()}<" in listed
    assert client.get(done.headers["Location"]).status_code == 200


def test_a_huong_dan_without_an_implementation_section_imports_with_no_tasks_and_says_why(
    client, login, app, people
):
    login("clerk")
    html = post_text(client, GUIDE_WITHOUT_TASKS).get_data(as_text=True)
    assert "Kiểm tra hướng dẫn trước khi lưu" in html
    assert "Không tìm thấy nhiệm vụ nào: văn bản không có mục “Tổ chức thực hiện”" in html
    fields = form_of(html)
    assert fields["task_count"] == "0"
    assert client.post("/plans/import/confirm", data=fields).status_code == 303
    with app.app_context():
        assert _db.session.scalar(select(Document.kind)) == GUIDE
        assert _db.session.scalar(select(func.count(PlanTask.id))) == 0


def test_a_kind_that_assigns_no_work_is_refused_even_when_its_review_is_posted_by_hand(
    client, login, app, people
):
    login("clerk")
    fields = form_of(post_text(client, GUIDE_WITH_TASKS).get_data(as_text=True))
    fields["facts"] = fields["facts"].replace(f'"kind": "{GUIDE}"', f'"kind": "{LETTER}"')
    refused = client.post("/plans/import/confirm", data=fields)
    assert refused.status_code == 200 and "Văn bản là công văn: chỉ nhập được kế hoạch, hướng dẫn hoặc chương trình" in (
        refused.get_data(as_text=True)
    )
    with app.app_context():
        assert _db.session.scalar(select(func.count(Document.id))) == 0


def test_only_the_trackable_kinds_have_tasks_to_follow_up(app, people):
    assert {PLAN, GUIDE, PROGRAM} <= TRACKABLE_KINDS and LETTER not in TRACKABLE_KINDS
    with app.app_context():
        clerk = _db.session.scalar(select(User).where(User.username == "clerk"))
        letter = Document(kind=LETTER, title="Về việc báo cáo", body="I. NỘI DUNG\n1. Báo cáo.", status="draft",
                          year=2026)  # fmt: skip
        _db.session.add(letter)
        _db.session.flush()
        assert _db.session.scalar(visible_plans(clerk).where(Document.id == letter.id)) is None
        with pytest.raises(PlanError, match="^Chỉ kế hoạch, hướng dẫn hoặc chương trình mới có nhiệm vụ để theo dõi.$"):
            propose_from_document(letter, clerk, date(2026, 3, 10))


def test_the_file_dialog_the_hint_and_the_messages_name_every_accepted_format(client, login, people):
    login("clerk")
    page = client.get("/plans/import").get_data(as_text=True)
    assert f'accept="{UPLOAD_ACCEPT}"' in re.search(r'<input[^>]*type="file"[^>]*>', page)[0]
    hint = re.search(r'<p class="hint">(.*?)</p>', page)[1]
    empty = client.post("/plans/import", data={"file": (BytesIO(b""), ""), "text": ""},
                        content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    pdf = upload(client, "ke-hoach.pdf", b"%PDF-1.4 scanned").get_data(as_text=True)
    said = [hint, *field_error(empty), *field_error(pdf)]
    assert len(said) == 3
    for extension in ACCEPTED_EXTENSIONS:
        assert f".{extension}," in f"{UPLOAD_ACCEPT},"
        assert all(re.search(rf"\.{extension}\b", words) for words in said), extension


def test_the_command_saves_a_huong_dan_as_one_and_refuses_to_save_a_report(app, people, tmp_path):
    guide = tmp_path / "huong-dan.txt"
    guide.write_text(GUIDE_WITH_TASKS, encoding="utf-8")
    saved = app.test_cli_runner().invoke(args=["import-plan", str(guide), "--commit"])
    assert saved.exit_code == 0, saved.output
    with app.app_context():
        assert _db.session.get(Document, json.loads(saved.stdout)["document_id"]).kind == GUIDE
    report = tmp_path / "bao-cao.txt"
    report.write_text(GUIDE_WITH_TASKS.replace("HƯỚNG DẪN\n", "BÁO CÁO\n", 1), encoding="utf-8")
    refused = app.test_cli_runner().invoke(args=["import-plan", str(report), "--commit"])
    assert refused.exit_code != 0 and "không phải kế hoạch, hướng dẫn hoặc chương trình; không lưu" in refused.output
