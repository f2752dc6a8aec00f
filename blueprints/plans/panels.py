"""Dashboard panels: the office's follow-up across plans, and a unit's own open tasks."""

from __future__ import annotations

from blueprints.shared import dashboard_panel
from domain.office import office_today
from domain.plans.overview import office_overview, unit_items
from domain.plans.tracking import is_staff
from models.choices import UNIT_REPORTER

CHART_ROW = 22  # px per unit in the completion chart
CHART_LABEL = 250  # px for the unit names (30 characters at the chart font size)
CHART_BAR = 260  # px for a full bar


def office_panel(user) -> dict | None:
    """Late and due-this-week tasks across the plans being followed up, and completion per unit."""
    if not is_staff(user):
        return None
    today = office_today()
    overview = office_overview(today)
    if not overview.assignments:
        return None
    return {"overview": overview, "today": today, "row": CHART_ROW, "label": CHART_LABEL, "bar": CHART_BAR,
            "height": CHART_ROW * len(overview.bars) + 24, "limit": 12}


def unit_panel(user) -> dict | None:
    """A unit reporter's open tasks, late ones first."""
    if not user.has_role(UNIT_REPORTER) or user.unit_id is None or is_staff(user):
        return None
    today = office_today()
    items = [i for i in unit_items(user.unit_id, today) if not i.status.closed]
    return {"rows": items[:10], "total": len(items), "overdue": sum(i.overdue for i in items), "today": today}


dashboard_panel(20, "plans/_dashboard_office.html", office_panel)
dashboard_panel(21, "plans/_dashboard_unit.html", unit_panel)
