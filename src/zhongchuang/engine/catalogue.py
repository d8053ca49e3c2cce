"""Named facts: the row sets and columns that policy files refer to by name.

A policy file says *what* is counted and against which threshold; a named fact says *which*
rows count, in the expression vocabulary of `expr`, with a label, the clause it restates and,
for every condition, the reason shown when a row is left out. Definitions live in
`zhongchuang.engine.named`; this module only holds the types and the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zhongchuang.engine.expr import TRUE, Expr, all_of, columns_of, params_of

Bilingual = tuple[str, str]
Figure = Callable[[Mapping[str, Any], Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Condition:
    """One test a row must pass, and how to say why a row failed it.

    `why_not` templates may use `{name}`, any column of the row, parameters, context dates,
    and the `figures`: functions of (row, context) computed for the explanation only, never
    for the status, so the batch path needs no copy of them.
    """

    id: str
    test: Expr
    why_not: Bilingual
    figures: Mapping[str, Figure] = field(default_factory=dict)


@dataclass(frozen=True)
class RowSet:
    """The rows of `table` in `scope` that pass every condition.

    `scope` says which rows are considered at all (e.g. incubatees in incubation at R);
    rows in scope that fail a condition are reported as excluded, with the reason.
    """

    id: str
    table: str
    label: Bilingual
    doc: str
    scope: Expr = TRUE
    conditions: tuple[Condition, ...] = ()
    unit: Bilingual = ("个", "")

    @property
    def where(self) -> Expr:
        return all_of(self.scope, *(condition.test for condition in self.conditions))

    def condition(self, condition_id: str) -> Condition:
        for condition in self.conditions:
            if condition.id == condition_id:
                return condition
        raise KeyError(condition_id)

    def params(self) -> set[str]:
        return params_of(self.where)

    def columns(self) -> list[str]:
        return columns_of(self.where)

    def extend(
        self, id: str, label: Bilingual, doc: str, *conditions: Condition, unit: Bilingual | None = None
    ) -> RowSet:
        """The same rows narrowed by more conditions (e.g. counted incubatees → those in focus)."""
        return RowSet(id, self.table, label, doc, self.scope, self.conditions + conditions, unit or self.unit)


@dataclass(frozen=True)
class Quantity:
    """A numeric column that can be summed, with its unit and storage scale (0.01 m², fen)."""

    column: str
    label: Bilingual
    unit: Bilingual
    scale: int = 1


ROW_SETS: dict[str, RowSet] = {}
QUANTITIES: dict[str, Quantity] = {}


def register(*row_sets: RowSet) -> None:
    for row_set in row_sets:
        if row_set.id in ROW_SETS:
            raise ValueError(f"row set {row_set.id!r} defined twice")
        ROW_SETS[row_set.id] = row_set


def register_quantity(*quantities: Quantity) -> None:
    for quantity in quantities:
        QUANTITIES[quantity.column] = quantity


def row_set(name: str) -> RowSet:
    _load_definitions()
    return ROW_SETS[name]


def all_row_sets() -> Mapping[str, RowSet]:
    _load_definitions()
    return ROW_SETS


def quantity(column: str) -> Quantity:
    _load_definitions()
    return QUANTITIES[column]


def all_quantities() -> Mapping[str, Quantity]:
    _load_definitions()
    return QUANTITIES


def _load_definitions() -> None:
    import zhongchuang.engine.named  # noqa: F401 - registers every definition on import
