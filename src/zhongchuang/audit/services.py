from __future__ import annotations

from typing import Any

from zhongchuang.audit.models import Action, AuditEntry


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
    """Append one entry; callers run inside their own transaction, so a failed write leaves no trace."""
    return AuditEntry.objects.create(
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
    )
