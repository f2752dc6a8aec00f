"""Documents a round produces: the aggregated Báo cáo (kind BC) and the request letter (a Công văn).

Both are ordinary draft Documents: the clerk edits them in the editor and sends them through the same review,
approval, issuing and archive as any document. Drafting the Báo cáo again (after late submissions) goes through
`domain.reports.redrafting.merge_parts`, which keeps the parts the clerk changed. The annex table is kept with the
round (`generated_sections["annex"]`) and read back by `report_annexes(document)` when the .docx is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from domain.documents.workflow import EDITABLE, status_of
from domain.office import office_today
from domain.reports.redrafting import Part, merge_parts
from domain.reports.rounds import SubmissionRefused, unit_rows
from domain.reports.rules import LATE, ON_TIME
from domain.reports.scope import round_tasks, task_specs, unit_task_ids
from domain.reports.text import Aggregate, RoundFacts, UnitReport, aggregate
from domain.text.vietnamese import number_symbol, short_date
from extensions import db
from models.choices import KINDS, LETTER, REPORT, UNIT_EXTERNAL
from models.core import Organization, Unit, User, audit, utcnow
from models.documents import DRAFT, Document
from models.reports import ReportRound

ASKED_NAMES_MAX = 5  # more units than this are "n đơn vị" in running text
# The key an annex cell stored as JSON marks an exact figure with (a storage tag, not the value type DECIMAL).
DECIMAL_TAG = "decimal"


def _lower_first(text: str) -> str:
    text = (text or "").strip()
    return text[:1].lower() + text[1:]


def citation(document: Document | None, organization: Organization) -> str:
    """ "Kế hoạch số 05/KH-MTTQ-BTT ngày 01/5/2026"; a document not yet numbered is named by its trích yếu."""
    if document is None:
        return ""
    kind = KINDS[document.kind]
    if document.number is None:
        return f"{kind.name} {_lower_first(document.title)}"
    text = f"{kind.name} số {number_symbol(document.number, kind.symbol(organization.symbol_suffix))}"
    return f"{text} ngày {short_date(document.issued_on)}" if document.issued_on else text


def references_line(plan: Document, organization: Organization) -> str:
    """ "Thực hiện Kế hoạch số 05/KH-MTTQ-BTT ngày 01/5/2026 của Ban Thường trực ... về ..., Ban Thường trực
    báo cáo kết quả thực hiện như sau:"."""
    about = f" về {_lower_first(plan.title)}" if plan.number is not None and plan.title.strip() else ""
    return (f"Thực hiện {citation(plan, organization)} của {organization.full_name}{about}, "
            "Ban Thường trực báo cáo kết quả thực hiện như sau:")


def whole_group(units: list[Unit]) -> Unit | None:
    """The group whose active members are exactly these units, if there is one."""
    parents = {u.parent_id for u in units}
    if len(parents) != 1 or None in parents:
        return None
    group = db.session.get(Unit, parents.pop())
    if group is None or not group.is_group or {m.id for m in group.active_members()} != {u.id for u in units}:
        return None
    return group


def asked_label(units: list[Unit]) -> str:
    """How running text names the units asked: their group when they are exactly its active members."""
    group = whole_group(units)
    if group is not None:
        return group.recipient_name
    if len(units) <= ASKED_NAMES_MAX:
        return ", ".join(u.recipient_name or u.name for u in units)
    return f"{len(units)} đơn vị"


def round_facts(rnd: ReportRound) -> RoundFacts:
    """Everything the aggregation needs, read from the database in a few queries."""
    organization = Organization.current()
    tasks = task_specs(round_tasks(rnd))
    active, _removed = unit_rows(rnd)
    asked = unit_task_ids(rnd, [r.unit.id for r in active])
    units = []
    for row in active:
        sub = row.submission
        counted = sub is not None and row.state in (ON_TIME, LATE)
        units.append(UnitReport(row.unit.id, row.unit.name, row.state,
                                figures=sub.figures if counted else {}, narratives=sub.narratives if counted else {},
                                answers=sub.answers if counted else [], task_ids=asked[row.unit.id]))
    letter = rnd.request_letter
    return RoundFacts(
        plan_citation=citation(rnd.plan, organization), issuer=organization.full_name,
        asked_label=asked_label([r.unit for r in active]), cutoff_on=rnd.cutoff_on, due_on=rnd.due_on,
        tasks=tasks, units=units, questions=rnd.questions, period_start=rnd.period_start,
        period_end=rnd.period_end,
        request_citation=citation(letter, organization) if letter is not None and letter.number else "",
    )


def _superiors(plan: Document) -> list[tuple[int | None, str]]:
    """The plan's Nơi nhận entries that are outside bodies: the superiors a report goes to."""
    return [(r.unit_id, "") for r in plan.recipients if r.unit is not None and r.unit.kind == UNIT_EXTERNAL]


@dataclass
class Drafted:
    document: Document
    created: bool
    kept: list[Part]  # parts the clerk had changed, left as they were
    result: Aggregate


def draft_report(rnd: ReportRound, user: User) -> Drafted:
    """Draft the aggregated Báo cáo, or bring the existing draft up to date (keeping the clerk's edits)."""
    result = aggregate(round_facts(rnd))
    document = rnd.report_document
    plan = rnd.plan
    if document is None:
        organization = Organization.current()
        document = Document(kind=REPORT, status=DRAFT, year=office_today().year, created_by_id=user.id)
        db.session.add(document)
        document.update_content(
            {"kind": REPORT, "title": rnd.title, "references_text": references_line(plan, organization),
             "body": result.body, "kinh_gui_text": "", "signer_id": plan.signer_id,
             "signing_authority": plan.signing_authority, "signing_deputy_line": plan.signing_deputy_line,
             "signer_title": plan.signer_title},
            _superiors(plan), user, "Tạo từ đợt báo cáo")
        db.session.flush()
        rnd.report_document_id = document.id
        kept: list[Part] = []
        created = True
    else:
        if document.status not in EDITABLE:
            raise SubmissionRefused(f"Báo cáo tổng hợp đang ở trạng thái «{status_of(document.status).label}»; "
                                    "chỉ cập nhật được khi còn là dự thảo hoặc bị trả lại.")
        old = [Part(*p) for p in rnd.generated_sections.get("parts", [])]
        body, kept = merge_parts(document.body, old, result.parts)
        document.update_content({"body": body}, [(r.unit_id, r.text) for r in document.recipients], user,
                                "Cập nhật số liệu từ đợt báo cáo")
        created = False
    rnd.generated_sections = {"parts": [[p.key, p.label, p.text] for p in result.parts],
                              "annex": _stored_annex(result.annex),
                              "kept": [p.key for p in kept]}
    rnd.generated_at = utcnow()
    audit("report_round.draft_report", rnd, user=user,
          summary=f"{'Tạo' if created else 'Cập nhật'} báo cáo tổng hợp: {rnd.title}"[:500],
          after={"document_id": document.id, "reporting": len(result.reporting), "missing": len(result.missing),
                 "kept": [p.key for p in kept]})
    return Drafted(document, created, kept, result)


def _stored_annex(annex: dict | None) -> dict | None:
    """JSON has no decimals: an exact figure such as 12.5 is kept as {DECIMAL_TAG: "12.5"}."""
    if annex is None:
        return None

    def cell(value):
        return {DECIMAL_TAG: str(value)} if isinstance(value, Decimal) else value

    return {**annex, "rows": [[cell(v) for v in row] for row in annex["rows"]],
            "total_row": [cell(v) for v in annex["total_row"]] if annex.get("total_row") else None}


def _loaded_annex(annex: dict) -> dict:
    def cell(value):
        return Decimal(value[DECIMAL_TAG]) if isinstance(value, dict) else value

    return {**annex, "rows": [[cell(v) for v in row] for row in annex["rows"]],
            "total_row": [cell(v) for v in annex["total_row"]] if annex.get("total_row") else None}


def report_annexes(document: Document) -> list[dict]:
    """The annex tables of a Báo cáo drafted from a round ({"title", "columns", "rows", "total_row"}), else []."""
    rnd = db.session.scalar(select(ReportRound).where(ReportRound.report_document_id == document.id))
    annex = rnd.generated_sections.get("annex") if rnd is not None else None
    return [_loaded_annex(annex)] if annex else []


def draft_request_letter(rnd: ReportRound, user: User) -> tuple[Document, bool]:
    """The Công văn asking the units for their report (created once); (document, created)."""
    if rnd.request_letter is not None:
        return rnd.request_letter, False
    organization = Organization.current()
    plan = rnd.plan
    active, _ = unit_rows(rnd)
    units = [r.unit for r in active]
    label = asked_label(units)
    group = whole_group(units)
    kinh_gui = [group.recipient_name] if group is not None else [u.recipient_name or u.name for u in units]
    plan_ref = citation(plan, organization)
    about = f" về {_lower_first(plan.title)}" if plan.number is not None and plan.title.strip() else ""
    period = (f" từ ngày {short_date(rnd.period_start)} đến ngày {short_date(rnd.period_end)}"
              if rnd.period_start and rnd.period_end else "")
    tasks = task_specs(round_tasks(rnd))
    lines = [f"Để có cơ sở tổng hợp, báo cáo kết quả thực hiện {plan_ref}{about}, Ban Thường trực Ủy ban MTTQ Việt "
             f"Nam tỉnh đề nghị {label} báo cáo kết quả thực hiện{period}, số liệu tính đến ngày "
             f"{short_date(rnd.cutoff_on)}, gồm các nội dung sau:",
             "1. Kết quả thực hiện các nhiệm vụ được giao:"]
    lines += [f"- {t.text.rstrip('.;')};" for t in tasks]
    indicators = [i for t in tasks for i in t.indicators]
    number = 2
    if indicators:
        lines.append(f"{number}. Số liệu các chỉ tiêu:")
        lines += [f"- {i.name}" + (f" ({i.unit_of_measure})" if i.unit_of_measure else "") + ";" for i in indicators]
        number += 1
    for question in rnd.questions:
        lines.append(f"{number}. {question}.")
        number += 1
    lines.append(f"Báo cáo của đơn vị nhập và gửi trên hệ thống văn bản của Ban Thường trực (kèm bản có chữ ký, "
                 f"nếu có) chậm nhất ngày {short_date(rnd.due_on)}.")
    lines.append("Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh đề nghị các đơn vị quan tâm thực hiện.")
    document = Document(kind=LETTER, status=DRAFT, year=office_today().year, created_by_id=user.id)
    db.session.add(document)
    document.update_content(
        {"kind": LETTER, "title": f"báo cáo kết quả thực hiện {plan_ref}", "references_text": "",
         "body": "\n".join(lines), "kinh_gui_text": "\n".join(kinh_gui), "signer_id": plan.signer_id,
         "signing_authority": plan.signing_authority, "signing_deputy_line": plan.signing_deputy_line,
         "signer_title": plan.signer_title},
        [], user, "Tạo từ đợt báo cáo")
    db.session.flush()
    rnd.request_letter_document_id = document.id
    audit("report_round.request_letter", rnd, user=user, summary=f"Soạn công văn đề nghị báo cáo: {rnd.title}"[:500],
          after={"document_id": document.id})
    return document, True
