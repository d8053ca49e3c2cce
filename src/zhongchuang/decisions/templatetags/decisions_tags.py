from __future__ import annotations

from typing import Any

from django import template

from zhongchuang.decisions.selectors import decision_of, policy_clauses, recusals_for_application

register = template.Library()


@register.simple_tag
def decision_summary(application: Any) -> dict[str, Any]:
    """The decision on the application, its cited clauses quoted, and who stood aside (for the case page)."""
    decision = decision_of(application)
    known = {clause.id: clause for clause in policy_clauses(application.round.policy_id)}
    return {
        "decision": decision,
        "cited": [known[c] for c in (decision.cited_clauses if decision else []) if c in known],
        "recusals": list(recusals_for_application(application)),
    }
