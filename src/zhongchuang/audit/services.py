from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhongchuang.audit.chain import GENESIS, chained_fields, entry_digest
from zhongchuang.audit.models import Action, AuditEntry, AuditHead


def audit_record(
    *,
    action: Action,
    actor: Any,
    organisation: Any = None,
    space: Any = None,
    application: Any = None,
    table: str = "",
    row_id: int | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Callers run inside their own transaction, so a failed write
    leaves no trace; the head row is locked, so concurrent appends queue instead of forking."""
    with transaction.atomic():
        return _append(
            action,
            actor,
            organisation,
            space,
            application,
            table,
            row_id,
            summary,
            _as_stored(before),
            _as_stored(after),
        )


def _as_stored(value: dict[str, Any] | None) -> Any:
    """The value as the JSON column gives it back (tuples become lists…), so the hash verifies later."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False))


def _append(
    action: Action,
    actor: Any,
    organisation: Any,
    space: Any,
    application: Any,
    table: str,
    row_id: int | None,
    summary: str,
    before: Any,
    after: Any,
) -> AuditEntry:
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": GENESIS})
    entry = AuditEntry(
        at=timezone.now(),
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        space=space,
        application=application,
        table=table,
        row_id=row_id,
        summary=summary[:300],
        before=before,
        after=after,
        prev_hash=head.hash or GENESIS,
    )
    entry.hash = entry_digest(entry.prev_hash, chained_fields(entry))
    entry.save()
    AuditHead.objects.filter(pk=1).update(hash=entry.hash, count=head.count + 1)
    return entry
