"""An existing plan (file or pasted text) -> a proposal the clerk checks -> a draft KH document and its tasks.

    propose_import(filename, data, text, limits) -> dict      the importer's JSON, units matched to the directory
    create_imported_plan(confirmed, user, today) -> Document  new units if asked, the draft, its tasks

Names that match no unit are offered as a new unit (a subordinate committee, for a task's unit) or an outside
body (external, for the Nơi nhận list), or kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from domain.errors import FormInvalid
from domain.plans.import_limits import (
    DEFAULT_LIMITS,
    ImportLimits,
    PlanImportError,
    check_text,
    megabytes,
    time_budget,
)
from domain.plans.importer import import_plan_json, match_task_units, parse_plan
from domain.plans.tasks import PLAN_KIND, ProposedTask, add_proposed_tasks, unit_directory
from domain.plans.units import match_unit, unit_key
from domain.text.deadlines import parse_deadline
from domain.text.vietnamese import clean_text, slugify
from extensions import db
from models.choices import UNIT_EXTERNAL, UNIT_SUBORDINATE
from models.core import Unit, User, audit
from models.documents import Document

NEW_SUBORDINATE, NEW_EXTERNAL, KEEP = "new_subordinate", "new_external", "keep"
UNMATCHED_ACTIONS = {
    KEEP: "Không tạo (giữ tên như trong kế hoạch)",
    NEW_SUBORDINATE: "Tạo đơn vị mới (Ủy ban cấp dưới)",
    NEW_EXTERNAL: "Tạo cơ quan bên ngoài (chỉ nhận văn bản)",
}
TITLE_MAX, BODY_MAX, REFERENCES_MAX = 500, 100_000, 10_000


def propose_import(filename: str = "", data: bytes | None = None, text: str | None = None,
                   limits: ImportLimits = DEFAULT_LIMITS) -> dict:
    """The importer's reading of a file (or of pasted text), with units matched; PlanImportError if unreadable.

    The text is read within `limits` before the database is touched, so a long parse holds no transaction.
    """
    if text is not None and text.strip():
        size = len(text.encode("utf-8"))
        if size > limits.max_bytes:
            raise PlanImportError(f"Nội dung dán vào quá dài ({megabytes(size)}); chỉ nhận đến "
                                  f"{megabytes(limits.max_bytes)}.")  # fmt: skip
        check_text(text, limits, source="Nội dung dán vào")
        with time_budget(limits.seconds):
            plan = parse_plan(clean_text(text)).to_dict()
        plan["source"] = {"filename": "", "format": "text"}
    else:
        plan = import_plan_json(filename, data or b"", limits=limits)
    directory = unit_directory()
    unmatched = match_task_units(plan, directory)
    plan["recipient_units"] = []
    for line in plan["recipients"]:
        unit = None if line.startswith("Lưu") else match_unit(line, directory)
        plan["recipient_units"].append(unit.id if unit else None)
        if unit is None and not line.startswith("Lưu") and line not in unmatched:
            unmatched.append(line)
    plan["unmatched_units"] = unmatched
    return plan


@dataclass
class ConfirmedTask:
    text: str
    unit_text: str
    unit_id: int | None
    deadline_text: str = ""
    lead: bool = True
    coordinating: list[str] = field(default_factory=list)
    section_marker: str = ""
    source_line: int | None = None


@dataclass
class ConfirmedPlan:
    title: str
    references: str
    body: str
    signing_authority: str = "TM. BAN THƯỜNG TRỰC"
    signing_deputy_line: str = ""
    signer_title: str = ""
    recipients: list[str] = field(default_factory=list)
    tasks: list[ConfirmedTask] = field(default_factory=list)
    new_units: dict[str, str] = field(default_factory=dict)  # name as written -> NEW_SUBORDINATE / NEW_EXTERNAL
    issued_on: date | None = None  # the original's date: recurring deadlines count from it


class ImportInvalid(FormInvalid):
    """Field -> Vietnamese message for every problem of the confirmed plan; nothing was saved."""


def _check(plan: ConfirmedPlan) -> dict[str, str]:
    errors = {}
    plan.title = clean_text(plan.title, multiline=False).strip()
    plan.references = clean_text(plan.references).strip()
    plan.body = clean_text(plan.body).strip()
    if not plan.title:
        errors["title"] = "Vui lòng nhập trích yếu (tên kế hoạch)."
    elif len(plan.title) > TITLE_MAX:
        errors["title"] = f"Trích yếu tối đa {TITLE_MAX} ký tự."
    if not plan.body:
        errors["body"] = "Kế hoạch chưa có nội dung."
    elif len(plan.body) > BODY_MAX:
        errors["body"] = f"Nội dung tối đa {BODY_MAX:,} ký tự.".replace(",", ".")
    if len(plan.references) > REFERENCES_MAX:
        errors["references"] = "Phần căn cứ quá dài."
    known = set(db.session.scalars(select(Unit.id)))
    for n, task in enumerate(plan.tasks):
        task.text = clean_text(task.text, multiline=False).strip()
        if not task.text:
            errors[f"task-{n}"] = "Nội dung nhiệm vụ không được để trống (bỏ chọn để không nhập nhiệm vụ này)."
        elif task.unit_id and task.unit_id not in known:
            errors[f"task-{n}"] = "Đơn vị không tồn tại."
    return errors


def _new_unit(name: str, kind: str, user: User) -> Unit:
    """A unit made from a name in the imported plan; its code is made unique."""
    base = slugify(name)[:90] or "don-vi"
    slug, n = base, 1
    taken = set(db.session.scalars(select(Unit.slug).where(Unit.slug.like(f"{base}%"))))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    unit = Unit(name=name[:255], recipient_name=name[:255], slug=slug, kind=kind, is_group=False, active=True,
                sort_order=1000)
    db.session.add(unit)
    db.session.flush()
    audit("unit_create", unit, user=user, summary=f"Tạo đơn vị {unit.name} khi nhập kế hoạch", after=unit.summary())
    return unit


def create_imported_plan(plan: ConfirmedPlan, user: User | None, today: date) -> Document:
    """Make the draft plan and its tasks as the clerk confirmed them; ImportInvalid lists what is wrong."""
    errors = _check(plan)
    if errors:
        raise ImportInvalid(errors)
    created: dict[str, Unit] = {}
    for name, action in plan.new_units.items():
        if action in (NEW_SUBORDINATE, NEW_EXTERNAL) and clean_text(name, multiline=False).strip():
            created[unit_key(name)] = _new_unit(clean_text(name, multiline=False).strip(),
                                                UNIT_SUBORDINATE if action == NEW_SUBORDINATE else UNIT_EXTERNAL,
                                                user)  # fmt: skip
    directory = unit_directory()
    document = Document(kind=PLAN_KIND, title=plan.title, references_text=plan.references, body=plan.body,
                        signing_authority=clean_text(plan.signing_authority, multiline=False).strip()[:120],
                        signing_deputy_line=clean_text(plan.signing_deputy_line, multiline=False).strip()[:120],
                        signer_title=clean_text(plan.signer_title, multiline=False).strip()[:120],
                        status="draft", year=today.year, created_by_id=user.id if user else None)
    entries = []
    for line in (clean_text(r, multiline=False).strip() for r in plan.recipients):
        if not line:
            continue
        if (new := created.get(unit_key(line))) is not None:
            entries.append((new.id, ""))
            continue
        ref = None if line.startswith("Lưu") else match_unit(line, directory)
        if ref is None:
            entries.append((None, line[:300]))
        else:  # linked to the unit; the wording is kept when it differs from the unit's Nơi nhận spelling
            entries.append((ref.id, "" if unit_key(ref.short_name) == unit_key(line) else line[:300]))
    db.session.add(document)
    document.set_recipients(entries)
    db.session.flush()
    document.save_revision(user, "Nhập từ tệp kế hoạch")
    reference = plan.issued_on or today
    proposals = []
    for task in plan.tasks:
        unit_id = task.unit_id or (created[unit_key(task.unit_text)].id if unit_key(task.unit_text) in created else None)
        coordinating = [match_unit(n, directory) or created.get(unit_key(n)) for n in task.coordinating]
        proposals.append(ProposedTask(
            text=task.text, unit_text=task.unit_text, unit_id=unit_id, lead_unit_id=unit_id if task.lead else None,
            coordinating_ids=[u.id for u in coordinating if u], deadline=parse_deadline(task.deadline_text, reference),
            section_marker=task.section_marker, source_line=task.source_line,
        ))  # fmt: skip
    tasks = add_proposed_tasks(document, proposals, user)
    audit("plan.import", document, user=user, summary=f"Nhập kế hoạch từ tệp: {document.title}"[:500],
          after={"tasks": len(tasks), "new_units": [u.name for u in created.values()]})
    return document


def confirmed_from_proposal(plan: dict) -> ConfirmedPlan:
    """The proposal taken as it is (the CLI's --commit): matched units only, nothing created."""
    return ConfirmedPlan(
        title=plan["title"], references=plan["opening"], body=plan["body"],
        signing_authority=plan["signature"].get("authority") or "TM. BAN THƯỜNG TRỰC",
        signing_deputy_line=plan["signature"].get("deputy_line", ""), signer_title=plan["signature"].get("title", ""),
        recipients=list(plan["recipients"]),
        tasks=[ConfirmedTask(t["text"], t["unit"], t.get("unit_id"), t.get("deadline_text") or "", t.get("lead", True),
                             t.get("coordinating", []), t.get("section_marker", ""), t.get("source_line"))
               for t in plan["tasks"]],
        issued_on=date.fromisoformat(plan["issued_on"]) if plan.get("issued_on") else None,
    )  # fmt: skip
