"""A warm LibreOffice for PDF previews: one soffice kept running by the worker (unoserver), instead of a cold start
(about two seconds) for every file.

unoserver's server needs LibreOffice's Python bridge (`uno`, Debian's python3-uno); it runs as a child process of
the worker with that bridge on its path, and its soffice has a profile of its own. A conversion goes to it over
XML-RPC on 127.0.0.1. When any of this is missing, or the warm soffice dies or hangs, conversions fall back to the
cold path (docgen.pdf), and the next one starts a fresh warm soffice.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path

from docgen.pdf import PDF_EXPORT_FILTER, libreoffice_path

log = logging.getLogger(__name__)

# Where Debian puts LibreOffice's Python bridge (uno.py and its pyuno module).
UNO_DIRS = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program")
START_SECONDS = 30
# unoserver's server, with a watchdog: when the process that started it is gone (the worker killed with kill -9),
# it kills its own process group, soffice included. (unoserver alone, sent SIGTERM, can stay alive.)
_WATCHED_SERVER = """
import os, runpy, signal, sys, threading, time
parent = os.getppid()
def watch():
    while os.getppid() == parent:
        time.sleep(0.5)
    os.killpg(0, signal.SIGKILL)
threading.Thread(target=watch, daemon=True).start()
sys.argv[0] = "unoserver"
runpy.run_module("unoserver.server", run_name="__main__")
"""
CONVERSION_SECONDS = 60


def uno_dir() -> str | None:
    return next((d for d in UNO_DIRS if (Path(d) / "uno.py").exists()), None)


def available() -> bool:
    """Whether a warm LibreOffice can be started here: soffice, unoserver and LibreOffice's Python bridge."""
    return bool(libreoffice_path() and uno_dir() and importlib.util.find_spec("unoserver"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WarmOffice:
    """One unoserver (and its soffice) owned by this process."""

    def __init__(self):
        self.work_dir: Path | None = None  # its own LibreOffice profile: two soffice sharing one both fail
        self.process: subprocess.Popen | None = None
        self.port = 0
        self._lock = threading.Lock()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> bool:
        """Start unoserver and wait until it answers; False (and nothing left running) if it does not."""
        self.work_dir = Path(tempfile.mkdtemp(prefix="vanban-office-"))
        self.port, uno_port = _free_port(), _free_port()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [uno_dir(), os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-c", _WATCHED_SERVER, "--port", str(self.port), "--uno-port", str(uno_port),
                   "--user-installation", str(self.work_dir / "profile"), "--executable", libreoffice_path(),
                   "--conversion-timeout", str(CONVERSION_SECONDS), "--quiet"]
        # Own process group: stop() ends unoserver and its soffice together, and so does the watchdog when the
        # worker is killed outright (kill -9): nothing is left running.
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and self.running():
            try:
                self._proxy(timeout=2).info()
                log.info("warm LibreOffice started (unoserver port %s)", self.port)
                return True
            except OSError:
                time.sleep(0.2)
        log.warning("warm LibreOffice did not start; PDF previews use a cold LibreOffice")
        self.stop()
        return False

    def _proxy(self, timeout: float):
        transport = _TimeoutTransport(timeout)
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", transport=transport, allow_none=True)

    def convert(self, docx: bytes, timeout: float = CONVERSION_SECONDS, filter_data: dict | None = None) -> bytes:
        """The PDF of a .docx from the warm soffice, within `timeout` seconds (the wait for another thread's
        conversion included); restarts it first if it died. `filter_data`: the PDF export's options
        (docgen.pdf.PDFA_2B_FILTER_DATA for PDF/A-2b). Raises OSError or xmlrpc.client.Error when it cannot (the
        caller falls back to a cold conversion); a conversion that overruns stops this soffice."""
        started = time.monotonic()
        if not self._lock.acquire(timeout=timeout):
            raise TimeoutError(f"warm LibreOffice busy for {timeout:g} s")
        try:
            if not self.running() and not self.start():
                raise ConnectionError("warm LibreOffice unavailable")
            left = timeout - (time.monotonic() - started)
            if left <= 0:
                raise TimeoutError(f"no time left for the warm LibreOffice within {timeout:g} s")
            # unoserver's convert(inpath, indata, outpath, convert_to, filtername, filter_options,
            # update_index, infiltername, password); indata travels as XML-RPC binary.
            filtername, options = (PDF_EXPORT_FILTER, [f"{k}={v}" for k, v in filter_data.items()]) if filter_data \
                else (None, [])
            try:
                result = self._proxy(timeout=left).convert(
                    None, xmlrpc.client.Binary(docx), None, "pdf", filtername, options, True, None, None)
            except (OSError, xmlrpc.client.Error):
                self.stop()  # a hung or dead soffice: the next conversion starts a fresh one
                raise
            return result.data if isinstance(result, xmlrpc.client.Binary) else result
        finally:
            self._lock.release()

    def stop(self) -> None:
        if self.process is not None:
            # SIGKILL to the group: unoserver may outlive a SIGTERM (its server thread), and the profile is thrown
            # away below, so soffice has nothing to save.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None
        if self.work_dir is not None:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            self.work_dir = None


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection
