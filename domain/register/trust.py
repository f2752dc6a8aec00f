"""The office's trust list for digital signatures: root certificates (a chain ending at one is trusted) and
intermediate ones (they help build a chain the signer's file does not carry). Only the administrator changes it;
nothing is trusted until they add a root. Every change is audited, and the signed copies are checked again."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from domain.errors import DomainError
from domain.register.signature_check import recheck_signed
from domain.register.signatures import certificate_facts, load_certificate
from extensions import db
from models.choices import CERT_ROOT, TRUSTED_CERT_KINDS
from models.core import User, audit
from models.trust import TrustedCertificate

MAX_CERT_BYTES = 64 * 1024  # a certificate is a few kilobytes


class CertificateRefused(DomainError, ValueError):
    """A certificate the list cannot take; the message says why (Vietnamese)."""


def trusted_certificates() -> list[TrustedCertificate]:
    return list(db.session.scalars(select(TrustedCertificate).order_by(TrustedCertificate.kind.desc(),
                                                                        TrustedCertificate.subject)))


def add_certificate(data: bytes, kind: str, user: User) -> TrustedCertificate:
    """Add a root or intermediate CA certificate (PEM or DER). The caller commits; then every signed copy is checked
    again by the worker, since its trust may have changed."""
    if kind not in TRUSTED_CERT_KINDS:
        raise CertificateRefused("Hãy chọn loại chứng thư: gốc hoặc trung gian.")
    if not data:
        raise CertificateRefused("Vui lòng chọn tệp chứng thư (.cer, .crt hoặc .pem).")
    if len(data) > MAX_CERT_BYTES:
        raise CertificateRefused("Tệp quá lớn để là một chứng thư số (tối đa 64 KB).")
    try:
        cert = load_certificate(data)
    except ValueError as exc:
        raise CertificateRefused(str(exc)) from exc
    facts = certificate_facts(cert)
    if not facts["is_ca"]:
        raise CertificateRefused("Đây là chứng thư của một người hay cơ quan ký, không phải của tổ chức cung cấp "
                                 "dịch vụ chứng thực (CA): danh sách tin cậy chỉ nhận chứng thư gốc và trung gian.")
    if kind == CERT_ROOT and not facts["self_signed"]:
        raise CertificateRefused("Chứng thư này do một CA khác cấp nên không phải chứng thư gốc: "
                                 "hãy thêm nó là chứng thư trung gian, và thêm chứng thư gốc của CA đã cấp nó.")
    der = cert.dump()
    digest = hashlib.sha256(der).hexdigest()
    if db.session.scalar(select(TrustedCertificate).where(TrustedCertificate.sha256 == digest)) is not None:
        raise CertificateRefused("Chứng thư này đã có trong danh sách tin cậy.")
    row = TrustedCertificate(kind=kind, subject=facts["subject"][:500], issuer=facts["issuer"][:500],
                             serial=facts["serial"][:100], sha256=digest, der=der,
                             not_before=cert.not_valid_before.replace(tzinfo=None),
                             not_after=cert.not_valid_after.replace(tzinfo=None), added_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    label = "chứng thư gốc" if kind == CERT_ROOT else "chứng thư trung gian"
    audit("trusted_certificate.add", row, user=user, object_type="trusted_certificate", after=row.summary(),
          summary=f"{user.full_name} thêm {label} tin cậy: {row.subject}"[:500])
    recheck_signed(user)
    return row


def remove_certificate(row: TrustedCertificate, user: User) -> None:
    """Take a certificate off the list. The caller commits."""
    audit("trusted_certificate.remove", row, user=user, object_type="trusted_certificate", before=row.summary(),
          summary=f"{user.full_name} bỏ chứng thư khỏi danh sách tin cậy: {row.subject}"[:500])
    db.session.delete(row)
    db.session.flush()
    recheck_signed(user)

