from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def current_membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's membership (organisation or bureau and role), for the page header."""
    user = getattr(request, "user", None)
    return {"membership": getattr(user, "membership", None) if user and user.is_authenticated else None}
