"""Plan import within limits: how fast too-large uploads are refused, and whether a server stays responsive.

    .venv/bin/python bench/bench_import_limits.py [--seconds 20] [--without-limits] [--in-process-only]

1. In process: the time to refuse a 9.9 MB one-line .txt and a 150,000-paragraph .docx, and to read a 40-page
   plan with 300 tasks (.docx and .txt). With --without-limits, also how long the two large files take to parse
   when every limit is lifted (what the quadratic-spot fixes bought; the parse itself is then the bound).
2. A real server: gunicorn -w 4 (sync workers) on SQLite in a temporary directory, the demonstration data, the
   clerk "chuyenvien" signed in. Four clients post the large files (and the 40-page plan) to /plans/import one
   after another for --seconds while /healthz is asked every 0.1 s; prints the latency p50/p95/max of /healthz
   idle and under that load, and of each kind of import. Before the limits, four such imports froze the server:
   each held a worker 15-23 s and /healthz waited 29-38 s.
Only 127.0.0.1; every request has a timeout; gunicorn is stopped (by its process id) at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import requests  # noqa: E402
from limits_fixtures import long_plan_docx, long_plan_text, many_paragraphs_docx, one_line_text  # noqa: E402

from domain.plans.import_limits import ImportLimits, PlanImportError  # noqa: E402
from domain.plans.importer import import_plan_json  # noqa: E402

BIN = ROOT / ".venv" / "bin"
PASSWORD = "vanban-demo"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
TIMEOUT = 60  # seconds, for any one request
UNLIMITED = ImportLimits(max_chars=10**9, max_paragraphs=10**9, max_paragraph_chars=10**9,
                         max_docx_xml_bytes=10**9, seconds=10**6)  # fmt: skip


def inputs() -> dict[str, tuple[str, bytes]]:
    return {
        "9.9 MB one-line .txt": ("mot-dong.txt", one_line_text(int(9.9 * 1024 * 1024))),
        "150,000-paragraph .docx": ("150-nghin-doan.docx", many_paragraphs_docx(150_000)),
        "40-page 300-task .docx": ("ke-hoach-40-trang.docx", long_plan_docx(300)),
        "40-page 300-task .txt": ("ke-hoach-40-trang.txt", long_plan_text(300).encode()),
    }


def read_once(filename: str, data: bytes, limits: ImportLimits = ImportLimits()) -> tuple[float, str]:  # noqa: B008
    started = time.perf_counter()
    try:
        outcome = f"{len(import_plan_json(filename, data, limits=limits)['tasks'])} tasks"
    except PlanImportError as refused:
        outcome = f"refused: {refused.message}"
    return time.perf_counter() - started, outcome


def in_process(files: dict[str, tuple[str, bytes]], without_limits: bool) -> None:
    print("In process, default limits (best of 3):")
    for label, (filename, data) in files.items():
        runs = [read_once(filename, data) for _ in range(3)]
        print(f"  {label:<26} {len(data) // 1024:>6,} KB  {min(s for s, _ in runs) * 1000:7.0f} ms  "
              f"{runs[0][1][:90]}")
    if without_limits:
        print("In process, every limit lifted (one run):")
        for label in ("9.9 MB one-line .txt", "150,000-paragraph .docx"):
            seconds, outcome = read_once(*files[label], limits=UNLIMITED)
            print(f"  {label:<26} {seconds:7.2f} s  {outcome[:60]}")


# ------------------------------------------------------------------------------------------------ the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workdir: Path) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, INSTANCE_PATH=str(workdir / "instance"), SECRET_KEY="bench-import-limits",
               DATABASE_URL=f"sqlite:///{workdir / 'instance' / 'vanban.sqlite3'}")  # fmt: skip
    for command in (["db", "upgrade"], ["seed-demo", "--password", PASSWORD]):
        subprocess.run([BIN / "flask", "--app", "app", *command], cwd=ROOT, env=env, check=True, timeout=300,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    port = free_port()
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen([BIN / "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}", "app:create_app()"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=10).status_code == 200:
                return server, url
        except requests.RequestException:  # not listening yet, or a worker still loading the application
            pass
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {workdir / 'gunicorn.log'}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()  # the master stops its workers
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def signed_in(url: str) -> tuple[requests.Session, str]:
    """The clerk's session and its CSRF token (from the page's meta tag)."""
    session = requests.Session()
    token = CSRF_META.search(session.get(f"{url}/login", timeout=TIMEOUT).text)[1]
    answer = session.post(f"{url}/login", data={"username": "chuyenvien", "password": PASSWORD, "csrf_token": token},
                          timeout=TIMEOUT, allow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, f"sign-in failed: {answer.status_code}"
    return session, CSRF_META.search(session.get(f"{url}/plans/import", timeout=TIMEOUT).text)[1]


def summary(latencies: list[float]) -> str:
    if len(latencies) < 2:
        return f"n={len(latencies)}"
    ms = sorted(x * 1000 for x in latencies)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18]
    return f"n={len(ms):<4} p50 {statistics.median(ms):7.0f} ms  p95 {p95:7.0f} ms  max {ms[-1]:7.0f} ms"


def poll_healthz(url: str, stop: threading.Event, latencies: list[float], failures: list[str]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status = requests.get(f"{url}/healthz", timeout=TIMEOUT).status_code
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(f"/healthz {status}")
        except requests.RequestException as exc:
            failures.append(f"/healthz {type(exc).__name__}")
        stop.wait(0.1)


def post_imports(url: str, cookies, token: str, files: list[tuple[str, str, bytes]], stop: threading.Event,
                 latencies: dict[str, list[float]], failures: list[str], first: int) -> None:
    session = requests.Session()
    session.cookies.update(cookies)
    n = first
    while not stop.is_set():
        label, filename, data = files[n % len(files)]
        n += 1
        started = time.perf_counter()
        try:
            answer = session.post(f"{url}/plans/import", data={"csrf_token": token, "text": ""},
                                  files={"file": (filename, data)}, timeout=TIMEOUT)  # fmt: skip
        except requests.RequestException as exc:
            failures.append(f"{label}: {type(exc).__name__}")
            continue
        latencies[label].append(time.perf_counter() - started)
        expected = "Kiểm tra kế hoạch trước khi lưu" if "40-page" in label else 'role="alert"'
        if answer.status_code != 200 or expected not in answer.text:
            failures.append(f"{label}: {answer.status_code}")


def against_a_server(files: dict[str, tuple[str, bytes]], seconds: float) -> None:
    load = [(label, *files[label]) for label in ("9.9 MB one-line .txt", "150,000-paragraph .docx",
                                                  "40-page 300-task .docx")]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        server, url = start_server(Path(tmp))
        try:
            session, token = signed_in(url)
            idle, failures = [], []
            stop = threading.Event()
            poller = threading.Thread(target=poll_healthz, args=(url, stop, idle, failures))
            poller.start()
            time.sleep(3)
            stop.set()
            poller.join(timeout=TIMEOUT)
            busy: list[float] = []
            imports: dict[str, list[float]] = {label: [] for label, _, _ in load}
            stop = threading.Event()
            threads = [threading.Thread(target=poll_healthz, args=(url, stop, busy, failures))]
            threads += [threading.Thread(target=post_imports, args=(url, session.cookies, token, load, stop, imports,
                                                                    failures, n)) for n in range(4)]  # fmt: skip
            for thread in threads:
                thread.start()
            time.sleep(seconds)
            stop.set()
            for thread in threads:
                thread.join(timeout=2 * TIMEOUT)
        finally:
            stop_server(server)
    print(f"\ngunicorn -w 4 (sync) on SQLite; 4 clients posting imports for {seconds:.0f} s:")
    print(f"  /healthz idle                      {summary(idle)}")
    print(f"  /healthz during the imports        {summary(busy)}")
    for label, latencies in imports.items():
        print(f"  import {label:<26} {summary(latencies)}")
    print(f"  failures (wrong answer, 5xx, timeout): {len(failures)} {failures[:5] if failures else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--without-limits", action="store_true", help="also parse the large files with no limit")
    parser.add_argument("--in-process-only", action="store_true")
    args = parser.parse_args()
    files = inputs()
    in_process(files, args.without_limits)
    if not args.in_process_only:
        against_a_server(files, min(args.seconds, 300))


if __name__ == "__main__":
    main()
