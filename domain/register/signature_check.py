"""Checking a signed copy's digital signatures in the background: asked for when the copy is filed, done by the
worker (pyHanko, domain.register.signatures) against the office's trust list, stored with the copy as JSON.

The stored file is only read: its SHA-256 is checked before and after, and the copy's row is all that changes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select

from domain import files, jobs
from domain.jobs.access import DOCUMENT_SUBJECT, subject_of
from domain.register.signatures import verify_pdf
from extensions import db
from models.choices import (
    CERT_INTERMEDIATE,
    CERT_ROOT,
    COPY_SIGNATURE_STATES,
    COPY_SIGNATURES_PENDING,
    COPY_SIGNED_BAD,
    COPY_SIGNED_UNTRUSTED,
    COPY_SIGNED_VALID,
    JOB_VERIFY_SIGNATURES,
    SIGNATURE_VERDICTS,
    choice_of,
)
from models.core import User
from models.jobs import Job
from models.register import SignedCopy
from models.trust import TrustedCertificate

SIGNED_STATES = (COPY_SIGNED_VALID, COPY_SIGNED_UNTRUSTED, COPY_SIGNED_BAD)
MSG_COPY_GONE = "Bản có chữ ký này không còn trong hồ sơ."


def trust_list() -> tuple[list[bytes], list[bytes]]:
    """(roots, intermediates) as DER, from the administrator's list."""
    rows = db.session.scalars(select(TrustedCertificate).order_by(TrustedCertificate.id)).all()
    return ([r.der for r in rows if r.kind == CERT_ROOT], [r.der for r in rows if r.kind == CERT_INTERMEDIATE])


def dedupe_key(copy: SignedCopy) -> str:
    return f"{JOB_VERIFY_SIGNATURES}:{copy.id}"


def request_check(copy: SignedCopy, user: User | None) -> Job:
    """Ask the worker to check this copy's signatures (sent when the caller commits)."""
    return jobs.enqueue(JOB_VERIFY_SIGNATURES, subject=subject_of(DOCUMENT_SUBJECT, copy.document_id),
                        params={"signed_copy_id": copy.id}, dedupe_key=dedupe_key(copy), user=user)


def recheck_signed(user: User | None) -> int:
    """Check again every copy that carries signatures (the trust list changed: a verdict on trust may change too).
    Sent when the caller commits; returns how many."""
    copies = db.session.scalars(select(SignedCopy).where(SignedCopy.signature_state.in_(SIGNED_STATES))).all()
    for copy in copies:
        request_check(copy, user)
    return len(copies)


def check_job(copy: SignedCopy) -> Job | None:
    """The latest check asked for this copy."""
    return db.session.scalar(select(Job).where(Job.kind == JOB_VERIFY_SIGNATURES, Job.dedupe_key == dedupe_key(copy))
                             .order_by(Job.id.desc()).limit(1))


@jobs.task(JOB_VERIFY_SIGNATURES, attempts=3, backoff_seconds=10, timeout_seconds=120)  # pyHanko, offline: < 1 s
def verify_signed_copy(job: Job) -> dict:
    copy = db.session.get(SignedCopy, job.params.get("signed_copy_id"))
    if copy is None:
        raise jobs.JobFailed(MSG_COPY_GONE)
    jobs.report_progress("Đang kiểm tra chữ ký số…")
    report = check_copy(copy)
    return {"signed_copy_id": copy.id, "state": report["state"], "signatures": len(report["signatures"])}


def check_copy(copy: SignedCopy) -> dict:
    """Check and store the report on the copy's row (the caller commits). The bytes are verified against their
    SHA-256 before the check and after it: a changed store fails the job rather than file a wrong report."""
    stored = copy.stored_file
    data = files.read_file(stored)  # raises FileDamaged if the bytes are not those recorded
    roots, intermediates = trust_list()
    report = verify_pdf(data, roots, intermediates)
    report["sha256"] = hashlib.sha256(data).hexdigest()
    if report["sha256"] != stored.sha256 or files.check_stored(stored) is not None:
        raise jobs.JobFailed("Tệp đã lưu không còn đúng như lúc tải lên; không ghi kết quả kiểm tra.")
    copy.signature_report = json.dumps(report, ensure_ascii=False)
    copy.signature_state = report["state"]
    return report


# ---- for pages ---------------------------------------------------------------------------------------


TIME_FIELDS = ("signing_time", "timestamp", "not_before", "not_after")


def report_of(copy: SignedCopy) -> dict | None:
    """The stored report, its times as datetimes and each signature's verdict as a choice (label, colour)."""
    if not copy.signature_report:
        return None
    report = json.loads(copy.signature_report)
    report["checked_at"] = datetime.fromisoformat(report["checked_at"]) if report.get("checked_at") else None
    for signature in report.get("signatures", []):
        for name in TIME_FIELDS:
            if signature.get(name):
                signature[name] = datetime.fromisoformat(signature[name])
        signature["verdict_choice"] = verdict_choice(signature.get("verdict", ""))
    return report


def state_choice(copy: SignedCopy):
    """The badge of a copy: its stored state, or "being checked" until the worker has written one."""
    return choice_of(COPY_SIGNATURE_STATES, copy.signature_state or COPY_SIGNATURES_PENDING)


def verdict_choice(code: str):
    return choice_of(SIGNATURE_VERDICTS, code)
