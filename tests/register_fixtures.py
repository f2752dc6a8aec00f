"""Helpers for the register, archive and signed-copy tests: approved documents and fixed office times."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy import select

from extensions import db
from models import Document, Unit, User

OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def office_time(*args: int) -> datetime:
    """An aware datetime on the office's clock: office_time(2025, 12, 31, 23, 59)."""
    return datetime(*args, tzinfo=OFFICE_TZ)


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def make_document(title: str, *, kind: str = "KH", status: str = "approved",
                  body: str = "Ban Thường trực tổ chức tuyên truyền sâu rộng trong Nhân dân.",
                  signer: str | None = "approver", author: str = "clerk", recipients: list[str | int] = (),
                  year: int = 2026) -> Document:
    """A document as the workflow leaves it (status set directly); recipients are unit ids or free text."""
    document = Document(kind=kind, title=title, body=body, status=status, year=year,
                        signer_id=user(signer).id if signer else None, signer_title="PHÓ CHỦ TỊCH",
                        created_by_id=user(author).id)
    document.set_recipients([(r, "") if isinstance(r, int) else (None, r) for r in recipients])
    db.session.add(document)
    db.session.flush()
    return document


def district_ids() -> dict[str, int]:
    return {u.slug: u.id for u in db.session.scalars(select(Unit))}


def write_pdf(objects: list[bytes]) -> bytes:
    """A PDF file from its numbered objects (object 1 is the catalog): header, bodies, cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pdf_bytes(*lines: str) -> bytes:
    """A one-page PDF whose text layer holds the lines (Helvetica, WinAnsi: non-Latin-1 letters become "?").

    Tests write the Vietnamese parts already folded ("ngay 05 thang 01 nam 2026"): the check folds both sides.
    """
    text_ops = []
    y = 800
    for line in lines:
        safe = line.encode("latin-1", "replace").decode("latin-1").replace("\\", "\\\\").replace("(", "\\(")
        safe = safe.replace(")", "\\)")
        text_ops.append(f"BT /F1 11 Tf 40 {y} Td ({safe}) Tj ET")
        y -= 16
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
    ]
    return write_pdf(objects)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (60, 80), color: str = "white") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


# ---- builders for the route x role table (tests/test_security.py ID_BUILDERS) ----------------------------


def registered_document(_people) -> int:
    """An issued document with its register entry and search keys (committed: issuing starts a transaction)."""
    from domain.register import numbering as reg

    document = make_document("Tuyên truyền Chỉ thị số 07-CT/TW")
    db.session.commit()
    reg.issue(document, user("records"), office_time(2026, 3, 2, 9, 0))
    db.session.commit()
    return document.id


def reserved_entry(_people) -> int:
    from domain.register import numbering as reg

    db.session.commit()
    register = reg.register_for("KH")
    db.session.commit()
    entry = reg.reserve(register, user("records"), office_time(2026, 3, 2, 9, 0), "Giữ số cho Công văn")
    db.session.commit()
    return entry.id


def approved_document(_people) -> int:
    document = make_document("Kế hoạch chờ cấp số")
    db.session.flush()
    return document.id
