"""Word 97-2003 files (.doc) converted to .docx by LibreOffice, then read like any .docx.

    doc_to_docx(data) -> bytes      PlanImportError (in Vietnamese) when LibreOffice is missing or fails

Each conversion runs in a fresh temporary folder with its own LibreOffice profile (two soffice processes sharing
a profile fail, so uploads converted at the same time must not share one), on a copy named by us (never the
uploaded name), with a timeout after which soffice is killed with its whole process group, and at most two at a
time (each takes one to three seconds and a few hundred MB). The time it takes is LibreOffice's, bounded by the
timeout, and is not counted in the import's time budget (see domain.plans.import_limits.outside_budget).

A compound file (OLE, the container of .doc) is also how Word stores a password-protected .docx; `ole_kind`
tells the two apart by the names of the streams inside, so that the clerk is told what to do.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from domain.plans.import_limits import PlanImportError, outside_budget

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_SIGNATURE = b"{\\rtf"
CONVERSION_SECONDS = 60
MAX_CONCURRENT = 2
_slots = threading.BoundedSemaphore(MAX_CONCURRENT)
# Stream names in an OLE directory are UTF-16: an encrypted .docx holds "EncryptedPackage", a .doc "WordDocument".
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORD_DOCUMENT = "WordDocument".encode("utf-16-le")

PROTECTED = ("Tệp Word này được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Word, bỏ mật khẩu (Tệp → "
             "Thông tin → Bảo vệ tài liệu → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi tải lên.")  # fmt: skip
NO_LIBREOFFICE = ("Máy chủ chưa cài LibreOffice nên chưa đọc được tệp .doc (Word 97–2003). Hãy mở tệp bằng Word, "
                  "chọn Lưu thành… định dạng .docx rồi tải tệp .docx lên.")  # fmt: skip
FAILED = ("Không chuyển được tệp .doc (Word 97–2003) sang .docx: tệp có thể bị hỏng hoặc được đặt mật khẩu. "
          "Hãy mở tệp bằng Word, chọn Lưu thành… định dạng .docx rồi tải tệp .docx lên.")  # fmt: skip


def ole_kind(data: bytes) -> str:
    """"protected" (an encrypted .docx), "doc" (a Word 97-2003 document) or "" (another compound file)."""
    if _ENCRYPTED_PACKAGE in data:
        return "protected"
    return "doc" if _WORD_DOCUMENT in data else ""


def libreoffice_path() -> str | None:
    """The soffice (or libreoffice) executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def doc_to_docx(data: bytes) -> bytes:
    """The .docx LibreOffice makes of a .doc (or an .rtf saved as .doc)."""
    soffice = libreoffice_path()
    if soffice is None:
        raise PlanImportError(NO_LIBREOFFICE)
    with outside_budget(), _slots, tempfile.TemporaryDirectory(prefix="vanban-doc-") as work:
        return _convert(soffice, data, Path(work), CONVERSION_SECONDS)


def _convert(soffice: str, data: bytes, work: Path, timeout: float) -> bytes:
    source = work / "ke-hoach.doc"
    source.write_bytes(data)
    out = work / "out"
    command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--nodefault", "--nologo", "--convert-to", "docx:MS Word 2007 XML",
               "--outdir", str(out), str(source)]  # fmt: skip
    # Its own process group: on timeout the wrapper script and soffice.bin are killed together.
    process = subprocess.Popen(command, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PlanImportError(FAILED) from None
    target = out / "ke-hoach.docx"
    if process.returncode != 0 or not target.is_file():
        raise PlanImportError(FAILED)
    return target.read_bytes()
