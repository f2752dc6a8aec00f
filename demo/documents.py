"""Demonstration data: the real Chỉ thị 07 plan of the Ninh Bình office, as a draft Kế hoạch. Idempotent.

The plan's text is a copy of the office's file kept beside this module (data/ke-hoach-chi-thi-07.txt), so the
application never reads shared folders at run time. Later steps (workflow, register, plans) find the document
by its title and carry it on.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from demo.organization import CLERK_USERNAME, DISTRICTS_GROUP, OFFICE, VICE_CHAIR_USERNAME, person
from domain.text.vietnamese import clean_text
from extensions import db
from models import Document
from models.choices import DRAFT, PLAN
from models.core import audit, utcnow

SEED_FILE = Path(__file__).resolve().parent / "data" / "ke-hoach-chi-thi-07.txt"
PLAN_TITLE = "Tuyên truyền thực hiện Chỉ thị số 07"
# Nơi nhận in the order of the original; the last line "Lưu: VT, …" comes from the organization settings.
RECIPIENT_SLUGS = ("ban-tuyen-giao-ubtw-mttqvn", "ban-tuyen-giao-tinh-uy-ninh-binh", OFFICE, DISTRICTS_GROUP)


def seed_plan_text() -> dict[str, str]:
    """The plan's title (its second line), the "Thực hiện …" paragraph and the body from "I. MỤC ĐÍCH, YÊU CẦU"
    through "…để tổng hợp báo cáo./.", cleaned as any pasted text is."""
    lines = SEED_FILE.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("I. MỤC ĐÍCH, YÊU CẦU"))
    end = next(i for i, line in enumerate(lines) if line.rstrip().endswith("để tổng hợp báo cáo./."))
    return {
        "title": clean_text(lines[1], multiline=False).strip(),
        "references": clean_text(lines[2], multiline=False).strip(),
        "body": clean_text("\n".join(lines[start:end + 1])),
    }


def seed_documents(units: dict) -> Document | None:
    """Create the Chỉ thị 07 plan as a draft written by the clerk, unless a document with its title exists."""
    text = seed_plan_text()
    existing = db.session.scalar(select(Document).where(Document.title == text["title"]).order_by(Document.id))
    if existing is not None:
        return existing
    clerk, signer = person(CLERK_USERNAME), person(VICE_CHAIR_USERNAME)
    if clerk is None or signer is None:
        return None
    document = Document(status=DRAFT, year=utcnow().year, created_by_id=clerk.id)
    db.session.add(document)
    document.update_content(
        {"kind": PLAN, "title": text["title"], "references_text": text["references"], "body": text["body"],
         "kinh_gui_text": "", "signer_id": signer.id, "signing_authority": "TM. BAN THƯỜNG TRỰC",
         "signing_deputy_line": "", "signer_title": "PHÓ CHỦ TỊCH"},
        [(units[slug].id, "") for slug in RECIPIENT_SLUGS if slug in units],
        clerk, "Nhập từ kế hoạch gốc",
    )
    audit("document_create", document, user=clerk, summary="Dữ liệu mẫu: Kế hoạch tuyên truyền Chỉ thị số 07",
          after=document.summary())
    return document


def the_plan() -> Document | None:
    """The Chỉ thị 07 plan, as the later steps carry it on (found by its title)."""
    return db.session.scalar(select(Document).where(Document.kind == PLAN, Document.title.like(f"{PLAN_TITLE}%"))
                             .order_by(Document.id))
