"""The hash chain of the audit log: how one link is computed, and the check of the whole chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

GENESIS = "0" * 64


def entry_digest(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 of the previous link and the entry's content, as canonical JSON (sorted keys, UTC time)."""
    content = {**fields, "at": fields["at"].astimezone(UTC).isoformat(timespec="microseconds")}
    canonical = json.dumps(
        [prev_hash, content], sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chained_fields(entry: Any) -> dict[str, Any]:
    return {
        "at": entry.at,
        "actor": entry.actor_id,
        "action": entry.action,
        "organisation": entry.organisation_id,
        "space": entry.space_id,
        "application": entry.application_id,
        "table": entry.table,
        "row_id": entry.row_id,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
    }


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None  # the id of the first entry that does not verify
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None and not self.reason


def verify_chain() -> ChainReport:
    """Walk the log in append order; report the first entry whose link or content does not verify."""
    from zhongchuang.audit.models import AuditEntry, AuditHead

    previous, checked = GENESIS, 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != previous:
            return ChainReport(checked, entry.pk, "上一条链接不符（之前的条目被删除、插入或修改）")
        if entry.hash != entry_digest(entry.prev_hash, chained_fields(entry)):
            return ChainReport(checked, entry.pk, "内容与哈希不符（该条目被修改）")
        previous, checked = entry.hash, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.count != checked or head.hash != previous):
        return ChainReport(
            checked, None, f"链尾不符：记录应有 {head.count} 条，实有 {checked} 条（末尾条目被删除或修改）"
        )
    return ChainReport(checked)
