"""PDF previews, and the PDF/A-2b for signing, from a warm LibreOffice: the worker's unoserver converts without a
cold start (with the PDF/A export's filter data for the copy to be signed), and anything wrong with it sends the
conversion down the cold path instead of failing the job."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import pytest
from docgen_fixtures import demo_plan

from docgen import build_docx, office, previews, signing_pdf
from docgen import pdf as docgen_pdf
from domain import file_kinds, files
from domain.jobs import queue, runner
from extensions import db
from models.files import StoredFile

DOCX = b"docx bytes"


@pytest.mark.libreoffice
def test_a_warm_libreoffice_converts_the_demo_plan_exports_it_as_pdfa_2b_and_leaves_nothing_behind():
    if not office.available():
        pytest.skip("needs soffice, unoserver and Debian's python3-uno")
    warm = office.WarmOffice()
    assert warm.start()
    profile = warm.work_dir
    docx = build_docx(demo_plan())
    try:
        pdf = warm.convert(docx)
        pdfa = warm.convert(docx, filter_data=docgen_pdf.PDFA_2B_FILTER_DATA)
    finally:
        warm.stop()
    assert pdf.startswith(b"%PDF") and pdfa.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "KẾ HOẠCH" in text
    # The XMP metadata declares PDF/A-2b, as the cold export's does (test_signing_pdf), and only when asked for.
    assert re.search(rb"pdfaid:part>2<", pdfa) and re.search(rb"pdfaid:conformance>B<", pdfa)
    assert signing_pdf.declares_pdfa_2b(pdfa) and not signing_pdf.declares_pdfa_2b(pdf)
    assert not warm.running() and not profile.exists()


class Broken:
    def convert(self, docx, timeout=60, filter_data=None):
        raise xmlrpc.client.Fault(1, "soffice crashed")


class Warm:
    def __init__(self, answer: bytes = b"%PDF-1.7 warm"):
        self.asked = []
        self.answer = answer

    def convert(self, docx, timeout=60, filter_data=None):
        self.asked.append((timeout, filter_data))
        return self.answer


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
    assert _render(app, job_id) == b"%PDF-1.7 warm" and cold == []
    assert len(warm.asked) == 1 and 59 < warm.asked[0][0] <= 60 and warm.asked[0][1] is None


def test_a_failing_warm_libreoffice_falls_back_to_a_cold_one(app, preview_job, monkeypatch):
    job_id, cold = preview_job
    monkeypatch.setattr(previews, "_warm", Broken())
    assert _render(app, job_id) == b"%PDF-1.7 cold" and cold == [1]


# ---- the PDF/A-2b for signing ------------------------------------------------------------------------------

PDFA = b"%PDF-1.7 warm <pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"


@pytest.fixture
def signing_job(app, monkeypatch):
    """A PDF/A job for a stored issued .docx, asked for in memory; the cold export counted."""
    app.config["JOBS_QUEUE"] = queue.MEMORY
    queue.configure(app)
    cold = []

    def convert_cold(docx, cache_dir, timeout=60):
        cold.append(1)
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        (Path(cache_dir) / f"{hashlib.sha256(docx).hexdigest()}-pdfa2b.pdf").write_bytes(b"%PDF-1.7 cold PDF/A")

    monkeypatch.setattr(docgen_pdf, "convert_docx_to_pdfa", convert_cold)
    with app.app_context():
        stored = files.store_file(build_docx(demo_plan()), "ke-hoach.docx", allowed_kinds={file_kinds.DOCX},
                                  max_bytes=10_000_000, user=None)
        job = signing_pdf.request_signing_pdf(stored, 1, None)
        db.session.commit()
        return job.id, stored.id, cold


def _signing_pdf(app, job_id, stored_id) -> bytes:
    runner.run(job_id, app)
    with app.app_context():
        return signing_pdf.cached_signing_pdf(db.session.get(StoredFile, stored_id))


def test_the_pdf_for_signing_comes_from_the_warm_libreoffice_with_the_pdfa_filter_data(app, signing_job, monkeypatch):
    job_id, stored_id, cold = signing_job
    warm = Warm(PDFA)
    monkeypatch.setattr(previews, "_warm", warm)
    assert _signing_pdf(app, job_id, stored_id) == PDFA and cold == []
    assert [filter_data for _timeout, filter_data in warm.asked] == [{"SelectPdfVersion": 2}]


@pytest.mark.parametrize("warm", [Broken(), Warm(b"%PDF-1.7 warm, but not PDF/A")], ids=["failing", "not-pdfa"])
def test_the_pdf_for_signing_is_exported_cold_when_the_warm_one_fails_or_gives_no_pdfa(app, signing_job,
                                                                                       monkeypatch, warm):
    job_id, stored_id, cold = signing_job
    monkeypatch.setattr(previews, "_warm", warm)
    assert _signing_pdf(app, job_id, stored_id) == b"%PDF-1.7 cold PDF/A" and cold == [1]


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
