"""The e-mails themselves: one notification, or a day's digest. Vietnamese, UTF-8, every link absolute.

Every letter carries a signed link that stops the person's e-mails without signing in (and the List-Unsubscribe
header mail programs show as a button). The paths are written here once; the auth blueprint serves them.
"""

from __future__ import annotations

from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from itsdangerous import BadSignature, URLSafeSerializer

from domain.text.vietnamese import nfc
from models.choices import NOTIFICATION_KINDS, choice_of
from models.core import Notification, User
from models.mail import MailSettings

SETTINGS_PATH = "/account/settings"
UNSUBSCRIBE_PATH = "/mail/unsubscribe/"
_SALT = "mail-unsubscribe"
SUBJECT_MESSAGE_MAX = 90
APP_NAME = "Văn bản & Nhiệm vụ"


def unsubscribe_token(secret_key: str, user: User) -> str:
    """A link token that names the person; it never expires (an old letter's link must still work)."""
    return URLSafeSerializer(secret_key, salt=_SALT).dumps({"user": user.id})


def user_id_from_token(secret_key: str, token: str) -> int | None:
    try:
        data = URLSafeSerializer(secret_key, salt=_SALT).loads(token)
    except BadSignature:
        return None
    user_id = data.get("user") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


def absolute(settings: MailSettings, path: str) -> str:
    """A path of the application as a full address under the configured base URL."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.base_url.rstrip("/") + "/" + path.lstrip("/")


def _footer(settings: MailSettings, user: User, secret_key: str, organization: str) -> tuple[str, str]:
    stop = absolute(settings, UNSUBSCRIBE_PATH + unsubscribe_token(secret_key, user))
    text = (f"\n--\nThư tự động từ hệ thống {APP_NAME}"
            f"{' của ' + organization if organization else ''}; vui lòng không trả lời thư này.\n"
            f"Đổi cách nhận thư (ngay / tổng hợp hằng ngày / không nhận): {absolute(settings, SETTINGS_PATH)}\n"
            f"Ngừng nhận thư điện tử: {stop}\n")
    return text, stop


def _letter(settings: MailSettings, user: User, subject: str, body: str, stop: str) -> MIMEText:
    return letter(settings.sender, user.email, subject, body, stop)


def letter(sender: str, to: str, subject: str, body: str, stop: str = "") -> MIMEText:
    """A plain-text letter in UTF-8. The subject is encoded by email.header.Header: the newer email policy folds a
    long Vietnamese subject into encoded words that drop the space between two words ("nhiệmvụ") in mail readers."""
    message = MIMEText(nfc(body), "plain", "utf-8")
    message["Subject"] = Header(nfc(subject), "utf-8")
    name, address = parseaddr(sender)
    message["From"] = formataddr((nfc(name), address), charset="utf-8")
    message["To"] = to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    if stop:
        message["List-Unsubscribe"] = f"<{stop}>"
    message["Auto-Submitted"] = "auto-generated"
    return message


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def notification_letter(settings: MailSettings, note: Notification, user: User, secret_key: str,
                        organization: str = "") -> MIMEText:
    """One notification as a letter: the kind and the message in the subject, the link to open it."""
    kind = choice_of(NOTIFICATION_KINDS, note.kind).label
    footer, stop = _footer(settings, user, secret_key, organization)
    body = f"Kính gửi {user.full_name},\n\n{note.message}\n"
    if note.link:
        body += f"\nXem chi tiết: {absolute(settings, note.link)}\n"
    return _letter(settings, user, f"[{APP_NAME}] {kind}: {_short(note.message, SUBJECT_MESSAGE_MAX)}",
                   body + footer, stop)


def digest_letter(settings: MailSettings, notes: list[Notification], user: User, secret_key: str,
                  organization: str = "") -> MIMEText:
    """A day's notifications in one letter, newest last, each with its link."""
    footer, stop = _footer(settings, user, secret_key, organization)
    lines = [f"Kính gửi {user.full_name},", "", f"Bạn có {len(notes)} thông báo mới:", ""]
    for number, note in enumerate(notes, 1):
        kind = choice_of(NOTIFICATION_KINDS, note.kind).label
        lines.append(f"{number}. [{kind}] {note.message}")
        if note.link:
            lines.append(f"   {absolute(settings, note.link)}")
    return _letter(settings, user, f"[{APP_NAME}] Tổng hợp {len(notes)} thông báo mới",
                   "\n".join(lines) + "\n" + footer, stop)
