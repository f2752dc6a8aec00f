"""A real SMTP server inside the test process (aiosmtpd), and the office's mail settings pointing at it."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from domain.notifications import forget_mail_settings
from extensions import db
from models.choices import SMTP_PLAIN
from models.mail import MailSettings

BASE_URL = "https://vanban.mttq.example.vn"
SENDER = "Văn phòng Ủy ban MTTQ tỉnh <vanphong@mttq.example.vn>"


class Inbox:
    """What the server received: (envelope sender, envelope recipients, the parsed letter)."""

    def __init__(self):
        self.letters: list[tuple[str, list[str], EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        letter = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.letters.append((envelope.mail_from, list(envelope.rcpt_tos), letter))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [letter for _from, rcpts, letter in self.letters if address in rcpts]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """Start with .start(), stop with .stop(); `inbox` holds every letter received."""

    def __init__(self, port: int | None = None):
        self.inbox = Inbox()
        self.port = port or free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


def point_mail_at(port: int, *, enabled: bool = True) -> MailSettings:
    """The office's settings: plain SMTP on this port of the machine, links under BASE_URL."""
    row = MailSettings.current()
    row.enabled, row.host, row.port, row.security = enabled, "127.0.0.1", port, SMTP_PLAIN
    row.username, row.password, row.sender, row.base_url = "", "", SENDER, BASE_URL
    db.session.flush()
    forget_mail_settings()
    return row
