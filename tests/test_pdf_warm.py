"""PDF previews from a warm LibreOffice: the worker's unoserver converts without a cold start, and anything wrong
with it sends the conversion down the cold path instead of failing the preview."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import pytest
from docgen_fixtures import demo_plan

from docgen import build_docx, office, previews
from docgen import pdf as docgen_pdf
from domain.jobs import queue, runner
from extensions import db

DOCX = b"docx bytes"


@pytest.mark.libreoffice
def test_a_warm_libreoffice_converts_the_demo_plan_and_leaves_nothing_behind_when_stopped():
    if not office.available():
        pytest.skip("needs soffice, unoserver and Debian's python3-uno")
    warm = office.WarmOffice()
    assert warm.start()
    profile = warm.work_dir
    try:
        pdf = warm.convert(build_docx(demo_plan()))
    finally:
        warm.stop()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "KẾ HOẠCH" in text
    assert not warm.running() and not profile.exists()


class Broken:
    def convert(self, docx):
        raise xmlrpc.client.Fault(1, "soffice crashed")


class Warm:
    def __init__(self):
        self.asked = 0

    def convert(self, docx):
        self.asked += 1
        return b"%PDF-1.7 warm"


@pytest.fixture
def preview_job(app, monkeypatch):
    """A preview job asked for in memory, and the cold path counted."""
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    cold = []
    monkeypatch.setattr(docgen_pdf, "convert_docx_to_pdf", lambda docx, cache_dir, timeout=60: cold.append(1)
                        or b"%PDF-1.7 cold")
    with app.app_context():
        job = previews.request_preview(DOCX, subject="document:1", user=None)
        db.session.commit()
        return job.id, cold


def _render(app, job_id) -> bytes:
    """Run the job as the worker would; the PDF it left in the cache."""
    runner.run(job_id, app)
    return (Path(app.config["CACHE_DIR"]) / "pdf" / f"{hashlib.sha256(DOCX).hexdigest()}.pdf").read_bytes()


def test_the_worker_uses_its_warm_libreoffice_when_it_has_one(app, preview_job, monkeypatch):
    job_id, cold = preview_job
    warm = Warm()
    monkeypatch.setattr(previews, "_warm", warm)
    assert _render(app, job_id) == b"%PDF-1.7 warm" and warm.asked == 1 and cold == []


def test_a_failing_warm_libreoffice_falls_back_to_a_cold_one(app, preview_job, monkeypatch):
    job_id, cold = preview_job
    monkeypatch.setattr(previews, "_warm", Broken())
    assert _render(app, job_id) == b"%PDF-1.7 cold" and cold == [1]


@pytest.mark.libreoffice
def test_a_warm_libreoffice_dies_with_a_worker_killed_outright(tmp_path):
    if not office.available():
        pytest.skip("needs soffice, unoserver and Debian's python3-uno")
    script = ("from docgen import office\nw = office.WarmOffice()\nassert w.start()\n"
              "print(w.process.pid, flush=True)\nimport time\ntime.sleep(60)\n")
    worker = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
    try:
        server = int(worker.stdout.readline())
        os.killpg(server, 0)  # its group is there: unoserver and its soffice
    finally:
        worker.kill()
        worker.wait()
        worker.stdout.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _group_alive(server):
        time.sleep(0.1)
    assert not _group_alive(server), "unoserver or its soffice outlived the worker"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # zombies (exited, not yet reaped by init) count as gone
    stats = [Path(f"/proc/{p}/stat").read_text() for p in os.listdir("/proc") if p.isdigit()
             and Path(f"/proc/{p}/stat").exists()]
    return any(s.split(") ")[1].split()[3] == str(pgid) and s.split(") ")[1].split()[0] != "Z" for s in stats)
