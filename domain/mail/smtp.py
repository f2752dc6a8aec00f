"""Talking to the office's SMTP server: one connection for a batch of letters. Every exchange waits at most
TIMEOUT_SECONDS, or what is left of the sending job's time limit (domain.jobs.time_left) when that is less."""

from __future__ import annotations

import smtplib
import ssl
from contextlib import contextmanager
from email.message import Message

from domain import jobs
from models.choices import SMTP_SSL, SMTP_STARTTLS
from models.mail import MailSettings

TIMEOUT_SECONDS = 20


class MailFailed(Exception):
    """The server could not be reached or refused the letter; the message is Vietnamese, for the log and pages."""


def _timeout() -> float:
    """TIMEOUT_SECONDS, or less: what is left of the running job's time; out of time, the letter is not tried (it
    waits for the next attempt like any letter the server did not take)."""
    try:
        return jobs.time_left(TIMEOUT_SECONDS)
    except jobs.JobTimedOut as exc:
        raise MailFailed(str(exc)) from exc


@contextmanager
def connection(settings: MailSettings):
    """An open, signed-in SMTP connection per the settings; closed (QUIT) at the end."""
    context = ssl.create_default_context()
    try:
        if settings.security == SMTP_SSL:
            server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=_timeout(), context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=_timeout())
            if settings.security == SMTP_STARTTLS:
                server.starttls(context=context)
        if settings.username:
            server.login(settings.username, settings.password)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailFailed(f"Không kết nối được máy chủ thư {settings.host}:{settings.port}: {exc}") from exc
    try:
        yield server
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()


def send(server: smtplib.SMTP, letter: Message) -> None:
    try:
        if server.sock is not None:
            server.sock.settimeout(_timeout())
        server.send_message(letter)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailFailed(f"Máy chủ thư không nhận thư gửi {letter['To']}: {exc}") from exc
