"""A .docx -> PDF with LibreOffice, for the preview and the printed copy.

Each conversion gets its own LibreOffice profile directory (two soffice processes sharing one
profile fail), a timeout, and at most two run at a time (each takes ~2 s and a few hundred MB).
Results are cached by the SHA-256 of the .docx bytes; cache files are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

MAX_CONCURRENT = 2
_slots = threading.BoundedSemaphore(MAX_CONCURRENT)


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed on this machine."""


class PdfConversionFailed(RuntimeError):
    """LibreOffice ran but gave no PDF (timeout, crash, unreadable document)."""


def libreoffice_path() -> str | None:
    """The soffice (or libreoffice) executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _cache_file(cache_dir: Path, docx_bytes: bytes) -> Path:
    return Path(cache_dir) / f"{hashlib.sha256(docx_bytes).hexdigest()}.pdf"


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers never see half a file: write a temporary file beside it, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _slot(timeout: float):
    """One of the MAX_CONCURRENT conversion slots, waited for at most `timeout` seconds (then PdfConversionFailed);
    yields the seconds left of `timeout` for the conversion itself."""
    started = time.monotonic()
    if not _slots.acquire(timeout=timeout):
        raise PdfConversionFailed(f"Không tạo được bản PDF: LibreOffice bận quá {timeout:g} giây.")
    try:
        yield max(0.1, timeout - (time.monotonic() - started))
    finally:
        _slots.release()


def _convert(soffice: str, docx_bytes: bytes, timeout: float) -> bytes:
    return _convert_many(soffice, [docx_bytes], timeout)[0]


# LibreOffice's PDF export as PDF/A-2b (SelectPdfVersion 2): fonts embedded, no encryption or JavaScript, colour
# profile and XMP metadata: the form a document is archived and signed in. The same filter data serves the command
# line (PDFA_2B, for --convert-to) and the warm LibreOffice (docgen.office, unoserver's "Name=value" options).
PDF_EXPORT_FILTER = "writer_pdf_Export"
PDFA_2B_FILTER_DATA = {"SelectPdfVersion": 2}
PDFA_2B = "pdf:{}:{}".format(PDF_EXPORT_FILTER, json.dumps(
    {name: {"type": "long", "value": str(value)} for name, value in PDFA_2B_FILTER_DATA.items()},
    separators=(",", ":")))


def _convert_many(soffice: str, documents: list[bytes], timeout: float, convert_to: str = "pdf") -> list[bytes]:
    """One soffice run for all the documents (each start costs about two seconds)."""
    with tempfile.TemporaryDirectory(prefix="vanban-pdf-") as work:
        work_dir = Path(work)
        sources = [work_dir / f"document-{i}.docx" for i in range(len(documents))]
        for source, docx_bytes in zip(sources, documents, strict=True):
            source.write_bytes(docx_bytes)
        profile = (work_dir / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            convert_to,
            "--outdir",
            str(work_dir),
            *map(str, sources),
        ]
        # Own process group: on timeout the wrapper script and soffice.bin are killed together.
        process = subprocess.Popen(
            command,
            cwd=work_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionFailed(
                f"Không tạo được bản PDF: LibreOffice chạy quá {timeout:g} giây."
            ) from exc
        targets = [source.with_suffix(".pdf") for source in sources]
        if process.returncode != 0 or not all(target.exists() for target in targets):
            detail = (err or out).decode("utf-8", "replace").strip()[-500:]
            raise PdfConversionFailed(
                f"Không tạo được bản PDF (LibreOffice trả mã {process.returncode}): {detail}"
            )
        return [target.read_bytes() for target in targets]


def convert_docx_to_pdf(docx_bytes: bytes, cache_dir: Path, timeout: float = 60) -> bytes:
    """The PDF of a .docx, from the cache when the same bytes were converted before."""
    cached = _cache_file(cache_dir, docx_bytes)
    if cached.exists():
        return cached.read_bytes()
    soffice = libreoffice_path()
    if soffice is None:
        raise PdfUnavailable("Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF.")
    with _slot(timeout) as left:
        if cached.exists():  # converted by another thread while this one waited
            return cached.read_bytes()
        pdf = _convert(soffice, docx_bytes, left)
    _write_atomically(cached, pdf)
    return pdf


def convert_batch(documents: list[bytes], cache_dir: Path, timeout: float = 120) -> list[bytes]:
    """The PDFs of several .docx, those not yet cached converted in ONE LibreOffice run (tests render many documents:
    one start instead of one per document), each then cached like convert_docx_to_pdf's."""
    missing = list(dict.fromkeys(d for d in documents if not _cache_file(cache_dir, d).exists()))
    if missing:
        soffice = libreoffice_path()
        if soffice is None:
            raise PdfUnavailable("Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF.")
        with _slot(timeout) as left:
            pdfs = _convert_many(soffice, missing, left)
        for docx_bytes, pdf in zip(missing, pdfs, strict=True):
            _write_atomically(_cache_file(cache_dir, docx_bytes), pdf)
    return [_cache_file(cache_dir, d).read_bytes() for d in documents]


def convert_docx_to_pdfa(docx_bytes: bytes, cache_dir: Path, timeout: float = 60) -> bytes:
    """The PDF/A-2b of a .docx (the copy to be signed), cached by the .docx's hash beside the previews."""
    cached = Path(cache_dir) / f"{hashlib.sha256(docx_bytes).hexdigest()}-pdfa2b.pdf"
    if cached.exists():
        return cached.read_bytes()
    soffice = libreoffice_path()
    if soffice is None:
        raise PdfUnavailable("Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF.")
    with _slot(timeout) as left:
        pdf = _convert_many(soffice, [docx_bytes], left, convert_to=PDFA_2B)[0]
    _write_atomically(cached, pdf)
    return pdf
