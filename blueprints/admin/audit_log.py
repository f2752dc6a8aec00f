"""The audit log, filtered by user, action, object and date."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import request
from sqlalchemy import select

from blueprints import render
from blueprints.admin import bp
from blueprints.params import query_int
from extensions import db
from models import AuditEvent, User

AUDIT_PAGE_SIZE = 50


@bp.get("/audit")
def audit_log():
    """Browse the audit log, filtered by user, action, object and date."""
    args = request.args
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if user_id := query_int("user"):
        stmt = stmt.where(AuditEvent.user_id == user_id)
    if action := args.get("action", "").strip():
        stmt = stmt.where(AuditEvent.action == action)
    if object_type := args.get("object_type", "").strip():
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if object_id := query_int("object_id"):
        stmt = stmt.where(AuditEvent.object_id == object_id)
    errors = []
    for name, op in (("from", "ge"), ("to", "lt")):
        raw = args.get(name, "").strip()
        if not raw:
            continue
        try:
            day = datetime.strptime(raw, "%Y-%m-%d")
        except ValueError:
            errors.append("Ngày không hợp lệ; dùng định dạng ngày/tháng/năm của ô chọn ngày.")
            continue
        # Days are the office's days (UTC+7); stored times are UTC.
        bound = day - timedelta(hours=7) + (timedelta(days=1) if op == "lt" else timedelta())
        stmt = stmt.where(AuditEvent.at >= bound if op == "ge" else AuditEvent.at < bound)
    page = query_int("page", 1)
    events = db.session.scalars(stmt.limit(AUDIT_PAGE_SIZE + 1).offset((page - 1) * AUDIT_PAGE_SIZE)).all()
    has_next = len(events) > AUDIT_PAGE_SIZE
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    object_types = db.session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)).all()
    users_ = db.session.scalars(select(User).order_by(User.username)).all()
    return render("admin/audit.html", "audit_table", events=events[:AUDIT_PAGE_SIZE], page=page, has_next=has_next,
                  actions=actions, object_types=object_types, users=users_, args=args, errors=errors)
