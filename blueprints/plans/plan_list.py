"""The list of plans with how far their tasks have got, and the summary a plan's document page shows."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints import render, roles_required
from blueprints.params import query_int, query_text
from blueprints.plans import bp
from domain.access import can, visible_plans
from domain.office import office_today
from domain.plans.followup import plan_summaries
from domain.plans.tracking import STAFF_ROLES, add_unit_to_running_plans, new_members_by_unit
from extensions import db
from models import Document, Unit
from models.choices import CLERK, TRACKABLE_KINDS

PAGE_SIZE = 50


@bp.get("/plans")
@roles_required(*STAFF_ROLES)
def index():
    """List the plans with how far their tasks have got."""
    q = query_text("q")
    stmt = visible_plans(current_user).order_by(Document.year.desc(), Document.id.desc())
    if q:
        stmt = stmt.where(Document.title.ilike(f"%{q}%"))
    page = query_int("page", 1)
    documents = db.session.scalars(stmt.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    has_next = len(documents) > PAGE_SIZE
    documents = documents[:PAGE_SIZE]
    today = office_today()
    summaries = plan_summaries([d.id for d in documents], today)
    newcomers = []
    if can(current_user, "manage_plans"):
        missing = new_members_by_unit()
        units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(missing))))} if missing else {}
        newcomers = [(units[unit_id], len(plans)) for unit_id, plans in missing.items()]
    return render("plans/index.html", "plan_list", documents=documents, summaries=summaries, q=q, page=page,
                  has_next=has_next, newcomers=newcomers, args={"q": q} if q else {})


@bp.post("/plans/units/<int:unit_id>/join")
@roles_required(CLERK)
def join_running_plans(unit_id: int):
    """Give a unit that joined a group its share of every plan being followed up."""
    unit = db.get_or_404(Unit, unit_id)
    created = add_unit_to_running_plans(unit, current_user)
    db.session.commit()
    flash(f"Đã giao {len(created)} nhiệm vụ cho {unit.name}." if created else f"{unit.name} đã có đủ nhiệm vụ.",
          "success" if created else "info")
    return redirect(url_for("plans.index"), code=303)


@bp.app_template_global()
def plan_panel(document) -> dict | None:
    """What the document page shows about a plan's tasks (documents/_plan_panel.html)."""
    if document is None or document.kind not in TRACKABLE_KINDS or not can(current_user, "follow_office_work"):
        return None
    return {"summary": plan_summaries([document.id], office_today())[document.id]}
