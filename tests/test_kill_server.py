"""A power cut in the middle of the work: gunicorn -w 4 killed with SIGKILL (master and workers at once) while
the văn thư issues and districts upload evidence, three times, then restarted.

Afterwards the register is gapless, no document is half-issued (each issued one has its entry and stored .docx,
each entry its issued document), the server answers again, and `verify-files` lists what the killed processes
left (temporary and orphan files) and `--clean` removes it.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import threading
import time
import uuid

import pytest
from live_server import (
    NO_ANSWER,
    REPORTERS,
    VENV_BIN,
    Acknowledged,
    LiveServer,
    Person,
    Stats,
    integrity_problems,
    records_loop,
    stray_files,
)
from pg import throwaway_database
from sqlalchemy import select

ROOT = VENV_BIN.parent.parent


def _large_png(marker: str, size: int) -> bytes:
    """A PNG of about `size` bytes (random pixels compress poorly), unique per marker."""
    from PIL import Image

    side = int((size / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=0)
    return buf.getvalue() + marker.encode()  # bytes after IEND keep it a PNG and make it unique


def _uploader(person: Person, until: float, acked: Acknowledged) -> None:
    page = person.get("my tasks", "/my-tasks").text
    import re

    assignments = sorted(set(re.findall(r"/assignments/(\d+)/report", page)))
    while time.monotonic() < until and assignments:
        marker = f"minh chứng {uuid.uuid4().hex}"
        response = person.post("report progress", f"/assignments/{random.choice(assignments)}/report",
                               {"status": "in_progress", "narrative": marker, "view": "detail"},
                               files={"files": ("anh.png", _large_png(marker, 2_000_000), "image/png")})
        if response.status_code == 303:
            with acked.lock:
                acked.reports.append(marker)
                acked.evidence.append(marker)
        elif response.status_code == NO_ANSWER:
            time.sleep(0.2)


def _verify_files(server: LiveServer, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "flask"), "--app", "app", "verify-files", *args], cwd=ROOT,
                          env=server.env, capture_output=True, text=True, timeout=120)


def _kill_during_work(server: LiveServer) -> None:
    server.prepare().start()
    acked = Acknowledged()
    letters = list(server.letter_ids)
    for round_number in range(3):
        stats = Stats()
        people = [Person(server, name, stats).sign_in() for name in REPORTERS[:4]]
        records = Person(server, "vanthu", stats).sign_in()
        until = time.monotonic() + 4
        share, letters = letters[:20], letters[20:]
        threads = [threading.Thread(target=_uploader, args=(p, until, acked)) for p in people]
        threads.append(threading.Thread(target=records_loop, args=(records, until, share, acked, 0.05)))
        for t in threads:
            t.start()
        time.sleep(1.5 + round_number * 0.6)
        server.kill()
        for t in threads:
            t.join(60)
        server.start()
    server.stop()

    # Acknowledged before the cut means saved; the cut itself may leave stray files but no half-done work.
    problems = [p for p in integrity_problems(server, acked) if not p.startswith("stray file")]
    assert problems == []
    with server.app_context() as db:
        from models import Document, RegisterEntry
        from models.files import StoredFile

        entries = db.session.scalars(select(RegisterEntry)).all()
        issued = {d.id for d in db.session.scalars(select(Document).where(Document.status == "issued"))}
        assert {e.document_id for e in entries} == issued
        known = set(db.session.scalars(select(StoredFile.sha256)))
    strays = stray_files(server.files_dir, known)

    found = _verify_files(server)
    if strays:
        assert found.returncode == 1
        assert all(path.rsplit("/", 1)[-1] in found.stdout for path in strays)
    cleaned = _verify_files(server, "--clean", "--min-age", "0")
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    after = _verify_files(server)
    assert after.returncode == 0, after.stdout + after.stderr
    assert stray_files(server.files_dir, known) == []


def test_sqlite_register_and_files_survive_kill_9(tmp_path):
    _kill_during_work(LiveServer(tmp_path, letters=60))


@pytest.mark.postgres
def test_postgresql_register_and_files_survive_kill_9(tmp_path):
    with throwaway_database() as url:
        _kill_during_work(LiveServer(tmp_path, database_url=url.replace("postgresql+psycopg://", "postgresql://"),
                                     letters=60))
