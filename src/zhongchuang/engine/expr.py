"""The closed vocabulary in which every row-level fact is defined, once.

An expression is a small immutable tree. Two backends read the same tree:
`rowwise.compile_row` turns it into a Python closure over one row (the single path, which
also explains itself), `columnar.compile_column` into a polars expression over a whole
population (the batch path). Logic is three-valued (Kleene), as polars is natively: `None`
means "unknown because a fact is missing", which the engine reports as `missing_data`,
never as a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

CompareOp = Literal["ge", "gt", "le", "lt", "eq", "ne"]
ContextDate = Literal[
    "as_of",  # the reference date R
    "window_start",  # exclusive start of the year window (近一年 / cultivation year)
    "window_end",  # inclusive end of the year window
    "prev_window_start",
    "prev_window_end",
    "period_start",  # inclusive start of a whole cultivation period
    "period_end",  # inclusive end of a whole cultivation period
]
ContextValue = Literal["notice_month"]  # "YYYY-MM" of the month the call was published
Scalar = bool | int | str | date | None


class Expr:
    """Base class with operator sugar so definitions read like the clause."""

    __slots__ = ()

    def __and__(self, other: Expr) -> Expr:
        return And((self, other))

    def __or__(self, other: Expr) -> Expr:
        return Or((self, other))

    def __invert__(self) -> Expr:
        return Not(self)

    def __ge__(self, other: Expr | Scalar) -> Expr:
        return Cmp("ge", self, lift(other))

    def __gt__(self, other: Expr | Scalar) -> Expr:
        return Cmp("gt", self, lift(other))

    def __le__(self, other: Expr | Scalar) -> Expr:
        return Cmp("le", self, lift(other))

    def __lt__(self, other: Expr | Scalar) -> Expr:
        return Cmp("lt", self, lift(other))

    def __add__(self, other: Expr | Scalar) -> Expr:
        return Add(self, lift(other))

    def eq(self, other: Expr | Scalar) -> Expr:
        return Cmp("eq", self, lift(other))

    def ne(self, other: Expr | Scalar) -> Expr:
        return Cmp("ne", self, lift(other))

    def is_in(self, values: Expr | tuple[Scalar, ...]) -> Expr:
        return IsIn(self, values if isinstance(values, Expr) else Lit(values))

    def is_null(self) -> Expr:
        return IsNull(self)

    def add_months(self, months: Expr | int) -> Expr:
        return AddMonths(self, lift(months))

    def add_days(self, days: Expr | int) -> Expr:
        return AddDays(self, lift(days))

    def within(self, start: Expr, end: Expr) -> Expr:
        """start < self ≤ end: the half-open windows of DOMAIN.md §7.1, e.g. (R − 12 months, R]."""
        return And((Cmp("gt", self, start), Cmp("le", self, end)))


@dataclass(frozen=True, eq=False, slots=True)
class Col(Expr):
    """A column of the row being evaluated."""

    name: str


@dataclass(frozen=True, eq=False, slots=True)
class Lit(Expr):
    value: Scalar | tuple[Scalar, ...]


@dataclass(frozen=True, eq=False, slots=True)
class Param(Expr):
    """A policy parameter, resolved at the reference date (thresholds, windows, vocabularies)."""

    name: str


@dataclass(frozen=True, eq=False, slots=True)
class Ctx(Expr):
    """A date or value of the evaluation context (R, the year window…)."""

    name: ContextDate | ContextValue


@dataclass(frozen=True, eq=False, slots=True)
class Cmp(Expr):
    op: CompareOp
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False, slots=True)
class And(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, eq=False, slots=True)
class Or(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, eq=False, slots=True)
class Not(Expr):
    item: Expr


@dataclass(frozen=True, eq=False, slots=True)
class IsNull(Expr):
    item: Expr


@dataclass(frozen=True, eq=False, slots=True)
class IsIn(Expr):
    item: Expr
    values: Expr


@dataclass(frozen=True, eq=False, slots=True)
class Add(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False, slots=True)
class AddMonths(Expr):
    """Calendar-month arithmetic, clamped to the month's last day (relativedelta semantics)."""

    item: Expr
    months: Expr


@dataclass(frozen=True, eq=False, slots=True)
class AddDays(Expr):
    item: Expr
    days: Expr


@dataclass(frozen=True, eq=False, slots=True)
class ListHasAny(Expr):
    """A list column (e.g. evidence kinds, insured months) holds at least one of `values` (or the one value)."""

    column: str
    values: Expr


@dataclass(frozen=True, eq=False, slots=True)
class Exists(Expr):
    """Some row of `table` linked to this row (table.link == this.id) satisfies `where`.

    Three-valued: true if one child satisfies it, unknown if none does but one is unknown.
    """

    table: str
    link: str
    where: Expr


@dataclass(frozen=True, eq=False, slots=True)
class IfNull(Expr):
    """`item`, or `fallback` where `item` is unknown (e.g. a team has no founding date)."""

    item: Expr
    fallback: Expr


@dataclass(frozen=True, eq=False, slots=True)
class Known(Expr):
    """True where `item` is true, unknown otherwise: evidence that is absent is missing, not false."""

    item: Expr


TRUE = Lit(True)


def lift(value: Expr | Scalar) -> Expr:
    return value if isinstance(value, Expr) else Lit(value)


def col(name: str) -> Col:
    return Col(name)


def param(name: str) -> Param:
    return Param(name)


def ctx(name: ContextDate | ContextValue) -> Ctx:
    return Ctx(name)


def all_of(*items: Expr) -> Expr:
    return items[0] if len(items) == 1 else And(items)


def any_of(*items: Expr) -> Expr:
    return items[0] if len(items) == 1 else Or(items)


def has_evidence(*kinds: str) -> Expr:
    """The row points to a document of one of `kinds`; absent evidence is missing data."""
    return Known(ListHasAny("evidence_kinds", Lit(kinds)))


def walk(expr: Expr) -> list[Expr]:
    """Every node of the tree, outermost first (used to find columns, params and sub-queries)."""
    out: list[Expr] = [expr]
    match expr:
        case Cmp(_, left, right) | Add(left, right):
            out += walk(left) + walk(right)
        case And(items) | Or(items):
            for item in items:
                out += walk(item)
        case Not(item) | IsNull(item) | Known(item):
            out += walk(item)
        case AddDays(item, days):
            out += walk(item) + walk(days)
        case IsIn(item, values):
            out += walk(item) + walk(values)
        case AddMonths(item, months):
            out += walk(item) + walk(months)
        case IfNull(item, fallback):
            out += walk(item) + walk(fallback)
        case ListHasAny(_, values):
            out += walk(values)
        case Exists():
            pass  # the sub-query runs on another table
    return out


def columns_of(expr: Expr) -> list[str]:
    """Columns of this row that `expr` reads, in order, for "missing: …" explanations."""
    names: list[str] = []
    for node in walk(expr):
        name = node.name if isinstance(node, Col) else node.column if isinstance(node, ListHasAny) else None
        if name and name not in names:
            names.append(name)
    return names


def params_of(expr: Expr) -> set[str]:
    names = {node.name for node in walk(expr) if isinstance(node, Param)}
    for node in walk(expr):
        if isinstance(node, Exists):
            names |= params_of(node.where)
    return names
