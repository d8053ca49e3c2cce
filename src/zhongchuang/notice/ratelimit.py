"""A per-address limit on public objections (Django cache; a fixed one-hour window from the first one)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

OBJECTIONS_PER_HOUR = 5
WINDOW_SECONDS = 3600


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is typed by the client unless a trusted proxy rewrites it
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(address: str) -> str:
    return f"notice:objections:{address}"


def objection_limit_reached(address: str) -> bool:
    return int(cache.get(_key(address), 0)) >= OBJECTIONS_PER_HOUR


def count_objection(address: str) -> None:
    key = _key(address)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
