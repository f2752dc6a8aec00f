"""Demonstration data for report rounds: a round on the Chỉ thị 07 plan, six of the eight districts reported (one
late), and the aggregated Báo cáo drafted from them.

The last demo step: it needs the plan (documents step), its tasks fanned out to the districts (plans step). The
reports go through the same verbs the units use (`save_submission`), so figures are checked and frozen as in real
use; only their times are set back, as if sent over the last days. Idempotent: the round is found by its title.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from demo.documents import the_plan
from demo.organization import CLERK_USERNAME, person
from domain.office import office_today, office_zone
from domain.reports.drafts import draft_report
from domain.reports.rounds import RoundInput, create_round
from domain.reports.scope import default_task_ids, default_unit_ids, round_tasks, task_specs, unit_task_ids
from domain.reports.submissions import Entry, accept_submission, save_submission
from extensions import db
from models import Notification, User
from models.reports import ReportRound, SubmissionEvent

ROUND_TITLE = "Kết quả tuyên truyền thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư (khóa XII) về “Đẩy mạnh công tác " \
              "thông tin cơ sở trong tình hình mới” năm {year}"
QUESTIONS = "Khó khăn, vướng mắc\nĐề xuất, kiến nghị"

# (district slug, days after the due date it was sent (negative: before), accepted, sessions, attendees, articles,
#  narrative, difficulties, proposals)
REPORTS = [
    ("thanh-pho-ninh-binh", -4, True, 14, 1620, 11,
     "Ban hành Kế hoạch số 15/KH-MTTQ triển khai đến 14 phường, xã; tổ chức hội nghị quán triệt cho cán bộ Mặt trận "
     "và trưởng ban công tác Mặt trận; đăng 11 tin, bài trên trang thông tin điện tử thành phố.",
     "Một số khu dân cư mới thành lập chưa có loa truyền thanh.",
     "Đề nghị tỉnh hỗ trợ tài liệu hỏi - đáp về công tác thông tin cơ sở để phát đến khu dân cư."),
    ("thanh-pho-tam-diep", -3, False, 6, 540, 3,
     "Tổ chức tuyên truyền tại 9 phường, xã; lồng ghép nội dung Chỉ thị số 07 trong hội nghị đối thoại với nhân dân.",
     "Lực lượng cộng tác viên thông tin ở cơ sở còn mỏng.", ""),
    ("huyen-gia-vien", -2, False, 5, 410, 2,
     "Quán triệt tại hội nghị Ban Thường trực mở rộng; in 1.200 tờ gấp phát đến các hộ gia đình ở vùng du lịch.",
     "", "Đề nghị tập huấn kỹ năng tuyên truyền trên mạng xã hội cho cán bộ Mặt trận cấp xã."),
    ("huyen-kim-son", -2, True, 11, 1380, 7,
     "Lồng ghép tuyên truyền trong sinh hoạt Ban Công tác Mặt trận ở 27 khu dân cư ven biển; phát 20 lượt trên "
     "đài truyền thanh các xã.",
     "Địa bàn rộng, nhiều khu dân cư ven biển đi lại khó khăn.",
     "Đề nghị bố trí kinh phí hỗ trợ các xã ven biển nâng cấp hệ thống truyền thanh."),
    ("huyen-yen-khanh", -1, False, 8, 920, 5,
     "Phối hợp Ban Tuyên giáo Huyện ủy tổ chức 8 buổi tuyên truyền; xây dựng mô hình “Loa phát thanh khu dân cư”.",
     "", ""),
    ("huyen-hoa-lu", 1, False, 4, 350, 2,  # sent the day after the due date: late
     "Do tập trung phòng, chống lụt bão nên triển khai chậm; đến nay đã tổ chức 4 buổi tuyên truyền ở các xã.",
     "Thời gian triển khai trùng với mùa mưa bão.", "Đề nghị cho phép lồng ghép tuyên truyền vào hội nghị sơ kết."),
]  # huyen-nho-quan and huyen-yen-mo have not reported


def _utc(when_local: datetime) -> datetime:
    return when_local.replace(tzinfo=office_zone()).astimezone(UTC).replace(tzinfo=None)


def _backdate(rnd: ReportRound, sub, when_local: datetime) -> None:
    """Set a submission's times (and the notifications it caused) as if it had been sent at `when_local`."""
    when = _utc(when_local)
    sub.first_submitted_at = sub.submitted_at = sub.updated_at = when
    for event in db.session.scalars(select(SubmissionEvent).where(SubmissionEvent.submission_id == sub.id)):
        event.at = when + timedelta(hours=2) if event.action == "accept" else when
        if event.action == "accept":
            sub.accepted_at = event.at
    for note in db.session.scalars(select(Notification).where(Notification.unit_id == sub.unit_id,
                                                              Notification.message.contains(rnd.title))):
        note.created_at = sub.accepted_at if note.message.startswith("Ban Thường trực đã tiếp nhận") else when


def seed_reports(units: dict) -> None:
    plan, clerk = the_plan(), person(CLERK_USERNAME)
    if plan is None or clerk is None:
        return
    today = office_today()
    title = ROUND_TITLE.format(year=today.year)
    rnd = db.session.scalar(select(ReportRound).where(ReportRound.document_id == plan.id, ReportRound.title == title))
    if rnd is None:
        unit_ids = default_unit_ids(plan)
        if not unit_ids:
            return  # the plan is not followed up yet: nobody to ask
        due = today - timedelta(days=2)
        rnd = create_round(plan, clerk, RoundInput(
            title=title, cutoff_on=due - timedelta(days=5), due_on=due, task_ids=default_task_ids(plan, unit_ids),
            unit_ids=unit_ids, questions=QUESTIONS), link_for=lambda r: f"/reports/{r.id}/my")
        rnd.created_at = _utc(datetime.combine(due - timedelta(days=14), time(8)))
        for note in db.session.scalars(select(Notification).where(Notification.message.contains(title))):
            note.created_at = rnd.created_at  # the request went out when the round was opened
        _submit_all(rnd, units, clerk)
    if rnd.report_document_id is None:
        draft_report(rnd, clerk)


def _submit_all(rnd: ReportRound, units: dict, clerk: User) -> None:
    specs = task_specs(round_tasks(rnd))
    for slug, days, accepted, sessions, attendees, articles, narrative, difficulty, proposal in REPORTS:
        unit = units.get(slug)
        if unit is None or not any(ru.unit_id == unit.id for ru in rnd.units):
            continue
        reporter = db.session.scalar(select(User).where(User.unit_id == unit.id, User.active.is_(True))
                                     .order_by(User.id))
        if reporter is None:
            continue
        asked = unit_task_ids(rnd, [unit.id])[unit.id]
        tasks = [t for t in specs if t.id in asked]
        figures = {}
        for task in tasks:
            for indicator, value in zip(task.indicators, (sessions, attendees, articles), strict=False):
                figures[indicator.id] = str(value)
        entry = Entry(narratives={tasks[0].id: narrative} if tasks else {}, figures=figures,
                      answers=[difficulty, proposal])
        sub = save_submission(rnd, unit.id, reporter, entry, submit=True, tasks=tasks, max_bytes=1)
        if accepted:
            accept_submission(sub, clerk)
        _backdate(rnd, sub, datetime.combine(rnd.due_on + timedelta(days=days), time(16, 30)))
    db.session.flush()
