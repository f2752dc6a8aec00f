"""Documents for the documents tests: made directly in the database, in any status, with a Nơi nhận list."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
from sqlalchemy import select

from extensions import db
from models import Document, User

BODY = """I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Tuyên truyền sâu rộng Chỉ thị số 07-CT/TW trong Nhân dân.
2. Yêu cầu
Bám sát nội dung Chỉ thị.
II. TỔ CHỨC THỰC HIỆN
Ban Thường trực các huyện, thành phố báo cáo kết quả"""


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def make_document(*, title: str = "Tuyên truyền Chỉ thị số 07-CT/TW", body: str = BODY, kind: str = "KH",
                  status: str = "draft", recipients: list[tuple[int | None, str]] | None = None,
                  number: int | None = None, issued_on: date | None = None, year: int = 2026,
                  author: str = "clerk", signer: str | None = "approver", kinh_gui: str = "") -> Document:
    clerk = user(author)
    document = Document(kind=kind, title=title, body=body, year=year, status=status, number=number,
                        issued_on=issued_on, created_by_id=clerk.id, kinh_gui_text=kinh_gui,
                        references_text="Thực hiện Hướng dẫn số 20-HD/BTGTU ngày 03/5/2017 của Ban Tuyên giáo Tỉnh ủy;",
                        signer_id=user(signer).id if signer else None, signing_authority="TM. BAN THƯỜNG TRỰC")
    db.session.add(document)
    db.session.flush()
    document.set_recipients(recipients or [])
    db.session.flush()
    document.save_revision(clerk, "Tạo")
    db.session.commit()
    return document


def editor_form(**overrides) -> dict:
    """What the editor posts for a new plan; overrides replace fields (lists for the Nơi nhận rows)."""
    form = {
        "kind": "KH",
        "title": "Tuyên truyền kỷ niệm 95 năm Ngày truyền thống MTTQ Việt Nam",
        "references_text": "Thực hiện Hướng dẫn số 20-HD/BTGTU ngày 03/5/2017 của Ban Tuyên giáo Tỉnh ủy;",
        "body": BODY,
        "kinh_gui_text": "",
        "signer_id": "0",
        "signing_authority": "TM. BAN THƯỜNG TRỰC",
        "signing_deputy_line": "",
        "signer_title": "PHÓ CHỦ TỊCH",
        "reason": "",
        "recipient_unit": [],
        "recipient_text": [],
        "op": "save",
    }
    form.update(overrides)
    return form


def form_of(document: Document, **overrides) -> dict:
    """The editor form as the page would post it for this document."""
    form = editor_form(
        kind=document.kind, title=document.title, references_text=document.references_text, body=document.body,
        kinh_gui_text=document.kinh_gui_text, signer_id=str(document.signer_id or 0),
        signing_authority=document.signing_authority, signing_deputy_line=document.signing_deputy_line,
        signer_title=document.signer_title, lock_version=str(document.lock_version),
        recipient_unit=[str(r.unit_id or "") for r in document.recipients],
        recipient_text=[r.text for r in document.recipients],
    )
    form.update(overrides)
    return form


def docx_text(content: bytes) -> str:
    """Every paragraph of a .docx (tables included), one per line, as python-docx reads it."""
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


def docx_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("word/document.xml").decode("utf-8")
