"""OCR of scanned signed copies: seconds per page at 300 dpi, and the share of the register's fields (number, date,
trích yếu) found on synthetic scans, upright and fed turned; then what finding a turned page costs.

    .venv/bin/python bench/bench_ocr.py [--scans 30] [--dpi 300] [--cost-pages 6]

Documents: the demo's Kế hoạch (Chỉ thị 07) and its letter asking for reports, and generated ones of several kinds,
numbers, dates and trích yếu, each issued through the register and printed by docgen + LibreOffice (one batch). Each
scan is page 1 drawn at --dpi, turned by -2..2°, speckled (0-2 % of pixels), blurred a little, saved as JPEG of
quality 40-90, combined into a PDF as an upload is (img2pdf), and read as the worker reads it (ocr.read_pdf, with
the searchable copy). Every fourth scan is fed turned (90°, 180°, 270° in turn). Target: >= 95 % of fields found.

The cost part reads --cost-pages pages upright and turned (JPEG files, one tesseract thread; clock and CPU
seconds, the ways taking turns page by page) five ways: as before this change (--psm 3, pages read as they lie),
image_to_osd for every page then turning then --psm 3, --psm 1 for every page (Tesseract's detection inside the
run), as now (ocr_pages.read_page: OSD only for a page that reads as turned), and as now with the searchable page.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytesseract
from PIL import Image

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
from domain.register import ocr, ocr_pages, scan_match  # noqa: E402
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
    parser.add_argument("--cost-pages", type=int, default=6)
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

    if args.scans:
        read_scans(documents, pages, args.scans, args.dpi)
    orientation_cost(documents, pages, args.cost_pages, tmp)


def read_scans(documents: list[dict], pages: list, scans: int, dpi: int) -> None:
    """Read `scans` synthetic scans as the worker does; print each, the medians and the fields found."""
    rng = random.Random(2026)
    found, seconds, misses, sizes = [0, 0, 0], {False: [], True: []}, [], []
    for n in range(scans):
        i = n % len(documents)
        doc = documents[i]
        angle, noise, quality = rng.uniform(-2, 2), rng.uniform(0, 0.02), rng.randint(40, 90)
        turn = (90, 180, 270)[(n // 4) % 3] if n % 4 == 3 else 0
        jpeg = scanned(pages[i].rotate(turn, expand=True), angle=angle, noise=noise, quality=quality, seed=n)
        upload = images_to_pdf([(jpeg, "jpeg")])
        reading = ocr.read_pdf(upload, searchable=True)
        seconds[bool(turn)].append(reading.seconds)
        sizes.append((len(reading.searchable or b""), len(upload)))
        matches = scan_match.compare(doc["number"], doc["symbol"], doc["date"], doc["title"], reading.text)
        for k, m in enumerate(matches):
            found[k] += m.found
            if not m.found:
                misses.append(f"  scan {n:2} ({doc['label']}; turned {turn}°, {angle:+.1f}°, noise {noise:.1%}, "
                              f"q{quality}): {('number', 'date', 'trích yếu')[k]} not found; best {m.score}% "
                              f"«{m.seen[:80]}»")
        print(f"scan {n:2}: {reading.seconds:5.1f} s  {''.join('✓' if m.found else '✗' for m in matches)}  "
              f"turned {turn:3}° (found {reading.turned[0] if reading.turned else '-'}°) {angle:+.1f}° "
              f"noise {noise:.1%} q{quality}  {doc['label']}")
    total = 3 * scans
    for turned, label in ((False, "upright"), (True, "turned")):
        if seconds[turned]:
            print(f"\nOCR at {dpi} dpi, {label} ({len(seconds[turned])} scans): median "
                  f"{statistics.median(seconds[turned]):.1f} s per page (min {min(seconds[turned]):.1f}, max "
                  f"{max(seconds[turned]):.1f}; one tesseract thread, page 1 of each document, searchable copy made)")
    print(f"searchable copy: median {statistics.median(a / b for a, b in sizes):.2f} × the upload's size "
          f"(median {statistics.median(a for a, _ in sizes) / 1e6:.2f} MB)")
    print(f"fields found: {sum(found)}/{total} = {100 * sum(found) / total:.1f} %  (number {found[0]}/{scans}, "
          f"date {found[1]}/{scans}, trích yếu {found[2]}/{scans}); target >= 95 %")
    if misses:
        print("missed:")
        print("\n".join(misses))


def _before(path: Path) -> str:
    """How a page was read before pages could be turned: as it lies, --psm 3."""
    return pytesseract.image_to_string(str(path), lang="vie", config="--psm 3", timeout=120)


def _psm1(path: Path) -> str:
    """Orientation found inside every run (--psm 1): Tesseract reads a turned page as it lies."""
    return pytesseract.image_to_string(str(path), lang="vie", config="--psm 1", timeout=120)


def _osd_first(path: Path) -> str:
    """The obvious way: image_to_osd, turn the picture, then --psm 3."""
    osd = pytesseract.image_to_osd(str(path), config="--psm 0", output_type=pytesseract.Output.DICT, timeout=120)
    if not osd["rotate"]:
        return _before(path)
    with Image.open(path) as image:
        upright = image.rotate(-osd["rotate"], expand=True)
    return pytesseract.image_to_string(upright, lang="vie", config="--psm 3", timeout=120)


def _cpu_seconds() -> float:
    """CPU time of this process and of the tools it ran (tesseract): steadier than the clock on a shared machine."""
    own, tools = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + tools.ru_utime + tools.ru_stime


def orientation_cost(documents: list[dict], pages: list, count: int, tmp: Path) -> None:
    """Seconds per page (clock and CPU) and fields found, upright and turned, read the four ways, taking turns page by
    page so that the machine's other load falls on each way alike."""
    ways = [("before (--psm 3, as it lies)", _before), ("image_to_osd for every page", _osd_first),
            ("--psm 1 for every page (OSD inside)", _psm1),
            ("now (OSD when it reads as turned)", lambda p: ocr_pages.read_page(p).text),
            ("now + searchable page", lambda p: ocr_pages.read_page(p, pdf=True).text)]
    print(f"\nWhat finding a turned page costs ({count} pages each, JPEG, one tesseract thread):")
    for turned in (False, True):
        measured = {label: ([], [], 0) for label, _ in ways}
        for k in range(count):
            turn = (90, 180, 270)[k % 3] if turned else 0
            path = tmp / f"cost-{k}-{turn}.jpg"
            path.write_bytes(scanned(pages[k].rotate(turn, expand=True), angle=1.0, noise=0.01, quality=75, seed=k))
            doc = documents[k]
            for label, read in ways:
                wall, cpu = time.perf_counter(), _cpu_seconds()
                text = read(path)
                walls, cpus, found = measured[label]
                walls.append(time.perf_counter() - wall)
                cpus.append(_cpu_seconds() - cpu)
                found += sum(m.found for m in scan_match.compare(doc["number"], doc["symbol"], doc["date"],
                                                                 doc["title"], text))
                measured[label] = (walls, cpus, found)
        for label, (walls, cpus, found) in measured.items():
            print(f"  {'turned ' if turned else 'upright'}  {label:44} median {statistics.median(walls):5.2f} s "
                  f"per page ({statistics.median(cpus):5.2f} s CPU); fields found {found}/{3 * count}")

if __name__ == "__main__":
    main()
