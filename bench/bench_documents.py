"""How long the document editor takes to answer, with the Chỉ thị 07 demo plan (in-process, Flask test client).

    .venv/bin/python bench/bench_documents.py

Measures the median of 50 requests each: the editor page (GET /documents/<id>), the preview fragment the page
asks for while typing (POST /documents/preview), the .docx download and the list. A throw-away SQLite database
holds the demonstration data. Targets: editor < 100 ms, preview < 60 ms (it runs every 500 ms of typing).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app import create_app  # noqa: E402
from extensions import db  # noqa: E402

RUNS = 50
PASSWORD = "bench-documents-2026"


def median_ms(work, runs: int = RUNS) -> tuple[float, float]:
    work()  # warm up: templates compiled, caches filled
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    import demo
    from demo.documents import seed_documents, seed_plan_text
    from models import Document

    # The plan as the documents step leaves it (a draft the clerk can edit), without the later demo steps.
    demo.DEMO_EXTENSIONS[:] = [seed_documents]
    base = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'bench.sqlite3'}",
                      "FILES_DIR": str(base / "files"), "CACHE_DIR": str(base / "cache"), "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.create_all()
        demo.seed_demo(PASSWORD)
        db.session.commit()
        plan = db.session.scalar(db.select(Document).where(Document.title == seed_plan_text()["title"]))
        doc_id = plan.id
        form = {"document_id": str(doc_id), "kind": plan.kind, "title": plan.title,
                "references_text": plan.references_text, "body": plan.body, "signer_id": str(plan.signer_id),
                "signing_authority": plan.signing_authority, "signer_title": plan.signer_title,
                "recipient_unit": [str(r.unit_id or "") for r in plan.recipients],
                "recipient_text": [r.text for r in plan.recipients]}
        lines = plan.body.count("\n") + 1

    client = app.test_client()
    assert client.post("/login", data={"username": "chuyenvien", "password": PASSWORD}).status_code == 303

    def get(url: str):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return run

    def preview():
        response = client.post("/documents/preview", data=form, headers={"HX-Request": "true"})
        assert response.status_code == 200 and b"VBMuc" in response.data

    print(f"Chỉ thị 07 plan: {lines} body lines, {len(form['body']):,} characters; median (max) of {RUNS} requests")
    for label, work in (("editor page   GET  /documents/<id>", get(f"/documents/{doc_id}")),
                        ("preview       POST /documents/preview", preview),
                        ("download      GET  /documents/<id>/docx", get(f"/documents/{doc_id}/docx")),
                        ("list          GET  /documents", get("/documents"))):
        median, worst = median_ms(work)
        print(f"  {label:<42} {median:7.1f} ms  ({worst:.1f})")


if __name__ == "__main__":
    main()
