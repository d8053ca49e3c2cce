from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhongchuang.spaces.selectors import spaces_for


@login_required
def space_list(request: HttpRequest) -> HttpResponse:
    return render(request, "spaces/space_list.html", {"spaces": spaces_for(request.user)})
