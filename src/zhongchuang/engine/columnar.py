"""The population backend: the same expressions as `rowwise`, compiled to polars.

Every table carries `space_id`; row ids are unique only within a space, so links join on
(space_id, id). polars' boolean operators are Kleene, like `rowwise`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

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
    walk,
)

_COMPARE = {
    "ge": pl.Expr.__ge__,
    "gt": pl.Expr.__gt__,
    "le": pl.Expr.__le__,
    "lt": pl.Expr.__lt__,
    "eq": pl.Expr.__eq__,
    "ne": pl.Expr.__ne__,
}


class ColumnCompiler:
    """Compiles expressions against a population of tables for one context and parameter set."""

    def __init__(
        self, tables: Mapping[str, pl.LazyFrame], context: Mapping[str, Any], params: Mapping[str, Any]
    ) -> None:
        self.tables = tables
        self.context = context
        self.params = params
        self._exists_names: dict[int, str] = {}

    def constant(self, expr: Expr) -> Any:
        match expr:
            case Lit(value):
                return value
            case Param(name):
                return self.params[name]
            case Ctx(name):
                return self.context[name]
        raise TypeError(f"expected a constant, got {expr!r}")

    def frame_with(self, table: str, exprs: Mapping[str, Expr]) -> pl.LazyFrame:
        """`table` with one column per named expression (sub-queries joined in first)."""
        frame = self.tables[table]
        for expr in exprs.values():
            for node in walk(expr):
                if isinstance(node, Exists) and id(node) not in self._exists_names:
                    frame = self._join_exists(frame, node)
        return frame.with_columns(**{name: self.compile(expr) for name, expr in exprs.items()})

    def _join_exists(self, frame: pl.LazyFrame, node: Exists) -> pl.LazyFrame:
        name = f"__exists_{len(self._exists_names)}"
        child = self.frame_with(node.table, {"__where": node.where})
        # A link to space_id asks about the whole space; any other link points at a row id.
        keys = ["space_id"] if node.link == "space_id" else ["space_id", node.link]
        found = child.group_by(*keys).agg(
            (pl.col("__where") == True).any().alias("__t"),  # noqa: E712 - polars comparison
            pl.col("__where").is_null().any().alias("__u"),
        )
        self._exists_names[id(node)] = name
        parent_keys = ["space_id"] if node.link == "space_id" else ["space_id", "id"]
        joined = frame.join(found, left_on=parent_keys, right_on=keys, how="left")
        return joined.with_columns(
            pl.when(pl.col("__t")).then(True).when(pl.col("__u")).then(None).otherwise(False).alias(name)
        ).drop("__t", "__u")

    def compile(self, expr: Expr) -> pl.Expr:
        match expr:
            case Col(name):
                return pl.col(name)
            case Lit(value) if isinstance(value, tuple):
                raise TypeError("a list literal is only allowed inside is_in / has_any")
            case Lit() | Param() | Ctx():
                return _literal(self.constant(expr))
            case Cmp(op, left, right):
                result: pl.Expr = _COMPARE[op](self.compile(left), self.compile(right))
                return result
            case And(items):
                return pl.all_horizontal(*(self.compile(item) for item in items)) if items else pl.lit(True)
            case Or(items):
                return pl.any_horizontal(*(self.compile(item) for item in items)) if items else pl.lit(False)
            case Not(item):
                return ~self.compile(item)
            case IsNull(item):
                return self.compile(item).is_null()
            case IsIn(item, values):
                inner = self.compile(item)
                return pl.when(inner.is_null()).then(None).otherwise(inner.is_in(list(self.constant(values))))
            case Add(left, right):
                return self.compile(left) + self.compile(right)
            case AddMonths(item, months):
                return self.compile(item).dt.offset_by(f"{int(self.constant(months))}mo")
            case AddDays(item, days):
                return self.compile(item).dt.offset_by(f"{int(self.constant(days))}d")
            case ListHasAny(column, values):
                constant = self.constant(values)
                wanted = list(constant) if isinstance(constant, tuple | list) else [constant]
                if not wanted:
                    return pl.when(pl.col(column).is_null()).then(None).otherwise(False)
                return pl.any_horizontal(*(pl.col(column).list.contains(pl.lit(value)) for value in wanted))
            case Known(item):
                return pl.when(self.compile(item) == True).then(True).otherwise(None)  # noqa: E712
            case IfNull(item, fallback):
                return pl.coalesce(self.compile(item), self.compile(fallback))
            case Exists():
                return pl.col(self._exists_names[id(expr)])
        raise TypeError(f"not an expression node: {expr!r}")


def _literal(value: Any) -> pl.Expr:
    if isinstance(value, bool):
        return pl.lit(value, dtype=pl.Boolean)
    if isinstance(value, date):
        return pl.lit(value, dtype=pl.Date)
    return pl.lit(value)
