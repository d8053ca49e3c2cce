"""Writes of the inbox: marking one's own messages read.

Reading a message is the reader's own view state, not a fact about an application, so it is not
an audit entry (the audit vocabulary has no such action; the message itself records `read_at`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhongchuang.notifications.models import Message


@transaction.atomic
def message_mark_read(*, message: Message, by: Any, now: datetime | None = None) -> bool:
    """Mark one of `by`'s messages read; False when it already was (the first reading time is kept)."""
    if message.recipient_id != by.pk:
        raise PermissionError("not the recipient")
    return bool(
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now or timezone.now())
    )


@transaction.atomic
def messages_mark_all_read(*, by: Any, now: datetime | None = None) -> int:
    """Mark every unread message of `by` read; returns how many."""
    return Message.objects.filter(recipient=by, read_at__isnull=True).update(read_at=now or timezone.now())
