"""The one bridge between the database and the engine.

`space_facts_data` reads a space's rows into the facts format (as JSON-ready data), `space_facts`
validates them, and `space_evaluation` evaluates them against a policy, cached by the space's
data version and the policy's version. No other code builds facts from the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Model, Prefetch

from zhongchuang.engine.evaluate import evaluate
from zhongchuang.engine.policy import load_policy
from zhongchuang.engine.results import EvaluationResult
from zhongchuang.errors import FactsError, Problem
from zhongchuang.evidence.models import Document
from zhongchuang.facts import Facts, parse_facts
from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.schema import (
    CULTIVATION_COLUMNS,
    OPERATOR_COLUMNS,
    SPACE_COLUMNS,
    TABLES,
    Column,
    TableSpec,
)


def _value(column: Column, value: Any) -> Any:
    """Database value → facts value: "" is unknown text, decimals and dates become JSON text."""
    if column.kind == "link":
        return value.ref if value is not None else None
    if value == "" and column.kind in ("text", "choice"):
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 12.00 → "12": the value as the operator wrote it
    if isinstance(value, date):
        return value.isoformat()
    return value


def _nest(columns: tuple[Column, ...], instance: Model, depth: int) -> dict[str, Any]:
    """Rebuild nested objects from flattened columns; a nested object with no value at all is absent."""
    data: dict[str, Any] = {}
    for column in columns:
        value = _value(column, getattr(instance, column.name))
        if value is None or (column.kind == "list" and value == [] and len(column.path) > depth + 1):
            continue
        target = data
        for key in column.path[depth:-1]:
            target = target.setdefault(key, {})
        target[column.path[-1]] = value
    return data


def _row(table: TableSpec, instance: Model) -> dict[str, Any]:
    data = _nest(table.columns, instance, 0)
    data["id"] = instance.ref or f"{table.name}-{instance.pk}"  # type: ignore[attr-defined]
    data["evidence"] = [document.ref for document in instance.evidence.all()]  # type: ignore[attr-defined]
    return data


def space_facts_data(space: Space) -> dict[str, Any]:
    """The space's facts as JSON-ready data: 2 + one query per table (evidence and links prefetched)."""
    space = Space.objects.select_related("organisation").prefetch_related("evidence").get(pk=space.pk)
    organisation = space.organisation
    operator = _nest(OPERATOR_COLUMNS, space, 1)
    operator.update(name=organisation.name, uscc=organisation.uscc)
    operator["evidence"] = []
    space_data = _nest(SPACE_COLUMNS, space, 1)
    space_data["evidence"] = [document.ref for document in space.evidence.all()]
    data: dict[str, Any] = {"format_version": "1.0", "operator": operator, "space": space_data}
    cultivation = _nest(CULTIVATION_COLUMNS, space, 1)
    if cultivation:
        data["cultivation"] = cultivation
    evidence = Prefetch("evidence", queryset=Document.objects.only("id"))
    for table in TABLES:
        model = ROW_MODELS[table.name]
        links = [column.name for column in table.columns if column.kind == "link"]
        query = model.objects.filter(space=space).select_related(*links).prefetch_related(evidence)  # type: ignore[attr-defined]
        rows = list(query)
        if table.parent:
            parent_field = f"{ROW_MODELS[table.parent].__name__.lower()}_id"
            by_parent: dict[int, list[dict[str, Any]]] = {}
            for row in rows:
                item = _row(table, row)
                item.pop("id")  # leases are identified by their contract number
                by_parent.setdefault(getattr(row, parent_field), []).append(item)
            data["_children:" + table.name] = by_parent
            continue
        items = [_row(table, row) for row in rows]
        target = data
        for key in table.location[:-1]:
            target = target.setdefault(key, {})
        target[table.location[-1]] = items
    for table in TABLES:
        if table.parent:
            children = data.pop("_children:" + table.name)
            parent_rows = list(
                ROW_MODELS[table.parent].objects.filter(space=space).values_list("id", flat=True)
            )  # type: ignore[attr-defined]
            for parent_pk, item in zip(parent_rows, data[table.parent], strict=True):
                item[table.location[-1]] = children.get(parent_pk, [])
    data["documents"] = [
        {
            "id": d.ref,
            "kind": d.kind,
            "title": d.title,
            "sha256": d.sha256,
            "pages": d.pages,
            "issued_on": d.issued_on.isoformat() if d.issued_on else None,
        }
        for d in Document.objects.filter(space=space).order_by("id")
    ]
    return data


def space_facts(space: Space) -> Facts:
    """Validated facts, or FactsError listing every problem with its path (blocks submission)."""
    return parse_facts(space_facts_data(space))


ROW_PATH = re.compile(r"^((?:operator\.|space\.)?[a-z_]+)\[(\d+)\]")


def lenient_facts(data: dict[str, Any]) -> tuple[Facts, list[Problem]]:
    """Facts for the live self-check of a draft: rows with errors are left out and reported.

    A draft may hold half-typed rows; they must not hide the status of everything else. Only
    problems inside list rows can be set aside this way; others (e.g. no legal form) still raise.
    """
    set_aside: list[Problem] = []
    for _ in range(5):
        try:
            return parse_facts(data), set_aside
        except FactsError as error:
            drops: dict[str, set[int]] = {}
            for problem in error.problems:
                match = ROW_PATH.match(problem.where)
                if not match:
                    raise
                drops.setdefault(match[1], set()).add(int(match[2]))
            set_aside += error.problems
            for path, indexes in drops.items():
                *parents, last = path.split(".")
                target = data
                for key in parents:
                    target = target[key]
                target[last] = [row for i, row in enumerate(target[last]) if i not in indexes]
    return parse_facts(data), set_aside


@dataclass(frozen=True)
class SelfCheck:
    result: EvaluationResult | None
    problems: list[Problem]  # rows left out of a draft, or what stops evaluation altogether


def space_evaluation(space: Space, policy_id: str) -> SelfCheck:
    """The live self-check, cached until the space's data or the policy changes."""
    policy = load_policy(policy_id)
    key = f"selfcheck:{space.pk}:{space.data_version}:{policy.id}:{policy.version}"
    cached = cache.get(key)
    if cached is not None:
        return cast(SelfCheck, cached)
    try:
        facts, problems = lenient_facts(space_facts_data(space))
        check = SelfCheck(evaluate(facts, policy), problems)
    except FactsError as error:
        check = SelfCheck(None, error.problems)
    cache.set(key, check, timeout=3600)
    return check
