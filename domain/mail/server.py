"""The administrator's SMTP settings: what is checked before they are stored, and a test letter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from domain.mail.letters import APP_NAME, letter
from domain.mail.smtp import connection, send
from domain.notifications import forget_mail_settings
from domain.text.vietnamese import clean_text
from models.choices import SMTP_SECURITY
from models.core import User, audit
from models.mail import MailSettings

_HOST = re.compile(r"^[A-Za-z0-9.\-]+$")
_BASE_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?(/[^\s?#]*)?$")


@dataclass
class ServerInput:
    enabled: bool
    host: str
    port: int
    security: str
    username: str
    password: str | None  # None: keep the stored one
    sender: str
    base_url: str


def _line(value: str | None) -> str:
    return clean_text(value or "", multiline=False).strip()


def check_server(data: ServerInput) -> dict[str, str]:
    """Field -> Vietnamese problem. Switched on, the host, sender and base URL are required."""
    errors: dict[str, str] = {}
    data.host, data.username, data.sender = _line(data.host), _line(data.username), _line(data.sender)
    data.base_url = _line(data.base_url).rstrip("/")
    if data.host and not _HOST.match(data.host):
        errors["host"] = "Tên máy chủ chỉ gồm chữ, số, dấu chấm và gạch ngang (ví dụ smtp.mttq.ninhbinh.vn)."
    if data.security not in SMTP_SECURITY:
        errors["security"] = "Cách mã hóa không hợp lệ."
    _name, address = parseaddr(data.sender)
    if data.sender and ("@" not in address or " " in address):
        errors["sender"] = "Người gửi phải có địa chỉ thư, ví dụ: Văn phòng <vanphong@mttq.ninhbinh.vn>."
    if data.base_url and not _BASE_URL.match(data.base_url):
        errors["base_url"] = "Địa chỉ phải bắt đầu bằng http:// hoặc https://, ví dụ https://vanban.mttq.ninhbinh.vn."
    if data.enabled:
        for name, label in (("host", "máy chủ SMTP"), ("sender", "người gửi"), ("base_url", "địa chỉ của hệ thống")):
            if not getattr(data, name) and name not in errors:
                errors[name] = f"Để gửi thư, cần nhập {label}."
    return errors


def save_server(row: MailSettings, data: ServerInput, actor: User) -> None:
    before = row.summary()
    row.enabled, row.host, row.port, row.security = data.enabled, data.host, data.port, data.security
    row.username, row.sender, row.base_url = data.username, data.sender, data.base_url
    if data.password is not None:
        row.password = data.password
    forget_mail_settings()
    audit("mail_settings.update", row, user=actor, summary="Sửa cài đặt thư điện tử", before=before,
          after=row.summary())


def send_test_letter(row: MailSettings, to: User) -> None:
    """A short letter to the administrator's own address, at once (raises MailFailed with the server's answer)."""
    test = letter(row.sender, to.email, f"[{APP_NAME}] Thư thử: máy chủ thư đã được cài đặt đúng",
                  f"Kính gửi {to.full_name},\n\nĐây là thư thử từ hệ thống {APP_NAME}. Thông báo sẽ được gửi qua máy "
                  f"chủ {row.host}:{row.port}.\nĐịa chỉ của hệ thống: {row.base_url}\n")
    with connection(row) as server:
        send(server, test)
