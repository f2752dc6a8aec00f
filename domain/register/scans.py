"""Scanned images of a signed paper copy -> one PDF, one A4 page per image (landscape for a wide image), the image
fitted and centred, through img2pdf: JPEG bytes go in unchanged, everything else losslessly (a scan of a signature
and seal must not be re-compressed lossily).

An image img2pdf cannot take as it is (a phone photo turned by its EXIF tag, transparency, 16-bit or CMYK PNG) is
first redrawn upright on white with Pillow and passed on as PNG, still lossless.
"""

from __future__ import annotations

import io
import struct

import img2pdf
from PIL import Image, ImageOps, UnidentifiedImageError

from domain.file_kinds import JPEG
from domain.files import FileRejected

A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
MAX_PIXELS = 60_000_000  # per image: a 600 dpi A3 scan is about 70 MP; beyond this it is not a scan
MSG_TOO_LARGE = ("Ảnh quá lớn{size}: quá 60 triệu điểm ảnh, không phải một trang quét thông thường. "
                 "Hãy quét lại ở 200–300 dpi.")
MSG_BROKEN = "Ảnh bị hỏng hoặc không đọc được; hãy quét lại."
_DIRECT_MODES = {"RGB", "L", "1"}


def _too_large(width: int | None = None, height: int | None = None) -> FileRejected:
    size = f" ({width:,} × {height:,} điểm ảnh)".replace(",", ".") if width and height else ""
    return FileRejected(MSG_TOO_LARGE.format(size=size))


# A4, the image fitted inside and centred; a wide image gets a landscape page.
LAYOUT = img2pdf.get_layout_fun(pagesize=A4, fit=img2pdf.FitMode.into, auto_orient=True)


def _png_size(data: bytes) -> tuple[int | None, int | None]:
    """A PNG's size from its header, read without decoding (for the message about an image Pillow refuses)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    return None, None


def _prepared(data: bytes, kind: str) -> tuple[bytes, int, int]:
    """(bytes img2pdf embeds as they are, width, height): the JPEG or PNG itself when it can, else a lossless PNG."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise _too_large(width, height)
            upright = probe.getexif().get(0x0112, 1) in (1, None)
            transparent = probe.mode in ("RGBA", "LA", "PA") or "transparency" in probe.info
            if upright and not transparent and (probe.mode in _DIRECT_MODES or (kind == JPEG and probe.mode == "CMYK")):
                return data, width, height
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except Image.DecompressionBombError as exc:  # Pillow refuses before reading: it is far too large
        raise _too_large(*_png_size(data)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FileRejected(MSG_BROKEN) from exc
    if image.mode in ("RGBA", "LA", "PA", "P") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.new("RGB", image.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue(), image.size[0], image.size[1]


def images_to_pdf(images: list[tuple[bytes, str]]) -> bytes:
    """One page per (bytes, kind) image, in order."""
    prepared = [_prepared(data, kind)[0] for data, kind in images]
    try:
        return img2pdf.convert(prepared, layout_fun=LAYOUT, rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.ImageOpenError, img2pdf.PdfTooLargeError, img2pdf.UnsupportedColorspaceError,
            img2pdf.JpegColorspaceError, img2pdf.AlphaChannelError, ValueError, OSError) as exc:
        raise FileRejected(MSG_BROKEN) from exc
