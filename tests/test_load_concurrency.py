"""Nothing lost under load: gunicorn -w 4, eight district reporters posting progress, figures and evidence at
once for 20 s, two clerks reading, the văn thư issuing — on SQLite (the default) and on PostgreSQL.

Afterwards: no response 5xx, every acknowledged report present exactly once (with its evidence), every issued
letter with its stored .docx and a gapless register, no orphan or temporary file.
"""

from __future__ import annotations

import pytest
from live_server import LiveServer, integrity_problems, run_mixed_load
from pg import throwaway_database

SECONDS = 20


def _load_and_check(server: LiveServer) -> None:
    server.prepare().start()
    try:
        stats, acked = run_mixed_load(server, seconds=SECONDS, reporters=8, clerks=2)
    finally:
        server.stop()
    # No 5xx but the one the application promises: a write that still finds SQLite busy after its 5 s wait answers
    # 503 "Hệ thống đang bận" with Retry-After and changes nothing (tests/test_faults.py shows that; the checks below
    # find every acknowledged report once and no stray file). On 2 cores shared with a LibreOffice start per issue,
    # one post in a few hundred may.
    busy = [e for e in stats.server_errors() if e[1] == 503]
    assert [e for e in stats.server_errors() if e[1] != 503] == [], server.log_text()[-4000:]
    assert len(busy) <= max(1, len(stats.responses["report progress"]) // 50), busy
    # Steadily: at least one acknowledged post every 4 s per reporter. (Each issue also prints the letter with a cold
    # LibreOffice to check its pages, on the same 2 cores: the reporters' posts then take 1.5 s at the median, and
    # 8 reporters get 60-80 posts through in 20 s, where it was > 80 before the printed-page check.)
    assert len(acked.reports) > 8 * 5, "the reporters should have been able to post steadily"
    assert acked.evidence and acked.issued
    assert integrity_problems(server, acked) == []


def test_sqlite_loses_nothing_under_concurrent_reporters_and_issuing(tmp_path):
    _load_and_check(LiveServer(tmp_path))


@pytest.mark.postgres
def test_postgresql_loses_nothing_under_concurrent_reporters_and_issuing(tmp_path):
    with throwaway_database() as url:
        _load_and_check(LiveServer(tmp_path, database_url=url.replace("postgresql+psycopg://", "postgresql://")))


def _same_figure_at_once(server: LiveServer) -> None:
    """Four people of one district send the same figure on the same assignment at the same instant."""
    import re
    import threading

    from live_server import Person, Stats

    server.prepare().start()
    try:
        stats = Stats()
        people = [Person(server, "huyen-yen-mo", stats).sign_in() for _ in range(4)]
        page = people[0].get("my tasks", "/my-tasks").text
        assignment = sorted(set(re.findall(r"/assignments/(\d+)/report", page)))[0]
        indicators = sorted(set(re.findall(r'name="(value-\d+)"', page)))
        assert indicators, "the demo plan's tasks carry figures"
        barrier = threading.Barrier(4)

        def send(i: int) -> None:
            barrier.wait(30)
            people[i].post("report progress", f"/assignments/{assignment}/report",
                           {"status": "in_progress", "narrative": f"cùng số liệu {i}", "view": "detail",
                            **{name: "42" for name in indicators}})

        for _ in range(3):
            threads = [threading.Thread(target=send, args=(i,)) for i in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
    finally:
        server.stop()
    assert stats.server_errors() == [], server.log_text()[-3000:]
    assert {status for status, _ in stats.responses["report progress"]} <= {303, 200}


def test_sqlite_takes_the_same_figure_sent_four_times_at_once(tmp_path):
    _same_figure_at_once(LiveServer(tmp_path, letters=0))


@pytest.mark.postgres
def test_postgresql_takes_the_same_figure_sent_four_times_at_once(tmp_path):
    with throwaway_database() as url:
        _same_figure_at_once(LiveServer(tmp_path, database_url=url.replace("postgresql+psycopg://", "postgresql://"),
                                        letters=0))
