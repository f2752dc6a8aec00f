"""The register's number, date and trích yếu are found in OCR text despite what OCR does to a scan, but a wrong digit
is never forgiven; each match keeps the text it was found in."""

from __future__ import annotations

from datetime import date

import pytest

from domain.register.scan_match import compare, match_date, match_number, match_title

TITLE = "Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư về tăng cường công tác dân vận"


@pytest.mark.parametrize("text", [
    "Số: 05/KH-MTTQ-BTT", "Số: 05 / KH-MTTQ- BTT", "So:05/KH-MTTO-BTT", "Số: O5/KH-MTTQ-BTT", "Số 5/KH-MTTQ-BTT",
    "Số: 05/KH-\nMTTQ-BTT",
])
def test_the_number_is_found_through_spaces_punctuation_and_misread_letters(text):
    found = match_number(5, "KH-MTTQ-BTT", f"ỦY BAN MTTQ VIỆT NAM\n{text}   Ninh Bình, ngày 05 tháng 01 năm 2026")
    assert found.found and "KH" in found.seen and found.seen.startswith(("05", "O5", "5"))


@pytest.mark.parametrize("text", ["Số: 06/KH-MTTQ-BTT", "Số: 15/KH-MTTQ-BTT", "Số: 05/CV-UBND", "Số: 50/KH-MTTQ-BTT"])
def test_another_number_or_symbol_is_not_taken_for_the_registers(text):
    assert not match_number(5, "KH-MTTQ-BTT", text).found


@pytest.mark.parametrize("text", [
    "Ninh Bình, ngày 05 tháng 01 năm 2026", "Ninh Binh, ngay 5 thang 1 nam 2026", "ngàỵ 05 thảng 01 nắm 2026",
    "ngày 05 tháng 01, năm 2026", "Ngày ký: 05/01/2026", "05.01.2026", "5-1-2026", "ngày O5 tháng O1 năm 2O26",
])
def test_the_date_is_found_in_words_or_digits(text):
    found = match_date(date(2026, 1, 5), text)
    assert found.found and "2" in found.seen


def test_the_date_in_words_shows_its_ngay():
    assert match_date(date(2026, 1, 5), "Ninh Bình, ngày 05 tháng 01 năm 2026").seen == "ngày 05 tháng 01 năm 2026"


@pytest.mark.parametrize("text", ["ngày 15 tháng 01 năm 2026", "ngày 05 tháng 11 năm 2026", "05/01/2025",
                                  "ngày 05 tháng 01 năm 20266"])
def test_another_date_is_not_taken_for_the_registers(text):
    assert not match_date(date(2026, 1, 5), text).found


def test_the_trich_yeu_is_found_through_ocr_errors_and_line_breaks():
    text = ("KẾ HOẠCH\nTuyen truyén Chỉ thi số 07-CT/TW của Ban Bí thư về tăng cuờng công tác\ndân vận\n\n"
            "Ban Thường trực tổ chức tuyên truyền sâu rộng trong Nhân dân.")
    found = match_title(TITLE, text)
    assert found.found and found.score >= 85
    assert found.seen.startswith("Tuyen truyén") and found.seen.endswith("dân vận")


def test_a_trich_yeu_with_another_number_or_other_words_is_not_found():
    assert not match_title(TITLE, TITLE.replace("07-CT/TW", "08-CT/TW")).found
    assert not match_title(TITLE, "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư năm 2026").found


def test_nothing_found_in_empty_text_says_so_without_a_seen_text():
    assert [(m.found, m.seen) for m in compare(5, "KH-MTTQ-BTT", date(2026, 1, 5), TITLE, "")] == [(False, "")] * 3
