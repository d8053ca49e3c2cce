"""Reads, always scoped to what the user may see: another organisation's ids are simply not found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from zhongchuang.audit.models import AuditEntry
from zhongchuang.evidence.models import Document
from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.schema import TABLES, TABLES_BY_NAME, Column, TableSpec


def spaces_for(user: Any) -> QuerySet[Space]:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.is_operator:
        return Space.objects.none()
    return Space.objects.filter(organisation_id=membership.organisation_id).order_by("id")


def space_for(user: Any, space_id: int) -> Space:
    """The user's own space, or 404 — never 403, so ids of others reveal nothing."""
    space = spaces_for(user).filter(pk=space_id).select_related("organisation").first()
    if space is None:
        raise Http404
    return space


# --- Table pages -------------------------------------------------------------------------------


def table_spec(table: str) -> TableSpec:
    spec = TABLES_BY_NAME.get(table)
    if spec is None:
        raise Http404
    return spec


def table_counts(space: Space) -> dict[str, int]:
    """Rows per table of one space: one small COUNT per table."""
    return {spec.name: ROW_MODELS[spec.name].objects.filter(space=space).count() for spec in TABLES}  # type: ignore[attr-defined]


def rows_query(space: Space, spec: TableSpec) -> QuerySet[Any]:
    """The table's rows with links and evidence loaded: a page costs the same few queries at any size."""
    model = ROW_MODELS[spec.name]
    links = [column.name for column in spec.columns if column.kind == "link"]
    parent = ROW_MODELS[spec.parent].__name__.lower() if spec.parent else None
    query = model.objects.filter(space=space).select_related(*links, *([parent] if parent else []))  # type: ignore[attr-defined]
    return query.prefetch_related(Prefetch("evidence", queryset=Document.objects.order_by("id")))


@dataclass(frozen=True)
class TableQuery:
    """What a table page shows: search text, choice filters, sort key; parsed from the query string."""

    q: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    sort: str = ""
    parent_id: int | None = None


def table_query_from(spec: TableSpec, params: Any, shown: tuple[Column, ...]) -> TableQuery:
    names = {column.name for column in shown}
    sort = str(params.get("sort", ""))
    if sort.removeprefix("-") not in names and sort.removeprefix("-") != "ref":
        sort = ""
    filters = []
    for column in spec.columns:
        value = str(params.get(f"f_{column.name}", "")).strip()
        choice = column.kind == "choice" and value in dict(column.choices)
        if value and (choice or (column.kind == "bool" and value in ("yes", "no", "unknown"))):
            filters.append((column.name, value))
    parent = str(params.get("parent", ""))
    return TableQuery(
        str(params.get("q", "")).strip()[:100],
        tuple(filters),
        sort,
        int(parent) if parent.isdigit() and spec.parent else None,
    )


def table_rows(space: Space, spec: TableSpec, query: TableQuery) -> QuerySet[Any]:
    rows = rows_query(space, spec)
    if query.q:
        match = Q(ref__icontains=query.q)
        for column in spec.columns:
            if column.kind == "text":
                match |= Q(**{f"{column.name}__icontains": query.q})
            elif column.kind == "link":
                match |= Q(**{f"{column.name}__ref__icontains": query.q})
        rows = rows.filter(match)
    for name, value in query.filters:
        if value in ("yes", "no"):
            rows = rows.filter(**{name: value == "yes"})
        elif value == "unknown":
            rows = rows.filter(**{f"{name}__isnull": True})
        else:
            rows = rows.filter(**{name: value})
    if query.parent_id is not None and spec.parent:
        rows = rows.filter(**{f"{ROW_MODELS[spec.parent].__name__.lower()}_id": query.parent_id})
    if query.sort:
        name = query.sort.removeprefix("-")
        column = next((c for c in spec.columns if c.name == name), None)
        key = f"{name}__ref" if column is not None and column.kind == "link" else name
        descending = query.sort.startswith("-")
        order = F(key).desc(nulls_last=True) if descending else F(key).asc(nulls_last=True)
        return rows.order_by(order, "id")
    return rows.order_by("id")  # explicit: an aggregate annotation drops the model's default ordering


def row_for(space: Space, spec: TableSpec, row_id: int) -> Any:
    """One row of the space's table, links and evidence loaded, or 404."""
    row = rows_query(space, spec).filter(pk=row_id).first()
    if row is None:
        raise Http404
    return row


def row_history(
    space: Space, table: str, row_id: int, documents: tuple[int, ...] = ()
) -> QuerySet[AuditEntry]:
    """The audit entries of one row, newest first, with the uploads of the documents it now carries."""
    match = Q(table=table, row_id=row_id)
    if documents:
        match |= Q(table="documents", row_id__in=documents)
    return AuditEntry.objects.filter(match, space=space).select_related("actor").order_by("-at", "-id")
