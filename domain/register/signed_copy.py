"""The signed copy of an issued document: a PDF kept byte for byte, or scanned images combined into one PDF;
checked against the register (number, date, trích yếu found in its text layer); filing it archives the document.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageOps, UnidentifiedImageError

from domain import files
from domain.documents import workflow
from domain.file_kinds import JPEG, PDF, PNG
from domain.files import FileRejected
from domain.register.numbering import utc_naive
from domain.text.vietnamese import date_line, fold
from extensions import begin_write, db
from models.choices import RECORDS
from models.core import User, audit
from models.documents import Document
from models.register import RegisterEntry, SignedCopy

IMAGE_KINDS = {PNG, JPEG}
UPLOAD_KINDS = {PDF} | IMAGE_KINDS
MAX_IMAGES = 50
MAX_PIXELS = 60_000_000  # per image: a 600 dpi A3 scan is about 70 MP; beyond this it is not a scan
A4 = (595.28, 841.89)  # points
# What a signed copy is, said plainly: a Word file is the draft, not the paper that was signed.
MSG_NOT_A_SCAN = ("Bản có chữ ký phải là tệp PDF (bản quét hoặc bản có chữ ký số) hoặc ảnh quét JPG/PNG. "
                  "Tệp Word, Excel hay loại tệp khác không phải bản có chữ ký: hãy quét bản giấy đã ký, "
                  "hoặc tải lên tệp PDF đã ký số.")
MSG_MIXED = "Hãy tải lên một tệp PDF, hoặc một hay nhiều ảnh JPG/PNG (mỗi ảnh một trang); không trộn PDF với ảnh."
PDFTOTEXT_TIMEOUT = 30


@dataclass
class Upload:
    data: bytes
    name: str


# ---- images -> one PDF ---------------------------------------------------------------------------------


def _page_size(width: int, height: int) -> tuple[float, float]:
    return (A4[1], A4[0]) if width > height else A4


def _image_object(data: bytes, kind: str) -> tuple[bytes, int, int]:
    """(PDF image XObject without its number, width, height). JPEG bytes go in unchanged when they can."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise FileRejected("Ảnh quá lớn (quá 60 triệu điểm ảnh); hãy quét ở độ phân giải thấp hơn.")
            oriented = probe.getexif().get(0x0112, 1) in (1, None)
            if kind == JPEG and probe.mode in ("RGB", "L") and oriented:
                space = "DeviceRGB" if probe.mode == "RGB" else "DeviceGray"
                head = (f"<</Type/XObject/Subtype/Image/Width {width}/Height {height}/ColorSpace/{space}"
                        f"/BitsPerComponent 8/Filter/DCTDecode/Length {len(data)}>>").encode()
                return head + b"\nstream\n" + data + b"\nendstream", width, height
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
        raise FileRejected("Ảnh bị hỏng hoặc không đọc được; hãy quét lại.") from exc
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    width, height = image.size
    space = "DeviceRGB" if image.mode == "RGB" else "DeviceGray"
    raw = zlib.compress(image.tobytes(), 6)  # lossless: a scan of a signature must not be re-compressed lossily
    head = (f"<</Type/XObject/Subtype/Image/Width {width}/Height {height}/ColorSpace/{space}"
            f"/BitsPerComponent 8/Filter/FlateDecode/Length {len(raw)}>>").encode()
    return head + b"\nstream\n" + raw + b"\nendstream", width, height


def images_to_pdf(images: list[tuple[bytes, str]]) -> bytes:
    """One A4 page per image (landscape for wide images), the image fitted and centred; JPEG kept as is."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: pages (filled at the end)
    kids = []
    for data, kind in images:
        xobject, width, height = _image_object(data, kind)
        page_w, page_h = _page_size(width, height)
        scale = min(page_w / width, page_h / height)
        w, h = width * scale, height * scale
        x, y = (page_w - w) / 2, (page_h - h) / 2
        objects.append(xobject)
        image_ref = len(objects)
        content = f"q {w:.2f} 0 0 {h:.2f} {x:.2f} {y:.2f} cm /Im0 Do Q".encode()
        objects.append(b"<</Length " + str(len(content)).encode() + b">>\nstream\n" + content + b"\nendstream")
        content_ref = len(objects)
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {page_w:.2f} {page_h:.2f}]"
                       f"/Resources<</XObject<</Im0 {image_ref} 0 R>>>>/Contents {content_ref} 0 R>>".encode())
        kids.append(len(objects))
    objects[0] = b"<</Type/Catalog/Pages 2 0 R>>"
    objects[1] = f"<</Type/Pages/Kids[{' '.join(f'{k} 0 R' for k in kids)}]/Count {len(kids)}>>".encode()
    return write_pdf(objects)


def write_pdf(objects: list[bytes]) -> bytes:
    """A PDF file from its numbered objects (object 1 is the catalog): header, bodies, cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


# ---- what the copy says --------------------------------------------------------------------------------


def pdf_text(data: bytes, pages: int = 3) -> str:
    """The text layer of the first pages ("" for an image-only scan or when pdftotext is not installed)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return ""
    try:
        result = subprocess.run([tool, "-l", str(pages), "-enc", "UTF-8", "-", "-"], input=data,
                                capture_output=True, timeout=PDFTOTEXT_TIMEOUT, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return ""
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else ""


def _squash(s: str) -> str:
    """Folded letters and digits only: line breaks and spacing in a PDF's text do not matter."""
    return re.sub(r"[\W_]+", "", fold(s))


def compare(entry: RegisterEntry, text: str) -> tuple[bool | None, bool | None, bool | None]:
    """Whether the register's number/symbol, date and trích yếu appear in the copy's text (None: no text)."""
    squashed = _squash(text)
    if len(squashed) < 20:
        return None, None, None
    number = _squash(entry.number_symbol) in squashed
    date = entry.issued_on is not None and _squash(date_line("", entry.issued_on)) in squashed
    title = bool(entry.title) and _squash(entry.title) in squashed
    return number, date, title


# ---- filing it -----------------------------------------------------------------------------------------


def prepare(uploads: list[Upload], max_bytes: int) -> tuple[bytes, str, str, int]:
    """Check the uploads and make the one PDF to keep: (pdf bytes, name, source, image count). No database."""
    uploads = [u for u in uploads if u.data or u.name]
    if not uploads:
        raise FileRejected("Vui lòng chọn tệp bản có chữ ký (PDF hoặc ảnh JPG/PNG).")
    kinds = [files.check_upload(u.data, allowed_kinds=UPLOAD_KINDS, max_bytes=max_bytes, wrong_kind=MSG_NOT_A_SCAN)
             for u in uploads]
    if PDF in kinds:
        if len(uploads) > 1:
            raise FileRejected(MSG_MIXED)
        return uploads[0].data, uploads[0].name, "pdf", 0  # byte for byte: a digital signature stays valid
    if len(uploads) > MAX_IMAGES:
        raise FileRejected(f"Tối đa {MAX_IMAGES} ảnh cho một văn bản.")
    pdf = images_to_pdf([(u.data, k) for u, k in zip(uploads, kinds, strict=True)])
    if len(pdf) > max_bytes:
        raise FileRejected(f"Tệp PDF ghép từ ảnh quá lớn ({files.size_text(len(pdf))}); "
                           f"giới hạn là {files.size_text(max_bytes)}. Hãy quét ở độ phân giải thấp hơn.")
    stem = uploads[0].name.rsplit(".", 1)[0] if uploads[0].name else "ban-ky"
    return pdf, f"{stem}.pdf", "images", len(uploads)


def entry_of(document: Document) -> RegisterEntry | None:
    return db.session.scalar(db.select(RegisterEntry).where(RegisterEntry.document_id == document.id))


def file_signed_copy(document: Document, uploads: list[Upload], user: User, now: datetime, *,
                     expected_status: str, max_bytes: int) -> SignedCopy:
    """Store the signed copy and archive the document (or add a corrected copy to an archived one).

    Raises FileRejected for a bad upload, StaleAction when the page was old, TransitionRefused when the user or
    status does not allow it; nothing is stored in the database then. The caller commits.
    """
    pdf, name, source, image_count = prepare(uploads, max_bytes)
    text = pdf_text(pdf)  # outside the write transaction: pdftotext may take a moment
    begin_write()
    db.session.refresh(document, with_for_update=True)
    if document.status != expected_status:
        raise workflow.StaleAction(document.status)
    if not user.has_role(RECORDS):
        raise workflow.TransitionRefused("Chỉ văn thư mới lưu bản có chữ ký.")
    if document.status not in (workflow.ISSUED, workflow.ARCHIVED):
        raise workflow.TransitionRefused("Chỉ lưu bản có chữ ký của văn bản đã phát hành.")
    entry = entry_of(document)
    stored = files.store_file(pdf, name, allowed_kinds={PDF}, max_bytes=max(max_bytes, len(pdf)), user=user)
    number_found, date_found, title_found = compare(entry, text) if entry else (None, None, None)
    copy = SignedCopy(document_id=document.id, stored_file_id=stored.id, uploaded_by_id=user.id,
                      uploaded_at=utc_naive(now), source=source, image_count=image_count,
                      number_found=number_found, date_found=date_found, title_found=title_found)
    db.session.add(copy)
    db.session.flush()
    details = {"file_id": stored.id}
    if document.status == workflow.ISSUED:
        workflow.perform(document, "archive", user, expected_status=workflow.ISSUED, **details)
    else:
        audit("document.signed_copy_replace", document, user=user, object_type="document",
              summary=f"{user.full_name} bổ sung bản có chữ ký mới ({stored.original_name})"[:500],
              after={"file_id": stored.id, "sha256": stored.sha256, "size": stored.size})
    return copy


def copies_of(document: Document) -> list[SignedCopy]:
    return list(db.session.scalars(db.select(SignedCopy).where(SignedCopy.document_id == document.id)
                                   .order_by(SignedCopy.uploaded_at.desc(), SignedCopy.id.desc())))
