"""Archive search over 100,000 issued documents: median time of typical searches on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_archive.py [--documents 100000] [--runs 15] [--sqlite-only] [--keep DIR]

Each search is `domain.register.archive.search` as the /archive page calls it (a records user sees everything; a district
reporter goes through the visibility rule). It is timed with the accelerator the app uses (SQLite FTS5,
PostgreSQL GIN on to_tsvector('simple', …)) and with the portable LIKE fallback, to justify the choice.
Every document also carries the OCR text of a scanned signed copy (--no-ocr leaves it out): what Tesseract reads on
a page (the header, number, date, trích yếu, body, Nơi nhận) with a misread letter in about one word of twenty, as
domain.register.scan_reading adds it to the search keys; a document's keys are then about twice as long.
Target: median under 50 ms for every search. Re-run with --keep DIR and --pg-database NAME to reuse the loaded
documents (a load takes 2-3 minutes per database).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import insert, select  # noqa: E402

from app import create_app  # noqa: E402
from domain.register import archive  # noqa: E402
from domain.register.archive import (  # noqa: E402
    ArchiveQuery,
    heading,  # noqa: E402
    search_text,
)
from domain.text.vietnamese import number_symbol  # noqa: E402
from extensions import db  # noqa: E402
from models import Document, DocumentRecipient, DocumentSearch, Organization, Unit, User  # noqa: E402
from models.choices import RECORDS, UNIT_REPORTER  # noqa: E402

PLANS = sorted((ROOT / "tests" / "fixtures" / "plans").glob("*.txt"))
SIGNERS = ["Đinh Văn Thắng", "Phạm Thị Hồng", "Nguyễn Văn Toàn", "Trần Đức Minh", "Lê Thị Hạnh"]
DISTRICTS = ["Thành phố Ninh Bình", "Thành phố Tam Điệp", "Huyện Nho Quan", "Huyện Gia Viễn", "Huyện Hoa Lư",
             "Huyện Yên Khánh", "Huyện Kim Sơn", "Huyện Yên Mô"]
TOPICS = ["Tuyên truyền Chỉ thị 07 của Ban Bí thư", "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc",
          "Giám sát và phản biện xã hội", "Công tác xây dựng Đảng, xây dựng chính quyền",
          "Cuộc vận động Người Việt Nam ưu tiên dùng hàng Việt Nam", "Quỹ Vì người nghèo",
          "Phong trào Toàn dân đoàn kết xây dựng nông thôn mới", "Tiếp xúc cử tri", "Đền ơn đáp nghĩa",
          "Chuyển đổi số trong hoạt động của Mặt trận"]
KIND_CODES = ["KH", "BC", "CV", "TB", "HD"]
QUERIES = [
    ("text 'tuyen truyen'", dict(text="tuyen truyen")),
    ("text 'dang' (very common)", dict(text="dang")),
    ("text 'chi thi 07' + year", dict(text="chi thi 07", year=2024)),
    ("text, a rare word 'zzqx' (0.1%)", dict(text="zzqx")),
    ("text, a word in one document", dict(text="zzuniq")),
    ("signer 'thang'", dict(signer="thang")),
    ("recipient 'yen mo' + kind CV", dict(recipient="yen mo", kind="CV")),
    ("number 45 + year 2023", dict(number="45", year=2023)),
    ("kind KH + year 2025 (no text)", dict(kind="KH", year=2025)),
    ("no filter, page 1", dict()),
    ("text 'dang', page 50", dict(text="dang", page=50)),
    ("text on every scan 'doc lap tu do hanh phuc'", dict(text="doc lap tu do hanh phuc")),
    ("text only OCR read, one document 'zzocr'", dict(text="zzocr")),
]
SCAN_HEADER = ("ỦY BAN MTTQ VIỆT NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM TỈNH NINH BÌNH Độc lập - Tự do - Hạnh phúc "
               "BAN THƯỜNG TRỰC")
SCAN_FOOTER = "Nơi nhận: - Như trên; - Lưu: VT, BTG. TM. BAN THƯỜNG TRỰC PHÓ CHỦ TỊCH"


def ocr_like(text: str, rng: random.Random) -> str:
    """The text as OCR returns it from a fair scan: about one word in twenty with a letter misread."""
    words = text.split()
    for i, word in enumerate(words):
        if len(word) > 2 and rng.random() < 0.05:
            k = rng.randrange(len(word))
            words[i] = word[:k] + rng.choice("ilrnmceoau1") + word[k + 1:]
    return " ".join(words)


def sentences() -> list[str]:
    lines = []
    for path in PLANS:
        lines += [line.strip() for line in path.read_text().splitlines() if len(line.strip()) > 30]
    return lines


def populate(n: int, with_ocr: bool = True) -> None:
    rng = random.Random(7)
    lines = sentences()
    # Pre-fold 400 bodies once: folding 100,000 bodies would dominate the set-up, not the searches.
    bodies = []
    for _ in range(400):
        body = "\n".join(rng.sample(lines, rng.randint(6, 18)))
        scan = ocr_like(f"{SCAN_HEADER} {body} {SCAN_FOOTER}", rng) if with_ocr else ""
        bodies.append((body, search_text(body) + search_text(scan)[1:]))
    org = Organization.current()
    office = Unit(name="Văn phòng", recipient_name="Văn phòng", slug="office", kind="office")
    db.session.add(office)
    db.session.flush()
    group = Unit(name="Các huyện", recipient_name="Ban Thường trực các huyện", slug="group", kind="subordinate",
                 is_group=True, parent_id=office.id)
    db.session.add(group)
    db.session.flush()
    units = []
    for i, name in enumerate(DISTRICTS):
        u = Unit(name=name, recipient_name=f"Ban Thường trực Ủy ban MTTQVN {name.lower()}", slug=f"d{i}",
                 kind="subordinate", parent_id=group.id)
        db.session.add(u)
        units.append(u)
    records = User(username="vanthu", full_name="Văn thư", password_hash="-")
    records.set_roles({RECORDS})
    reporter = User(username="yenmo", full_name="Cán bộ Yên Mô", password_hash="-")
    reporter.set_roles({UNIT_REPORTER})
    db.session.add_all([records, reporter])
    db.session.flush()
    reporter.unit_id = units[-1].id
    db.session.commit()
    _ = org
    start = date(2020, 1, 2)
    batch_docs, batch_search, batch_rcpt = [], [], []
    numbers: dict[int, int] = {}
    for i in range(1, n + 1):
        issued_on = start + timedelta(days=i * 2190 // n)
        year = issued_on.year
        numbers[year] = numbers.get(year, 0) + 1
        kind = rng.choice(KIND_CODES)
        title = f"{rng.choice(TOPICS)} {'năm ' + str(year) if rng.random() < 0.5 else ''}".strip()
        if i % 997 == 0:
            title += " zzqx"
        if i == n // 3:
            title += " zzuniq"
        ocr_only = " zzocr " if with_ocr and i == n // 5 else ""
        body, folded_body = rng.choice(bodies)
        signer = rng.choice(SIGNERS)
        rcpts = rng.sample(units, rng.randint(1, 3))
        rcpt_text = " ; ".join(u.recipient_name for u in rcpts)
        symbol = number_symbol(numbers[year], f"{kind}-MTTQ-BTT")
        batch_docs.append(dict(id=i, kind=kind, title=title, body=body, status="archived", number=numbers[year],
                               issued_on=issued_on, year=year))
        batch_search.append(dict(document_id=i, kind=kind, year=year, number=numbers[year], issued_on=issued_on,
                                 signer=search_text(signer), recipients=search_text(rcpt_text),
                                 text=search_text(symbol, heading(kind, title), signer, rcpt_text) + folded_body[1:]
                                 + ocr_only.lstrip()))
        batch_rcpt += [dict(document_id=i, position=p, unit_id=u.id, text="") for p, u in enumerate(rcpts)]
        if len(batch_docs) == 5000 or i == n:
            db.session.execute(insert(Document), batch_docs)
            db.session.execute(insert(DocumentRecipient), batch_rcpt)
            db.session.execute(insert(DocumentSearch), batch_search)
            db.session.commit()
            batch_docs, batch_search, batch_rcpt = [], [], []
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


def time_queries(label: str, runs: int, force_like: bool = False) -> dict[str, float]:
    users = {name: db.session.scalar(select(User).where(User.username == name)) for name in ("vanthu", "yenmo")}
    archive.ACCELERATE = not force_like
    results = {}
    try:
        for (name, filters) in QUERIES + [("reporter: text 'tuyen truyen'", dict(text="tuyen truyen", who="yenmo"))]:
            filters = dict(filters)
            who = filters.pop("who", "vanthu")
            query = ArchiveQuery(**filters)
            archive.search(users[who], query)  # warm-up
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                rows, _more = archive.search(users[who], query)
                times.append((time.perf_counter() - started) * 1000)
            results[name] = statistics.median(times)
            print(f"  {label:<28} {name:<38} median {results[name]:8.1f} ms   ({len(rows)} rows on the page)")
    finally:
        archive.ACCELERATE = True
    return results


def run(url: str, label: str, n: int, runs: int, with_ocr: bool = True) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "FILES_DIR": tempfile.mkdtemp()})
    with app.app_context():
        db.create_all()
        Organization.current()
        db.session.commit()
        if (db.session.scalar(select(db.func.count()).select_from(Document)) or 0) < n:
            started = time.perf_counter()
            populate(n, with_ocr)
            print(f"{label}: {n:,} documents {'with OCR text ' if with_ocr else ''}loaded in {time.perf_counter() - started:.0f} s")
        else:
            print(f"{label}: re-using the {n:,} documents already there")
        accelerated = time_queries(f"{label} (index)", runs)
        fallback = time_queries(f"{label} (LIKE fallback)", max(3, runs // 3), force_like=True)
        worst = max(accelerated.values())
        print(f"{label}: slowest median with the index {worst:.1f} ms; "
              f"slowest with LIKE {max(fallback.values()):.1f} ms; target < 50 ms: "
              f"{'met' if worst < 50 else 'NOT met'}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--no-ocr", action="store_true", help="documents without the OCR text of a scan")
    parser.add_argument("--keep", help="directory for the SQLite file (default: a temporary one)")
    parser.add_argument("--pg-database", help="keep the PostgreSQL data in this database (created if missing)")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp())
    sqlite_path = folder / "archive-bench.sqlite3"
    if not args.keep:
        sqlite_path.unlink(missing_ok=True)
    run(f"sqlite:///{sqlite_path}", "SQLite", args.documents, args.runs, not args.no_ocr)
    if not args.sqlite_only:
        from pg import pg_available, throwaway_database

        if not pg_available():
            print("PostgreSQL at 127.0.0.1:5432 is not running: skipped")
            return
        if args.pg_database:
            import psycopg
            from pg import PG_ADMIN_URL

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.pg_database]).fetchone():
                    conn.execute(f'CREATE DATABASE "{args.pg_database}"')
            run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.pg_database}", "PostgreSQL", args.documents,
                args.runs, not args.no_ocr)
            return
        with throwaway_database() as url:
            run(url, "PostgreSQL", args.documents, args.runs, not args.no_ocr)


if __name__ == "__main__":
    main()
