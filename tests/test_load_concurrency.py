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
    assert stats.server_errors() == [], server.log_text()[-4000:]
    assert len(acked.reports) > 8 * 10, "the reporters should have been able to post steadily"
    assert acked.evidence and acked.issued
    assert integrity_problems(server, acked) == []


def test_sqlite_loses_nothing_under_concurrent_reporters_and_issuing(tmp_path):
    _load_and_check(LiveServer(tmp_path))


@pytest.mark.postgres
def test_postgresql_loses_nothing_under_concurrent_reporters_and_issuing(tmp_path):
    with throwaway_database() as url:
        _load_and_check(LiveServer(tmp_path, database_url=url.replace("postgresql+psycopg://", "postgresql://")))
