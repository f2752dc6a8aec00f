"""A province's onboarding workbook, and the administrator's steps through the test client: preview, confirm."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from domain.onboarding.sheet import COLUMNS
from extensions import db as _db
from models import Unit, User

TITLES = [title for _key, title, _ in COLUMNS]
GROUP = "Các xã, phường"
# A slip's row: the user name, then the one-time password.
SLIP_ROW = re.compile(r'<code>([a-z0-9-]+)</code></td><td><code class="otp">([a-z0-9]{10})</code>')


def workbook(rows: list[list], titles: list[str] = TITLES) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(titles)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def province(units: int = 130) -> list[list]:
    """A group row, then `units` communes and wards under it, each with its reporter."""
    rows = [[GROUP, "", "Ủy ban cấp dưới", "xa-phuong", "", "", ""]]
    for n in range(1, units + 1):
        kind = "xã" if n % 3 else "phường"
        rows.append([f"Ủy ban MTTQ Việt Nam {kind} Thử Nghiệm {n}", "xa-phuong", "", f"{kind[0]}-thu-nghiem-{n}".replace("ư", "u"),
                     f"Nguyễn Văn Số {n}", f"0912 {n:03d} {n:03d}", f"canbo{n}@mttq.example.vn"])
    return rows


def preview(client, data: bytes, name: str = "don-vi.xlsx"):
    return client.post("/admin/onboarding/preview", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def previewed_digest(client, data: bytes) -> str:
    """Preview a valid file; the digest its confirmation form carries."""
    page = preview(client, data).get_data(as_text=True)
    return re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (_db.session.scalar(select(func.count(Unit.id))), _db.session.scalar(select(func.count(User.id))))
