"""Scans made in the test: a rendered page drawn as a paper scan looks (a little rotated, speckled, JPEG), so OCR is
tested on what a văn thư's scanner gives, not on a clean picture; and the app they are filed in (ocr_world)."""

from __future__ import annotations

import io
import random
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

from conftest import PASSWORD, CsrfClient, seed_people
from flask_migrate import stamp
from PIL import Image, ImageFilter
from register_fixtures import make_document, office_time, user

from app import create_app
from docgen import pdf as docgen_pdf
from domain.register import numbering as reg
from extensions import db
from models import Organization

ISSUED_AT = office_time(2026, 1, 5, 9, 0)


def pdf_pages_png(pdf: bytes, dpi: int = 200, pages: int = 1) -> list[Image.Image]:
    """The first pages of a PDF as grey images (pdftoppm)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-gray", "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(source),
                        str(Path(folder) / "page")], check=True, capture_output=True, timeout=120)
        return [Image.open(p).copy() for p in sorted(Path(folder).glob("page*.png"))]


def pdf_text(pdf: bytes, page: int | None = None) -> str:
    """A PDF's text layer (one page, or all) in the order it is written, as a PDF reader's search and pypdf's
    extract_text see it (pdftotext -raw: its default layout mode pulls apart the widely spaced words of a justified
    line), lines joined by spaces."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(["pdftotext", "-raw", *pages, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                            check=True, timeout=60)
    return " ".join(result.stdout.decode().split())


def scanned(page: Image.Image, *, angle: float = 1.5, noise: float = 0.02, quality: int = 75,
            seed: int = 1) -> bytes:
    """The page as a scanner gives it: turned by `angle` degrees, grey speckles on a `noise` share of the pixels,
    slightly blurred, saved as JPEG of `quality`."""
    rng = random.Random(seed)
    image = page.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    pixels = image.load()
    width, height = image.size
    for _ in range(int(width * height * noise)):
        pixels[rng.randrange(width), rng.randrange(height)] = rng.randrange(0, 256)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, dpi=(200, 200))
    return out.getvalue()


def ocr_world(tmp: Path, documents: list[dict]) -> SimpleNamespace:
    """One app (its own SQLite and files) with documents issued on 5/1/2026, one per dict of make_document's
    arguments ({"title": …, "body": …, "recipients": [a unit's slug or free text]}), the records clerk signed in.
    world.printed(i, …) gives those documents' issued .docx as LibreOffice prints them (PDF, one batch); close the
    world with world.close()."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 't.db'}",
                      "FILES_DIR": str(tmp / "files"), "CACHE_DIR": str(tmp / "cache")})
    app.test_client_class = CsrfClient
    with app.app_context():
        db.create_all()
        stamp()
        Organization.current()
        people = seed_people()
        ids = []
        for spec in documents:
            spec = dict(spec)
            recipients = [people.get(r, r) for r in spec.pop("recipients", [])]
            document = make_document(spec.pop("title"), recipients=recipients, **spec)
            db.session.commit()
            reg.issue(document, user("records"), ISSUED_AT)
            db.session.commit()
            ids.append(document.id)
    client = app.test_client()
    assert client.post("/login", data={"username": "records", "password": PASSWORD}).status_code == 303

    def printed(*indexes: int) -> list[bytes]:
        docx = [client.get(f"/documents/{ids[i]}/final.docx").data for i in indexes]
        return docgen_pdf.convert_batch(docx, tmp / "cache")

    def close():
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    return SimpleNamespace(app=app, client=client, ids=ids, people=people, printed=printed, close=close)
