"""Report rounds, the rules without a database: lateness in the office's time zone, completeness, figures as
typed, aggregation into the Báo cáo (totals, non-reporters, Vietnamese numbers) and regeneration that keeps the
clerk's edits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from domain.reports import rules as R
from domain.reports.redrafting import Part, merge_parts
from domain.reports.text import (
    SENTENCE_UNITS_MAX,
    RoundFacts,
    TaskSpec,
    UnitReport,
    aggregate,
    figure_text,
    summarise,
)

DUE = date(2026, 7, 5)
SESSIONS = R.IndicatorSpec(11, "Số buổi tuyên truyền", "buổi", "integer")
PEOPLE = R.IndicatorSpec(12, "Số lượt người tham dự", "lượt người", "integer")
SHARE = R.IndicatorSpec(13, "Tỷ lệ khu dân cư được phổ biến", "%", "decimal")
TASK = TaskSpec(1, "Tuyên truyền Chỉ thị số 07 bằng nhiều hình thức phù hợp", (SESSIONS, PEOPLE, SHARE))
OTHER_TASK = TaskSpec(2, "Báo cáo kết quả về Ban Thường trực", ())
QUESTIONS = ["Khó khăn, vướng mắc", "Đề xuất, kiến nghị"]


def unit(uid, name, state, figures=None, narrative="", answers=None, task_ids=None) -> UnitReport:
    return UnitReport(uid, name, state, figures={k: Decimal(str(v)) for k, v in (figures or {}).items()},
                      narratives={1: narrative} if narrative else {}, answers=answers or [],
                      task_ids=task_ids)


def facts(units, questions=QUESTIONS, tasks=(TASK, OTHER_TASK)) -> RoundFacts:
    return RoundFacts(plan_citation="Kế hoạch số 05/KH-MTTQ-BTT ngày 01/5/2026",
                      issuer="Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình",
                      asked_label="Ban Thường trực UBMTTQVN các huyện, thành phố", cutoff_on=date(2026, 6, 30),
                      due_on=DUE, tasks=list(tasks), units=list(units), questions=list(questions))


def demo_units():
    return [
        unit(1, "Thành phố Ninh Bình", R.ON_TIME, {11: 12, 12: 4500, 13: 90}, "Tổ chức 12 buổi tại 14 phường.",
             ["Kinh phí còn hạn chế.", "Đề nghị hỗ trợ tài liệu."]),
        unit(2, "Huyện Yên Mô", R.LATE, {11: 8, 12: 4000, 13: 85.5}, "Lồng ghép trong sinh hoạt khu dân cư.",
             ["", "Đề nghị tập huấn cho cán bộ cơ sở."]),
        unit(3, "Huyện Kim Sơn", R.ON_TIME, {11: 5}, "", []),  # left two boxes empty: not reported, not zero
        unit(4, "Huyện Nho Quan", R.MISSING),
        unit(5, "Huyện Gia Viễn", R.RETURNED, {11: 999, 12: 999_999}),  # returned: its figures do not count
    ]


# ---- lateness and completeness ----------------------------------------------------------------------------------

@pytest.mark.parametrize("utc, late", [
    (datetime(2026, 7, 5, 16, 30), False),  # 23:30 in Hà Nội on the due date
    (datetime(2026, 7, 5, 16, 59, 59), False),  # 23:59:59 local
    (datetime(2026, 7, 5, 17, 0), True),  # midnight local: the due date is over
    (datetime(2026, 7, 5, 17, 30), True),  # 00:30 local the next day (still 5 July in UTC)
    (datetime(2026, 7, 4, 23, 0), False),
])
def test_late_means_after_the_due_date_ended_in_ho_chi_minh_time(utc, late):
    assert R.is_late(utc, DUE) is late


def test_deadline_is_midnight_local_as_naive_utc():
    assert R.deadline_utc(DUE) == datetime(2026, 7, 5, 17, 0)


@pytest.mark.parametrize("status, first, code", [
    (None, None, R.MISSING),
    ("draft", None, R.MISSING),
    ("submitted", datetime(2026, 7, 5, 16, 30), R.ON_TIME),
    ("accepted", datetime(2026, 7, 5, 17, 30), R.LATE),
    ("returned", datetime(2026, 7, 1), R.RETURNED),
])
def test_completeness_of_each_unit(status, first, code):
    assert R.completeness(status, first, DUE) == code
    assert R.COMPLETENESS[code].label in {"Đã nộp", "Nộp muộn", "Chưa nộp", "Bị trả lại"}


def test_tally_counts_and_on_time_rate():
    t = R.tally([R.ON_TIME, R.ON_TIME, R.LATE, R.MISSING, R.RETURNED])
    assert (t.asked, t.submitted, t.on_time, t.late, t.missing, t.returned) == (5, 3, 2, 1, 1, 1)
    assert t.on_time_rate == pytest.approx(0.4)
    assert R.tally([]).on_time_rate is None


# ---- figures as typed ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, indicator, value, error", [
    ("1.200", SESSIONS, Decimal(1200), None),
    ("8500", PEOPLE, Decimal(8500), None),
    ("12,5", SHARE, Decimal("12.5"), None),
    ("12.5", SHARE, Decimal("12.5"), None),
    ("0", SESSIONS, Decimal(0), None),
    ("", SESSIONS, None, None),
    ("mười hai", SESSIONS, None, "phải là một số"),
    ("-3", SESSIONS, None, "không được âm"),
    ("12,5", SESSIONS, None, "số nguyên"),
    ("2000000000", PEOPLE, None, "quá lớn"),
])
def test_figures_are_read_the_vietnamese_way_and_bad_ones_explained(typed, indicator, value, error):
    values, errors = R.read_figures({indicator.id: typed}, [indicator])
    assert values.get(indicator.id) == value
    if error:
        assert error in errors[indicator.id]
    else:
        assert indicator.id not in errors


def test_questions_one_per_line_without_repeats():
    questions, problem = R.read_questions("- Khó khăn, vướng mắc:\n\nKhó khăn, vướng mắc\nĐề xuất, kiến nghị")
    assert questions == QUESTIONS and problem is None
    assert R.read_questions("\n".join(f"Câu {i}" for i in range(20)))[1] == "Tối đa 10 câu hỏi."


@pytest.mark.parametrize("question, section", [
    ("Khó khăn, vướng mắc", R.ASSESSMENT), ("Ưu điểm, hạn chế", R.ASSESSMENT),
    ("Đề xuất, kiến nghị", R.DIRECTION), ("Phương hướng thời gian tới", R.DIRECTION),
])
def test_free_questions_go_to_section_three_or_four(question, section):
    assert R.question_section(question) == section


# ---- aggregation -----------------------------------------------------------------------------------------------------

def test_totals_are_the_sums_of_the_submitted_values_only():
    result = aggregate(facts(demo_units()))
    assert result.totals[SESSIONS.id] == 12 + 8 + 5  # Gia Viễn (returned) and Nho Quan (missing) not counted
    assert result.totals[PEOPLE.id] == 4500 + 4000  # Kim Sơn left it empty: not a zero, not counted
    assert result.totals[SHARE.id] == Decimal("87.75")  # a percentage is averaged, never summed
    table = result.annex
    assert [row[1] for row in table["rows"]] == ["Thành phố Ninh Bình", "Huyện Yên Mô", "Huyện Kim Sơn"]
    for column in (2, 3):
        values = [row[column] for row in table["rows"] if row[column] is not None]
        assert table["total_row"][column] == sum(values)
    assert table["rows"][2] == [3, "Huyện Kim Sơn", 5, None, None]
    assert table["total_row"][:2] == ["", "Tổng cộng"]
    assert table["columns"] == ["STT", "Đơn vị", "Số buổi tuyên truyền (buổi)", "Số lượt người tham dự (lượt người)",
                                "Tỷ lệ khu dân cư được phổ biến (%)"]


def test_units_that_did_not_report_are_listed_and_not_counted_as_zeros():
    result = aggregate(facts(demo_units()))
    assert result.missing == ["Huyện Nho Quan"] and result.returned == ["Huyện Gia Viễn"]
    assert result.late == ["Huyện Yên Mô"]
    body = result.body
    assert "- Đơn vị chưa gửi báo cáo: Huyện Nho Quan." in body
    assert "- Đơn vị có báo cáo bị trả lại, chưa gửi lại: Huyện Gia Viễn;" in body
    assert "- Đơn vị gửi báo cáo muộn: Huyện Yên Mô;" in body
    assert "Huyện Nho Quan 0" not in body and "Nho Quan" not in "\n".join(str(r) for r in result.annex["rows"])
    assert "Có 3/5 đơn vị gửi báo cáo (đạt 60%), trong đó 2 đơn vị gửi đúng hạn (tỷ lệ đúng hạn 40%)" in body


def test_sentences_name_the_units_and_their_figures_the_vietnamese_way():
    body = aggregate(facts(demo_units())).body
    assert ("- Số buổi tuyên truyền: tổng cộng 25 buổi (Thành phố Ninh Bình 12 buổi; Huyện Yên Mô 8 buổi; "
            "Huyện Kim Sơn 5 buổi);") in body
    assert ("- Số lượt người tham dự: tổng cộng 8.500 lượt người (Thành phố Ninh Bình 4.500 lượt người; "
            "Huyện Yên Mô 4.000 lượt người);") in body
    assert "- Tỷ lệ khu dân cư được phổ biến: bình quân 87,75% (Thành phố Ninh Bình 90%; Huyện Yên Mô 85,5%)." \
        in body
    assert "- Thành phố Ninh Bình: Tổ chức 12 buổi tại 14 phường;" in body
    assert "- Huyện Yên Mô: Lồng ghép trong sinh hoạt khu dân cư." in body


def test_sections_three_and_four_are_prefilled_from_the_free_answers():
    body = aggregate(facts(demo_units())).body
    three = body[body.index("III. ĐÁNH GIÁ CHUNG"):body.index("IV. PHƯƠNG HƯỚNG")]
    four = body[body.index("IV. PHƯƠNG HƯỚNG"):]
    assert "1. Khó khăn, vướng mắc\n- Thành phố Ninh Bình: Kinh phí còn hạn chế." in three
    assert "- Thành phố Ninh Bình: Đề nghị hỗ trợ tài liệu;\n- Huyện Yên Mô: Đề nghị tập huấn cho cán bộ cơ sở." in four
    assert body.endswith("Trên đây là báo cáo kết quả thực hiện Kế hoạch số 05/KH-MTTQ-BTT ngày 01/5/2026 của Ban "
                         "Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình.")


def test_body_is_a_well_formed_outline_with_sections_one_to_four():
    from domain.text.outline import parse

    outline = parse(aggregate(facts(demo_units())).body)
    assert [b.marker + " " + b.text for b in outline.blocks if b.kind == "section"] == [
        "I. CÔNG TÁC TRIỂN KHAI", "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG, KIẾN NGHỊ"]
    assert outline.warnings == []


def test_a_unit_is_asked_only_its_own_tasks():
    units = [unit(1, "Huyện A", R.ON_TIME, {11: 1}, task_ids=frozenset({1})),
             unit(2, "Huyện B", R.ON_TIME, task_ids=frozenset({2}))]
    body = aggregate(facts(units)).body
    assert "Có 1/1 đơn vị được giao đã báo cáo kết quả thực hiện nhiệm vụ, số liệu" in body
    assert "2. Báo cáo kết quả về Ban Thường trực\nCó 1/1 đơn vị được giao" in body


def test_many_units_name_the_highest_three_and_leave_the_rest_to_the_annex():
    many = [unit(i, f"Xã {i}", R.ON_TIME, {11: i}) for i in range(1, SENTENCE_UNITS_MAX + 5)]
    result = aggregate(facts(many, tasks=(TASK,)))
    n = SENTENCE_UNITS_MAX + 4
    assert f"tổng cộng {n * (n + 1) // 2} buổi của {n} đơn vị; cao nhất là Xã {n} ({n} buổi)" in result.body
    assert len(result.annex["rows"]) == n


def test_no_indicators_no_annex_and_no_reference_to_it():
    result = aggregate(facts(demo_units(), tasks=(OTHER_TASK,)))
    assert result.annex is None and "Phụ lục" not in result.body


@pytest.mark.parametrize("value, indicator, text", [
    (Decimal(8500), PEOPLE, "8.500 lượt người"),
    (Decimal("12.5"), SHARE, "12,5%"),
    (Decimal("12.50"), R.IndicatorSpec(1, "Kinh phí", "triệu đồng", "decimal"), "12,5 triệu đồng"),
    (Decimal(1234567), R.IndicatorSpec(1, "Số tin", "", "integer"), "1.234.567"),
])
def test_figure_text(value, indicator, text):
    assert figure_text(value, indicator) == text


def test_summaries_are_one_line_cut_at_a_sentence():
    assert summarise("- Dòng một;\n+ Dòng hai.") == "Dòng một Dòng hai"
    long = "Câu thứ nhất khá dài. " * 40
    cut = summarise(long)
    assert len(cut) <= 400 and cut.endswith("Câu thứ nhất khá dài")


# ---- regeneration keeps the clerk's edits ---------------------------------------------------------------------------

def _parts(result):
    return [Part(p.key, p.label, p.text) for p in result.parts]


def test_regenerating_an_untouched_draft_gives_the_new_text():
    first = aggregate(facts(demo_units()[:2]))
    second = aggregate(facts(demo_units()))
    body, kept = merge_parts(first.body, _parts(first), _parts(second))
    assert body == second.body and kept == []


def test_regenerating_keeps_the_clerks_narrative_edits_and_updates_the_figures():
    before = demo_units()
    before[1] = unit(2, "Huyện Yên Mô", R.MISSING)  # Yên Mô reports late, after the first draft
    first = aggregate(facts(before))
    edited = first.body.replace("- Thành phố Ninh Bình: Tổ chức 12 buổi tại 14 phường.",
                                "- Thành phố Ninh Bình: tổ chức 12 buổi, nổi bật là mô hình loa phát thanh.")
    edited = edited.replace("III. ĐÁNH GIÁ CHUNG", "Chuyên viên thêm một đoạn nhận xét.\nIII. ĐÁNH GIÁ CHUNG")
    second = aggregate(facts(demo_units()))
    body, kept = merge_parts(edited, _parts(first), _parts(second))
    assert "nổi bật là mô hình loa phát thanh" in body  # the clerk's words stay
    assert "Huyện Yên Mô: Lồng ghép" not in body  # ... so the edited part is not replaced
    assert [p.key for p in kept] == ["task:1:narratives"]
    assert "tổng cộng 25 buổi" in body and "tổng cộng 17 buổi" not in body  # figures brought up to date
    assert "Chuyên viên thêm một đoạn nhận xét.\nIII. ĐÁNH GIÁ CHUNG" in body  # added paragraph kept in place
    assert "- Huyện Yên Mô: Đề nghị tập huấn cho cán bộ cơ sở." in body  # answers part was untouched: updated


def test_a_part_the_clerk_deleted_stays_deleted_and_a_new_part_follows_its_predecessor():
    first = aggregate(facts(demo_units(), questions=["Khó khăn, vướng mắc"]))
    parts = _parts(first)
    closing = next(p for p in parts if p.key == "closing")
    edited = first.body.replace("\n" + closing.text, "")
    second = aggregate(facts(demo_units()))  # adds a section IV question part
    body, kept = merge_parts(edited, parts, _parts(second))
    assert "Trên đây là báo cáo" not in body and [p.key for p in kept] == ["closing"]
    assert body.index("IV. PHƯƠNG HƯỚNG, KIẾN NGHỊ\n1. Đề xuất, kiến nghị") > body.index("III. ĐÁNH GIÁ CHUNG")


def test_the_body_stays_within_what_the_editor_accepts_however_many_units():
    from models.documents import BODY_MAX

    story = "Tổ chức tuyên truyền ở các thôn, xóm, tổ dân phố bằng nhiều hình thức phong phú. " * 6
    for n in (8, 150, 1000):
        units = [unit(i, f"Xã số {i}", R.ON_TIME, {11: i}, story, [story, story]) for i in range(n)]
        body = aggregate(facts(units)).body
        assert len(body) < BODY_MAX, n
        assert ("Xã số 7: Tổ chức tuyên truyền" in body) is (n < 1000)  # listed one by one while there is room
    assert "1.000 đơn vị đã gửi nội dung kết quả thực hiện" in body
