"""Reads for the transfer pages: the jobs a user may see, and what an import would change.

`import_match` compares a workbook's facts with the space's rows, table by table. Rows are matched
first by their 编号 (ref), then by a natural key per table (the company's 统一社会信用代码 for
incubatees, title + date for activities, the contract number within its site for leases, the name for
staff and mentors…), so a workbook filled without 编号 still updates rows instead of duplicating them.
The same matching drives the preview and `services.import_apply`, so what is shown is what is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhongchuang.facts import Facts
from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.schema import PROFILE_COLUMNS, TABLES, Column, TableSpec
from zhongchuang.transfer.models import Job

# Per table, the natural keys tried in order after the 编号; a key is usable on a row when its first
# part has a value. Column names are those of `spaces.schema` (links by relation name).
NATURAL_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "sites": (("address",),),
    "leases": (("contract_no",),),  # within the matched site
    "staff": (("name",),),
    "incubatees": (("company_uscc",), ("name",)),
    "activities": (("title", "date"),),
    "equipment": (("name",),),
    "partnerships": (("partner", "kind"),),
    "service_records": (("date", "category", "incubatee"),),
    "funds": (("name",),),
    "advisory_contracts": (("provider", "start_date"),),
    "financing": (("incubatee", "closed_on", "investor"),),
    "registrations": (("uscc",), ("incubatee",)),
    "ip_rights": (("number", "type"), ("title", "type")),
    "cases": (("title", "date"),),
    "mentors": (("name",),),
    "mentor_sessions": (("mentor", "date", "incubatee"),),
    "credit_checks": (("checked_on", "source", "list_type"),),
    "open_resources": (("name",),),
    "stage_programmes": (("stage", "name"),),
    "brand_locations": (("name", "city"),),
    "media_reports": (("title", "outlet", "published_on"),),
    "overseas_branches": (("country", "city"),),
    "international_projects": (("name",),),
}
LABEL_COLUMNS = ("name", "title", "partner", "provider", "outlet", "contract_no", "address", "country")
PREVIEW_ROWS = 100  # rows listed per table and change kind; the counts are always complete


# --- jobs ------------------------------------------------------------------------------------------


def jobs_for(user: Any) -> QuerySet[Job]:
    """Operators: their organisation's jobs. Bureau staff: the packets they generated for their rounds."""
    membership = getattr(user, "membership", None) if getattr(user, "is_authenticated", False) else None
    if membership is None:
        return Job.objects.none()
    if membership.is_operator:
        org = membership.organisation_id
        return Job.objects.filter(Q(space__organisation_id=org) | Q(application__space__organisation_id=org))
    return Job.objects.filter(created_by=user, application__round__bureau_id=membership.bureau_id)


def job_for(user: Any, job_id: int) -> Job:
    """A job the user may see, or 404 (never 403)."""
    job = jobs_for(user).select_related("space", "application__space", "version").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def space_jobs(space: Space, limit: int = 10) -> list[Job]:
    return list(Job.objects.filter(space=space).select_related("created_by")[:limit])


def application_jobs(user: Any, application: Any, limit: int = 10) -> list[Job]:
    return list(
        jobs_for(user).filter(application=application).select_related("version", "created_by")[:limit]
    )


# --- comparing a workbook with the space ---------------------------------------------------------


def _norm(value: Any) -> Any:
    """One comparable form for database and workbook values: empty is None, lists are tuples."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _at(item: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = item
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def ident(spec: TableSpec, row: Model) -> str:
    """The row's id as the bridge writes it into the facts (and so into an exported workbook)."""
    return row.ref or f"{spec.name}-{row.pk}"  # type: ignore[attr-defined]


def display(column: Column | None, value: Any) -> str:
    """A value as the preview shows it: Chinese choice labels, 是/否, ISO dates, "—" for nothing."""
    value = _norm(value)
    if value is None:
        return "—"
    if column is not None and column.kind == "choice":
        return str(dict(column.choices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    return str(value)


@dataclass
class RowOp:
    """One row of the plan: a workbook row (`item`), a database row (`row`), or both when matched."""

    item: dict[str, Any] | None
    row: Model | None
    values: dict[str, Any] = field(default_factory=dict)  # workbook values, normalised; links as final refs
    changed: list[str] = field(default_factory=list)  # column names that differ
    wb_id: str = ""  # the workbook's 编号 (links in the workbook point at it)
    parent: str = ""  # leases: the final ref of their site


@dataclass
class TableMatch:
    spec: TableSpec
    added: list[RowOp] = field(default_factory=list)
    changed: list[RowOp] = field(default_factory=list)
    removed: list[RowOp] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass
class ImportMatch:
    profile: dict[str, Any]  # profile column name → new value (python), only those that differ
    tables: list[TableMatch]
    resolved: dict[str, dict[str, str]]  # table → workbook id → final ref (database ref, or the new row's)

    @property
    def empty(self) -> bool:
        return not self.profile and all(table.empty for table in self.tables)


def present_tables(data: dict[str, Any]) -> list[str]:
    """The tables a workbook carries: absent sheets leave their table untouched, empty ones clear it."""
    names = []
    for spec in TABLES:
        location = TABLES_LOCATION[spec.name]
        target: Any = data
        for key in location:
            target = target.get(key) if isinstance(target, dict) else None
        if target is not None:
            names.append(spec.name)
    return names


TABLES_LOCATION = {spec.name: (spec.parent,) if spec.parent else spec.location for spec in TABLES}


def _db_rows(space: Space, spec: TableSpec) -> list[Model]:
    links = [column.name for column in spec.columns if column.kind == "link"]
    parent = [ROW_MODELS[spec.parent].__name__.lower()] if spec.parent else []
    return list(
        ROW_MODELS[spec.name].objects.filter(space=space).select_related(*links, *parent).order_by("id")
    )  # type: ignore[attr-defined]


def _db_values(spec: TableSpec, row: Model) -> dict[str, Any]:
    values = {}
    for column in spec.columns:
        value = getattr(row, column.name)
        if column.kind == "link":
            value = ident(TABLES_BY_LINK[column.link or ""], value) if value is not None else None
        values[column.name] = _norm(value)
    return values


def _key(parts: tuple[str, ...], values: dict[str, Any], parent: str) -> tuple[Any, ...] | None:
    key = tuple(values.get(part) for part in parts)
    if key[0] is None:
        return None
    return (parent, *key)


def _workbook_rows(
    spec: TableSpec, data: dict[str, Any], resolved: dict[str, dict[str, str]]
) -> list[tuple[dict[str, Any], str]]:
    """(row, parent's final ref) for every workbook row of the table."""
    if spec.parent:
        out = []
        for site in data.get(spec.parent) or []:
            parent = resolved.get(spec.parent, {}).get(str(site.get("id") or ""), "")
            out.extend((item, parent) for item in site.get(spec.location[-1]) or [])
        return out
    return [(item, "") for item in _at(data, spec.location) or []]


def import_match(
    space: Space,
    facts: Facts,
    tables: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportMatch:
    """Match the workbook's rows (valid facts) with the space's, table by table, parents first.

    `progress(n)` is called after the n-th table (of `len(TABLES)`).
    """
    data = facts.model_dump(mode="python")
    wanted = set(tables) if tables is not None else {spec.name for spec in TABLES}
    profile: dict[str, Any] = {}
    for column in PROFILE_COLUMNS:
        new = _at(data, column.path)
        if _norm(new) != _norm(getattr(space, column.name)):
            profile[column.name] = new
    resolved: dict[str, dict[str, str]] = {}
    matches = []
    for number, spec in enumerate(TABLES, start=1):
        if progress is not None and number > 1:
            progress(number - 1)
        db_rows = _db_rows(space, spec)
        resolved[spec.name] = {ident(spec, row): ident(spec, row) for row in db_rows}
        if spec.name not in wanted:
            continue
        match = TableMatch(spec)
        matches.append(match)
        ops = []
        for item, parent in _workbook_rows(spec, data, resolved):
            values = {}
            for column in spec.columns:
                value = _at(item, column.path)
                if column.kind == "link" and value is not None:
                    value = resolved.get(column.link or "", {}).get(str(value), str(value))
                values[column.name] = _norm(value)
            ops.append(RowOp(item, None, values, wb_id=str(item.get("id") or ""), parent=parent))
        parent_field = ROW_MODELS[spec.parent].__name__.lower() if spec.parent else ""
        db_values = {row.pk: _db_values(spec, row) for row in db_rows}
        db_parent = {
            row.pk: ident(TABLES_BY_LINK[spec.parent], getattr(row, parent_field)) if spec.parent else ""
            for row in db_rows
        }
        unmatched = {row.pk: row for row in db_rows}
        by_ident = {ident(spec, row): row for row in db_rows} if not spec.parent else {}
        # 1. the 编号
        for op in ops:
            row = by_ident.get(op.wb_id) if op.wb_id else None
            if row is not None and row.pk in unmatched:
                op.row = unmatched.pop(row.pk)
        # 2. the natural keys, in order
        for parts in NATURAL_KEYS.get(spec.name, ()):
            index: dict[tuple[Any, ...], list[Model]] = {}
            for row in unmatched.values():
                key = _key(parts, db_values[row.pk], db_parent[row.pk])
                if key is not None:
                    index.setdefault(key, []).append(row)
            for op in ops:
                if op.row is not None:
                    continue
                key = _key(parts, op.values, op.parent)
                candidates = index.get(key) if key is not None else None
                if candidates:
                    op.row = candidates.pop(0)
                    del unmatched[op.row.pk]
        for op in ops:
            if op.row is None:
                match.added.append(op)
                if op.wb_id:
                    resolved[spec.name][op.wb_id] = op.wb_id
                continue
            if op.wb_id:
                resolved[spec.name][op.wb_id] = ident(spec, op.row)
            before = db_values[op.row.pk]
            op.changed = [name for name, value in op.values.items() if before.get(name) != value]
            if op.changed:
                match.changed.append(op)
            else:
                match.unchanged += 1
        match.removed = [RowOp(None, row, db_values[row.pk]) for row in unmatched.values()]
    if progress is not None:
        progress(len(TABLES))
    return ImportMatch(profile, matches, resolved)


TABLES_BY_LINK = {spec.name: spec for spec in TABLES}


def _label(spec: TableSpec, op: RowOp) -> str:
    ref = ident(spec, op.row) if op.row is not None and not spec.parent else op.wb_id
    name = next(
        (
            display(None, op.values.get(column))
            for column in LABEL_COLUMNS
            if op.values.get(column) is not None
        ),
        "",
    )
    return " ".join(part for part in (ref, name) if part)


def plan_summary(space: Space, match: ImportMatch) -> dict[str, Any]:
    """The preview as JSON for the job: per table the counts and the first rows of each kind of change."""
    profile_columns = {column.name: column for column in PROFILE_COLUMNS}
    tables = []
    for table in match.tables:
        spec = table.spec
        columns = {column.name: column for column in spec.columns}
        added = [{"label": _label(spec, op)} for op in table.added[:PREVIEW_ROWS]]
        changed = [
            {
                "label": _label(spec, op),
                "fields": [
                    [
                        columns[name].label_zh,
                        display(columns[name], _db_values(spec, op.row)[name]),  # type: ignore[arg-type]
                        display(columns[name], op.values[name]),
                    ]
                    for name in op.changed
                ],
            }
            for op in table.changed[:PREVIEW_ROWS]
        ]
        removed = [{"label": _label(spec, op)} for op in table.removed[:PREVIEW_ROWS]]
        tables.append(
            {
                "name": spec.name,
                "label": spec.label_zh,
                "attachment": spec.attachment,
                "added": len(table.added),
                "changed": len(table.changed),
                "removed": len(table.removed),
                "unchanged": table.unchanged,
                "rows": {"added": added, "changed": changed, "removed": removed},
            }
        )
    profile = [
        [
            profile_columns[name].label_zh,
            display(profile_columns[name], getattr(space, name)),
            display(profile_columns[name], value),
        ]
        for name, value in match.profile.items()
    ]
    return {"empty": match.empty, "profile": profile, "tables": tables}
