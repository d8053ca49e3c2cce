"""The unread message count for the page header (registered in settings' context processors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhongchuang.dashboard.selectors import unread_count


class _UnreadCount:
    """Counted only when a template asks (the template engine calls it), and at most once per request."""

    def __init__(self, user: Any) -> None:
        self.user, self.value = user, None

    def __call__(self) -> int:
        if self.value is None:
            self.value = unread_count(self.user)
        return self.value


def unread_messages(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_message_count": 0}
    return {"unread_message_count": _UnreadCount(user)}
