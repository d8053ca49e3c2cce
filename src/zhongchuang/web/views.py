from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Operators land on their spaces, bureau staff on their dashboard (queues by state)."""
    membership = getattr(request.user, "membership", None)
    if membership is not None and membership.is_bureau:
        return redirect("dashboard:home")
    return redirect("spaces:space_list")
