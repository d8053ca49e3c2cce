from __future__ import annotations

from typing import Any

from django import template

from zhongchuang.inspection.models import Assignment
from zhongchuang.inspection.selectors import assignments_of, inspection_of, progress

register = template.Library()


@register.simple_tag
def inspection_summary(application: Any, user: Any) -> dict[str, Any]:
    """What the staff case page shows of the inspection: plan, team, progress, report, and whether
    the viewer may open it (an inspector only when assigned; nobody assigned before declaring)."""
    inspection = inspection_of(application)
    if inspection is None:
        return {"inspection": None}
    team = list(assignments_of(inspection))
    mine = next((a for a in team if a.inspector_id == user.pk), None)
    role = getattr(getattr(user, "membership", None), "role", None)
    return {
        "inspection": inspection,
        "team": team,
        "progress": progress(inspection),
        "may_open": mine is not None or role in ("bureau_admin", "reviewer"),
        "may_see_report": (mine is None and role in ("bureau_admin", "reviewer"))
        or (mine is not None and mine.status == Assignment.Status.DECLARED),
    }
