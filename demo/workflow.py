"""Demonstration data for the workflow: the Chỉ thị 07 plan approved, a letter waiting in the vice-chair's queue.

Runs after the documents step (which writes the plan as a draft) and before the register's step (which issues
it). Idempotent: documents are found by their title and moved only from the status they were left in.
"""

from __future__ import annotations

from sqlalchemy import select

from demo.documents import the_plan
from demo.organization import CLERK_USERNAME, OFFICE, VICE_CHAIR_USERNAME, person
from domain.documents import workflow as wf
from extensions import db
from models import Document, User
from models.choices import APPROVER, LETTER
from models.core import utcnow

LETTER_TITLE = "báo cáo kết quả thực hiện Kế hoạch tuyên truyền Chỉ thị số 07-CT/TW"

LETTER_BODY = """Thực hiện Kế hoạch của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh về tuyên truyền thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư (khóa XII) về “Đẩy mạnh công tác thông tin cơ sở trong tình hình mới”, để có cơ sở tổng hợp, báo cáo Ban Tuyên giáo Tỉnh ủy, Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh đề nghị Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố báo cáo kết quả thực hiện, cụ thể như sau:
1. Nội dung báo cáo
- Công tác chỉ đạo, triển khai Kế hoạch tuyên truyền tại địa phương;
- Kết quả tuyên truyền: số hội nghị, số lượt người tham dự; số tin, bài trên trang thông tin điện tử và hệ thống truyền thanh cơ sở;
- Những cách làm hay, mô hình hiệu quả trong công tác thông tin cơ sở;
- Khó khăn, vướng mắc và đề xuất, kiến nghị.
2. Thời gian gửi báo cáo
Báo cáo gửi về Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh (qua Ban Tuyên giáo) trước ngày 15/12/{year}, đồng thời gửi bản điện tử qua hộp thư công vụ để tổng hợp.
Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh đề nghị Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố quan tâm, thực hiện./."""


def _find(title_start: str) -> Document | None:
    return db.session.scalar(select(Document).where(Document.title.like(f"{title_start}%")).order_by(Document.id))


def _letter(units: dict, clerk: User, vice_chair: User) -> Document:
    letter = _find(LETTER_TITLE)
    if letter is not None:
        return letter
    year = utcnow().year
    letter = Document(kind=LETTER, title=LETTER_TITLE, body=LETTER_BODY.format(year=year), year=year,
                      kinh_gui_text="Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố.",
                      created_by_id=clerk.id, signer_id=vice_chair.id, signing_authority="TM. BAN THƯỜNG TRỰC",
                      signer_title=vice_chair.position_title or "PHÓ CHỦ TỊCH")
    db.session.add(letter)
    db.session.flush()
    letter.set_recipients([(units[slug].id, "") for slug in (OFFICE,) if slug in units])
    letter.save_revision(clerk, "Tạo")
    return letter


def seed_workflow_demo(units: dict) -> None:
    clerk, vice_chair = person(CLERK_USERNAME), person(VICE_CHAIR_USERNAME)
    if clerk is None or vice_chair is None or not vice_chair.has_role(APPROVER):
        return
    plan = the_plan()
    if plan is not None and plan.status in wf.EDITABLE:
        wf.perform(plan, "submit", clerk, expected_status=plan.status, approver_id=vice_chair.id,
                   comment="Kính trình đồng chí Phó Chủ tịch xem xét, cho ý kiến.")
    if plan is not None and plan.status == wf.SUBMITTED:
        wf.perform(plan, "approve", vice_chair, expected_status=wf.SUBMITTED, content_ok=True, format_ok=True)
    letter = _letter(units, clerk, vice_chair)
    if letter.status in wf.EDITABLE:
        wf.perform(letter, "submit", clerk, expected_status=letter.status, approver_id=vice_chair.id,
                   comment="Kính trình đồng chí duyệt để gửi các huyện, thành phố.")
    db.session.flush()
