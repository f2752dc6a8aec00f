"""PDF conversions off the request path.

LibreOffice runs in a small pool of worker threads (docgen.pdf gives each run its own profile directory, a
timeout and the SHA-256 cache). A request waits a few seconds for its conversion; when that is not enough it
gets a "being prepared" answer and the conversion carries on, so the next request finds it done or cached.
Two requests for the same .docx share one conversion.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from pathlib import Path

from docgen import pdf as docgen_pdf

READY, PENDING, FAILED, UNAVAILABLE = "ready", "pending", "failed", "unavailable"

_executor = ThreadPoolExecutor(max_workers=docgen_pdf.MAX_CONCURRENT, thread_name_prefix="vanban-pdf")
_jobs: dict[str, Future] = {}
_lock = threading.Lock()


@dataclass
class PdfOutcome:
    state: str  # READY, PENDING, FAILED or UNAVAILABLE
    pdf: bytes | None = None
    message: str = ""


def _outcome(future: Future) -> PdfOutcome:
    try:
        return PdfOutcome(READY, future.result())
    except docgen_pdf.PdfUnavailable as exc:
        return PdfOutcome(UNAVAILABLE, message=str(exc))
    except docgen_pdf.PdfConversionFailed as exc:
        return PdfOutcome(FAILED, message=str(exc))
    except OSError as exc:  # the cache directory or a temporary file could not be written
        return PdfOutcome(FAILED, message=f"Không tạo được bản PDF: {exc.strerror or exc}.")


def request_pdf(docx: bytes, cache_dir: Path, *, wait: float = 10, timeout: float = 60) -> PdfOutcome:
    """The PDF of this .docx if it is ready within `wait` seconds; else PENDING (the work goes on)."""
    key = hashlib.sha256(docx).hexdigest()
    with _lock:
        future = _jobs.get(key)
        if future is None:
            future = _executor.submit(docgen_pdf.convert_docx_to_pdf, docx, Path(cache_dir), timeout)
            _jobs[key] = future
    done, _ = wait_for([future], timeout=wait)
    if not done:
        return PdfOutcome(PENDING)
    with _lock:
        # A finished job is forgotten: its PDF is in the cache, and a failure may be retried by the next request.
        if _jobs.get(key) is future:
            del _jobs[key]
    return _outcome(future)
