"""The fast path of the import: list sheets read as text columns (fastexcel), converted a column at a
time (polars), and rows certified valid so the facts format need not validate them one by one.

Why: calamine's `to_python` builds a typed Python object per cell and the per-cell converters then
look at each of them; for a 10,000-row sheet that is most of an import. fastexcel reads the same
file (calamine underneath) straight into Arrow text columns, and polars converts the common cells
of a column at once.

Exactness is kept by sorting every non-blank cell into one of three kinds:

- **plain**: text whose converted value is the same whatever the cell held (a text cell or a
  number, date or boolean shown as text): converted here, a column at a time;
- **unambiguous**: other text that can only have come from a text cell (numbers, dates and
  booleans are never shown that way): given to the per-cell converter (cells.py) as it is;
- **ambiguous**: text that might be how a typed cell is shown ("45000", "true",
  "2024-03-01 00:00:00" in a text column…): the sheet is then read with calamine as well and the
  per-cell converter gets the typed value, exactly as the slow path would.

Certification (`row_suspicion`) marks the rows the facts format must still validate: those with a
cell outside the plain path, a required value missing, or a value whose field has a constraint
that is not checked here. Every other row is valid by construction (the converters produce the
field's type; ids, USCCs and choices are checked here), so skipping its validation loses nothing.
"""

from __future__ import annotations

import re
import threading
import types
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import polars as pl
from pydantic import BaseModel
from pydantic.functional_validators import AfterValidator

from zhongchuang.facts.models import Facts
from zhongchuang.identifiers import ALPHABET, AUTHORITY_CODES, WEIGHTS
from zhongchuang.tabular.cells import PLACEHOLDERS
from zhongchuang.tabular.layout import EXAMPLE_MARK, Field, Sheet, find_sheet

# How fastexcel shows typed cells as text: numbers, booleans, dates and times, durations, errors.
_AMBIGUOUS = (
    r"^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:inf|NaN)|true|false"
    r"|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|-?\d+:\d{2}.*|P[0-9T].*|#.*)$"
)
_PLAIN_INT = r"^(?:0|[1-9]\d{0,14})$"  # at most 15 digits: a number cell shows them exactly
_PLAIN_DECIMAL = r"^(?:(?:0|[1-9]\d{0,14})|(?:0|[1-9]\d{0,13})\.\d{0,13}[1-9])$"
_PLAIN_DATE = r"^\d{4}-\d{2}-\d{2}(?: 00:00:00)?$"
_NEEDS_CARE = r"^[=+\-@'#]"
_PRINTABLE_ASCII = r"^[\x21-\x7e]+$"
# No number, boolean, date, time, duration, error or formula starts with these; no placeholder either.
_PLAIN_TEXT = r"(?s)^[^\s0-9+\-.=@'#/PtfiNn\x00-\x1f\u2014\uff0d](?:.*[^\s\x00-\x1f])?$"
_AMBIGUOUS_RE = re.compile(_AMBIGUOUS)
# Below this many rows a sheet is read cell by cell (calamine): setting up column operations costs more.
FAST_FROM_ROWS = 200
_BOOLS = {"是": True, "否": False, "true": True, "false": False}


@dataclass
class Frame:
    """One sheet as text columns; `columns[i]` is the frame column of Excel column i (0 = A)."""

    data: pl.DataFrame
    columns: dict[int, str]

    @property
    def height(self) -> int:
        return self.data.height

    def head_rows(self, count: int) -> list[list[Any]]:
        """The first rows as lists indexed by Excel column, "" for blank cells (as calamine shows them)."""
        width = max(self.columns, default=-1) + 1
        head = self.data.head(count)
        rows: list[list[Any]] = [[""] * width for _ in range(head.height)]
        for col, name in self.columns.items():
            for row, value in zip(rows, head.get_column(name).to_list(), strict=True):
                if value is not None:
                    row[col] = value
        return rows


class FrameBook:
    """A workbook opened with fastexcel; None from `open` when it cannot be (the slow path reads it).

    The sheets of ours are read in a background thread, in workbook order, as soon as the book is
    open: fastexcel parses without holding the GIL, so a big sheet is parsed while this thread
    opens the workbook with calamine and converts the sheets before it.
    """

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.loading: dict[str, Future[Frame | None]] = {}
        self.pool: ThreadPoolExecutor | None = None

    @classmethod
    def open(cls, content: bytes) -> FrameBook | None:
        try:
            import fastexcel

            book = cls(fastexcel.read_excel(content))
        except Exception:  # any file fastexcel cannot take is read by calamine alone
            return None
        names = [name for name in book.reader.sheet_names if find_sheet(name) is not None]
        if names:
            book.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zc-sheets")
            book.loading = {name: book.pool.submit(book._load, name) for name in names}
        return book

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def frame(self, name: str) -> Frame | None:
        """The sheet as text columns; None when it cannot be read so, or is small enough for the slow path."""
        loading = self.loading.get(name)
        return loading.result() if loading is not None else self._load(name)

    def _load(self, name: str) -> Frame | None:
        try:
            sheet = self.reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            if sheet.height < FAST_FROM_ROWS:
                return None
            columns = {info.absolute_index: info.name for info in sheet.available_columns()}
            data = sheet.to_polars()
        except Exception:
            return None
        return Frame(data, columns)


@dataclass
class Converted:
    """A column converted: values (None where blank or not plain) and the rows needing a closer look."""

    values: list[Any]
    unambiguous: list[int]  # frame rows whose text goes to the per-cell converter as it is
    ambiguous: list[int]  # frame rows whose typed value (calamine) goes to the per-cell converter


def _plain(fld: Field, v: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(is plain, plain value) for a text column `v` of this field (cheap tests, no false positives)."""
    kind = fld.kind
    if kind == "date":
        parsed = v.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        return v.str.contains(_PLAIN_DATE) & parsed.is_not_null(), v.str.slice(0, 10)
    if kind == "int":
        plain = v.str.contains(_PLAIN_INT)
        return plain, pl.when(plain).then(v).cast(pl.Int64, strict=False)
    if kind == "decimal":
        return v.str.contains(_PLAIN_DECIMAL), v
    if kind == "bool":
        return v.is_in(list(_BOOLS)), v.replace_strict(_BOOLS, default=None, return_dtype=pl.Boolean)
    if kind == "choice":
        direct = {label: value for value, label in fld.choices} | {value: value for value, _ in fld.choices}
        return v.is_in(list(direct)), v.replace_strict(direct, default=None, return_dtype=pl.String)
    if kind == "list":
        return pl.lit(False), v
    if fld.is_code:  # codes fold full-width forms and drop spaces: printable ASCII needs neither
        return (
            v.str.contains(_PRINTABLE_ASCII) & ~v.str.contains(_AMBIGUOUS) & ~v.str.contains(_NEEDS_CARE)
        ), v
    # Text: a first character that no number, date, boolean or formula starts with, no outer spaces.
    return v.str.contains(_PLAIN_TEXT) & ~v.is_in(list(PLACEHOLDERS)), v


# --- certification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    kind: str  # "ok" (the converter yields a valid value), "length", "uscc", "never" (validate the row)
    low: int = 0
    high: int = 0


@dataclass
class Certificate:
    """How to certify one list sheet's rows (None when its rows are always validated)."""

    checks: dict[str, _Check]  # field key → check
    required: set[str]  # field keys that must hold a value (top-level required fields)
    groups: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    # nested object → (keys of its fields in the sheet, keys of its required fields)


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """(base type, Annotated extras) of `X | None` and Annotated[X, …]."""
    extras: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            inner, *more = get_args(annotation)
            annotation, extras = inner, [*extras, *more]
        elif origin in (Union, types.UnionType):
            args = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation, extras
            annotation = args[0]
        else:
            return annotation, extras


def _check_for(fld: Field, annotation: Any, metadata: list[Any]) -> _Check:
    base, extras = _unwrap(annotation)
    extras = [*extras, *metadata]
    if not extras:
        if base in (str, bool, date, int):
            return _Check("ok")
        if get_origin(base) is Literal and fld.kind == "choice":
            allowed = set(get_args(base))
            return _Check("ok") if all(value in allowed for value, _ in fld.choices) else _Check("never")
        return _Check("never")
    if base is str and len(extras) == 1:
        (extra,) = extras
        if isinstance(extra, AfterValidator) and getattr(extra.func, "__name__", "") == "_check_uscc":
            return _Check("uscc")
        constraints = {
            name: getattr(extra, name, None)
            for name in ("strip_whitespace", "to_upper", "to_lower", "strict", "pattern")
        }
        low, high = getattr(extra, "min_length", None), getattr(extra, "max_length", None)
        if type(extra).__name__ == "StringConstraints" and not any(constraints.values()):
            return _Check("length", low or 0, high if high is not None else 1 << 30)
    return _Check("never")


def _nested_model(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    base, _extras = _unwrap(model.model_fields[key].annotation)
    return base if isinstance(base, type) and issubclass(base, BaseModel) else None


_CERTIFICATES: dict[str, Certificate | None] = {}


def certificate(sheet: Sheet) -> Certificate | None:
    """The certificate of a top-level list sheet; None when its rows must always be validated."""
    if sheet.name in _CERTIFICATES:
        return _CERTIFICATES[sheet.name]
    _CERTIFICATES[sheet.name] = found = _certificate(sheet)
    return found


def _certificate(sheet: Sheet) -> Certificate | None:
    table = sheet.table
    if table is None or table.parent or table.location != (table.name,):
        return None
    if any(other.table is not None and other.table.parent == table.name for other in _sheets()):
        return None  # children are added to the rows later: validate those lists whole
    top = Facts.model_fields.get(table.name)
    listed = get_args(top.annotation) if top is not None and get_origin(top.annotation) is list else ()
    if top is None or top.metadata or listed != (table.item,):
        return None
    model = table.item
    checks: dict[str, _Check] = {}
    required: set[str] = set()
    groups: dict[str, tuple[set[str], set[str]]] = {}
    covered: dict[str, set[str]] = {}  # model path prefix ("" or the nested key) → field names in the sheet
    for fld in sheet.fields:
        path = ("id",) if fld.key == "id" else (fld.column.path if fld.column is not None else ())
        if not path or len(path) > 2 or path[0] not in model.model_fields:
            return None
        if len(path) == 1:
            info = model.model_fields[path[0]]
            if info.is_required():
                required.add(fld.key)
            covered.setdefault("", set()).add(path[0])
        else:
            nested = _nested_model(model, path[0])
            if nested is None or path[1] not in nested.model_fields:
                return None
            info = nested.model_fields[path[1]]
            keys, needed = groups.setdefault(path[0], (set(), set()))
            keys.add(fld.key)
            if info.is_required():
                needed.add(fld.key)
            covered.setdefault(path[0], set()).add(path[1])
        checks[fld.key] = _check_for(fld, info.annotation, list(info.metadata))
    # A required field the sheet has no column for: every row (or every row with that object) fails.
    for name, info in model.model_fields.items():
        if info.is_required() and name not in covered.get("", set()):
            return None
    for prefix in groups:
        nested = _nested_model(model, prefix)
        assert nested is not None
        for name, info in nested.model_fields.items():
            if info.is_required() and name not in covered.get(prefix, set()):
                return None
    return Certificate(checks, required, groups)


def _sheets() -> tuple[Sheet, ...]:
    from zhongchuang.tabular.layout import SHEETS

    return SHEETS


# A character's value is its place in the alphabet: an Enum's physical code (not in it: null).
_USCC_CHARACTER = pl.Enum(list(ALPHABET))
_USCC_SHAPE = r"^[" + ALPHABET + r"]{18}$"


def _uscc_ok(v: pl.Expr) -> pl.Expr:
    """The code is a valid USCC as written (upper case, no separators); anything else is validated."""
    values = [
        v.str.slice(position, 1).cast(_USCC_CHARACTER, strict=False).to_physical().cast(pl.Int64)
        for position in range(18)
    ]
    total = pl.sum_horizontal([value * weight for value, weight in zip(values[:17], WEIGHTS, strict=True)])
    expected = (31 - total % 31) % 31
    shaped = v.str.contains(_USCC_SHAPE) & v.str.slice(0, 1).is_in(sorted(AUTHORITY_CODES))
    return shaped & (values[17] == expected)


def _suspicion(cert: Certificate, values: dict[str, pl.Expr]) -> pl.Expr | None:
    """True for a row the facts format must validate, from the plain values of its fields (by key)."""
    conditions: list[pl.Expr] = []
    for key, check in cert.checks.items():
        v = values.get(key)
        if v is None:
            continue
        if check.kind == "never":
            conditions.append(v.is_not_null())
        elif check.kind == "length":
            length = v.cast(pl.String).str.len_chars()
            conditions.append(v.is_not_null() & ((length < check.low) | (length > check.high)))
        elif check.kind == "uscc":
            conditions.append(v.is_not_null() & ~_uscc_ok(v.cast(pl.String)))
    for key in cert.required:
        v = values.get(key)
        conditions.append(v.is_null() if v is not None else pl.lit(True))
    for group_keys, needed in cert.groups.values():
        shown = [values[key].is_not_null() for key in group_keys if key in values]
        if not shown:
            continue
        present = pl.any_horizontal(shown)
        for key in needed:
            v = values.get(key)
            conditions.append(present & (v.is_null() if v is not None else pl.lit(True)))
    return pl.any_horizontal(conditions).fill_null(True) if conditions else None


def _example(names: dict[int, str], first_col: int) -> pl.Expr:
    """The example row: its first column, or its first non-blank cell, starts with the example mark."""
    non_empty = [pl.when(pl.col(name) != "").then(pl.col(name)) for name in names.values()]
    first_value = pl.coalesce(non_empty) if non_empty else pl.lit(None, dtype=pl.String)
    first_cell = pl.col(names[first_col]) if first_col in names else pl.lit(None, dtype=pl.String)
    return first_cell.str.strip_chars().str.starts_with(EXAMPLE_MARK).fill_null(False) | (
        first_value.str.strip_chars().str.starts_with(EXAMPLE_MARK).fill_null(False)
    )


@dataclass
class Columns:
    """A list sheet's kept rows, converted: see `convert_sheet`."""

    rows: list[int]  # frame row (0-based Excel row) of each kept row
    converted: list[Converted]  # per field, indexed like `rows`
    texts: Callable[[int, list[int]], list[Any]]  # field index, kept-row indices → their text
    certified: Future[list[bool]] | None  # per kept row, must it be validated (a certified sheet)


def convert_sheet(
    frame: Frame,
    fields: list[tuple[Field, int]],
    *,
    data_from: int,
    skip: set[int],
    first_col: int,
    cert: Certificate | None,
) -> Columns:
    """Keep the data rows (not blank in our columns, not the example, not in `skip`), convert every
    field's plain cells, find the rest, and certify rows — a few passes of polars over the sheet.

    An eager select shares no common subexpressions, so each pass uses the columns the one before
    made instead of repeating its work: a column's plain test runs once, not once per use.
    """
    data, names = frame.data, frame.columns
    present = [(index, fld, names[col]) for index, (fld, col) in enumerate(fields) if col in names]
    at = pl.int_range(pl.len(), dtype=pl.Int64)
    exprs = [at.alias("_row"), _example(names, first_col).alias("_example")]
    for index, fld, name in present:
        v = pl.col(name)
        plain, value = _plain(fld, v)
        exprs += [
            (v.is_not_null() & (v != "")).alias(f"f{index}"),
            pl.when(plain).then(value).alias(f"v{index}"),
        ]
    filled = [pl.col(f"f{index}") for index, _fld, _name in present]
    row = pl.col("_row")
    keep = (
        (pl.any_horizontal(filled) if filled else pl.lit(False))
        & ~pl.col("_example")
        & (row >= data_from)
        & ~row.is_in(sorted(skip))
    )
    out = data.select(exprs).filter(keep)
    # A filled cell is plain exactly when it has a plain value (a plain value is never null).
    out = out.with_columns(
        (pl.col(f"f{index}") & pl.col(f"v{index}").is_null()).alias(f"n{index}") for index, *_ in present
    )
    values = {fld.key: pl.col(f"v{index}") for index, fld, _name in present}
    certified = _certify(out, cert, values) if cert is not None else None
    rows: list[int] = out.get_column("_row").to_list()
    converted: list[Converted] = []
    by_index = {index: name for index, _fld, name in present}
    for index in range(len(fields)):
        if index not in by_index:
            converted.append(Converted([None] * len(rows), [], []))
            continue
        others = out.get_column(f"n{index}")
        unambiguous: list[int] = []
        ambiguous: list[int] = []
        if others.any():
            column = data.get_column(by_index[index])
            for kept in others.arg_true().to_list():
                (ambiguous if _AMBIGUOUS_RE.match(column[rows[kept]]) else unambiguous).append(kept)
        converted.append(Converted(out.get_column(f"v{index}").to_list(), unambiguous, ambiguous))

    def texts(index: int, kept: list[int]) -> list[Any]:
        column = data.get_column(by_index[index])
        return [column[rows[at]] for at in kept]

    return Columns(rows, converted, texts, certified)


def _certify(out: pl.DataFrame, cert: Certificate, values: dict[str, pl.Expr]) -> Future[list[bool]]:
    """Each kept row's suspicion, worked out in a thread of its own while this one turns the columns
    into Python values: polars computes without the GIL, so the two overlap on two cores."""
    certified: Future[list[bool]] = Future()

    def work() -> None:
        try:
            suspicion = _suspicion(cert, values)
            flags = [False] * out.height if suspicion is None else out.select(suspicion).to_series().to_list()
            certified.set_result(flags)
        except BaseException as error:  # handed to whoever waits for the result
            certified.set_exception(error)

    threading.Thread(target=work, name="zc-certify", daemon=True).start()
    return certified


TypedRows = Callable[[], list[list[Any]]]
