"""Word-level differences between two submitted versions, aligned by line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.text.textdiff import (
    DELETE,
    EQUAL,
    INSERT,
    Piece,
    diff_fields,
    diff_lines,
    diff_words,
    hunks,
    tokens,
)

PLAN = Path(__file__).parent / "fixtures" / "plans" / "ke-hoach-chi-thi-07.txt"


def _old(pieces):
    return "".join(p.text for p in pieces if p.op != INSERT)


def _new(pieces):
    return "".join(p.text for p in pieces if p.op != DELETE)


@pytest.mark.parametrize("old,new,expected", [
    ("tổ chức hội nghị", "phối hợp tổ chức hội nghị",
     [Piece(INSERT, "phối hợp "), Piece(EQUAL, "tổ chức hội nghị")]),
    ("tổ chức hai hội nghị", "tổ chức hội nghị",
     [Piece(EQUAL, "tổ chức "), Piece(DELETE, "hai "), Piece(EQUAL, "hội nghị")]),
    # Neighbouring changed words read as one deletion, then one insertion.
    ("trước ngày 15/12/2026 để", "trước ngày 20/12/2026 để",
     [Piece(EQUAL, "trước ngày "), Piece(DELETE, "15"), Piece(INSERT, "20"), Piece(EQUAL, "/12/2026 để")]),
    ("a b c d", "a x y d", [Piece(EQUAL, "a "), Piece(DELETE, "b c"), Piece(INSERT, "x y"), Piece(EQUAL, " d")]),
    ("giống hệt", "giống hệt", [Piece(EQUAL, "giống hệt")]),
    ("", "mới", [Piece(INSERT, "mới")]),
])
def test_diff_words_marks_inserted_and_deleted_words(old, new, expected):
    assert diff_words(old, new) == expected


def test_words_with_diacritics_are_single_tokens():
    # "Thường" differs from "Thương" by one mark: the whole word changes, not one letter.
    assert tokens("Ban Thường trực") == ["Ban", " ", "Thường", " ", "trực"]
    assert diff_words("Ban Thương trực", "Ban Thường trực") == [
        Piece(EQUAL, "Ban "), Piece(DELETE, "Thương"), Piece(INSERT, "Thường"), Piece(EQUAL, " trực")]


def test_diff_lines_aligns_changed_inserted_and_deleted_lines_with_their_numbers():
    old = "I. MỤC ĐÍCH\n1. Mục đích\nDòng bỏ đi\nGiữ nguyên"
    new = "I. MỤC ĐÍCH\n1. Mục đích chung\nGiữ nguyên\nDòng mới"
    lines = diff_lines(old, new)
    assert [(line.kind, line.old_number, line.new_number) for line in lines] == [
        ("equal", 1, 1), ("changed", 2, 2), ("deleted", 3, None), ("equal", 4, 3), ("inserted", None, 4)]
    assert lines[1].pieces == [Piece(EQUAL, "1. Mục đích"), Piece(INSERT, " chung")]
    assert [line.text for line in lines] == ["I. MỤC ĐÍCH", "1. Mục đích chung", "", "Giữ nguyên", "Dòng mới"]


def test_hunks_keep_two_lines_of_context_and_count_the_hidden_ones():
    old = "\n".join(f"Dòng {i}" for i in range(1, 21))
    new = old.replace("Dòng 10", "Dòng mười")
    shown = hunks(diff_lines(old, new))
    assert shown[0] == 7 and shown[2] == 8
    assert [line.new_number for line in shown[1]] == [8, 9, 10, 11, 12]


def test_diff_fields_counts_words_and_leaves_a_first_submission_unchanged():
    labels = {"title": "Trích yếu", "body": "Nội dung"}
    first = diff_fields(None, {"title": "Kế hoạch", "body": "Dòng một"}, labels)
    assert [f.changed for f in first] == [False, False] and first[1].lines[0].text == "Dòng một"
    second = diff_fields({"title": "Kế hoạch", "body": "Dòng một"},
                         {"title": "Kế hoạch", "body": "Dòng một hai ba"}, labels)
    assert [f.changed for f in second] == [False, True]
    assert second[1].counts == {"inserted": 2, "deleted": 0}


words = st.lists(st.sampled_from(["tổ", "chức", "hội", "nghị", "Chỉ", "thị", "07", ",", ".", " ", "\n", "đ"]),
                 max_size=40).map("".join)


@given(words, words)
@settings(max_examples=200, deadline=None)
def test_pieces_rebuild_both_texts(old, new):
    pieces = diff_words(old, new)
    assert _old(pieces) == old and _new(pieces) == new
    lines = diff_lines(old, new)
    assert "\n".join(line.text for line in lines if line.new_number) == "\n".join(new.splitlines())


def test_a_large_plan_compares_quickly():
    body = PLAN.read_text(encoding="utf-8")
    old = "\n".join(body.splitlines() * 10)  # about 600 lines
    new_lines = old.splitlines()
    for i in range(0, len(new_lines), 9):
        new_lines[i] = new_lines[i].replace("và", "cùng với")
    start = time.perf_counter()
    lines = diff_lines(old, "\n".join(new_lines))
    elapsed = time.perf_counter() - start
    assert len([line for line in lines if line.new_number]) == len(new_lines)
    assert elapsed < 1.0, f"{elapsed:.2f} s for {len(new_lines)} lines"
