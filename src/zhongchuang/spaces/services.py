"""Writes to a space and its tables. Every write is atomic, audited, and bumps the data version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import F

from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record
from zhongchuang.facts import Facts
from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.schema import PROFILE_COLUMNS, TABLES, TABLES_BY_NAME, Column, TableSpec


class SpaceError(Exception):
    """A write that cannot be done; `message` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return getattr(value, "ref", None) or value.pk
    return value


def snapshot(instance: models.Model, columns: tuple[Column, ...]) -> dict[str, Any]:
    """The audited view of a row: its columns as JSON values."""
    data = {column.name: _plain(getattr(instance, column.name)) for column in columns}
    if hasattr(instance, "ref"):
        data["ref"] = instance.ref
    if instance.pk and hasattr(instance, "evidence"):
        data["evidence"] = sorted(document.ref for document in instance.evidence.all())
    return data


def touch_space(space: Space) -> None:
    """Bump the data version: live self-checks cached for the old version are no longer used."""
    Space.objects.filter(pk=space.pk).update(data_version=F("data_version") + 1)
    space.refresh_from_db(fields=["data_version"])


def _db_value(column: Column, value: Any) -> Any:
    if value is None:
        return [] if column.kind == "list" else "" if column.kind in ("text", "choice") else None
    return value


@transaction.atomic
def space_create(*, organisation: Any, name: str, by: Any) -> Space:
    space = Space.objects.create(organisation=organisation, space_name=name)
    audit_record(
        action=Action.PROFILE_UPDATED,
        actor=by,
        organisation=organisation,
        space=space,
        summary=f"创建众创空间 {name}",
        after={"space_name": name},
    )
    return space


@transaction.atomic
def space_update_profile(*, space: Space, values: dict[str, Any], by: Any) -> Space:
    before = snapshot(space, PROFILE_COLUMNS)
    for name, value in values.items():
        setattr(space, name, value)
    space.save()
    after = snapshot(space, PROFILE_COLUMNS)
    audit_record(
        action=Action.PROFILE_UPDATED,
        actor=by,
        organisation=space.organisation,
        space=space,
        table="profile",
        row_id=space.pk,
        summary=str(space),
        before=before,
        after=after,
    )
    touch_space(space)
    return space


@transaction.atomic
def space_attach_evidence(*, space: Space, documents: list[Any], by: Any) -> Space:
    """Attach space-level evidence (licence, rules, floor plan…) to the space itself."""
    before = sorted(document.ref for document in space.evidence.all())
    space.evidence.add(*documents)
    after = sorted(document.ref for document in space.evidence.all())
    audit_record(
        action=Action.PROFILE_UPDATED,
        actor=by,
        organisation=space.organisation,
        space=space,
        table="profile",
        row_id=space.pk,
        summary="附加佐证材料",
        before={"evidence": before},
        after={"evidence": after},
    )
    touch_space(space)
    return space


@transaction.atomic
def row_create(
    *,
    space: Space,
    table: str,
    values: dict[str, Any],
    evidence: list[Any] | None = None,
    by: Any,
    parent: models.Model | None = None,
) -> models.Model:
    spec = TABLES_BY_NAME[table]
    model = ROW_MODELS[table]
    row = model(space=space, **values)
    if spec.parent:
        if parent is None:
            raise SpaceError("缺少所属的上级记录")
        setattr(row, ROW_MODELS[spec.parent].__name__.lower(), parent)
    row.save()
    if not row.ref:  # type: ignore[attr-defined]
        row.ref = f"{_prefix(spec)}{row.pk}"  # type: ignore[attr-defined]
        row.save(update_fields=["ref"])
    if evidence:
        row.evidence.set(evidence)  # type: ignore[attr-defined]
    audit_record(
        action=Action.ROW_CREATED,
        actor=by,
        organisation=space.organisation,
        space=space,
        table=table,
        row_id=row.pk,
        summary=f"{spec.label_zh} {row.ref}",
        after=snapshot(row, spec.columns),
    )  # type: ignore[attr-defined]
    touch_space(space)
    return row


@transaction.atomic
def row_update(
    *, row: models.Model, values: dict[str, Any], by: Any, evidence: list[Any] | None = None
) -> models.Model:
    table = _table_of(row)
    before = snapshot(row, table.columns)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    if evidence is not None:
        row.evidence.set(evidence)  # type: ignore[attr-defined]
    space = row.space  # type: ignore[attr-defined]
    audit_record(
        action=Action.ROW_UPDATED,
        actor=by,
        organisation=space.organisation,
        space=space,
        table=table.name,
        row_id=row.pk,
        summary=f"{table.label_zh} {row.ref}",  # type: ignore[attr-defined]
        before=before,
        after=snapshot(row, table.columns),
    )
    touch_space(space)
    return row


@transaction.atomic
def row_delete(*, row: models.Model, by: Any) -> None:
    table = _table_of(row)
    space = row.space  # type: ignore[attr-defined]
    before = snapshot(row, table.columns)
    pk = row.pk
    try:
        row.delete()
    except models.ProtectedError as error:
        names = "、".join(sorted({str(obj._meta.verbose_name) for obj in error.protected_objects}))
        raise SpaceError(f"仍有{names}引用这条记录，请先修改或删除它们") from None
    audit_record(
        action=Action.ROW_DELETED,
        actor=by,
        organisation=space.organisation,
        space=space,
        table=table.name,
        row_id=pk,
        summary=f"{table.label_zh} {before.get('ref')}",
        before=before,
    )
    touch_space(space)


def _table_of(row: models.Model) -> TableSpec:
    return next(spec for name, spec in TABLES_BY_NAME.items() if isinstance(row, ROW_MODELS[name]))


def _prefix(spec: TableSpec) -> str:
    return "".join(word[0] for word in spec.name.split("_")).upper() + "-"


@transaction.atomic
def space_load_facts(
    *, space: Space, facts: Facts, by: Any, documents: dict[str, Any] | None = None
) -> Space:
    """Replace the space's data with `facts` (demo data, tests, and later imports).

    `documents` maps facts document ids to stored evidence.Document rows; evidence links to
    other ids are dropped (a facts file alone carries no files).
    """
    documents = documents or {}
    data = facts.model_dump(mode="python")
    for name in reversed(ROW_MODELS):  # rows that point at others (financing → incubatee) go first
        ROW_MODELS[name].objects.filter(space=space).delete()  # type: ignore[attr-defined]
    profile: dict[str, Any] = {}
    for column in PROFILE_COLUMNS:
        value: Any = data
        for key in column.path:
            value = value.get(key) if isinstance(value, dict) else None
        profile[column.name] = _db_value(column, value)
    for name, value in profile.items():
        setattr(space, name, value)
    space.save()
    space.evidence.set([documents[d] for d in data["space"]["evidence"] if d in documents])
    created: dict[str, dict[str, models.Model]] = {}
    for spec in TABLES:
        if spec.parent:
            continue
        rows = _rows_at(data, spec.location)
        created[spec.name] = {}
        for item in rows:
            values = _row_values(spec, item, created)
            row = ROW_MODELS[spec.name].objects.create(space=space, ref=item.get("id") or "", **values)  # type: ignore[attr-defined]
            row.evidence.set([documents[d] for d in item.get("evidence", []) if d in documents])
            created[spec.name][item.get("id") or str(row.pk)] = row
    for spec in TABLES:
        if not spec.parent:
            continue
        parent_field = ROW_MODELS[spec.parent].__name__.lower()
        for parent_item, parent_row in zip(data[spec.parent], created[spec.parent].values(), strict=True):
            for item in parent_item.get(spec.location[-1], []):
                row = ROW_MODELS[spec.name].objects.create(  # type: ignore[attr-defined]
                    space=space, **{parent_field: parent_row}, **_row_values(spec, item, created)
                )
                row.evidence.set([documents[d] for d in item.get("evidence", []) if d in documents])
    audit_record(
        action=Action.PROFILE_UPDATED,
        actor=by,
        organisation=space.organisation,
        space=space,
        summary="载入全部数据",
    )
    touch_space(space)
    return space


def _rows_at(data: dict[str, Any], location: tuple[str, ...]) -> list[dict[str, Any]]:
    target: Any = data
    for key in location:
        target = target.get(key) if isinstance(target, dict) else None
    return list(target or [])


def _row_values(
    spec: TableSpec, item: dict[str, Any], created: dict[str, dict[str, models.Model]]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in spec.columns:
        value: Any = item
        for key in column.path:
            value = value.get(key) if isinstance(value, dict) else None
        if column.kind == "link":
            values[column.name] = created.get(column.link or "", {}).get(value) if value else None
        else:
            values[column.name] = _db_value(column, value)
    return values
