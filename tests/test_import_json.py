"""The import's JSON (the CLI's output, the review page's input): the plan's fields, the text as read, and per
task its assignee as written, lead, partners, deadline (ISO) and its words, source and source lines."""

from __future__ import annotations

import json

from importer_fixtures import PLANS, SEED, fixture_bytes

from domain.plans.importer import import_plan_json, parse_plan

PLAN = """Số: 03/KH-MTTQ-BTT
Hòa Bình, ngày 05 tháng 01 năm 2026
KẾ HOẠCH
Tổ chức Ngày hội Đại đoàn kết năm 2026
I. MỤC ĐÍCH
- Phát huy truyền thống đoàn kết.
II. TIẾN ĐỘ
1. Hội thi tìm hiểu lịch sử Mặt trận
- Thời gian thực hiện: Từ ngày 01/9/2026 đến ngày 30/9/2026.
- Đơn vị chủ trì: Ban Thường trực.
- Đơn vị phối hợp: Đoàn Thanh niên, Hội Liên hiệp Phụ nữ xã.
III. TỔ CHỨC THỰC HIỆN
1. Ban Công tác Mặt trận các
thôn, khu dân cư
- Phối hợp với Ban Thường trực tổ chức Ngày hội, dự kiến ngày 18/11/2026.
- Tuyên truyền thường xuyên trên loa truyền thanh.
Trên đây là Kế hoạch./.
Nơi nhận:
- Lưu: VT.
TM. BAN THƯỜNG TRỰC
CHỦ TỊCH
Nguyễn Thị Hoa"""


def test_each_task_says_who_what_when_and_where_it_was_read():
    data = parse_plan(PLAN).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["tasks"] == [
        {"unit": "Ban Thường trực", "text": "Hội thi tìm hiểu lịch sử Mặt trận", "lead": "Ban Thường trực",
         "is_lead": True, "coordinating": ["Đoàn Thanh niên", "Hội Liên hiệp Phụ nữ xã"], "deadline": "2026-09-30",
         "deadline_text": "Từ ngày 01/9/2026 đến ngày 30/9/2026", "deadline_kind": "date", "source": "schedule",
         "lines": [8, 11], "section_marker": "II.", "source_line": 8},
        {"unit": "Ban Công tác Mặt trận các thôn, khu dân cư",
         "text": "Phối hợp với Ban Thường trực tổ chức Ngày hội, dự kiến ngày 18/11/2026", "lead": "Ban Thường trực",
         "is_lead": False, "coordinating": [], "deadline": "2026-11-18", "deadline_text": "dự kiến ngày 18/11/2026",
         "deadline_kind": "date", "source": "implementation", "lines": [15, 15], "section_marker": "III.",
         "source_line": 15},
        {"unit": "Ban Công tác Mặt trận các thôn, khu dân cư", "text": "Tuyên truyền thường xuyên trên loa truyền thanh",
         "lead": "Ban Công tác Mặt trận các thôn, khu dân cư", "is_lead": True, "coordinating": [], "deadline": None,
         "deadline_text": "thường xuyên", "deadline_kind": "none", "source": "implementation", "lines": [16, 16],
         "section_marker": "III.", "source_line": 16},
    ]  # fmt: skip


def test_text_lines_are_the_text_as_read_and_each_tasks_lines_point_into_them():
    data = parse_plan(PLAN.replace("\n", "\r\n")).to_dict()
    assert data["text_lines"] == PLAN.split("\n")
    for task in data["tasks"]:
        first, last = task["lines"]
        assert 1 <= first <= last <= len(data["text_lines"])
    first, last = data["tasks"][0]["lines"]
    assert data["text_lines"][first - 1 : last] == PLAN.split("\n")[7:11]


def test_the_command_prints_the_new_fields(app):
    result = app.test_cli_runner().invoke(args=["import-plan", str(PLANS / SEED)])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["text_lines"][0].strip() == "KẾ HOẠCH"
    assert {
        "unit",
        "text",
        "lead",
        "is_lead",
        "coordinating",
        "deadline",
        "deadline_text",
        "source",
        "lines",
    } <= set(plan["tasks"][0])
    assert [t["lines"] for t in plan["tasks"]] == [[37, 37], [37, 37], [38, 38], [42, 42], [43, 43]]


def test_the_json_of_a_file_is_the_json_of_its_text():
    assert (
        import_plan_json(SEED, fixture_bytes(SEED))["tasks"]
        == parse_plan(fixture_bytes(SEED).decode()).to_dict()["tasks"]
    )
