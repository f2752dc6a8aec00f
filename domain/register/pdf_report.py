"""What the application records for a signed copy, from a file on disk (`flask --app app pdf-report FILE`): the
PDF it keeps (an image becomes one, as on upload), the check of its digital signatures against the office's trust
list, and its text: the text layer, or for a scan what Tesseract reads (`ocr` true, as the worker would read it:
domain.register.ocr, at most ocr.MAX_PAGES pages; `ocr_note` says what was not read)."""

from __future__ import annotations

import hashlib

from domain.register import ocr
from domain.register.signature_check import trust_list
from domain.register.signatures import verify_pdf
from domain.register.signed_copy import Upload, pdf_text, prepare
from models.choices import COPY_SIGNATURE_STATES, SIGNATURE_VERDICTS, choice_of

TEXT_PAGES = 50  # the text layer of the first pages (what the comparisons read is the first three)
SIGNATURE_FIELDS = ("signer", "organization", "signing_time", "timestamp", "intact", "covers_whole_file",
                    "later_changes_allowed", "certificate_valid", "revocation_embedded", "trusted", "serial",
                    "issuer", "field", "error")


def pdf_report(data: bytes, name: str, max_bytes: int) -> dict:
    """The report; raises domain.files.FileRejected (Vietnamese message) for a file an upload would refuse."""
    pdf, kept_name, source, image_count = prepare([Upload(data, name)], max_bytes)
    text, is_ocr, note = _text(pdf)
    roots, intermediates = trust_list()
    checked = verify_pdf(pdf, roots, intermediates)
    signatures = []
    for s in checked["signatures"]:
        item = {key: s.get(key) for key in SIGNATURE_FIELDS}
        item["verdict"] = s["verdict"]
        item["verdict_text"] = choice_of(SIGNATURE_VERDICTS, s["verdict"]).label
        signatures.append(item)
    return {
        "file": kept_name, "source": source, "images": image_count, "sha256": hashlib.sha256(pdf).hexdigest(),
        "state": checked["state"], "state_text": choice_of(COPY_SIGNATURE_STATES, checked["state"]).label,
        "problem": checked["problem"], "warnings": checked["warnings"], "signatures": signatures,
        "text": text, "ocr": is_ocr, "ocr_note": note,
    }


def _text(pdf: bytes) -> tuple[str, bool, str]:
    """(text, whether OCR read it, why some or all of it could not be read)."""
    layer = pdf_text(pdf, pages=TEXT_PAGES)
    if layer.strip():  # a text layer, however short, is what the file says of itself
        return layer, False, ""
    try:
        reading = ocr.read_pdf(pdf)
    except ocr.OcrError as refused:
        return layer, False, refused.message
    return reading.text, True, reading.note


def report_lines(report: dict) -> list[str]:
    """The report for a person reading a terminal, in Vietnamese."""
    yes = {True: "có", False: "không", None: "—"}
    lines = [f"Tệp: {report['file']} ({'ghép từ ' + str(report['images']) + ' ảnh' if report['images'] else 'PDF'})",
             f"SHA-256: {report['sha256']}", f"Chữ ký số: {report['state_text']}"]
    if report["problem"]:
        lines.append(f"  {report['problem']}")
    lines += [f"  Cảnh báo: {w}" for w in report["warnings"]]
    for i, s in enumerate(report["signatures"], start=1):
        lines.append(f"Chữ ký {i}: {s['verdict_text']}")
        if s["error"]:
            lines.append(f"  {s['error']}")
            continue
        lines += [f"  Người ký: {s['signer']}" + (f" — {s['organization']}" if s["organization"] else ""),
                  f"  Thời điểm ký: {s['signing_time'] or '—'}" + (f" (dấu thời gian {s['timestamp']})"
                                                                   if s["timestamp"] else ""),
                  f"  Số sê-ri: {s['serial']}; cơ quan cấp: {s['issuer']}",
                  f"  Nguyên vẹn: {yes[s['intact']]}; phủ toàn bộ tệp: {yes[s['covers_whole_file']]}; "
                  f"phần thêm sau khi ký được phép: {yes[s['later_changes_allowed']]}",
                  f"  Chứng thư còn hiệu lực khi ký: {yes[s['certificate_valid']]}; tin cậy: {yes[s['trusted']]}; "
                  f"thông tin thu hồi nhúng trong tệp (LTV): {yes[s['revocation_embedded']]}"]
    text = report["text"].strip()
    source = "nhận dạng chữ OCR trên bản quét" if report["ocr"] else "lớp chữ của tệp PDF"
    lines.append(f"Chữ ({len(text)} ký tự, {source}):" if text else "Không có chữ đọc được.")
    if report["ocr_note"]:
        lines.append(f"  {report['ocr_note']}")
    if text:
        lines.append(text)
    return lines
