"""The digital signatures of a PDF, checked with pyHanko: who signed, when, with which certificate, whether the
signed bytes are intact, whether anything was added after signing (and whether that is allowed, such as a second
signature), whether the certificate was valid at the time of signing, and whether its chain ends at a root the
office trusts (models.trust: the administrator's list, empty by default). Nothing is fetched from the network:
revocation is judged from what the file carries (LTV).

Pure: bytes and certificates in, a JSON-ready report out; the file's bytes are only read.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import logging
import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from asn1crypto import x509 as asn1_x509

from models.choices import (
    COPY_SIGNED_BAD,
    COPY_SIGNED_UNTRUSTED,
    COPY_SIGNED_VALID,
    COPY_UNCHECKABLE,
    COPY_UNSIGNED,
    SIG_BROKEN,
    SIG_EXPIRED,
    SIG_MODIFIED,
    SIG_REVOKED,
    SIG_UNREADABLE,
    SIG_UNTRUSTED,
    SIG_VALID,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # pyHanko imports cryptography's deprecated DSA names
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)
# pyHanko logs each failed check with its traceback; the report says what failed, in Vietnamese.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

REPORT_VERSION = 1
MSG_ENCRYPTED = ("Tệp PDF được mã hóa bằng mật khẩu nên không đọc được chữ ký số. "
                 "Hãy tải lên bản PDF không đặt mật khẩu mở tệp.")
MSG_UNREADABLE = "Không đọc được cấu trúc tệp PDF (tệp hỏng hoặc không đúng chuẩn) nên không kiểm tra được chữ ký số."
WARN_JAVASCRIPT = "Tệp có mã JavaScript: không mở bằng trình đọc cho phép chạy mã; nội dung hiển thị có thể thay đổi."
WARN_EMBEDDED = "Tệp có tệp đính kèm bên trong: không phải phần của văn bản đã ký, không mở tệp đính kèm lạ."
WARN_ENCRYPTED_OPEN = "Tệp PDF được mã hóa (không cần mật khẩu để mở)."
# Later changes that keep a signature valid: more signatures, the revocation data of LTV, filling in fields.
ALLOWED_LATER = {ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING}
MAX_SIGNATURES = 50



def outside_any_event_loop(call):
    """Run `call` where asyncio.run() may be used: pyHanko's synchronous API runs its own event loop, which a thread
    already running one (an async server, a browser driver in tests) cannot start, so the call then gets a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()

def load_certificate(data: bytes) -> asn1_x509.Certificate:
    """A certificate from PEM or DER bytes; ValueError with a Vietnamese message when it is not one."""
    data = data.strip()
    if data.startswith(b"-----BEGIN"):
        lines = [line for line in data.splitlines() if line and not line.startswith(b"-----")]
        try:
            data = base64.b64decode(b"".join(lines), validate=False)
        except (ValueError, binascii.Error) as exc:
            raise ValueError("Tệp PEM hỏng: không giải mã được.") from exc
    try:
        cert = asn1_x509.Certificate.load(data)
        _ = cert.native  # parses every field now: a broken certificate fails here, not later
        return cert
    except Exception as exc:  # asn1crypto raises many kinds for bad bytes
        raise ValueError("Tệp không phải chứng thư số X.509 (định dạng .cer, .crt hoặc .pem).") from exc


def certificate_facts(cert: asn1_x509.Certificate) -> dict:
    """Who a certificate names, who issued it, its serial and its validity, as text."""
    subject = cert.subject.native
    return {
        "signer": subject.get("common_name", "") if isinstance(subject, dict) else "",
        "organization": _first(subject.get("organization_name", "")) if isinstance(subject, dict) else "",
        "subject": name_text(cert.subject),
        "issuer": name_text(cert.issuer),
        "serial": format(cert.serial_number, "X"),
        "not_before": _iso(cert.not_valid_before),
        "not_after": _iso(cert.not_valid_after),
        "is_ca": bool(cert.ca),
        "self_signed": cert.self_signed == "maybe" or cert.self_signed == "yes",
    }


def name_text(name) -> str:
    """A certificate name as people read it: "Nguyễn Văn An, Ủy ban MTTQ …, VN" (common name first)."""
    try:
        parts = name.native
    except Exception:  # an unreadable name: show its raw form rather than fail the report
        return str(name)[:300]
    if not isinstance(parts, dict):
        return str(parts)[:300]
    order = ("common_name", "organizational_unit_name", "organization_name", "locality_name",
             "state_or_province_name", "country_name")
    values = [parts[k] for k in order if parts.get(k)] + [v for k, v in parts.items() if k not in order and v]
    return ", ".join(", ".join(v) if isinstance(v, list) else str(v) for v in values)


def verify_pdf(data: bytes, roots: list[bytes], intermediates: list[bytes]) -> dict:
    """The report on every signature of a PDF (see module doc). Never raises for a bad file: what cannot be read
    is said in `problem`; a signature that cannot be read gets the verdict SIG_UNREADABLE."""
    report = {"version": REPORT_VERSION, "checked_at": _iso(datetime.now(UTC)), "problem": "", "warnings": [],
              "signatures": [], "state": COPY_UNSIGNED}
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted and not _open_encrypted(reader):
            return {**report, "problem": MSG_ENCRYPTED, "state": COPY_UNCHECKABLE}
        if reader.encrypted:
            report["warnings"].append(WARN_ENCRYPTED_OPEN)
        report["warnings"] += _content_warnings(reader, data)
        embedded = list(reader.embedded_signatures)[:MAX_SIGNATURES]
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
        log.info("PDF not readable for signatures: %r", exc)
        return {**report, "problem": MSG_UNREADABLE, "state": COPY_UNCHECKABLE}
    trust_roots = [asn1_x509.Certificate.load(r) for r in roots]
    others = [asn1_x509.Certificate.load(c) for c in intermediates]
    revocation_embedded = _has_dss(reader)
    report["signatures"] = [_check(sig, trust_roots, others, revocation_embedded) for sig in embedded]
    report["state"] = overall_state(report)
    return report


def overall_state(report: dict) -> str:
    """The copy's badge: its worst signature; none; or a file that could not be checked."""
    if report.get("problem"):
        return COPY_UNCHECKABLE
    verdicts = [s["verdict"] for s in report.get("signatures", [])]
    if not verdicts:
        return COPY_UNSIGNED
    if all(v == SIG_VALID for v in verdicts):
        return COPY_SIGNED_VALID
    if all(v in (SIG_VALID, SIG_UNTRUSTED) for v in verdicts):
        return COPY_SIGNED_UNTRUSTED
    return COPY_SIGNED_BAD


def _check(sig, trust_roots, others, revocation_embedded: bool) -> dict:
    entry = {"field": _safe(lambda: sig.field_name) or "", "verdict": SIG_UNREADABLE, "error": ""}
    try:
        cert = sig.signer_cert
        entry.update(certificate_facts(cert))
        claimed = sig.self_reported_timestamp
        moment = claimed or datetime.now(UTC)
        context = ValidationContext(trust_roots=trust_roots, other_certs=others, allow_fetching=False,
                                    revocation_mode="soft-fail", moment=moment)
        status = outside_any_event_loop(lambda: validate_pdf_signature(
            sig, signer_validation_context=context, ts_validation_context=context))
    except Exception as exc:  # a malformed CMS or certificate: pyHanko raises whatever the parser met
        log.info("signature %s not readable: %r", entry["field"], exc)
        entry["error"] = f"Chứng thư hoặc dữ liệu chữ ký trong tệp bị hỏng ({type(exc).__name__})."
        return entry
    timestamp = status.timestamp_validity
    signing_time = timestamp.timestamp if timestamp is not None else status.signer_reported_dt
    when = signing_time or datetime.now(UTC)
    cert_valid = cert.not_valid_before <= when <= cert.not_valid_after
    modification = status.modification_level
    entry.update({
        "signing_time": _iso(signing_time),
        "timestamp": _iso(timestamp.timestamp) if timestamp is not None else None,
        "timestamp_trusted": bool(timestamp.trusted) if timestamp is not None else None,
        "intact": bool(status.intact and status.valid),
        "covers_whole_file": status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        "coverage": status.coverage.name if status.coverage is not None else "",
        "modification": modification.name if modification is not None else "",
        "later_changes_allowed": (status.coverage == SignatureCoverageLevel.ENTIRE_FILE
                                  or (modification in ALLOWED_LATER and status.docmdp_ok is not False)),
        "certificate_valid": bool(cert_valid),
        "revoked": bool(status.revoked),
        "revocation_embedded": revocation_embedded or _has_revocation_attribute(sig),
        "trusted": bool(status.trusted),
    })
    entry["verdict"] = verdict(entry)
    return entry


def verdict(entry: dict) -> str:
    """The first that applies: broken, changed after signing, certificate out of date, revoked, untrusted, valid."""
    if not entry["intact"]:
        return SIG_BROKEN
    if not entry["later_changes_allowed"]:
        return SIG_MODIFIED
    if not entry["certificate_valid"]:
        return SIG_EXPIRED
    if entry["revoked"]:
        return SIG_REVOKED
    if not entry["trusted"]:
        return SIG_UNTRUSTED
    return SIG_VALID


def _open_encrypted(reader) -> bool:
    """Open a file encrypted only against changes (the empty user password); False when it needs a password."""
    try:
        result = reader.decrypt("")
    except Exception:  # pyHanko raises for unsupported handlers too
        return False
    return getattr(result, "status", None) is not None and result.status.name != "FAILED"


def _content_warnings(reader, data: bytes) -> list[str]:
    """JavaScript and embedded files, from the catalogue and (for uncompressed objects) from the bytes."""
    root = reader.root
    names = _safe(lambda: root["/Names"]) or {}
    javascript = "/JavaScript" in names or b"/JavaScript" in data or b"/JS " in data or b"/JS(" in data
    action = _safe(lambda: root["/OpenAction"])
    if isinstance(action, dict) and _safe(lambda: action["/S"]) == "/JavaScript":
        javascript = True
    embedded = "/EmbeddedFiles" in names or b"/EmbeddedFile" in data
    return [w for w, present in ((WARN_JAVASCRIPT, javascript), (WARN_EMBEDDED, embedded)) if present]


def _has_dss(reader) -> bool:
    return bool(_safe(lambda: "/DSS" in reader.root))


def _has_revocation_attribute(sig) -> bool:
    """Adobe's revocation-info attribute in the signature (CRLs or OCSP responses signed with it)."""
    attrs = _safe(lambda: sig.signer_info["signed_attrs"]) or []
    return any(_safe(lambda a=a: a["type"].native) == "adobe_revocation_info_archival" for a in attrs)


def _safe(get):
    try:
        return get()
    except Exception:  # a damaged file: the caller treats a missing part as absent
        return None


def _first(value):
    return value[0] if isinstance(value, list) and value else value or ""


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")
