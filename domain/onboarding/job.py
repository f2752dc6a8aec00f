"""Onboarding as a background job: the request checks the whole file and asks; the worker hashes the one-time
passwords (the slow part: 130 accounts take 20-80 s of scrypt, longer than a proxy waits for a request) and makes
the units and accounts in one transaction with its "done" mark.

    ask(rows, plan, admin, public_key, filename)   the job, sent when the caller commits; audited
    slips(job, private_key)                        the printable accounts and passwords, opened with the key
    forget_slips(job, admin)                       the sealed passwords removed from the job (they are printed)

Run twice, it makes nothing twice: the runner's claim runs a delivered message once, and a failed or killed attempt
leaves nothing behind (one transaction). Should the job still meet a directory that already holds its units (the
same file confirmed twice at once, or anything that sends it again), the file is checked again under the write
lock and the plan must be the one confirmed, with the same new units and user names: if not, nothing is made and
the job fails with a message saying so.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from domain import jobs
from domain.onboarding.accounts import Issued, create_all, one_time_passwords
from domain.onboarding.checks import Plan, check_rows
from domain.onboarding.sealed import SealBroken, open_sealed, seal
from domain.onboarding.sheet import Row
from extensions import begin_write, db
from models.choices import JOB_ONBOARDING
from models.core import User, audit
from models.jobs import Job

ATTEMPTS, BACKOFF_SECONDS = 3, 10.0
# A file holds up to 2,000 accounts (sheet.MAX_ROWS): scrypt takes 0.2 s each on an idle core and 0.55 s on a busy
# one (bench/bench_onboarding.py), so up to ~18 minutes; one attempt may take 30.
TIMEOUT_SECONDS = 30 * 60
PROGRESS_EVERY = 10  # accounts between two progress lines (each is a short write of its own)
ERRORS_SHOWN = 5
SEALED = "sealed"


def _usernames(plan: Plan) -> list[str]:
    return [line.username for line in plan.lines if line.reporter]


def ask(rows: list[Row], plan: Plan, admin: User, public_key: str, filename: str) -> Job:
    """Ask for the units and accounts of a checked plan. The job carries the rows (checked again when it runs),
    what was confirmed (the new units, the user names) and the public key the passwords are sealed to."""
    params = {"rows": [asdict(row) for row in rows], "new_units": plan.new_units, "usernames": _usernames(plan),
              "public_key": public_key, "filename": filename}
    job = jobs.enqueue(JOB_ONBOARDING, subject="units", params=params, user=admin)
    audit("onboarding.confirm", job, user=admin, object_type="job",
          summary=f"Xác nhận nhập từ tệp {filename}: {plan.new_units} đơn vị mới, {plan.accounts} tài khoản báo cáo",
          after={"file": filename, "units": plan.new_units, "accounts": plan.accounts, "job": job.id})
    return job


def _progress(total: int):
    def report(done: int) -> None:
        jobs.time_left(1.0)  # out of time: stop hashing (JobTimedOut), rather than be ended by the sweep
        if done % PROGRESS_EVERY == 0 or done == total:
            jobs.report_progress(f"Đã tạo mật khẩu tạm thời cho {done}/{total} tài khoản…")

    return report


def _checked_again(params: dict) -> Plan:
    plan = check_rows([Row(**row) for row in params["rows"]])
    if not plan.ok:
        shown = "; ".join(message for _row, message in plan.errors[:ERRORS_SHOWN])
        more = f" (và {len(plan.errors) - ERRORS_SHOWN} lỗi khác)" if len(plan.errors) > ERRORS_SHOWN else ""
        raise jobs.JobFailed(f"Danh mục đơn vị đã thay đổi từ lúc xác nhận; chưa tạo gì. {shown}{more} "
                             "Hãy tải tệp lên lại để xem trước.")
    if plan.new_units != params["new_units"] or _usernames(plan) != params["usernames"]:
        raise jobs.JobFailed("Các đơn vị hoặc tên đăng nhập trong tệp đã có trong hệ thống từ lúc xác nhận (tệp này "
                             "có thể đã được nhập); chưa tạo gì. Hãy xem trang Đơn vị, hoặc tải tệp lên lại để xem "
                             "trước.")
    return plan


@jobs.task(JOB_ONBOARDING, attempts=ATTEMPTS, backoff_seconds=BACKOFF_SECONDS, timeout_seconds=TIMEOUT_SECONDS)
def onboard(job) -> dict:
    params = job.params
    admin = db.session.get(User, job.created_by_id) if job.created_by_id else None
    total = len(params["usernames"])
    # Hashing first, while this transaction only reads: on SQLite the progress lines can still be written, and
    # the write lock is then held for the saving alone (well under a second).
    credentials = one_time_passwords(total, _progress(total))
    jobs.report_progress(f"Đang lưu {params['new_units']} đơn vị và {total} tài khoản…")
    begin_write()  # what is checked now stays true until the commit
    plan = _checked_again(params)
    issued = create_all(plan, admin, credentials, job.id)
    sealed = seal(params["public_key"], json.dumps([asdict(i) for i in issued], ensure_ascii=False).encode())
    return {"units": plan.new_units, "accounts": len(issued), SEALED: sealed}


def slips(job: Job, private_key: str | None) -> list[Issued] | None:
    """The accounts with their passwords, in the file's order; None when they cannot be opened any more (printed
    and forgotten, or another browser: the key lives only in the confirming administrator's session)."""
    result = job.result or {}
    if not private_key or SEALED not in result:
        return None
    try:
        return [Issued(**item) for item in json.loads(open_sealed(private_key, result[SEALED]))]
    except SealBroken:  # not this job's key (a cookie from before a database restore)
        return None


def forget_slips(job: Job, admin: User) -> bool:
    """Remove the sealed passwords from the job's result; False if they were already gone."""
    result = job.result or {}
    if SEALED not in result:
        return False
    del result[SEALED]
    job.result_json = json.dumps(result, ensure_ascii=False)
    audit("onboarding.passwords_forgotten", job, user=admin, object_type="job",
          summary=f"Đã in phiếu tài khoản; xóa mật khẩu tạm thời của việc nhập #{job.id}", after={"job": job.id})
    return True
