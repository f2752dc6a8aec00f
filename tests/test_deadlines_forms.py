"""Deadlines as plans write them: read into a date where they name one, kept recurring or open where they are,
the plan's own words always kept (deadline_text)."""

from __future__ import annotations

import pytest
from import_rules import plan

from domain.plans.importer import parse_plan
from domain.text.deadlines import find_deadline_text


@pytest.mark.parametrize(
    ("sentence", "words", "due", "kind"),
    [
        ("Xây dựng kế hoạch, hoàn thành trước ngày 15/01/2026.", "trước ngày 15/01/2026", "2026-01-15", "date"),
        ("Tổng hợp hồ sơ (hoàn thành chậm nhất ngày 01/02/2026).", "chậm nhất ngày 01/02/2026", "2026-02-01", "date"),
        ("Gửi biên bản chậm nhất là 17 giờ 00 ngày 30/01/2026.", "chậm nhất là 17 giờ 00 ngày 30/01/2026",
         "2026-01-30", "date"),
        ("Tổ chức Ngày hội, dự kiến ngày 18/11/2026.", "dự kiến ngày 18/11/2026", "2026-11-18", "date"),
        ("Tổ chức hội nghị từ ngày 01/6/2026 đến ngày 30/6/2026.", "từ ngày 01/6/2026 đến ngày 30/6/2026",
         "2026-06-30", "date"),
        ("Lấy ý kiến cử tri từ 04/02/2026 đến 08/02/2026.", "từ 04/02/2026 đến 08/02/2026", "2026-02-08", "date"),
        ("Tổng kết Cuộc vận động trong Tháng 12/2025.", "trong Tháng 12/2025", "2025-12-31", "date"),
        ("Hoàn thành trong Quý I/2026.", "trong Quý I/2026", "2026-03-31", "date"),
        ("Tổ chức sơ kết 6 tháng đầu năm.", "6 tháng đầu năm", "2026-06-30", "date"),  # the plan's year
        ("Tổ chức tập huấn trong tháng 4.", "trong tháng 4", "2026-04-30", "date"),
        ("Gửi danh sách trước 15/11.", "trước 15/11", "2026-11-15", "date"),
        ("Báo cáo kết quả định kỳ hằng tháng.", "định kỳ hằng tháng", None, "monthly"),
        ("Báo cáo trước ngày 20 hằng tháng.", "trước ngày 20 hằng tháng", None, "monthly"),
        ("Báo cáo định kỳ hằng quý.", "định kỳ hằng quý", None, "quarterly"),
        ("Tuyên truyền thường xuyên trên loa truyền thanh.", "thường xuyên", None, "none"),
        ("Tham dự đầy đủ các hội nghị.", None, None, "none"),
    ],
)  # fmt: skip
def test_a_deadline_is_read_into_a_date_where_it_names_one_and_its_words_are_kept(sentence, words, due, kind):
    found = plan(f"III. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo\n- {sentence}").tasks
    assert [
        (t.deadline_text, t.deadline.isoformat() if t.deadline else None, t.deadline_kind) for t in found
    ] == [(words, due, kind)]


def test_when_a_plan_gives_both_an_expected_and_a_latest_date_the_latest_is_the_deadline():
    assert (
        find_deadline_text("Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025).")
        == "Chậm nhất ngày 10/12/2025"
    )


def test_the_date_a_cited_document_was_issued_is_no_deadline():
    assert (
        find_deadline_text(
            "Căn cứ Thông tri số 05/TT-MTTW-BTT, ngày 04/11/2025 của Ủy ban, xây dựng kế hoạch."
        )
        is None
    )


def test_words_without_a_year_take_the_plans_year_and_without_one_give_no_date():
    undated = plan("III. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo\n- Sơ kết 6 tháng đầu năm.")
    undated_text = (
        "KẾ HOẠCH\nSơ kết\nI. MỤC ĐÍCH\nIII. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo\n- Sơ kết 6 tháng đầu năm."
    )
    assert undated.tasks[0].deadline.isoformat() == "2026-06-30"
    no_year = parse_plan(undated_text).tasks[0]
    assert (no_year.deadline_text, no_year.deadline) == ("6 tháng đầu năm", None)
