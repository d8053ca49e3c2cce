"""The single-space backend: an expression becomes a Python closure over one row.

Kleene logic: `None` is unknown. `and` is false if any operand is false, unknown if any is
unknown; `or` is true if any is true. Comparisons with an unknown operand are unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from zhongchuang.engine.dates import add_months
from zhongchuang.engine.expr import (
    Add,
    AddDays,
    AddMonths,
    And,
    Cmp,
    Col,
    Ctx,
    Exists,
    Expr,
    IfNull,
    IsIn,
    IsNull,
    Known,
    ListHasAny,
    Lit,
    Not,
    Or,
    Param,
)

Row = Mapping[str, Any]


@dataclass
class Env:
    """What an expression may read besides its row: context, parameters, linked tables."""

    context: Mapping[str, Any]
    params: Mapping[str, Any]
    tables: Mapping[str, Sequence[Row]]
    _links: dict[tuple[str, str], dict[Any, list[Row]]] = field(default_factory=dict)

    def children(self, table: str, link: str, key: Any) -> list[Row]:
        index = self._links.get((table, link))
        if index is None:
            index = {}
            for row in self.tables.get(table, ()):
                index.setdefault(row.get(link), []).append(row)
            self._links[(table, link)] = index
        return index.get(key, [])


Compiled = Callable[[Row, Env], Any]

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "ge": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "le": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}


def kleene_and(values: Sequence[Any]) -> bool | None:
    if any(value is False for value in values):
        return False
    return None if any(value is None for value in values) else True


def kleene_or(values: Sequence[Any]) -> bool | None:
    if any(value is True for value in values):
        return True
    return None if any(value is None for value in values) else False


def compile_row(expr: Expr) -> Compiled:
    match expr:
        case Col(name):
            return lambda row, env: row.get(name)
        case Lit(value):
            return lambda row, env: value
        case Param(name):
            return lambda row, env: env.params[name]
        case Ctx(name):
            return lambda row, env: env.context[name]
        case Cmp(op, left, right):
            compare, get_left, get_right = _COMPARE[op], compile_row(left), compile_row(right)

            def _cmp(row: Row, env: Env) -> bool | None:
                a, b = get_left(row, env), get_right(row, env)
                return None if a is None or b is None else compare(a, b)

            return _cmp
        case And(items):
            parts = [compile_row(item) for item in items]
            return lambda row, env: kleene_and([part(row, env) for part in parts])
        case Or(items):
            parts = [compile_row(item) for item in items]
            return lambda row, env: kleene_or([part(row, env) for part in parts])
        case Not(item):
            inner = compile_row(item)

            def _not(row: Row, env: Env) -> bool | None:
                value = inner(row, env)
                return None if value is None else not value

            return _not
        case IsNull(item):
            inner = compile_row(item)
            return lambda row, env: inner(row, env) is None
        case IsIn(item, values):
            get_item, get_values = compile_row(item), compile_row(values)

            def _in(row: Row, env: Env) -> bool | None:
                value = get_item(row, env)
                return None if value is None else value in get_values(row, env)

            return _in
        case Add(left, right):
            get_left, get_right = compile_row(left), compile_row(right)

            def _add(row: Row, env: Env) -> Any:
                a, b = get_left(row, env), get_right(row, env)
                return None if a is None or b is None else a + b

            return _add
        case AddMonths(item, months):
            get_day, get_months = compile_row(item), compile_row(months)

            def _add_months(row: Row, env: Env) -> date | None:
                day, n = get_day(row, env), get_months(row, env)
                return None if day is None or n is None else add_months(day, int(n))

            return _add_months
        case AddDays(item, days):
            get_day, get_days = compile_row(item), compile_row(days)

            def _add_days(row: Row, env: Env) -> date | None:
                day, n = get_day(row, env), get_days(row, env)
                return None if day is None or n is None else day + timedelta(days=int(n))

            return _add_days
        case ListHasAny(column, values):
            get_values = compile_row(values)

            def _has_any(row: Row, env: Env) -> bool | None:
                present = row.get(column)
                if present is None:
                    return None
                wanted = get_values(row, env)
                return any(value in present for value in (wanted if isinstance(wanted, tuple) else (wanted,)))

            return _has_any
        case Known(item):
            inner = compile_row(item)
            return lambda row, env: True if inner(row, env) is True else None
        case IfNull(item, fallback):
            get_item, get_fallback = compile_row(item), compile_row(fallback)

            def _if_null(row: Row, env: Env) -> Any:
                value = get_item(row, env)
                return get_fallback(row, env) if value is None else value

            return _if_null
        case Exists(table, link, where):
            condition = compile_row(where)

            def _exists(row: Row, env: Env) -> bool | None:
                return kleene_or([condition(child, env) for child in env.children(table, link, row["id"])])

            return _exists
    raise TypeError(f"not an expression node: {expr!r}")
