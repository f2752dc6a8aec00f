"""Scans made in the test: a rendered page drawn as a paper scan looks (a little rotated, speckled, JPEG), so OCR is
tested on what a văn thư's scanner gives, not on a clean picture."""

from __future__ import annotations

import io
import random
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageFilter


def pdf_pages_png(pdf: bytes, dpi: int = 200, pages: int = 1) -> list[Image.Image]:
    """The first pages of a PDF as grey images (pdftoppm)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-gray", "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(source),
                        str(Path(folder) / "page")], check=True, capture_output=True, timeout=120)
        return [Image.open(p).copy() for p in sorted(Path(folder).glob("page*.png"))]


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
