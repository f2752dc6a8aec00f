"""Nơi nhận and subject edge cases: typed archive lines are replaced, people and bodies named Lưu are kept."""

from dataclasses import replace

import pytest
from docgen_fixtures import demo_cong_van, demo_plan

from docgen.layout import noi_nhan_lines, subject_line


@pytest.mark.parametrize("typed,kept", [
    ("Lưu: VT, BTG", False),
    ("Lưu VT, Ban Tuyên giáo MTTQ tỉnh", False),
    ("- Lưu: Ban Tuyên giáo.", False),
    ("Ông Lưu Văn Nam", True),
    ("Lưu Văn Nam", True),
    ("Trung tâm Lưu trữ lịch sử tỉnh", True),
    ("Lưu trữ lịch sử tỉnh", True),
])
def test_a_typed_archive_line_gives_way_to_the_generated_one_but_names_are_kept(typed, kept):
    data = replace(demo_plan(), recipients=["Ban Tuyên giáo Tỉnh ủy Ninh Bình", typed])
    lines = noi_nhan_lines(data)
    assert lines[-1].startswith("- Lưu: VT, ") and lines[-1].endswith(".")
    assert sum(line.startswith("- Lưu: VT") for line in lines) == 1
    assert (len(lines) == 3) is kept


def test_a_cong_van_without_a_subject_prints_no_lone_vv():
    assert subject_line(replace(demo_cong_van(), title="")) == ""
    assert subject_line(replace(demo_cong_van(), title="báo cáo kết quả")).startswith("V/v báo cáo")
