"""Vietnamese text helpers: clean-up, folding, ND30 number and date lines, number formats."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.text.vietnamese import (
    BLANK,
    blank_date_line,
    clean_text,
    date_line,
    fold,
    format_count,
    format_decimal,
    format_percent,
    nfc,
    number_line,
    number_text,
    short_date,
    slugify,
)


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Tiếng Việt")
    assert decomposed != "Tiếng Việt"
    assert nfc(decomposed) == "Tiếng Việt"


@pytest.mark.parametrize(
    ("pasted", "clean"),
    [
        ("Ninh\u00a0Bình", "Ninh Bình"),  # NBSP from Word
        ("a\u2009b\u3000c", "a b c"),  # thin and ideographic spaces
        ("a\tb", "a b"),
        ("một\r\nhai\rba", "một\nhai\nba"),
        ("trailing   \nspaces\u00a0", "trailing\nspaces"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("\ufeffBOM and zero\u200bwidth", "BOM and zerowidth"),
        ("line\x0bbreak", "line\nbreak"),  # Word's Shift+Enter
        ("“ngoặc kép” ‘đơn’ – gạch", "“ngoặc kép” ‘đơn’ – gạch"),  # smart quotes stay
        (unicodedata.normalize("NFD", "Đảng bộ"), "Đảng bộ"),
        ("lone \ud800 surrogate", "lone  surrogate"),
    ],
    ids=[
        "nbsp",
        "unicode-spaces",
        "tab",
        "crlf-and-cr",
        "trailing-spaces",
        "control-chars",
        "invisibles",
        "vertical-tab",
        "smart-quotes-kept",
        "decomposed",
        "surrogate",
    ],
)
def test_clean_text(pasted, clean):
    assert clean_text(pasted) == clean


def test_clean_text_single_line_turns_newlines_into_spaces():
    assert clean_text("Kế hoạch\r\ntuyên truyền", multiline=False) == "Kế hoạch tuyên truyền"


@given(st.text())
def test_clean_text_never_drops_a_letter_or_digit(s):
    def letters(t):
        return [c for c in unicodedata.normalize("NFD", t) if c.isalnum()]

    assert letters(clean_text(s)) == letters(s)


@given(st.text())
def test_clean_text_is_idempotent(s):
    assert clean_text(clean_text(s)) == clean_text(s)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Tuyên truyền", "tuyen truyen"),
        ("Đảng", "dang"),
        ("ĐẨY MẠNH", "day manh"),
        (unicodedata.normalize("NFD", "Tổ chức thực hiện"), "to chuc thuc hien"),
    ],
)
def test_fold_for_diacritic_insensitive_search(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Thành phố Ninh Bình", "thanh-pho-ninh-binh"),
        ("Huyện Yên Mô", "huyen-yen-mo"),
        ("  Kế hoạch số 05/KH-MTTQ-BTT!  ", "ke-hoach-so-05-kh-mttq-btt"),
        ("“”", ""),
    ],
)
def test_slugify_is_ascii(text, slug):
    assert slugify(text) == slug


@given(st.text())
def test_slugify_always_gives_ascii_slug_characters(s):
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slugify(s))


@pytest.mark.parametrize(
    ("d", "line"),
    [
        (date(2025, 1, 5), "Ninh Bình, ngày 05 tháng 01 năm 2025"),
        (date(2025, 2, 15), "Ninh Bình, ngày 15 tháng 02 năm 2025"),
        (date(2025, 3, 1), "Ninh Bình, ngày 01 tháng 3 năm 2025"),
        (date(2025, 3, 9), "Ninh Bình, ngày 09 tháng 3 năm 2025"),
        (date(2025, 12, 31), "Ninh Bình, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_date_line_pads_day_below_10_and_only_months_1_and_2(d, line):
    assert date_line("Ninh Bình", d) == line


def test_blank_date_line_leaves_six_spaces_for_day_and_month():
    assert BLANK == "      "
    assert blank_date_line("Ninh Bình", 2026) == "Ninh Bình, ngày      tháng      năm 2026"


@pytest.mark.parametrize(
    ("d", "text"),
    [(date(2017, 5, 3), "03/5/2017"), (date(2025, 1, 16), "16/01/2025"), (date(2025, 9, 9), "09/9/2025")],
)
def test_short_date_for_citations(d, text):
    assert short_date(d) == text


@pytest.mark.parametrize(("n", "text"), [(1, "01"), (5, "05"), (45, "45"), (123, "123")])
def test_number_text_pads_below_10(n, text):
    assert number_text(n) == text


def test_number_text_rejects_zero():
    with pytest.raises(ValueError):
        number_text(0)


def test_number_line():
    assert number_line(5, "KH-MTTQ-BTT") == "Số: 05/KH-MTTQ-BTT"
    assert number_line(None, "KH-MTTQ-BTT") == "Số:      /KH-MTTQ-BTT"


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: format_count(8500), "8.500"),
        (lambda: format_count(1234567), "1.234.567"),
        (lambda: format_count(-8500), "-8.500"),
        (lambda: format_count(7), "7"),
        (lambda: format_decimal(12.5, places=1), "12,5"),
        (lambda: format_decimal(1234.5, places=1), "1.234,5"),
        (lambda: format_decimal(2.25, places=1), "2,3"),  # half up, not to even
        (lambda: format_decimal(3, places=2), "3,00"),
        (lambda: format_percent(0.125), "12,5%"),
        (lambda: format_percent(0.5), "50%"),
        (lambda: format_percent(1), "100%"),
        (lambda: format_percent(0.12345, places=2), "12,35%"),
    ],
)
def test_vietnamese_number_formats(call, text):
    assert call() == text
