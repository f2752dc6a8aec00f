"""A person's own e-mail choices: their address, and immediate letters, a daily digest or none."""

from __future__ import annotations

import re

from domain.mail.outbox import forget_pending, move_waiting
from domain.text.vietnamese import clean_text
from models.choices import MAIL_DAILY, MAIL_IMMEDIATE, MAIL_IN_DIGEST, MAIL_MODES, MAIL_OFF, MAIL_PENDING
from models.core import User, audit

EMAIL_MAX = 254
# Plain addresses as offices use them (name@domain.vn); no display names, no spaces, one @, a dot in the domain.
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")


def clean_email(raw: str | None) -> tuple[str, str | None]:
    """(the address as stored, lower case; a Vietnamese problem or None). Empty is allowed: no e-mail."""
    text = clean_text(raw or "", multiline=False).strip().lower()
    if not text:
        return "", None
    if len(text) > EMAIL_MAX or not _EMAIL.match(text):
        return text, "Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@mttq.ninhbinh.vn)."
    return text, None


def set_mail_preferences(user: User, email: str, mode: str, actor: User) -> None:
    """Store the address and the choice; letters already waiting follow the new choice."""
    if mode not in MAIL_MODES:
        raise ValueError(mode)
    before = {"email": user.email, "mail_mode": user.mail_mode}
    user.email, user.mail_mode = email, mode
    if mode == MAIL_OFF or not email:
        forget_pending(user)
    else:
        move_waiting(user, {MAIL_IMMEDIATE: MAIL_PENDING, MAIL_DAILY: MAIL_IN_DIGEST}[mode])
    if before != {"email": email, "mail_mode": mode}:
        audit("user.mail_preferences", user, user=actor, summary=f"Cách nhận thư: {MAIL_MODES[mode].label}",
              before=before, after={"email": email, "mail_mode": mode})


def unsubscribe(user: User) -> bool:
    """Stop every e-mail to this person (from the link in a letter); False when they had already stopped."""
    if user.mail_mode == MAIL_OFF:
        return False
    before = user.mail_mode
    user.mail_mode = MAIL_OFF
    forget_pending(user)
    audit("user.mail_unsubscribe", user, user=user, summary="Ngừng nhận thư điện tử (từ liên kết trong thư)",
          before={"mail_mode": before}, after={"mail_mode": MAIL_OFF})
    return True
