"""OCR of scanned signed copies: seconds per page at 300 dpi, and the share of the register's fields (number, date,
trích yếu) found on synthetic scans.

    .venv/bin/python bench/bench_ocr.py [--scans 30] [--dpi 300]

Documents: the demo's Kế hoạch (Chỉ thị 07) and its letter asking for reports, and generated ones of several kinds,
numbers, dates and trích yếu, each issued through the register and printed by docgen + LibreOffice (one batch). Each
scan is page 1 drawn at --dpi, turned by -2..2°, speckled (0-2 % of pixels), blurred a little, saved as JPEG of
quality 40-90, combined into a PDF as an upload is (img2pdf), and read as the worker reads it (ocr.read_pdf).
Target: >= 95 % of fields found.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import PASSWORD, CsrfClient, seed_people  # noqa: E402
from flask_migrate import stamp  # noqa: E402
from register_fixtures import make_document, office_time, user  # noqa: E402
from scan_fixtures import pdf_pages_png, scanned  # noqa: E402

from app import create_app  # noqa: E402
from demo.documents import PLAN_TITLE, seed_plan_text  # noqa: E402
from demo.workflow import LETTER_BODY, LETTER_TITLE  # noqa: E402
from docgen.pdf import convert_batch  # noqa: E402
from domain.register import numbering as reg  # noqa: E402
from domain.register import ocr, scan_match  # noqa: E402
from domain.register.scans import images_to_pdf  # noqa: E402
from extensions import db  # noqa: E402
from models import Organization  # noqa: E402

TOPICS = [
    ("KH", "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư năm 2026"),
    ("CV", "tham gia ý kiến vào dự thảo Quy chế phối hợp giám sát và phản biện xã hội"),
    ("TB", "Kết luận của Ban Thường trực tại hội nghị giao ban quý I"),
    ("BC", "Kết quả thực hiện Cuộc vận động Người Việt Nam ưu tiên dùng hàng Việt Nam 6 tháng đầu năm"),
    ("HD", "Tổ chức tiếp xúc cử tri trước kỳ họp thứ 12 Hội đồng nhân dân tỉnh khóa XV"),
    ("KH", "Vận động ủng hộ Quỹ Vì người nghèo và an sinh xã hội năm 2026"),
    ("CV", "đề nghị báo cáo kết quả phong trào Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"),
    ("KH", "Chuyển đổi số trong hoạt động của Mặt trận Tổ quốc các cấp giai đoạn 2026-2030"),
]
BODY = ("Để triển khai có hiệu quả nhiệm vụ năm 2026, Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh đề nghị "
        "các đơn vị chủ động phối hợp, tổ chức thực hiện và báo cáo kết quả về Ban Thường trực trước ngày 30 hằng tháng.")


def issued_documents(app, client) -> list[dict]:
    """Issue the demo's two documents and the generated ones; return what the register says of each, and its .docx."""
    plan = seed_plan_text()
    specs = [("KH", PLAN_TITLE, plan["body"]), ("CV", LETTER_TITLE, LETTER_BODY.format(year=2026))]
    specs += [(kind, title, BODY) for kind, title in TOPICS]
    out = []
    with app.app_context():
        for i, (kind, title, body) in enumerate(specs):
            document = make_document(title, kind=kind, body=body, recipients=["Ban Thường trực Ủy ban MTTQ các huyện"])
            db.session.commit()
            # Spread over the year, several per day, so numbers and dates differ.
            when = office_time(2026, 1, 5, 9, 0) + timedelta(days=37 * i)
            entry = reg.issue(document, user("records"), when)
            db.session.commit()
            out.append({"id": document.id, "number": entry.number, "symbol": entry.symbol, "date": entry.issued_on,
                        "title": entry.title, "label": f"{entry.number_symbol} {title[:40]}"})
    for item in out:
        item["docx"] = client.get(f"/documents/{item['id']}/final.docx").data
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=30)
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()
    if not ocr.available():
        sys.exit("Tesseract with Vietnamese is not installed (tesseract-ocr, tesseract-ocr-vie).")
    tmp = Path(tempfile.mkdtemp(prefix="bench-ocr-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'b.db'}",
                      "FILES_DIR": str(tmp / "files"), "CACHE_DIR": str(tmp / "cache")})
    app.test_client_class = CsrfClient
    with app.app_context():
        db.create_all()
        stamp()
        Organization.current()
        seed_people()
    client = app.test_client()
    client.post("/login", data={"username": "records", "password": PASSWORD})
    documents = issued_documents(app, client)
    started = time.perf_counter()
    pdfs = convert_batch([d["docx"] for d in documents], tmp / "cache")
    pages = [pdf_pages_png(p, dpi=args.dpi)[0] for p in pdfs]
    print(f"{len(documents)} documents issued, printed and drawn at {args.dpi} dpi in {time.perf_counter() - started:.1f} s")

    rng = random.Random(2026)
    found, seconds, misses = [0, 0, 0], [], []
    for n in range(args.scans):
        i = n % len(documents)
        doc = documents[i]
        angle, noise, quality = rng.uniform(-2, 2), rng.uniform(0, 0.02), rng.randint(40, 90)
        jpeg = scanned(pages[i], angle=angle, noise=noise, quality=quality, seed=n)
        upload = images_to_pdf([(jpeg, "jpeg")])
        reading = ocr.read_pdf(upload)
        seconds.append(reading.seconds)
        matches = scan_match.compare(doc["number"], doc["symbol"], doc["date"], doc["title"], reading.text)
        for k, m in enumerate(matches):
            found[k] += m.found
            if not m.found:
                misses.append(f"  scan {n:2} ({doc['label']}; {angle:+.1f}°, noise {noise:.1%}, q{quality}): "
                              f"{('number', 'date', 'trích yếu')[k]} not found; best {m.score}% «{m.seen[:80]}»")
        print(f"scan {n:2}: {reading.seconds:5.1f} s  {''.join('✓' if m.found else '✗' for m in matches)}  "
              f"{angle:+.1f}° noise {noise:.1%} q{quality}  {doc['label']}")
    total = 3 * args.scans
    print(f"\nOCR at {args.dpi} dpi: median {statistics.median(seconds):.1f} s per page "
          f"(min {min(seconds):.1f}, max {max(seconds):.1f}; one tesseract thread, page 1 of each document)")
    print(f"fields found: {sum(found)}/{total} = {100 * sum(found) / total:.1f} %  (number {found[0]}/{args.scans}, "
          f"date {found[1]}/{args.scans}, trích yếu {found[2]}/{args.scans}); target >= 95 %")
    if misses:
        print("missed:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
