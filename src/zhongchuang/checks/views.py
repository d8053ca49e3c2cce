"""Self-check pages: the operator's own space only (others' ids are 404). No business logic here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhongchuang.checks import selectors
from zhongchuang.spaces.selectors import space_for


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _year(request: HttpRequest, years: list[int]) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if year in years else None


@login_required
def overview(request: HttpRequest, space_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    summaries = selectors.overview(space)
    qualifies = [s for s in summaries if s.verdict in selectors.QUALIFYING]
    context = {"space": space, "summaries": summaries, "qualifies": qualifies}
    template = "checks/_overview_panel.html" if _is_htmx(request) else "checks/overview.html"
    return render(request, template, context)


@login_required
def policy(request: HttpRequest, space_id: int, policy_id: str) -> HttpResponse:
    space = space_for(request.user, space_id)
    policy_ = selectors.policy_or_404(policy_id)
    years = selectors.cultivation_years(policy_)
    year = _year(request, years)
    check = selectors.self_check(space, policy_id, year=year)
    context = {
        "space": space,
        "policy": policy_,
        "years": years,
        "year": year,
        "check": check,
        "criteria": selectors.criterion_views(check.result) if check.result else [],
    }
    template = "checks/_policy_panel.html" if _is_htmx(request) else "checks/policy.html"
    return render(request, template, context)


@login_required
def evidence(request: HttpRequest, space_id: int, policy_id: str) -> HttpResponse:
    space = space_for(request.user, space_id)
    policy_ = selectors.policy_or_404(policy_id)
    check = selectors.self_check(space, policy_id)
    context = {
        "space": space,
        "policy": policy_,
        "check": check,
        "checklist": selectors.evidence_checklist(check.result) if check.result else [],
    }
    return render(request, "checks/evidence.html", context)
