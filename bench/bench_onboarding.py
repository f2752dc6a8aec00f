"""Onboarding a province: how long the administrator's "Xác nhận" request takes for 130 units and reporters, and
how long the background job that hashes their one-time passwords takes in the worker.

    .venv/bin/python bench/bench_onboarding.py [--units 130] [--runs 3] [--busy 0]

Each run builds a fresh SQLite database in a temporary directory (an administrator, the organization), signs in
through the test client, previews the workbook and times POST /admin/onboarding/confirm. Passwords are hashed with
the production scrypt. When the confirmation answers with a redirect (the accounts are made by a job), the job is
then run as the worker runs it (domain.jobs.runner.run) and timed, and the slips page is fetched and its passwords
counted; when it answers 200, the request made everything itself (the code before the job). --busy N keeps N other
processes spinning on the CPU meanwhile, as a shared server under load would. Prints the median and the range.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from domain.jobs import runner  # noqa: E402
from extensions import db  # noqa: E402
from models import Organization, User  # noqa: E402
from models.choices import ADMIN  # noqa: E402
from models.jobs import Job  # noqa: E402

TITLES = ["Tên đơn vị", "Đơn vị cấp trên", "Loại đơn vị", "Mã đơn vị", "Họ tên cán bộ báo cáo", "Số điện thoại",
          "Thư điện tử"]
PASSWORD = "mat-khau-quan-tri-1"
OTP = re.compile(r'<code class="otp">([a-z0-9]{10})</code>')


def workbook(units: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(TITLES)
    sheet.append(["Các xã, phường", "", "", "xa-phuong", "", "", ""])
    for n in range(1, units + 1):
        sheet.append([f"Ủy ban MTTQ Việt Nam xã Đo Thử {n}", "xa-phuong", "", f"xa-do-thu-{n}", f"Nguyễn Văn {n}",
                      f"0912 {n:03d} {n:03d}", f"canbo{n}@mttq.example.vn"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _spin(stop) -> None:
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def one_run(data: bytes, units: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.sqlite3",
                          "FILES_DIR": f"{tmp}/files", "CACHE_DIR": f"{tmp}/cache", "JOBS_QUEUE": "memory",
                          "WTF_CSRF_ENABLED": False})
        with app.app_context():
            db.create_all()
            Organization.current()
            admin = User(username="admin", full_name="Quản Trị", password_hash="")
            admin.set_password(PASSWORD)
            admin.set_roles({ADMIN})
            db.session.add(admin)
            db.session.commit()
        client = app.test_client()
        assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 303
        page = client.post("/admin/onboarding/preview", data={"file": (io.BytesIO(data), "don-vi.xlsx")},
                           content_type="multipart/form-data").get_data(as_text=True)
        digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)
        started = time.perf_counter()
        confirmed = client.post("/admin/onboarding/confirm", data={"digest": digest})
        figures = {"request": time.perf_counter() - started, "status": confirmed.status_code}
        if confirmed.status_code == 303:
            with app.app_context():
                job_id = db.session.scalar(select(Job.id).order_by(Job.id.desc()))
                db.session.commit()  # as in the worker's thread, no transaction is open around the job
                started = time.perf_counter()
                runner.run(job_id, app)
                figures["job"] = time.perf_counter() - started
            slips = client.get(confirmed.headers["Location"]).get_data(as_text=True)
        else:
            slips = confirmed.get_data(as_text=True)
        figures["passwords"] = len(OTP.findall(slips))
        assert figures["passwords"] == units, figures
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return figures


def _summary(values: list[float]) -> str:
    return f"median {statistics.median(values):6.2f} s (range {min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=130)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--busy", type=int, default=0, help="processes spinning on the CPU meanwhile")
    args = parser.parse_args()
    data = workbook(args.units)
    stop = multiprocessing.Event()
    spinners = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True) for _ in range(args.busy)]
    for spinner in spinners:
        spinner.start()
    try:
        runs = [one_run(data, args.units) for _ in range(args.runs)]
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join(timeout=5)
    print(f"Onboarding {args.units} units and reporters, {args.runs} runs, {args.busy} busy processes beside:")
    print(f"  POST /admin/onboarding/confirm  {_summary([r['request'] for r in runs])}  answer {runs[0]['status']}")
    if "job" in runs[0]:
        print(f"  the job in the worker           {_summary([r['job'] for r in runs])}")
    print(f"  one-time passwords on the slips {runs[0]['passwords']}")


if __name__ == "__main__":
    main()
