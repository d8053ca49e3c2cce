"""Reads, always scoped to what the user may see: another organisation's ids are simply not found."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from zhongchuang.spaces.models import Space


def spaces_for(user: Any) -> QuerySet[Space]:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.is_operator:
        return Space.objects.none()
    return Space.objects.filter(organisation_id=membership.organisation_id).order_by("id")


def space_for(user: Any, space_id: int) -> Space:
    """The user's own space, or 404 — never 403, so ids of others reveal nothing."""
    space = spaces_for(user).filter(pk=space_id).select_related("organisation").first()
    if space is None:
        raise Http404
    return space
