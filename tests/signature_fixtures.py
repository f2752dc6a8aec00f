"""A certificate authority made in the test (root -> intermediate -> people and the organization) and PDFs signed
with pyHanko, as a leader's token and the office's seal would sign them outside the application.

Keys are EC P-256 (fast; the time-stamping authority's RSA 2048) and made once per process.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # pyHanko imports cryptography's deprecated DSA names
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps
    from pyhanko_certvalidator.registry import SimpleCertificateStore

from domain.register.signatures import outside_any_event_loop  # noqa: E402

ORG = "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình"


@dataclass
class Party:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common: str, org: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(attrs)


def issue(common: str, issuer: Party | None, *, org: str = "", ca: bool = False, key=None,
          not_before: datetime | None = None, not_after: datetime | None = None, timestamping: bool = False) -> Party:
    """A certificate for `common` signed by `issuer` (self-signed when None)."""
    key = key or _key(common)
    now = datetime.now(UTC)
    not_before = not_before or now - timedelta(days=30)
    not_after = not_after or now + timedelta(days=365)
    subject = _name(common, org)
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                        critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                                        critical=True)
    if timestamping:  # a time-stamping authority's certificate (RFC 3161: this one purpose, critical)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    signing_key = issuer.key if issuer else key
    return Party(builder.sign(signing_key, hashes.SHA256()), key)


@cache
def _key(_name: str) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@dataclass
class Authority:
    root: Party
    intermediate: Party
    leader: Party  # a person of the organization (O=…)
    office: Party  # the organization's own certificate (its seal)
    expired: Party  # a person whose certificate ended before the signature
    other_root: Party  # a CA the office does not trust
    stranger: Party  # signed under other_root
    tsa: Party  # a time-stamping authority under the intermediate


@cache
def authority() -> Authority:
    root = issue("Root CA thử nghiệm", None, org="Cơ quan chứng thực thử nghiệm", ca=True)
    intermediate = issue("CA trung gian thử nghiệm", root, org="Cơ quan chứng thực thử nghiệm", ca=True)
    leader = issue("Nguyễn Văn An", intermediate, org=ORG)
    office = issue(ORG, intermediate, org=ORG)
    long_ago = datetime.now(UTC) - timedelta(days=400)
    expired = issue("Trần Thị Bình", intermediate, org=ORG, not_before=long_ago,
                    not_after=datetime.now(UTC) - timedelta(days=10))
    other_root = issue("Root CA lạ", None, org="Nơi khác", ca=True)
    stranger = issue("Lê Văn Cường", other_root, org="Nơi khác")
    tsa = issue("Dịch vụ cấp dấu thời gian thử nghiệm", intermediate, org="Cơ quan chứng thực thử nghiệm",
                timestamping=True, key=rsa.generate_private_key(65537, 2048))  # pyHanko's test TSA signs RSA only
    return Authority(root, intermediate, leader, office, expired, other_root, stranger, tsa)


def _asn1_cert(party: Party) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(party.der)


def signer_for(party: Party, chain: list[Party]) -> signers.SimpleSigner:
    key_der = party.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())
    return signers.SimpleSigner(signing_cert=_asn1_cert(party),
                                signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
                                cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]))


def sign(pdf: bytes, party: Party, chain: list[Party], field: str = "Signature1",
         timestamp_at: datetime | None = None) -> bytes:
    """The PDF with one more signature (an incremental update), as a signing tool writes it; with `timestamp_at`,
    a timestamp token from the test's time-stamping authority for that moment."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    stamper = None
    if timestamp_at is not None:
        tsa = authority().tsa
        key = tsa.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        stamper = timestamps.DummyTimeStamper(
            tsa_cert=_asn1_cert(tsa), tsa_key=asn1_keys.PrivateKeyInfo.load(key), fixed_dt=timestamp_at,
            certs_to_embed=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]))
    out = outside_any_event_loop(lambda: signers.sign_pdf(  # a browser test's loop may be running in this thread
        writer, signers.PdfSignatureMetadata(field_name=field), signer=signer_for(party, chain), timestamper=stamper,
        output=io.BytesIO()))
    return out.getvalue()


def plain_pdf(text: str = "Kế hoạch số 12/KH-MTTQ-BTT") -> bytes:
    """A one-page PDF with a text line (Helvetica: ASCII text is what pdftotext gives back exactly)."""
    content = f"BT /F1 12 Tf 72 760 Td ({text.encode('ascii', 'replace').decode()}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length " + str(len(content)).encode() + b">>\nstream\n" + content + b"\nendstream",
    ]
    return raw_pdf(objects)


def raw_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A classic PDF (header, objects, xref table) from its numbered objects; object 1 is the catalog."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R".encode() + trailer_extra
              + f">>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def add_page_text(pdf: bytes, text: str) -> bytes:
    """A later incremental update that is no signature: another line of text drawn on the first page."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=f"BT /F1 12 Tf 72 700 Td ({text}) Tj ET".encode())
    new_ref = writer.add_object(stream)
    contents = page["/Contents"]
    page["/Contents"] = generic.ArrayObject([contents, new_ref]) if not isinstance(contents, generic.ArrayObject) \
        else generic.ArrayObject([*contents, new_ref])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def tamper(pdf: bytes, old: bytes, new: bytes) -> bytes:
    """The same bytes with `old` replaced by `new` (same length): a change inside what was signed."""
    assert len(old) == len(new) and pdf.count(old) >= 1
    return pdf.replace(old, new, 1)
