"""A real multi-process server for load, fault and kill tests: gunicorn -w 4 on a fresh instance, and its users.

`LiveServer` builds an instance (migrated database, the Ninh Bình demonstration data, approved letters waiting to
be issued), starts gunicorn in its own process group and can stop it, or kill it with SIGKILL as a power cut
would. `Person` is one signed-in browser (requests keeps the cookies; the CSRF token comes from the page's meta
tag). The mixed workload (`run_mixed_load`) is shared by the concurrency test and bench/bench_load.py.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import statistics
import subprocess
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"
PASSWORD = "vanban-demo"
SECRET_KEY = "live-server-secret"
REPORTERS = ["thanh-pho-ninh-binh", "thanh-pho-tam-diep", "huyen-nho-quan", "huyen-gia-vien", "huyen-hoa-lu",
             "huyen-yen-khanh", "huyen-kim-son", "huyen-yen-mo"]
NO_ANSWER = 599  # what a request that got no response at all is recorded as
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A fresh instance under `workdir`, served by gunicorn on 127.0.0.1."""

    def __init__(self, workdir: Path, database_url: str | None = None, workers: int = 4, letters: int = 60):
        self.workdir = Path(workdir)
        self.instance = self.workdir / "instance"
        self.files_dir = self.instance / "files"
        self.database_url = database_url or f"sqlite:///{self.instance / 'vanban.sqlite3'}"
        self.workers = workers
        self.letters = letters
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._log = None
        self.letter_ids: list[int] = []

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "INSTANCE_PATH": str(self.instance), "DATABASE_URL": self.database_url,
                "SECRET_KEY": SECRET_KEY, "FILES_DIR": str(self.files_dir)}

    def flask(self, *args: str) -> str:
        done = subprocess.run([str(VENV_BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare(self) -> LiveServer:
        """Migrate, seed the demonstration data and approve letters for the văn thư to issue."""
        self.instance.mkdir(parents=True, exist_ok=True)
        self.flask("db", "upgrade")
        self.flask("seed-demo", "--password", PASSWORD)
        with self.app_context() as db:
            from sqlalchemy import select

            from models import Document, User

            signer = db.session.scalar(select(User).where(User.username == "phochutich"))
            author = db.session.scalar(select(User).where(User.username == "chuyenvien"))
            letters = [Document(kind="CV", title=f"Về việc phối hợp tổ chức hội nghị số {i}", status="approved",
                                year=2026, body="Ban Thường trực đề nghị các đơn vị phối hợp thực hiện.",
                                signer_id=signer.id, signer_title="PHÓ CHỦ TỊCH", created_by_id=author.id)
                       for i in range(self.letters)]
            for letter in letters:
                letter.set_recipients([(None, "Như trên")])
            db.session.add_all(letters)
            db.session.commit()
            self.letter_ids = [d.id for d in letters]
        return self

    def app_context(self):
        """An in-process app on the same database and files, for preparing and checking."""
        from contextlib import contextmanager

        from app import create_app
        from extensions import db

        @contextmanager
        def context():
            app = create_app({"SQLALCHEMY_DATABASE_URI": _sqlalchemy_url(self.database_url),
                              "FILES_DIR": str(self.files_dir), "SECRET_KEY": SECRET_KEY,
                              "CACHE_DIR": str(self.instance / "cache")})
            with app.app_context():
                try:
                    yield db
                finally:
                    db.session.remove()
                    db.engine.dispose()

        return context()

    def start(self, timeout: float = 30) -> LiveServer:
        self._log = log = open(self.workdir / "gunicorn.log", "ab")  # noqa: SIM115  (closed in _ended)
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--graceful-timeout", "5", "app:create_app()"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start:\n{(self.workdir / 'gunicorn.log').read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._ended()

    def _ended(self) -> None:
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: what a power cut leaves is what we then find."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(15)
        self._ended()

    def log_text(self) -> str:
        path = self.workdir / "gunicorn.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def _sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url


# ---- people ------------------------------------------------------------------------------------------------


@dataclass
class Stats:
    """Every response, by endpoint: (status, seconds)."""

    responses: dict[str, list[tuple[int, float]]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, endpoint: str, status: int, seconds: float) -> None:
        with self.lock:
            self.responses[endpoint].append((status, seconds))

    def server_errors(self) -> list[tuple[str, int]]:
        return [(e, s) for e, rows in self.responses.items() for s, _ in rows if s >= 500]

    def total(self) -> int:
        return sum(len(rows) for rows in self.responses.values())

    def table(self) -> list[tuple[str, int, float, float, int]]:
        """(endpoint, count, p50 ms, p95 ms, 5xx) per endpoint."""
        out = []
        for endpoint, rows in sorted(self.responses.items()):
            times = sorted(t for _, t in rows)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            out.append((endpoint, len(rows), statistics.median(times) * 1000, p95 * 1000,
                        sum(1 for s, _ in rows if s >= 500)))
        return out


class Person:
    """One signed-in browser."""

    def __init__(self, server: LiveServer, username: str, stats: Stats):
        self.server, self.username, self.stats = server, username, stats
        self.http = requests.Session()
        self.token = ""

    def request(self, endpoint: str, method: str, path: str, **kwargs) -> requests.Response:
        started = time.monotonic()
        try:
            response = self.http.request(method, self.server.url + path, timeout=60, allow_redirects=False,
                                         **kwargs)
        except requests.RequestException:  # no answer at all (server gone): counted with the 5xx
            response = requests.Response()
            response.status_code, response._content = NO_ANSWER, b""
        self.stats.add(endpoint, response.status_code, time.monotonic() - started)
        if match := CSRF_META.search(response.text if "text/html" in response.headers.get("Content-Type", "")
                                     else ""):
            self.token = match.group(1)
        return response

    def get(self, endpoint: str, path: str, **kwargs) -> requests.Response:
        return self.request(endpoint, "GET", path, **kwargs)

    def post(self, endpoint: str, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        return self.request(endpoint, "POST", path, data={**(data or {}), "csrf_token": self.token}, **kwargs)

    def sign_in(self) -> Person:
        self.get("login page", "/login")
        response = self.post("sign-in", "/login", {"username": self.username, "password": PASSWORD})
        if response.status_code != 303:
            raise RuntimeError(f"{self.username} could not sign in: {response.status_code}")
        self.get("dashboard", "/")
        return self


# ---- the mixed workload ------------------------------------------------------------------------------------


@dataclass
class Acknowledged:
    """What the server said it saved: the checks afterwards look for each of these exactly once."""

    reports: list[str] = field(default_factory=list)  # narrative markers of reports answered 303
    evidence: list[str] = field(default_factory=list)  # markers of those reports that carried a file
    issued: list[int] = field(default_factory=list)  # letters answered "issued"
    lock: threading.Lock = field(default_factory=threading.Lock)


ASSIGNMENT_LINK = re.compile(r"/assignments/(\d+)/report")
INDICATOR_FIELD = re.compile(r'name="(value-\d+)"')


def reporter_loop(person: Person, until: float, acked: Acknowledged, pause: float, rng: random.Random) -> None:
    """Report progress, figures and now and then evidence on the unit's own assignments until `until`."""
    page = person.get("my tasks", "/my-tasks").text
    assignments = sorted(set(ASSIGNMENT_LINK.findall(page)))
    indicators = sorted(set(INDICATOR_FIELD.findall(page)))
    while time.monotonic() < until and assignments:
        assignment = rng.choice(assignments)
        marker = f"báo cáo {uuid.uuid4().hex}"
        data = {"status": rng.choice(["in_progress", "in_progress", "done"]), "narrative": marker, "view": "detail",
                "done_on": ""}
        for name in indicators:
            data[name] = str(rng.randint(1, 500))
        files = None
        if rng.random() < 0.3:
            files = {"files": ("anh-hoi-nghi.png", _png(marker), "image/png")}
        response = person.post("report progress", f"/assignments/{assignment}/report", data, files=files)
        if response.status_code == 303:
            with acked.lock:
                acked.reports.append(marker)
                if files:
                    acked.evidence.append(marker)
        if rng.random() < 0.3:
            person.get("assignment page", f"/assignments/{assignment}")
        time.sleep(pause * rng.uniform(0.5, 1.5))


def clerk_loop(person: Person, until: float, pause: float, rng: random.Random) -> None:
    """Read what the office reads all day: dashboard, documents, plans, archive."""
    pages = [("dashboard", "/"), ("documents", "/documents"), ("plans", "/plans"), ("archive", "/archive"),
             ("register", "/register"), ("reports", "/reports")]
    while time.monotonic() < until:
        endpoint, path = rng.choice(pages)
        person.get(endpoint, path)
        time.sleep(pause * rng.uniform(0.5, 1.5))


def records_loop(person: Person, until: float, letters: list[int], acked: Acknowledged, pause: float) -> None:
    """The văn thư issues the approved letters one after another."""
    for letter in letters:
        if time.monotonic() >= until:
            break
        response = person.post("issue", f"/documents/{letter}/issue",
                               {"expected_status": "approved", "reserved_entry_id": "0", "copies": "",
                                "keeper": "", "notes": ""})
        if response.status_code == 303 and "/issue" not in response.headers.get("Location", "/issue"):
            with acked.lock:
                acked.issued.append(letter)
        time.sleep(pause)


def _png(marker: str) -> bytes:
    """A small PNG whose bytes are unique to the report (so each upload is a new stored file)."""
    import io

    from PIL import Image

    image = Image.new("RGB", (16, 16), (random.randint(0, 255), 80, 120))
    buf = io.BytesIO()
    image.save(buf, "PNG", pnginfo=_text_chunk(marker))
    return buf.getvalue()


def _text_chunk(marker: str):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("marker", marker.encode("ascii", "ignore").decode())
    return info


def run_mixed_load(server: LiveServer, *, seconds: float, reporters: int = 8, clerks: int = 2,
                   reporter_pause: float = 0.3, clerk_pause: float = 0.3, seed: int = 7) -> tuple[Stats, Acknowledged]:
    """Reporters posting, clerks reading, the văn thư issuing, all at once for `seconds`."""
    stats, acked = Stats(), Acknowledged()
    rng = random.Random(seed)
    people = [Person(server, REPORTERS[i % len(REPORTERS)], stats).sign_in() for i in range(reporters)]
    office = [Person(server, "chuyenvien", stats).sign_in() for _ in range(clerks)]
    records = Person(server, "vanthu", stats).sign_in()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=reporter_loop, args=(p, until, acked, reporter_pause,
                                                            random.Random(rng.random()))) for p in people]
    threads += [threading.Thread(target=clerk_loop, args=(p, until, clerk_pause, random.Random(rng.random())))
                for p in office]
    threads.append(threading.Thread(target=records_loop, args=(records, until, server.letter_ids, acked, 0.2)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    return stats, acked


# ---- what must hold afterwards -------------------------------------------------------------------------------


def stray_files(files_dir: Path, known: set[str]) -> list[str]:
    """Temporary files, and content-addressed files no row refers to, under FILES_DIR."""
    out = []
    for path in files_dir.rglob("*"):
        if not path.is_file() or path.name == ".lock":
            continue
        if path.name.startswith(".tmp-") or (re.fullmatch(r"[0-9a-f]{64}", path.name) and path.name not in known):
            out.append(str(path.relative_to(files_dir)))
    return out


def integrity_problems(server: LiveServer, acked: Acknowledged) -> list[str]:
    """Every acknowledged write present once, every issued document complete, the register gapless, no stray file."""
    from sqlalchemy import func, select

    from domain import files
    from models import Document, RegisterEntry
    from models.files import StoredFile
    from models.plans import AssignmentUpdate, Evidence

    problems: list[str] = []
    with server.app_context() as db:
        counts = dict(db.session.execute(
            select(AssignmentUpdate.narrative, func.count()).where(AssignmentUpdate.narrative.in_(acked.reports))
            .group_by(AssignmentUpdate.narrative)).all()) if acked.reports else {}
        problems += [f"report {m!r} saved {counts.get(m, 0)} times" for m in acked.reports if counts.get(m) != 1]
        with_files = set(db.session.scalars(
            select(AssignmentUpdate.narrative).join(Evidence, Evidence.update_id == AssignmentUpdate.id)
            .where(AssignmentUpdate.narrative.in_(acked.evidence)))) if acked.evidence else set()
        problems += [f"report {m!r} lost its evidence" for m in acked.evidence if m not in with_files]
        issued = db.session.scalars(select(Document).where(Document.status == "issued")).all()
        issued_ids = {d.id for d in issued}
        problems += [f"letter {i} acknowledged as issued is not" for i in acked.issued if i not in issued_ids]
        entries = {e.document_id: e for e in db.session.scalars(select(RegisterEntry))}
        for document in issued:
            entry = entries.get(document.id)
            if entry is None or entry.final_file_id is None:
                problems.append(f"issued document {document.id} has no stored .docx")
        by_year: dict[tuple[int, int], list[int]] = defaultdict(list)
        for entry in entries.values():
            by_year[(entry.register_id, entry.year)].append(entry.number)
        for key, numbers in by_year.items():
            if sorted(numbers) != list(range(1, len(numbers) + 1)):
                problems.append(f"register {key} numbers are not 1..{len(numbers)}: {sorted(numbers)}")
        problems += [f"stored file {s.id} is {p}" for s, p in files.verify_all()]
        known = set(db.session.scalars(select(StoredFile.sha256)))
        problems += [f"stray file {p}" for p in stray_files(server.files_dir, known)]
    return problems
