"""The Kiểm tra thể thức page on the demo plan: what a person waits for, step by step.

    .venv/bin/python bench/bench_format_check_page.py [RUNS] [FILE.docx]   (default: the demo plan)

1. upload -> the findings page (static checks, the file held, the drawing job asked for): the person sees the
   findings at once;
2. the worker's part: one LibreOffice conversion, the rendered checks, a JPEG per page, the words' boxes; cold
   (a soffice start per file) and warm (docgen.office's unoserver, as the worker keeps it);
3. the findings page again, with the pictures and each finding pinned (markers placed from the words' boxes).
"""

from __future__ import annotations

import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import PASSWORD, CsrfClient, seed_people  # noqa: E402
from docgen_fixtures import demo_draft  # noqa: E402

from app import create_app  # noqa: E402
from docgen import build_docx, office  # noqa: E402
from docgen.page_pictures import draw_pages  # noqa: E402
from domain.format_check import check_docx  # noqa: E402
from domain.jobs import queue  # noqa: E402
from extensions import db  # noqa: E402
from models import Organization  # noqa: E402


def timed(work):
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main(runs: int = 3, path: str | None = None) -> None:
    # The demo plan as a draft (blank number and date, no signer: 3 findings), or a file of one's own.
    docx = Path(path).read_bytes() if path else build_docx(demo_draft())
    with tempfile.TemporaryDirectory(prefix="bench-fc-") as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db",
                "FILES_DIR": f"{tmp}/files",
                "CACHE_DIR": f"{tmp}/cache",
                "JOBS_QUEUE": queue.MEMORY,
            }
        )
        app.test_client_class = CsrfClient
        with app.app_context():
            db.create_all()
            Organization.current()
            seed_people()
        client = app.test_client()
        client.post("/login", data={"username": "clerk", "password": PASSWORD})
        uploads = []
        for _ in range(runs):
            seconds, response = timed(
                lambda: client.post(
                    "/format-check/",
                    data={"file": (io.BytesIO(docx), "kh.docx")},
                    content_type="multipart/form-data",
                )
            )
            page_seconds, _ = timed(lambda r=response: client.get(r.headers["Location"]))
            uploads.append((seconds + page_seconds, response.headers["Location"]))
        print(
            f"1. upload -> findings page: median {statistics.median(t for t, _ in uploads) * 1000:.0f} ms over {runs}"
        )

        report = check_docx(docx)
        folder = Path(tmp) / "pages"
        cold = []
        for _ in range(runs):
            shutil.rmtree(folder, ignore_errors=True)
            cold.append(timed(lambda: draw_pages(docx, report, folder))[0])
        print(
            f"2. drawing, cold LibreOffice: median {statistics.median(cold):.2f} s over {runs} "
            f"({', '.join(f'{t:.2f}' for t in cold)})"
        )
        if office.available():
            warm_office = office.WarmOffice()
            if warm_office.start():
                try:
                    warm_office.convert(docx)  # its first file loads the fonts
                    warm = []
                    for _ in range(runs):
                        shutil.rmtree(folder, ignore_errors=True)
                        warm.append(
                            timed(lambda: draw_pages(docx, report, folder, convert=warm_office.convert))[0]
                        )
                finally:
                    warm_office.stop()
                print(
                    f"   drawing, warm LibreOffice: median {statistics.median(warm):.2f} s over {runs} "
                    f"({', '.join(f'{t:.2f}' for t in warm)})"
                )
        else:
            print("   warm LibreOffice: not available here (needs unoserver and Debian's python3-uno)")

        # The pictures in place for the held file, as the worker leaves them: the page with every marker.
        address = uploads[-1][1]
        token = address.rsplit("/", 1)[1]
        with app.app_context():
            from blueprints.format_check.holding import root
            from domain.format_review.held import held, pages_dir

            found = held(root(), 2, token)
            shutil.copytree(folder, pages_dir(root(), found.sha256), dirs_exist_ok=True)
        shown = [timed(lambda: client.get(address))[0] for _ in range(runs)]
        html = client.get(address).get_data(as_text=True)
        pictures, markers = html.count('<figure class="fc-page"'), html.count('class="fc-marker"')
        print(f"3. findings page with {pictures} pictures and {markers} markers: median "
              f"{statistics.median(shown) * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3, sys.argv[2] if len(sys.argv) > 2 else None)
