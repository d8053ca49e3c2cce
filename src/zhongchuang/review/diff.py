"""What changed between two frozen versions of an application: facts rows, evidence, criteria.

Pure Python over the JSON a version stores (no Django), so it is tested on plain dicts.
Rows are matched by their `id` (every facts table carries one); a list without ids is compared
as a whole. Nested values are flattened to dotted paths ("company.registered_address").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROW_NAME_KEYS = ("name", "title", "partner", "provider", "company_name", "topic", "address")


@dataclass(frozen=True)
class FieldChange:
    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RowChange:
    key: str
    name: str
    fields: tuple[FieldChange, ...] = ()  # only for changed rows


@dataclass(frozen=True)
class TableDiff:
    table: str
    added: tuple[RowChange, ...] = ()
    removed: tuple[RowChange, ...] = ()
    changed: tuple[RowChange, ...] = ()


@dataclass(frozen=True)
class EvidenceChange:
    ref: str
    title: str
    before_sha256: str | None  # None: added
    after_sha256: str | None  # None: removed


@dataclass(frozen=True)
class StatusChange:
    criterion_id: str
    title: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class VersionDiff:
    tables: list[TableDiff] = field(default_factory=list)
    evidence: list[EvidenceChange] = field(default_factory=list)
    criteria: list[StatusChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.tables or self.evidence or self.criteria)


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value}


def _field_changes(before: Any, after: Any) -> tuple[FieldChange, ...]:
    old, new = _flatten(before), _flatten(after)
    return tuple(
        FieldChange(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    )


def _row_name(row: Any, key: str) -> str:
    if isinstance(row, dict):
        for name in ROW_NAME_KEYS:
            if isinstance(row.get(name), str) and row[name]:
                return str(row[name])
    return key


def _keyed(rows: list[Any]) -> dict[str, Any] | None:
    """Rows by id, or None when the list is not a table of rows with unique ids."""
    if not all(isinstance(row, dict) and isinstance(row.get("id"), str) for row in rows):
        return None
    keyed = {row["id"]: row for row in rows}
    return keyed if len(keyed) == len(rows) else None


def _table_diff(table: str, before: Any, after: Any) -> TableDiff | None:
    if before == after:
        return None
    if isinstance(before, list) and isinstance(after, list):
        old, new = _keyed(before), _keyed(after)
        if old is not None and new is not None:
            added = tuple(RowChange(k, _row_name(new[k], k)) for k in new if k not in old)
            removed = tuple(RowChange(k, _row_name(old[k], k)) for k in old if k not in new)
            changed = tuple(
                RowChange(k, _row_name(new[k], k), changes)
                for k in new
                if k in old and (changes := _field_changes(old[k], new[k]))
            )
            return TableDiff(table, added, removed, changed) if added or removed or changed else None
    # one record (operator, space) or a list without ids: one "row" named after the table
    if before is None or after is None:
        row = RowChange(table, table)
        return TableDiff(table, added=(row,)) if before is None else TableDiff(table, removed=(row,))
    if isinstance(before, list) or isinstance(after, list):
        return TableDiff(table, changed=(RowChange(table, table, (FieldChange("", before, after),)),))
    changes = _field_changes(before, after)
    return TableDiff(table, changed=(RowChange(table, table, changes),)) if changes else None


def _evidence_diff(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[EvidenceChange]:
    old = {doc["ref"]: doc for doc in before}
    new = {doc["ref"]: doc for doc in after}
    changes = []
    for ref in sorted(old.keys() | new.keys(), key=lambda r: (len(r), r)):
        a, b = old.get(ref), new.get(ref)
        if a and b and a.get("sha256") == b.get("sha256"):
            continue
        title = str((b or a or {}).get("title", ""))
        changes.append(
            EvidenceChange(ref, title, a.get("sha256") if a else None, b.get("sha256") if b else None)
        )
    return changes


def _criteria_diff(before: dict[str, Any], after: dict[str, Any]) -> list[StatusChange]:
    old = {c["id"]: c for c in before.get("criteria", [])}
    new = {c["id"]: c for c in after.get("criteria", [])}
    order = [*new, *(k for k in old if k not in new)]
    return [
        StatusChange(
            k,
            str((new.get(k) or old[k]).get("title_zh", "")),
            old.get(k, {}).get("status"),
            new.get(k, {}).get("status"),
        )
        for k in order
        if old.get(k, {}).get("status") != new.get(k, {}).get("status")
    ]


def version_diff(before: dict[str, Any], after: dict[str, Any]) -> VersionDiff:
    """`before` and `after` are {"facts", "evidence", "evaluation"} of two versions."""
    old_facts, new_facts = before["facts"], after["facts"]
    tables = [
        diff
        for table in [*old_facts, *(k for k in new_facts if k not in old_facts)]
        if (diff := _table_diff(table, old_facts.get(table), new_facts.get(table))) is not None
    ]
    return VersionDiff(
        tables=tables,
        evidence=_evidence_diff(before["evidence"], after["evidence"]),
        criteria=_criteria_diff(before["evaluation"], after["evaluation"]),
    )
