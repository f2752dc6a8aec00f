"""Dashboard panels of report rounds: open rounds with their counts for the office; for a unit reporter, the
rounds still waiting for their unit's report."""

from __future__ import annotations

from blueprints.shared import dashboard_panel
from domain.access import visible_rounds
from domain.plans.tracking import is_staff
from domain.reports import rounds
from domain.reports import rules as R
from extensions import db
from models.choices import UNIT_REPORTER
from models.core import utcnow
from models.reports import OPEN, ReportRound


def staff_panel(user) -> dict | None:
    """Open rounds with their counts, for the office."""
    if not is_staff(user):
        return None
    open_ = rounds.open_rounds()
    if not open_:
        return None
    return {"rows": [(rnd, rounds.round_tally(rnd)) for rnd in open_]}


def reporter_panel(user) -> dict | None:
    """The rounds still waiting for this unit's report (not sent yet, or returned)."""
    if is_staff(user) or not user.has_role(UNIT_REPORTER) or user.unit_id is None:
        return None
    pending = []
    for rnd in db.session.scalars(visible_rounds(user).where(ReportRound.status == OPEN)
                                  .order_by(ReportRound.due_on)):
        round_unit = rounds.round_unit_of(rnd, user.unit_id)
        if round_unit is None or not round_unit.active:
            continue
        sub = rounds.get_submission(rnd, user.unit_id)
        if sub is None or sub.status in R.EDITABLE:
            pending.append((rnd, sub))
    if not pending:
        return None
    now = utcnow()
    return {"rows": pending, "past_due": {rnd.id for rnd, _sub in pending if rounds.past_due(rnd, now)}}


dashboard_panel(30, "reports/_panel_rounds.html", staff_panel)
dashboard_panel(31, "reports/_panel_my.html", reporter_panel)
