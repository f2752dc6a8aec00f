"""Onboarding runs in the background: the confirmation checks the whole file and asks for a job (a bad file asks
for none and makes nothing); the page says the job waits, shows how far it is, then the slips to print; the job
makes every unit and account in one transaction, once however often it is sent or tried; the one-time passwords
are never stored in plain text, open only in the confirming administrator's session, and are gone for good once
the slips are printed."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from conftest import make_unit, make_user
from onboarding_fixtures import SLIP_ROW, counts, preview, previewed_digest, province, workbook
from sqlalchemy import func, inspect, select

from domain import jobs
from domain.jobs import queue, runner
from domain.onboarding import job as onboarding_job
from domain.onboarding.sealed import SealBroken, new_key_pair, open_sealed, seal
from extensions import db
from models import AuditEvent, Unit, User
from models.choices import ADMIN, DONE, FAILED, JOB_ONBOARDING, JOB_PDF_PREVIEW, QUEUED
from models.jobs import Job


@pytest.fixture
def queued(app):
    """The jobs wait in memory until the test runs them, as they wait for the worker."""
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    return app


def confirm(client, units: int = 30) -> str:
    """Preview and confirm a province of `units` communes; the job page it leads to."""
    done = client.post("/admin/onboarding/confirm", data={"digest": previewed_digest(client, workbook(
        province(units))), "filename": "don-vi.xlsx"})
    assert done.status_code == 303, done.get_data(as_text=True)
    return done.headers["Location"]


def the_job() -> Job:
    db.session.expire_all()
    return db.session.scalar(select(Job).where(Job.kind == JOB_ONBOARDING).order_by(Job.id.desc()))


def made() -> tuple[int, int]:
    """Units and users now, read inside the test's app context; its transaction ends, as a page's would."""
    db.session.commit()
    found = (db.session.scalar(select(func.count(Unit.id))), db.session.scalar(select(func.count(User.id))))
    db.session.commit()
    return found


def run_now(job_id: int) -> None:
    db.session.commit()  # as a worker's thread, no transaction of the test's is open
    runner.run(job_id)


def test_the_page_says_waiting_then_shows_the_progress_then_the_slips(queued, client, login, people, monkeypatch):
    login("admin")
    before = counts(queued)
    page_url = confirm(client, units=30)
    waiting = client.get(page_url).get_data(as_text=True)
    assert "Đang chờ" in waiting and "chưa có tiến trình xử lý nền nào chạy" in waiting
    assert 'hx-trigger="every 2s"' in waiting and f"next={page_url}" in waiting
    assert counts(queued) == before, "nothing is made before the job runs"
    seen = []
    real_progress = jobs.report_progress

    def progress_and_look(text: str) -> None:  # what the administrator's page shows at that moment
        real_progress(text)
        if "20/30" in text:  # asked from another thread, as from another process: none of the job's context
            look = threading.Thread(target=lambda: seen.append(client.get(page_url).get_data(as_text=True)))
            look.start()
            look.join()

    monkeypatch.setattr(jobs, "report_progress", progress_and_look)
    with queued.app_context():
        run_now(the_job().id)
    [running] = seen
    assert "Đang xử lý" in running and "Đã tạo mật khẩu tạm thời cho 20/30 tài khoản…" in running
    polled = client.get(f"/jobs/{the_job_id(queued)}", query_string={"next": page_url},
                        headers={"HX-Request": "true"})
    assert polled.headers["HX-Redirect"] == page_url
    printed = client.get(page_url).get_data(as_text=True)
    assert "Đã tạo 31 đơn vị và 30 tài khoản báo cáo" in printed and len(SLIP_ROW.findall(printed)) == 30
    assert counts(queued) == (before[0] + 31, before[1] + 30)

    printed_done = client.post(f"{page_url}/forget")
    assert printed_done.status_code == 303
    after = client.get(page_url).get_data(as_text=True)
    assert SLIP_ROW.findall(after) == [] and "Đã xóa mật khẩu tạm thời khỏi hệ thống" in after
    assert "Đã tạo 31 đơn vị và 30 tài khoản báo cáo" in after and "đã được xóa khỏi hệ thống sau khi in" in after
    with queued.app_context():
        assert onboarding_job.SEALED not in the_job().result
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "onboarding.passwords_forgotten"))


def the_job_id(app) -> int:
    with app.app_context():
        return the_job().id


def _every_text_in_the_database() -> str:
    texts = []
    with db.engine.connect() as connection:
        for table in inspect(db.engine).get_table_names():
            for row in connection.exec_driver_sql(f'SELECT * FROM "{table}"'):
                texts += [value for value in row if isinstance(value, str)]
    return "\n".join(texts)


def test_the_one_time_passwords_are_never_stored_in_plain_text(app, client, login, people):
    with app.app_context():
        make_user("admin2", {ADMIN})
        db.session.commit()
    login("admin")
    page_url = confirm(client, units=12)
    accounts = dict(SLIP_ROW.findall(client.get(page_url).get_data(as_text=True)))
    assert len(accounts) == 12
    with app.app_context():
        stored = _every_text_in_the_database()
        assert not [p for p in accounts.values() if p in stored], "a one-time password is in the database"
        job = the_job()
        assert onboarding_job.SEALED in job.result and "public_key" in job.params
        with pytest.raises(SealBroken):  # the sealed slips do not open with any other key
            open_sealed(new_key_pair()[0], job.result[onboarding_job.SEALED])
    assert list(Path(app.config["CACHE_DIR"], "onboarding").glob("*.xlsx")) == [], "the waiting file is removed"
    # Another administrator follows the job but cannot read the passwords: the key is in the first one's session.
    login("admin2")
    other = client.get(page_url).get_data(as_text=True)
    assert "Đã tạo 13 đơn vị và 12 tài khoản báo cáo" in other and SLIP_ROW.findall(other) == []
    assert "chỉ mở được trên trình duyệt đã bấm “Xác nhận”" in other


def test_a_job_run_twice_creates_nothing_twice(queued, client, login, people):
    login("admin")
    before = counts(queued)
    confirm(client, units=10)
    with queued.app_context():
        job_id = the_job().id
        run_now(job_id)
        run_now(job_id)  # the same message delivered again: the claim lets it run once
        assert (the_job().state, the_job().attempts) == (DONE, 1)
        assert made() == (before[0] + 11, before[1] + 10)
        # Whatever sends it once more (its row set back to waiting): the file is checked again, the units and
        # user names are there already, and nothing is made a second time.
        job = the_job()
        job.state = QUEUED
        run_now(job_id)
        job = the_job()
        assert job.state == FAILED and "đã có trong hệ thống" in job.error and "chưa tạo gì" in job.error
        assert made() == (before[0] + 11, before[1] + 10)
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "onboarding.import")) == 1


def test_an_attempt_that_dies_half_way_leaves_nothing_and_the_retry_makes_everything_once(queued, client, login,
                                                                                          people, monkeypatch):
    queued.config["JOBS_RETRY_BACKOFF_SECONDS"] = 0
    login("admin")
    before = counts(queued)
    confirm(client, units=10)
    real_create = onboarding_job.create_all

    def create_then_die(plan, admin, credentials, job_id):
        made = real_create(plan, admin, credentials, job_id)
        db.session.flush()  # every unit and account written in the job's transaction
        if db.session.get(Job, job_id).attempts == 1:
            raise OSError(28, "No space left on device")
        return made

    monkeypatch.setattr(onboarding_job, "create_all", create_then_die)
    with queued.app_context():
        job_id = the_job().id
        run_now(job_id)
        job = the_job()
        assert (job.state, job.attempts) == (QUEUED, 1) and "No space left" in job.error
        assert made() == before, "the failed attempt left no unit and no account"
        run_now(job_id)  # the retry
        assert (the_job().state, the_job().attempts) == (DONE, 2)
        assert made() == (before[0] + 11, before[1] + 10)
        assert db.session.scalar(select(func.count(User.id)).where(User.username == "x-thu-nghiem-1")) == 1


def test_a_bad_file_makes_nothing_and_asks_for_no_job(app, client, login, people):
    login("admin")
    before = counts(app)
    bad = preview(client, workbook([["", "", "", "xa-trong", "Trần Thị B", "", ""]]))
    assert bad.status_code == 422 and 'name="digest"' not in bad.get_data(as_text=True)
    digest = previewed_digest(client, workbook(province(5)))
    with app.app_context():  # meanwhile someone gives the file's group code to another unit
        make_unit("Nhóm khác", slug="xa-phuong")
        db.session.commit()
    refused = client.post("/admin/onboarding/confirm", data={"digest": digest})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "mã đơn vị “xa-phuong” đã dùng cho đơn vị “Nhóm khác”" in page
    assert counts(app) == (before[0] + 1, before[1])
    with app.app_context():
        assert db.session.scalar(select(func.count(Job.id))) == 0


def test_a_job_that_finds_the_directory_changed_makes_nothing_and_says_why(queued, client, login, people):
    login("admin")
    before = counts(queued)
    page_url = confirm(client, units=5)
    with queued.app_context():  # between the confirmation and the worker
        make_unit("Nhóm khác", slug="x-thu-nghiem-2")
        db.session.commit()
        run_now(the_job().id)
        job = the_job()
        assert job.state == FAILED and job.attempts == 1
        assert "Danh mục đơn vị đã thay đổi từ lúc xác nhận; chưa tạo gì." in job.error
        assert "Dòng 4: mã đơn vị “x-thu-nghiem-2” đã dùng cho đơn vị “Nhóm khác”" in job.error
    assert counts(queued) == (before[0] + 1, before[1])
    page = client.get(page_url).get_data(as_text=True)
    assert "Không thành công" in page and "Tải tệp lên lại" in page and SLIP_ROW.findall(page) == []


def test_only_administrators_follow_an_onboarding_job(queued, client, login, people):
    login("admin")
    page_url = confirm(client, units=3)
    job_id = the_job_id(queued)
    with queued.app_context():
        clerk = db.session.scalar(select(User).where(User.username == "clerk"))
        pdf = jobs.enqueue(JOB_PDF_PREVIEW, subject="document:1", user=clerk)
        db.session.commit()
        pdf_id = pdf.id
    assert client.get(f"/admin/onboarding/jobs/{pdf_id}").status_code == 404  # not an onboarding job
    assert client.get("/admin/onboarding/jobs/999999").status_code == 404
    for name in ("reporter", "clerk"):
        login(name)
        assert client.get(page_url).status_code == 403
        assert client.post(f"{page_url}/forget").status_code == 403
        assert client.get(f"/jobs/{job_id}").status_code == 404
    assert counts(queued)[1] == 6, "the seed's people only: the job has not run"


def test_the_slips_key_stays_in_the_session_and_only_opens_its_own_job(app):
    private, public = new_key_pair()
    other_private, _ = new_key_pair()
    sealed = seal(public, "mật khẩu".encode())
    assert open_sealed(private, sealed) == "mật khẩu".encode()
    for key, text in ((other_private, sealed), (private, sealed[:-4] + "AAAA"), (private, "không-phải")):
        with pytest.raises(SealBroken):
            open_sealed(key, text)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}=", private) and re.fullmatch(r"[A-Za-z0-9_-]{43}=", public)
