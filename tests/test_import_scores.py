"""The importer reads the real plans as the hand-written answers say (bench/score_import.py and
tests/fixtures/import_expected): every task, each with its assignee, the deadlines, recipients and signer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import score_import  # noqa: E402

# (tasks expected, found, matched, right assignee, deadlines read of expected) of each plan.
FIGURES = {
    "ke-hoach-chi-thi-07.txt": (5, 5, 5, 5, 0, 0),
    "kh-hiep-thuong-xa-2025-11-25.txt": (14, 14, 14, 14, 3, 3),
    "kh-kiem-tra-giam-sat-xa-2025-12-10.txt": (8, 8, 8, 8, 1, 1),
    "kh-hiep-thuong-lan-hai-xa-2026-01.txt": (12, 12, 12, 12, 2, 2),
    "hd-cong-tac-bau-cu-xa-2025.txt": (10, 10, 10, 10, 6, 6),
    "hd-gioi-thieu-nguoi-ung-cu-xa-2025-12-29.txt": (0, 0, 0, 0, 0, 0),
    "kh-fixture-phan-cong-iv.txt": (11, 11, 11, 11, 6, 6),
    "kh-fixture-lich-trinh.txt": (12, 12, 12, 12, 10, 10),
    "kh-fixture-bang-tung-o.txt": (7, 7, 7, 7, 3, 3),
    "kh-fixture-muc-trong.txt": (0, 0, 0, 0, 0, 0),
    "kh-fixture-thang-cao-diem.txt": (9, 9, 9, 9, 3, 3),
    "kh-fixture-giam-sat-tinh.txt": (6, 6, 6, 6, 3, 3),
    "kh-fixture-cong-tac-nam.txt": (6, 6, 6, 6, 3, 3),
    "kh-fixture-nha-dai-doan-ket.txt": (7, 7, 7, 7, 4, 4),
}


@pytest.fixture(scope="module")
def scores():
    found, _notes = score_import.score_all()
    return {s.label: s for s in found}


def _figures(s) -> tuple:
    return (s.expected, s.found, s.matched, s.right_unit, s.deadlines_read, s.deadlines_expected)


@pytest.mark.parametrize("label", sorted(FIGURES))
def test_each_plan_gives_the_conventions_tasks_with_their_assignees(scores, label):
    if label not in scores:
        pytest.skip("the real samples are in ../shared/samples")
    assert _figures(scores[label]) == FIGURES[label]
    assert scores[label].passed and scores[label].leaks == 0


def test_every_plan_read_reaches_the_target_and_its_recipients_and_signer(scores):
    for s in scores.values():
        assert s.unit_rate >= score_import.TARGET and s.found == s.expected, s.label
        assert s.warning_ok, s.label
        if not s.refused:
            assert s.recipients[0] == s.recipients[1], s.label
            assert score_import.norm(s.signer[0]) == score_import.norm(s.signer[1]), s.label


def test_the_word_files_read_as_their_text(scores):
    for label, s in scores.items():
        twin = label.split(" ")[0].replace(".numbered.docx", ".txt").replace(".docx", ".txt")
        if label.endswith(".docx") and twin in scores:
            assert _figures(s) == _figures(scores[twin]), label


def test_the_scorer_can_fail():
    expected = {"tasks": [{"unit": "Ban A", "text": "Tổ chức hội nghị", "deadline": "2026-01-31"}], "recipients": 1,
                "signer": "Nguyễn Văn An"}  # fmt: skip
    found = {"tasks": [{"unit": "Ban B", "text": "Tổ chức hội nghị quán triệt", "deadline": None}], "recipients": [],
             "signature": {"name": ""}, "warnings": []}  # fmt: skip
    s = score_import.score("x", found, expected)
    assert (s.matched, s.right_unit, s.deadlines_read, s.passed) == (1, 0, 0, False)
