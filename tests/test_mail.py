"""Notifications by e-mail, read at a real SMTP server run in the test: the right recipients, Vietnamese subject and
body in UTF-8, links absolute to the configured address, a signed unsubscribe link that works without signing in,
the daily digest as a person's choice, retries while the server is down, and the administrator's settings page."""

from __future__ import annotations

import re

import pytest
from mail_fixtures import BASE_URL, SENDER, SmtpServer, free_port, point_mail_at
from plans_fixtures import tracked_plan, user
from sqlalchemy import func, select

from domain.mail.outbox import MAX_ATTEMPTS, deliver_pending, send_digests
from domain.notifications import notify_users
from extensions import db as _db
from models import AuditEvent, Notification
from models.choices import (
    MAIL_DAILY,
    MAIL_GAVE_UP,
    MAIL_IMMEDIATE,
    MAIL_IN_DIGEST,
    MAIL_NOT_WANTED,
    MAIL_OFF,
    MAIL_PENDING,
    MAIL_SENT,
    NOTE_TASKS_ASSIGNED,
    SMTP_STARTTLS,
)
from models.mail import MailSettings

REPORTER, OTHER = "thanh.la@yenmo.example.vn", "binh.ngo@kimson.example.vn"


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def _addresses(reporter_mode: str = MAIL_IMMEDIATE, other_mode: str = MAIL_DAILY) -> None:
    user("reporter").email, user("reporter").mail_mode = REPORTER, reporter_mode
    user("other_reporter").email, user("other_reporter").mail_mode = OTHER, other_mode


def _body(letter) -> str:
    return letter.get_body(preferencelist=("plain",)).get_content()


def test_a_notification_is_mailed_at_once_to_its_recipient_in_vietnamese_with_absolute_links(app, people, smtp):
    with app.app_context():
        point_mail_at(smtp.port)
        _addresses()
        tracked_plan(people)
        _db.session.commit()  # the delivery job runs when this commits (the tests' queue runs jobs at commit)
        letters = smtp.inbox.to(REPORTER)
        assert len(letters) == 1 and smtp.inbox.to(OTHER) == []  # the other district chose the digest
        [(mail_from, rcpts, letter)] = smtp.inbox.letters
        assert mail_from == "vanphong@mttq.example.vn" and rcpts == [REPORTER]
        assert letter["Subject"].startswith("[Văn bản & Nhiệm vụ] Được giao nhiệm vụ: Đơn vị được giao 2 nhiệm vụ")
        assert letter["From"] == SENDER and letter["To"] == REPORTER
        assert letter.get_body(preferencelist=("plain",)).get_content_charset() == "utf-8"
        body = _body(letter)
        assert "Kính gửi Lã Thị Thanh," in body and "Tuyên truyền thực hiện Chỉ thị số 07-CT/TW" in body
        assert f"Xem chi tiết: {BASE_URL}/my-tasks" in body
        links = re.findall(r"https?://\S+", body)
        assert links and all(link.startswith(BASE_URL + "/") for link in links)
        assert letter["List-Unsubscribe"].strip() == f"<{[x for x in links if '/mail/unsubscribe/' in x][0]}>"
        states = {n.user_id: n.mail_state for n in _db.session.scalars(
            select(Notification).where(Notification.kind == NOTE_TASKS_ASSIGNED))}
        assert states == {user("reporter").id: MAIL_SENT, user("other_reporter").id: MAIL_IN_DIGEST}


def test_the_daily_digest_is_one_letter_listing_the_days_notifications(app, people, smtp):
    with app.app_context():
        point_mail_at(smtp.port)
        _addresses(reporter_mode=MAIL_OFF)
        tracked_plan(people)
        notify_users([user("other_reporter").id], None, "Nhắc việc: còn 1 nhiệm vụ quá hạn.", "/my-tasks")
        _db.session.commit()
        assert smtp.inbox.letters == []  # nobody wants a letter at once
        result = send_digests(app.secret_key)
        assert result.sent == 2 and result.waiting == 0
        [(_from, rcpts, letter)] = smtp.inbox.letters
        assert rcpts == [OTHER] and letter["Subject"] == "[Văn bản & Nhiệm vụ] Tổng hợp 2 thông báo mới"
        body = _body(letter)
        assert "Kính gửi Ngô Văn Bình," in body and "1. [Được giao nhiệm vụ]" in body and "2. [Thông báo] Nhắc việc" in body
        assert f"{BASE_URL}/my-tasks" in body
        assert send_digests(app.secret_key).sent == 0  # sent once only
        assert len(smtp.inbox.letters) == 1


def test_the_unsubscribe_link_works_without_signing_in_and_stops_every_letter(app, client, people, smtp):
    with app.app_context():
        point_mail_at(smtp.port)
        _addresses()
        tracked_plan(people)
        _db.session.commit()
        body = _body(smtp.inbox.to(REPORTER)[0])
    link = re.search(rf"{re.escape(BASE_URL)}(/mail/unsubscribe/\S+)", body).group(1)
    ask = client.get(link)  # not signed in; a mail program may open it by itself: nothing changes on GET
    assert ask.status_code == 200 and "Ngừng nhận thư" in ask.get_data(as_text=True)
    with app.app_context():
        assert user("reporter").mail_mode == MAIL_IMMEDIATE
    assert client.post(link, csrf=False).status_code in (303, 400)  # the form's CSRF token is still needed
    with app.app_context():
        assert user("reporter").mail_mode == MAIL_IMMEDIATE
    done = client.post(link)
    assert done.status_code == 200 and "Đã ngừng gửi thư điện tử" in done.get_data(as_text=True)
    assert client.get(link[:-3] + "xyz").status_code == 404  # a forged token names nobody
    with app.app_context():
        assert user("reporter").mail_mode == MAIL_OFF
        assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.mail_unsubscribe"))
        notify_users([user("reporter").id], None, "Thông báo sau khi ngừng nhận thư.", "/")
        _db.session.commit()
        assert len(smtp.inbox.to(REPORTER)) == 1  # still only the first letter


def test_letters_wait_while_the_server_is_down_and_go_when_it_is_back(app, people):
    port = free_port()  # nothing listens there yet
    app.config["JOBS_RETRY_BACKOFF_SECONDS"] = 60  # the job's next try waits (the tests' queue would retry at once)
    with app.app_context():
        point_mail_at(port)
        _addresses(other_mode=MAIL_IMMEDIATE)
        tracked_plan(people)
        _db.session.commit()  # the job tries, fails, and is queued again for later
        notes = list(_db.session.scalars(select(Notification).where(Notification.kind == NOTE_TASKS_ASSIGNED)))
        assert {(n.mail_state, n.mail_attempts) for n in notes} == {(MAIL_PENDING, 1)}
        server = SmtpServer(port).start()
        try:
            result = deliver_pending(app.secret_key)  # what the retried job does
            assert (result.sent, result.waiting) == (2, 0)
            assert sorted(r for _f, rcpts, _l in server.inbox.letters for r in rcpts) == sorted([REPORTER, OTHER])
        finally:
            server.stop()


def test_a_letter_is_given_up_after_its_last_attempt_but_the_notification_stays(app, people):
    with app.app_context():
        point_mail_at(free_port())
        _addresses()
        note = notify_users([user("reporter").id], None, "Thử gửi thư.", "/")[0]
        _db.session.commit()
        for _ in range(MAX_ATTEMPTS):
            deliver_pending(app.secret_key)
        _db.session.refresh(note)
        assert (note.mail_state, note.mail_attempts) == (MAIL_GAVE_UP, MAX_ATTEMPTS)
        assert deliver_pending(app.secret_key).failed == 0  # nothing more is tried


def test_nothing_is_mailed_while_the_office_has_no_mail_server(app, people):
    with app.app_context():
        _addresses()
        note = notify_users([user("reporter").id], None, "Không có máy chủ thư.", "/")[0]
        _db.session.commit()
        assert note.mail_state == MAIL_NOT_WANTED


def test_a_person_sets_their_address_and_choice_on_their_own_settings_page(app, client, login, people, smtp):
    login("reporter")
    page = client.get("/account/settings").get_data(as_text=True)
    assert "Một thư tổng hợp mỗi ngày" in page and "Không nhận thư" in page
    bad = client.post("/account/settings", data={"email": "không phải địa chỉ", "mail_mode": MAIL_IMMEDIATE})
    assert "Địa chỉ thư điện tử không hợp lệ" in bad.get_data(as_text=True)
    assert client.post("/account/settings", data={"email": "x@y.vn", "mail_mode": "weekly"}).status_code == 200
    with app.app_context():
        assert user("reporter").email == ""
    ok = client.post("/account/settings", data={"email": " Thanh.La@YenMo.example.vn ", "mail_mode": MAIL_DAILY})
    assert ok.status_code == 303
    with app.app_context():
        assert (user("reporter").email, user("reporter").mail_mode) == ("thanh.la@yenmo.example.vn", MAIL_DAILY)
        assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.mail_preferences"))


def test_the_administrator_keeps_the_smtp_settings_and_sends_a_test_letter(app, client, login, people, smtp):
    login("clerk")
    assert client.get("/admin/organization/mail").status_code == 403
    login("admin")
    assert "Thư điện tử (SMTP)" in client.get("/admin/organization/mail").get_data(as_text=True)
    missing = client.post("/admin/organization/mail", data={"enabled": "y", "port": "587", "security": SMTP_STARTTLS})
    text = missing.get_data(as_text=True)
    assert "Để gửi thư, cần nhập máy chủ SMTP." in text and "cần nhập người gửi" in text
    bad = client.post("/admin/organization/mail", data={"port": "99999", "security": SMTP_STARTTLS,
                                                        "base_url": "vanban.local", "sender": "không có địa chỉ"})
    text = bad.get_data(as_text=True)
    assert "Cổng từ 1 đến 65535." in text and "http:// hoặc https://" in text and "Người gửi phải có địa chỉ thư" in text
    form = {"enabled": "y", "host": "127.0.0.1", "port": str(smtp.port), "security": "no_tls", "username": "",
            "password": "mat-khau-smtp", "sender": SENDER, "base_url": BASE_URL + "/"}
    assert client.post("/admin/organization/mail", data=form).status_code == 303
    form["password"] = ""  # an empty box keeps the stored password
    assert client.post("/admin/organization/mail", data=form).status_code == 303
    with app.app_context():
        row = MailSettings.current()
        assert (row.port, row.password, row.base_url) == (smtp.port, "mat-khau-smtp", BASE_URL)
        event = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail_settings.update")).first()
        assert "mat-khau-smtp" not in (event.after_json or "") and event.after["password_set"] is True
        row.password = ""  # the test server takes no password
        user("admin").email = "admin@mttq.example.vn"
        _db.session.commit()
    assert client.post("/admin/organization/mail/test").status_code == 303
    assert "Đã gửi thư thử" in client.get("/admin/organization/mail").get_data(as_text=True)
    [letter] = smtp.inbox.to("admin@mttq.example.vn")
    assert letter["Subject"].startswith("[Văn bản & Nhiệm vụ] Thư thử")


def test_the_morning_job_checks_deadlines_sends_the_digests_and_keeps_itself_scheduled(app, people, smtp):
    from datetime import date, datetime, timedelta

    from domain import jobs
    from domain.plans.daily_notices import next_run, run_daily, schedule_next
    from models.choices import JOB_DAILY_NOTICES, JOB_SEND_MAIL, QUEUED
    from models.core import utcnow
    from models.jobs import Job

    assert {JOB_DAILY_NOTICES, JOB_SEND_MAIL} <= set(jobs.KINDS)
    # 06:30 in Hà Nội is 23:30 UTC the day before.
    assert next_run(datetime(2026, 4, 27, 22, 0)) == datetime(2026, 4, 27, 23, 30)
    assert next_run(datetime(2026, 4, 28, 0, 0)) == datetime(2026, 4, 28, 23, 30)
    with app.app_context():
        point_mail_at(smtp.port)
        _addresses(reporter_mode=MAIL_DAILY, other_mode=MAIL_OFF)
        tracked_plan(people, due_on=date(2026, 4, 30))
        _db.session.commit()
        result = run_daily(date(2026, 4, 28))
        assert result["soon"] >= 2 and result["digest_letters_sent"] >= 2
        [letter] = smtp.inbox.to(REPORTER)
        body = _body(letter)
        assert "[Được giao nhiệm vụ]" in body and "[Sắp đến hạn] Sắp đến hạn (còn 2 ngày, 30/4/2026)" in body
        assert smtp.inbox.to(OTHER) == []
        now = utcnow()
        first = schedule_next(now)
        _db.session.commit()  # sent to the queue now; the worker claims it only once its time has come
        again = schedule_next(now + timedelta(minutes=1))  # the same morning: the same job
        _db.session.commit()
        _db.session.refresh(first)
        assert first.id == again.id and (first.state, first.run_after) == (QUEUED, next_run(now))
        assert _db.session.scalar(select(func.count(Job.id)).where(Job.kind == JOB_DAILY_NOTICES)) == 1
