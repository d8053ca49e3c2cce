from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def members(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/members.html", {})


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/staff.html", {})
