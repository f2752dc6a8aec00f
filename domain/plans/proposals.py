"""An existing plan (file or pasted text) -> a proposal the clerk checks -> a draft document of its own kind (Kế
hoạch, Hướng dẫn: models.choices.TRACKABLE_KINDS) and its tasks.

    propose_import(filename, data, text, limits) -> dict     the importer's JSON, every name matched to a unit
    confirmed_from_proposal(plan) -> ReviewedPlan            the proposal as the review page starts from it
    create_imported_plan(reviewed, user, today) -> Document  new units if asked, aliases remembered, the draft

A name is matched to the unit directory, a clerk's remembered mapping (domain.plans.aliases) first. A name that
matches nothing, or only through an alias, is listed for the clerk: map it to a unit (remembered for the next
import), make it a new unit, or keep it as written.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from domain.errors import FormInvalid
from domain.office import office_today
from domain.plans.aliases import alias_map, remember_alias, unit_from_name
from domain.plans.import_limits import (
    DEFAULT_LIMITS,
    ImportLimits,
    PlanImportError,
    check_text,
    megabytes,
    time_budget,
)
from domain.plans.import_review import (
    KEEP,
    NEW_DEPARTMENT,
    NEW_EXTERNAL,
    NEW_SUBORDINATE,
    TEXT_MAX,
    NameChoice,
    ReviewedPlan,
    ReviewedTask,
    give_names_their_units,
    units_the_clerk_gave,
)
from domain.plans.importer import import_plan_json, parse_plan, read_plan_file
from domain.plans.tasks import TRACKABLE_NAMES, ProposedTask, add_proposed_tasks, unit_directory
from domain.plans.units import UnitRef, find_unit, match_unit, unit_key
from domain.text.deadlines import parse_deadline
from domain.text.vietnamese import clean_text
from extensions import db
from models.choices import (
    DRAFT,
    FROM_IMPLEMENTATION,
    KINDS,
    ONE_DATE,
    PLAN,
    TRACKABLE_KINDS,
    UNIT_DEPARTMENT,
    UNIT_EXTERNAL,
    UNIT_SUBORDINATE,
)
from models.core import Unit, User, audit
from models.documents import Document

TITLE_MAX, BODY_MAX, REFERENCES_MAX, DEADLINE_TEXT_MAX = 500, 100_000, 10_000, 200
NEW_KINDS = {NEW_SUBORDINATE: UNIT_SUBORDINATE, NEW_DEPARTMENT: UNIT_DEPARTMENT, NEW_EXTERNAL: UNIT_EXTERNAL}


def _lines(text: str) -> list[str]:
    """The text's lines as the importer numbers them (Word's other breaks are line ends too)."""
    return re.sub(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]", "\n", text).split("\n")


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
        plan.setdefault("text_lines", _lines(clean_text(text)))
    else:
        plan = import_plan_json(filename, data or b"", limits=limits)
        if "text_lines" not in plan:  # an importer that does not give the text yet
            plan["text_lines"] = _lines(read_plan_file(filename, data or b"", limits=limits))
    _complete_tasks(plan)
    _match_names(plan, unit_directory(), alias_map())
    return plan


def _complete_tasks(plan: dict) -> None:
    """Every task with the fields the review page shows, whichever of them the importer gives."""
    reference = date.fromisoformat(plan["issued_on"]) if plan.get("issued_on") else office_today()
    for task in plan["tasks"]:
        task.setdefault("source", FROM_IMPLEMENTATION)
        line = task.get("source_line")
        task.setdefault("lines", [line, line] if line else None)
        if "deadline" not in task:
            deadline = parse_deadline(task.get("deadline_text"), reference)
            task["deadline"] = deadline.due.isoformat() if deadline.kind == ONE_DATE and deadline.due else None


def _match_names(plan: dict, directory: list[UnitRef], aliases: dict[str, int]) -> None:
    """Each task's unit_id, and plan["names"]: the names to show the clerk (unmatched, or matched by an alias)."""
    listed: dict[str, dict] = {}

    def match(name: str, is_task_unit: bool) -> int | None:
        found = find_unit(name, directory, aliases=aliases)
        key = unit_key(name)
        if key and (found.unit is None or found.by_alias):
            entry = listed.setdefault(key, {"name": name, "unit_id": found.unit.id if found.unit else None,
                                            "by_alias": found.by_alias, "in_tasks": 0})
            entry["in_tasks"] += is_task_unit
        return found.unit.id if found.unit else None

    for task in plan["tasks"]:
        task["unit_id"] = match(task["unit"], True)
        for name in task.get("coordinating") or []:
            match(name, False)
        if isinstance(task.get("lead"), str) and task["lead"].strip():
            match(task["lead"], False)
    plan["recipient_units"] = [None if line.startswith("Lưu") else match(line, False) for line in plan["recipients"]]
    plan["names"] = list(listed.values())
    plan["unmatched_units"] = [n["name"] for n in plan["names"] if n["unit_id"] is None]


def confirmed_from_proposal(plan: dict) -> ReviewedPlan:
    """The proposal as it is: what the review page starts from, and what the CLI's --commit saves."""
    def lines(task):
        return tuple(task["lines"]) if task.get("lines") and len(task["lines"]) == 2 else None

    def lead(task) -> bool | str:
        """The lead unit's name when it is another unit than the task's; else whether the task's unit leads."""
        lead = task.get("lead", True)
        if isinstance(lead, str) and (not lead.strip() or unit_key(lead) == unit_key(task["unit"])):
            return bool(task.get("is_lead", bool(lead.strip())))
        return lead

    tasks = [ReviewedTask(
        text=t["text"], unit_text=t["unit"], unit_id=t.get("unit_id"), deadline_text=t.get("deadline_text") or "",
        due_on=t.get("deadline") or "", lead=lead(t), coordinating=list(t.get("coordinating") or []),
        section_marker=t.get("section_marker", ""), source_line=t.get("source_line"), lines=lines(t),
        source=t.get("source") or FROM_IMPLEMENTATION,
    ) for t in plan["tasks"]]  # fmt: skip
    names = []
    for n in plan.get("names", []):
        choice = str(n["unit_id"]) if n.get("unit_id") else KEEP
        names.append(NameChoice(n["name"], choice, choice, bool(n.get("by_alias")), n.get("in_tasks", 0)))
    facts = {k: plan.get(k) for k in ("kind", "number", "symbol", "issued_on", "issuer_lines", "references",
                                      "sections", "warnings", "source")}
    return ReviewedPlan(
        title=plan["title"], references=plan["opening"], body=plan["body"],
        signing_authority=plan["signature"].get("authority") or "TM. BAN THƯỜNG TRỰC",
        signing_deputy_line=plan["signature"].get("deputy_line", ""), signer_title=plan["signature"].get("title", ""),
        recipients=list(plan["recipients"]), tasks=tasks, names=names,
        issued_on=date.fromisoformat(plan["issued_on"]) if plan.get("issued_on") else None,
        text_lines=list(plan.get("text_lines") or []), facts=facts,
    )  # fmt: skip


class ImportInvalid(FormInvalid):
    """Field -> Vietnamese message for every problem of the confirmed plan; nothing was saved."""


def imported_kind(plan: ReviewedPlan) -> str:
    """The kind the document is saved as: the original's own (a Hướng dẫn stays one); a Kế hoạch when unknown."""
    kind = plan.facts.get("kind")
    return kind if isinstance(kind, str) and kind else PLAN


def _check(plan: ReviewedPlan) -> dict[str, str]:
    errors = {}
    kind = imported_kind(plan)
    if kind not in TRACKABLE_KINDS:
        name = KINDS[kind].name.lower() if kind in KINDS else "loại khác"
        errors["kind"] = f"Văn bản là {name}: chỉ nhập được {TRACKABLE_NAMES} (văn bản giao nhiệm vụ để theo dõi)."
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
    for n, choice in enumerate(plan.names):
        if choice.unit_id is not None and choice.unit_id not in known:
            errors[f"name-{n}"] = "Đơn vị không tồn tại."
        elif choice.unit_id is None and choice.choice != KEEP and choice.choice not in NEW_KINDS:
            errors[f"name-{n}"] = "Hãy chọn một đơn vị trong danh sách."
    for n, task in enumerate(plan.tasks):
        if not task.include:
            continue
        task.text = clean_text(task.text, multiline=False).strip()
        task.deadline_text = clean_text(task.deadline_text, multiline=False).strip()
        if not task.text:
            errors[f"task-{n}"] = "Nội dung nhiệm vụ không được để trống (bỏ chọn để không nhập nhiệm vụ này)."
        elif len(task.text) > TEXT_MAX:
            errors[f"task-{n}"] = f"Nội dung nhiệm vụ tối đa {TEXT_MAX} ký tự."
        elif task.unit_id and task.unit_id not in known:
            errors[f"task-{n}"] = "Đơn vị không tồn tại."
        elif len(task.deadline_text) > DEADLINE_TEXT_MAX:
            errors[f"task-{n}"] = f"Thời hạn ghi tối đa {DEADLINE_TEXT_MAX} ký tự."
        elif task.due_on and task.due_date() is None:
            errors[f"task-{n}"] = "Ngày hết hạn không hợp lệ (ngày/tháng/năm)."
    return errors


def _remember(plan: ReviewedPlan, directory: list[UnitRef], user: User | None) -> None:
    """Every name the clerk gave a unit the directory would not find by itself is remembered for the next import."""
    for name, unit_id in units_the_clerk_gave(plan).items():
        found = match_unit(name, directory)
        if found is None or found.id != unit_id:
            remember_alias(name, unit_id, user)


def create_imported_plan(plan: ReviewedPlan, user: User | None, today: date) -> Document:
    """Make the draft plan and its tasks as the clerk confirmed them; ImportInvalid lists what is wrong."""
    give_names_their_units(plan)
    errors = _check(plan)
    if errors:
        raise ImportInvalid(errors)
    created: dict[str, Unit] = {}
    for choice in plan.names:
        name = clean_text(choice.name, multiline=False).strip()
        if choice.choice in NEW_KINDS and name:
            created[unit_key(name)] = unit_from_name(name, NEW_KINDS[choice.choice], user)
    directory = unit_directory()
    _remember(plan, directory, user)
    aliases = alias_map()

    def unit_for(name: str) -> int | None:
        chosen = plan.choice_for(name)
        if chosen is not None and chosen.unit_id:
            return chosen.unit_id
        if (new := created.get(unit_key(name))) is not None:
            return new.id
        found = match_unit(name, directory, aliases=aliases)
        return found.id if found else None

    document = Document(kind=imported_kind(plan), title=plan.title, references_text=plan.references, body=plan.body,
                        signing_authority=clean_text(plan.signing_authority, multiline=False).strip()[:120],
                        signing_deputy_line=clean_text(plan.signing_deputy_line, multiline=False).strip()[:120],
                        signer_title=clean_text(plan.signer_title, multiline=False).strip()[:120],
                        status=DRAFT, year=today.year, created_by_id=user.id if user else None)
    entries = []
    for line in (clean_text(r, multiline=False).strip() for r in plan.recipients):
        if not line:
            continue
        unit_id = None if line.startswith("Lưu") else unit_for(line)
        unit = db.session.get(Unit, unit_id) if unit_id else None
        if unit is None:
            entries.append((None, line[:300]))
        else:  # linked to the unit; the wording is kept when it differs from the unit's Nơi nhận spelling
            entries.append((unit.id, "" if unit_key(unit.recipient_name) == unit_key(line) else line[:300]))
    db.session.add(document)
    document.set_recipients(entries)
    db.session.flush()
    document.save_revision(user, "Nhập từ tệp")
    reference = plan.issued_on or today
    proposals = []
    for task in (t for t in plan.tasks if t.include):
        unit_id = task.unit_id or unit_for(task.unit_text)
        if isinstance(task.lead, str) and task.lead.strip():
            lead_id = unit_id if unit_key(task.lead) == unit_key(task.unit_text) else unit_for(task.lead)
        else:
            lead_id = unit_id if task.lead else None
        coordinating = [unit_for(name) for name in task.coordinating]
        proposals.append(ProposedTask(
            text=task.text, unit_text=task.unit_text, unit_id=unit_id, lead_unit_id=lead_id,
            coordinating_ids=[i for i in coordinating if i], deadline=task.deadline(reference),
            section_marker=task.section_marker, source_line=task.lines[0] if task.lines else task.source_line,
        ))  # fmt: skip
    tasks = add_proposed_tasks(document, proposals, user)
    audit("plan.import", document, user=user, summary=f"Nhập {document.kind_info.name.lower()} từ tệp: {document.title}"[:500],
          after={"tasks": len(tasks), "new_units": [u.name for u in created.values()]})
    return document
