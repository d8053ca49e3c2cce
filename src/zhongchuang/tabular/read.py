"""Reading a filled workbook (.xlsx or .xls, through calamine) into facts data and every problem.

Sheets are found by name (ours are read even when hidden, others are ignored when hidden), and
failing that by their headers. In a sheet the header row is found by matching labels, so a title
row above it, merged header cells, extra blank columns, the notes and example rows and trailing
blank rows are all tolerated. Each cell is converted on its own (cells.py); the assembled data is
then checked by the facts format itself and its problems are mapped back to sheet, row and column.
Nothing is partial: the caller saves nothing while `problems` is not empty.

Big list sheets take a fast path with the same outcome (fast.py): read as text columns, converted a
column at a time, odd cells handed to the same per-cell converters, and only the rows that could
fail given to the facts format (the others are certified valid while they are read).
"""

from __future__ import annotations

import gc
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import python_calamine
from pydantic import ValidationError

from zhongchuang.errors import Problem, ZhongchuangError
from zhongchuang.facts.load import LINKS as LINK_RULES
from zhongchuang.facts.load import RANGES as RANGE_RULES
from zhongchuang.facts.load import problems_from_validation
from zhongchuang.facts.models import FORMAT_VERSION, Facts
from zhongchuang.tabular.cells import BLANK, CellError, cell_text, column_converter, converter
from zhongchuang.tabular.fast import Frame, FrameBook, certificate, convert_sheet
from zhongchuang.tabular.layout import (
    EXAMPLE_MARK,
    PROFILE_HEADERS,
    SHEETS,
    SHEETS_BY_TABLE,
    Field,
    Sheet,
    find_sheet,
    normalise_label,
)

HEADER_SEARCH_ROWS = 20
NOTE_MARKS = ("必填 / required", "选填 / optional")
ID_ALIASES = ("编号", "序号", "id")


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int  # the Excel row number (1-based); 0 when the problem is the sheet's, not a row's
    column: str  # the column letter; "" when the column is missing altogether
    header: str
    value: str
    zh: str
    en: str

    @property
    def where_zh(self) -> str:
        parts = [f"“{self.sheet}”" if self.sheet else "工作簿"]
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"{self.column} 列")
        if self.header:
            parts.append(f"（{self.header}）")
        return " ".join(parts)

    @property
    def where_en(self) -> str:
        parts = [f"sheet {self.sheet!r}" if self.sheet else "workbook"]
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = f"，值“{self.value}”" if self.value else ""
        return f"{self.where_zh}{value}：{self.zh} / {self.where_en}: {self.en}"


@dataclass
class WorkbookReading:
    data: dict[str, Any]
    problems: list[CellProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class WorkbookUnreadable(ZhongchuangError):
    """The file is not a workbook that can be opened at all (exit 2, an upload refused whole)."""

    def __init__(self, reason_zh: str, reason_en: str, where: str = "") -> None:
        super().__init__([Problem(where, reason_zh, reason_en)])
        self.reason_zh, self.reason_en = reason_zh, reason_en


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _Cell:
    row: int  # Excel row
    column: str  # letter, "" when the column is absent
    raw: Any


class _TypedRows:
    """A sheet's typed cells (calamine), read only when a cell's value is needed as it was typed."""

    def __init__(self, load: Callable[[], list[list[Any]]]) -> None:
        self._load = load
        self._rows: list[list[Any]] | None = None

    def row(self, index: int) -> list[Any]:
        if self._rows is None:
            self._rows = self._load()
        return self._rows[index] if index < len(self._rows) else []


@dataclass
class _Located:
    """Where one facts row came from: its sheet, Excel row, raw cells and the column of each field."""

    sheet: Sheet
    row: int
    raw: list[Any] | _TypedRows  # the row's cells, or the sheet's typed rows to find them in
    columns: dict[str, int]  # field key → column index

    def cell(self, key: str) -> _Cell | None:
        col = self.columns.get(key)
        if col is None:
            return None
        raw = self.raw if isinstance(self.raw, list) else self.raw.row(self.row - 1)
        return _Cell(self.row, column_letter(col), raw[col] if col < len(raw) else "")


@dataclass
class _Reader:
    problems: list[CellProblem] = field(default_factory=list)
    bad_cells: set[tuple[str, int, str]] = field(default_factory=set)  # (sheet, row, field key)
    missing_columns: dict[str, set[str]] = field(default_factory=dict)  # sheet → absent field keys
    # table → for each row, whether the facts format must validate it (tables read by the fast path)
    suspicious: dict[str, list[bool]] = field(default_factory=dict)

    def cell_problem(
        self, sheet: Sheet, actual_name: str, row: int, column: str, fld: Field, raw: Any, zh: str, en: str
    ) -> None:
        self.problems.append(CellProblem(actual_name, row, column, fld.label_zh, cell_text(raw), zh, en))
        self.bad_cells.add((sheet.name, row, fld.key))


# --- opening --------------------------------------------------------------------------------------


def _content(source: str | Path | bytes, filename: str) -> tuple[bytes, str]:
    where = filename or (str(source) if isinstance(source, str | Path) else "")
    if isinstance(source, str | Path):
        try:
            content = Path(source).read_bytes()
        except FileNotFoundError:
            raise WorkbookUnreadable("文件不存在", "file not found", where) from None
        except OSError as error:
            raise WorkbookUnreadable(
                f"无法读取文件：{error.strerror}", f"cannot read the file: {error.strerror}", where
            ) from None
    else:
        content = bytes(source)
    if not content:
        raise WorkbookUnreadable("文件为空", "the file is empty", where)
    return content, where


def _open(content: bytes, where: str) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except python_calamine.PasswordError:
        raise WorkbookUnreadable(
            "工作簿设有密码，请取消密码后再上传", "the workbook is password-protected", where
        ) from None
    except Exception:  # calamine raises several kinds for files it cannot parse; all mean the same here
        raise WorkbookUnreadable(
            "无法读取：不是有效的 Excel 工作簿（.xlsx 或 .xls）",
            "cannot read: not a valid Excel workbook (.xlsx or .xls)",
            where,
        ) from None


def _sheet_rows(book: python_calamine.CalamineWorkbook, name: str) -> list[list[Any]]:
    try:
        rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return rows
    except Exception:
        raise WorkbookUnreadable(f"无法读取工作表“{name}”", f"cannot read the sheet {name!r}", name) from None


# --- headers --------------------------------------------------------------------------------------


_LABEL_INDEXES: dict[str, dict[str, Field]] = {}


def _label_index(sheet: Sheet) -> dict[str, Field]:
    """Header text → field: the label, the label without its parenthesis, the English label.

    Made once per sheet of the template (it depends on nothing else): every file read looks up
    each of its sheets' headers in it.
    """
    if sheet.name not in _LABEL_INDEXES:
        _LABEL_INDEXES[sheet.name] = _new_label_index(sheet)
    return _LABEL_INDEXES[sheet.name]


def _new_label_index(sheet: Sheet) -> dict[str, Field]:
    index: dict[str, Field] = {}
    for fld in sheet.fields:
        index.setdefault(normalise_label(fld.label_zh), fld)
    for fld in sheet.fields:
        short = re.split(r"[（(]", fld.label_zh, maxsplit=1)[0]
        index.setdefault(normalise_label(short), fld)
        index.setdefault(normalise_label(fld.label_en), fld)
    if sheet.fields[0].kind == "id":
        for alias in ID_ALIASES:
            index.setdefault(normalise_label(alias), sheet.fields[0])
    return index


def _match_row(row: list[Any], index: dict[str, Field]) -> dict[int, Field]:
    matched: dict[int, Field] = {}
    taken: set[str] = set()
    for col, value in enumerate(row):
        if isinstance(value, str) and value:
            fld = index.get(normalise_label(value))
            if fld is not None and fld.key not in taken:
                matched[col] = fld
                taken.add(fld.key)
    return matched


def _find_header(rows: list[list[Any]], sheet: Sheet) -> tuple[int, int, dict[int, Field]] | None:
    """(header row index, first data row index, column → field), or None when no header is found."""
    index = _label_index(sheet)
    best: dict[int, Field] = {}
    best_at = -1
    for at, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        matched = _match_row(row, index)
        if len(matched) > len(best):
            best, best_at = matched, at
    if len(best) < min(2, len(sheet.fields)):
        return None
    columns = dict(best)
    data_from = best_at + 1
    # Merged headers: a label merged over two rows sits in the row above or below the best one.
    for other in (best_at - 1, best_at + 1):
        if not 0 <= other < len(rows):
            continue
        taken = {fld.key for fld in columns.values()}
        for col, fld in _match_row(rows[other], index).items():
            if fld.key not in taken and col not in columns:  # under a group header, or merged down
                columns[col] = fld
                taken.add(fld.key)
                data_from = max(data_from, other + 1)
    return best_at, data_from, columns


def _is_notes(row: list[Any], columns: dict[int, Field]) -> bool:
    for col, fld in columns.items():
        value = row[col] if col < len(row) else ""
        if (
            isinstance(value, str)
            and value
            and (any(mark in value for mark in NOTE_MARKS) or value.strip() == fld.label_en)
        ):
            return True
    return False


def _is_example(row: list[Any], first_col: int) -> bool:
    value = row[first_col] if first_col < len(row) else ""
    if isinstance(value, str) and value.strip().startswith(EXAMPLE_MARK):
        return True
    first = next((v for v in row if v not in ("", None)), "")
    return isinstance(first, str) and first.strip().startswith(EXAMPLE_MARK)


# --- sheets ---------------------------------------------------------------------------------------


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def _read_list(
    reader: _Reader,
    sheet: Sheet,
    actual: str,
    rows: list[list[Any]],
) -> list[tuple[dict[str, Any], _Located]] | None:
    found = _find_header(rows, sheet)
    if found is None:
        if any(v not in ("", None) for row in rows for v in row):
            reader.problems.append(
                CellProblem(
                    actual,
                    0,
                    "",
                    "",
                    "",
                    "找不到表头（第一行应为中文列名，如模板所示）",
                    "no header row found (the first row should hold the Chinese column names, as in the template)",
                )
            )
        return None
    _header_at, data_from, columns = found
    present = {fld.key for fld in columns.values()}
    reader.missing_columns[sheet.name] = {fld.key for fld in sheet.fields if fld.key not in present}
    first_col = min(columns)
    ordered = sorted(columns.items())
    used = [col for col, _fld in ordered]
    kept: list[tuple[int, list[Any]]] = []
    for at in range(data_from, len(rows)):
        row = rows[at]
        width = len(row)
        if not any(row[col] != "" and row[col] is not None for col in used if col < width):
            continue  # blank rows (trailing ones, spacers) and rows with data only outside our columns
        if at <= data_from + 1 and _is_notes(row, columns):
            continue
        if _is_example(row, first_col):
            continue
        kept.append((at + 1, row))
    by_key = {fld.key: col for col, fld in ordered}
    rectangular = len({len(row) for _at, row in kept}) <= 1  # calamine's rows all have the sheet's width
    items: list[dict[str, Any]] = [{} for _ in kept]
    # Column by column: one converter call per column, fast paths for the common cells.
    for col, fld in ordered:
        values = (
            [row[col] for _at, row in kept]
            if all(col < len(row) for _at, row in kept[:1]) and rectangular
            else [row[col] if col < len(row) else "" for _at, row in kept]
        )
        path = (fld.key,) if fld.column is None else fld.column.path
        key = path[0] if len(path) == 1 else None
        letter = column_letter(col)
        for item, value, (excel_row, _row) in zip(items, column_converter(fld)(values), kept, strict=True):
            if value is BLANK:
                continue
            if value.__class__ is CellError:
                reader.cell_problem(
                    sheet,
                    actual,
                    excel_row,
                    letter,
                    fld,
                    _row[col] if col < len(_row) else "",
                    value.zh,
                    value.en,
                )
            elif key is not None:
                item[key] = value
            else:
                _put(item, path, value)
    return [
        (item, _Located(sheet, excel_row, row, by_key))
        for item, (excel_row, row) in zip(items, kept, strict=True)
    ]


def _read_list_fast(
    reader: _Reader, sheet: Sheet, actual: str, frame: Frame, typed: _TypedRows
) -> _FastRows | list[tuple[dict[str, Any], _Located]] | None:
    """`_read_list` over text columns (see fast.py): the same rows, values and problems."""
    head = frame.head_rows(HEADER_SEARCH_ROWS)
    found = _find_header(head, sheet)
    if found is None:
        return _read_list(reader, sheet, actual, [typed.row(at) for at in range(frame.height)])
    _header_at, data_from, columns = found
    present = {fld.key for fld in columns.values()}
    reader.missing_columns[sheet.name] = {fld.key for fld in sheet.fields if fld.key not in present}
    ordered = sorted(columns.items())
    notes = {at for at in (data_from, data_from + 1) if at < len(head) and _is_notes(head[at], columns)}
    cert = certificate(sheet)
    read = convert_sheet(
        frame,
        [(fld, col) for col, fld in ordered],
        data_from=data_from,
        skip=notes,
        first_col=min(columns),
        cert=cert,
    )
    rows = read.rows
    bad_rows: set[int] = set()
    flat: list[tuple[str, list[Any]]] = []
    nested: dict[tuple[str, ...], list[tuple[str, list[Any]]]] = {}
    for index, ((col, fld), conv) in enumerate(zip(ordered, read.converted, strict=True)):
        path = (fld.key,) if fld.column is None else fld.column.path
        values = conv.values
        if conv.unambiguous or conv.ambiguous:
            convert = converter(fld)
            letter = column_letter(col)
            texts = dict(zip(conv.unambiguous, read.texts(index, conv.unambiguous), strict=True))
            for kept in sorted([*conv.unambiguous, *conv.ambiguous]):
                raw = texts[kept] if kept in texts else typed.row(rows[kept])[col]
                try:
                    value = convert(raw)
                except CellError as error:
                    reader.cell_problem(sheet, actual, rows[kept] + 1, letter, fld, raw, error.zh, error.en)
                    bad_rows.add(kept)
                    value = None
                values[kept] = None if value is BLANK else value
        if len(path) == 1:
            flat.append((path[0], values))
        else:
            nested.setdefault(path[:-1], []).append((path[-1], values))
    items = _rows_as_dicts(len(rows), flat, nested)
    if read.certified is not None and sheet.table is not None:
        outside = set(bad_rows)
        for conv in read.converted:
            outside.update(conv.unambiguous, conv.ambiguous)
        flags = read.certified.result()
        if outside:
            flags = [flag or kept in outside for kept, flag in enumerate(flags)]
        reader.suspicious[sheet.table.name] = flags
    return _FastRows(items, rows, sheet, typed, {fld.key: col for col, fld in ordered})


def _rows_as_dicts(
    count: int, flat: list[tuple[str, list[Any]]], nested: dict[tuple[str, ...], list[tuple[str, list[Any]]]]
) -> list[dict[str, Any]]:
    """Rows as dicts, blanks left out; a nested object (company) only when one of its cells is filled."""
    items: list[dict[str, Any]] = [{} for _ in range(count)]
    _fill(items, flat)
    for prefix, members in nested.items():
        inner: list[dict[str, Any]] = [{} for _ in range(count)]
        _fill(inner, members)
        for item, value in zip(items, inner, strict=True):
            if value:
                _put(item, prefix, value)
    return items


def _fill(items: list[dict[str, Any]], columns: list[tuple[str, list[Any]]]) -> None:
    # A column at a time: a third quicker than a dict comprehension per row over the zipped columns.
    for key, values in columns:
        for item, value in zip(items, values, strict=True):
            if value is not None:
                item[key] = value


@dataclass
class _FastRows:
    """The (item, origin) pairs of a sheet read by the fast path, the origins made only when asked for."""

    items: list[dict[str, Any]]
    rows: list[int]  # frame row of each item
    sheet: Sheet
    typed: _TypedRows
    columns: dict[str, int]

    def origin(self, index: int) -> _Located:
        return _Located(self.sheet, self.rows[index] + 1, self.typed, self.columns)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[tuple[dict[str, Any], _Located]]:
        for index, item in enumerate(self.items):
            yield item, self.origin(index)


def _read_form(
    reader: _Reader, sheet: Sheet, actual: str, rows: list[list[Any]]
) -> tuple[dict[str, Any], dict[str, _Cell]]:
    index = {normalise_label(fld.label_zh): fld for fld in sheet.fields}
    for fld in sheet.fields:  # short forms: "统一社会信用代码" for "统一社会信用代码（校验位校验）"
        index.setdefault(normalise_label(re.split(r"[（(，,]", fld.label_zh, maxsplit=1)[0]), fld)
        index.setdefault(normalise_label(fld.label_en), fld)
    value_col: int | None = None
    for row in rows[:HEADER_SEARCH_ROWS]:
        texts = [normalise_label(v) if isinstance(v, str) else "" for v in row]
        if normalise_label(PROFILE_HEADERS[1]) in texts:
            value_col = texts.index(normalise_label(PROFILE_HEADERS[1]))
            break
    data: dict[str, Any] = {}
    cells: dict[str, _Cell] = {}
    for at, row in enumerate(rows):
        for col, label in enumerate(row[:4]):
            if not isinstance(label, str) or not label:
                continue
            found = index.get(normalise_label(label))
            if found is None or found.key in cells:
                continue
            target = value_col if value_col is not None and value_col > col else col + 1
            raw = row[target] if target < len(row) else ""
            cells[found.key] = _Cell(at + 1, column_letter(target), raw)
            try:
                value = converter(found)(raw)
            except CellError as error:
                reader.cell_problem(
                    sheet, actual, at + 1, column_letter(target), found, raw, error.zh, error.en
                )
                break
            if value is not BLANK:
                assert found.column is not None
                _put(data, found.column.path, value)
            break
    return data, cells


# --- facts-level problems -------------------------------------------------------------------------


def _integrity_problems(data: dict[str, Any]) -> list[Problem]:
    """The facts format's integrity checks (`facts.load.integrity_problems`), on the data itself.

    The same rules (its `LINKS` and `RANGES` tables) over plain dicts: they run even when field
    validation failed, so every problem is found at once, and without walking 10,000 models
    (a third of an import's time). A workbook holds no evidence, so that check has nothing to do.
    Dates here are ISO text, which orders as the dates do.
    """
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for name in Facts.model_fields:
        rows = data.get(name)
        if not isinstance(rows, list):
            continue
        listed: list[Any] = [row.get("id") if isinstance(row, dict) else None for row in rows]
        seen: set[str] = set(listed)
        seen.discard(None)
        if len(seen) < len(listed) - listed.count(None):  # some id repeats: name each repetition
            seen = set()
            for index, row_id in enumerate(listed):
                if row_id is None:
                    continue
                if row_id in seen:
                    problems.append(
                        Problem(f"{name}[{index}].id", f"编号“{row_id}”重复", f"duplicate id {row_id!r}")
                    )
                seen.add(row_id)
        ids[name] = seen
    for name, links in LINK_RULES.items():
        for index, row in enumerate(data.get(name) or []):
            for key, target in links:
                value = row.get(key)
                if value is not None and value not in ids.get(target, set()):
                    problems.append(
                        Problem(
                            f"{name}[{index}].{key}",
                            f"“{value}”不在 {target} 中",
                            f"{value!r} is not an id in {target}",
                        )
                    )
    for name, start, end in RANGE_RULES:
        rows = data.get(name) or []
        for index, row in enumerate(rows):
            last = row.get(end)
            if not isinstance(last, str):
                continue  # most rows have no end (no exit date): the start is not even looked up
            first = row.get(start)
            if isinstance(first, str) and last < first:
                problems.append(
                    Problem(f"{name}[{index}].{end}", f"{end} 早于 {start}", f"{end} is before {start}")
                )
    for site_index, site in enumerate(data.get("sites") or []):
        for lease_index, lease in enumerate(site.get("leases") or []):
            first, last = lease.get("start_date"), lease.get("end_date")
            if isinstance(first, str) and isinstance(last, str) and last < first:
                problems.append(
                    Problem(
                        f"sites[{site_index}].leases[{lease_index}].end_date",
                        "租赁到期日早于起始日",
                        "the lease ends before it starts",
                    )
                )
    return problems


def _facts_problems(data: dict[str, Any], suspicious: dict[str, list[bool]] | None = None) -> list[Problem]:
    """Every problem of the facts format: field checks and, always, the integrity checks.

    `suspicious` names, for lists read by the fast path, the rows the field checks must see: the
    others were certified valid while they were read (fast.py), so only the rest is validated, and
    the problems' row numbers are mapped back to the whole list.
    """
    checked = data
    positions: dict[str, list[int]] = {}
    for name, flags in (suspicious or {}).items():
        rows = data.get(name)
        if isinstance(rows, list) and len(rows) == len(flags):
            positions[name] = [index for index, flag in enumerate(flags) if flag]
            if checked is data:
                checked = dict(data)
            checked[name] = [rows[index] for index in positions[name]]
    try:
        Facts.model_validate(checked)
        problems: list[Problem] = []
    except ValidationError as error:
        problems = problems_from_validation(error)
    if positions:
        problems = [_renumbered(problem, positions) for problem in problems]
    return problems + _integrity_problems(data)


_LIST_INDEX = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\[(\d+)\]")


def _renumbered(problem: Problem, positions: dict[str, list[int]]) -> Problem:
    match = _LIST_INDEX.match(problem.where)
    if match is None or match[1] not in positions:
        return problem
    where = f"{match[1]}[{positions[match[1]][int(match[2])]}]{problem.where[match.end() :]}"
    return Problem(where, problem.zh, problem.en)


_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
ROW_LISTS = {
    sheet.table.location: sheet for sheet in SHEETS if sheet.table is not None and not sheet.table.parent
}


def _field_for(sheet: Sheet, names: tuple[str, ...], offset: int) -> Field | None:
    """The field a key path inside a row points at (a missing nested object: its first field)."""
    if names == ("id",):
        return sheet.fields[0]
    for fld in sheet.fields:
        if fld.column is not None and fld.column.path[offset:] == names:
            return fld
    for fld in sheet.fields:
        path = fld.column.path[offset:] if fld.column is not None else ()
        if path[: len(names)] == names or (names[: len(path)] == path and path):
            return fld
    return None


# --- the whole workbook ---------------------------------------------------------------------------


def read_workbook(source: str | Path | bytes, *, filename: str = "") -> WorkbookReading:
    """Facts data, every problem (sheet, row, column, header, value, reason) and rows per table.

    Raises WorkbookUnreadable when the file cannot be opened as a workbook at all.
    """
    # A big sheet makes hundreds of thousands of small acyclic objects (rows, values); the cyclic
    # collector would scan them again and again while they are made. It runs as usual afterwards.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_workbook(source, filename)
    finally:
        if enabled:
            gc.enable()


def _read_workbook(source: str | Path | bytes, filename: str) -> WorkbookReading:
    content, _where = _content(source, filename)
    frames = FrameBook.open(content)  # starts reading our sheets in the background
    try:
        return _read_book(_open(content, _where), frames)
    finally:
        if frames is not None:
            frames.close()


def _read_book(book: python_calamine.CalamineWorkbook, frames: FrameBook | None) -> WorkbookReading:
    reader = _Reader()
    found: dict[str, tuple[Sheet, str]] = {}  # our sheet name → (sheet, name in the file)
    strangers: list[str] = []
    for meta in book.sheets_metadata:
        sheet = find_sheet(meta.name)
        if sheet is not None:
            found.setdefault(sheet.name, (sheet, meta.name))
        elif str(meta.visible).endswith("Visible") and not str(meta.visible).endswith("Hidden"):
            strangers.append(meta.name)
    rows_of: dict[str, list[list[Any]]] = {}
    # A renamed sheet of ours is recognised by its headers.
    for name in strangers:
        rows = _sheet_rows(book, name)
        best: tuple[int, Sheet] | None = None
        for sheet in SHEETS:
            if sheet.name in found or sheet.is_form:
                continue
            header = _find_header(rows, sheet)
            if (
                header is not None
                and len(header[2]) >= max(3, len(sheet.fields) // 2)
                and (best is None or len(header[2]) > best[0])
            ):
                best = (len(header[2]), sheet)
        if best is not None:
            found[best[1].name] = (best[1], name)
            rows_of[best[1].name] = rows
    if not found:
        problem = CellProblem(
            "",
            0,
            "",
            "",
            "",
            "工作簿中没有可识别的表格（请使用模板：zc template）",
            "no sheet of the template was found (start from the template: zc template)",
        )
        return WorkbookReading({}, [problem], {})

    data: dict[str, Any] = {"format_version": FORMAT_VERSION}
    profile_cells: dict[str, _Cell] = {}
    form = next(sheet for sheet in SHEETS if sheet.is_form)
    has_profile = False
    if form.name in found:
        profile, profile_cells = _read_form(
            reader, form, found[form.name][1], _sheet_rows(book, found[form.name][1])
        )
        data.update(profile)
        has_profile = bool(profile)

    located: dict[tuple[Any, ...], _Located] = {}  # ("incubatees", 3) or ("leases", site, lease) → origin
    counts: dict[str, int] = {}
    lists: dict[str, _FastRows | list[tuple[dict[str, Any], _Located]]] = {}
    origins: dict[str, _FastRows] = {}  # lists whose origins are made when a problem needs one
    for sheet in SHEETS:
        if sheet.is_form or sheet.name not in found:
            continue
        assert sheet.table is not None
        actual = found[sheet.name][1]
        frame = frames.frame(actual) if frames is not None and sheet.name not in rows_of else None
        if frame is not None:
            typed = _TypedRows(partial(_sheet_rows, book, actual))
            read = _read_list_fast(reader, sheet, actual, frame, typed)
        else:
            rows = rows_of.get(sheet.name) or _sheet_rows(book, actual)
            read = _read_list(reader, sheet, actual, rows)
        if read is None:
            continue
        lists[sheet.table.name] = read
        counts[sheet.table.name] = len(read)

    for location, sheet in ROW_LISTS.items():
        assert sheet.table is not None
        if sheet.table.name not in lists:
            continue
        read = lists[sheet.table.name]
        if isinstance(read, _FastRows):
            _put(data, location, read.items)
            origins[sheet.table.name] = read
            continue
        items = []
        for index, (item, origin) in enumerate(read):
            items.append(item)
            located[(sheet.table.name, index)] = origin
        _put(data, location, items)

    for sheet in SHEETS:
        if sheet.table is None or not sheet.table.parent or sheet.table.name not in lists:
            continue
        parent_sheet = SHEETS_BY_TABLE[sheet.table.parent]
        assert parent_sheet.table is not None
        parents = _value_list(data, parent_sheet.table.location)
        by_id: dict[Any, tuple[int, dict[str, Any]]] = {}
        for position, parent in enumerate(parents):
            by_id.setdefault(parent.get("id"), (position, parent))
        for item, origin in lists[sheet.table.name]:
            parent_id = item.pop("parent", None)
            if parent_id is None or parent_id not in by_id:
                cell = origin.cell("parent")
                if cell is not None and (sheet.name, origin.row, "parent") not in reader.bad_cells:
                    zh, en = (
                        ("缺少必填字段", "required field is missing")
                        if parent_id is None
                        else (
                            f"“{parent_id}”不在“{parent_sheet.name}”的编号中",
                            f"{parent_id!r} is not an id in the sheet {parent_sheet.name!r}",
                        )
                    )
                    reader.cell_problem(
                        sheet,
                        found[sheet.name][1],
                        origin.row,
                        cell.column,
                        sheet.fields[0],
                        cell.raw,
                        zh,
                        en,
                    )
                continue
            position, parent = by_id[parent_id]
            children = parent.setdefault(sheet.table.location[-1], [])
            located[(sheet.table.name, position, len(children))] = origin
            children.append(item)

    data.setdefault("operator", {})
    data.setdefault("space", {})
    if has_profile or any(counts.values()):
        _map_facts_problems(reader, data, _Origins(located, origins), profile_cells, form, found, has_profile)
    for sheet in SHEETS:
        if sheet.table is not None:
            counts.setdefault(sheet.table.name, 0)
    order = {actual: position for position, actual in enumerate(book.sheet_names)}
    problems = sorted(
        (_readable(problem) for problem in reader.problems),
        key=lambda p: (order.get(p.sheet, -1), p.row, len(p.column), p.column),
    )
    return WorkbookReading(data, problems, counts)


def _readable(problem: CellProblem) -> CellProblem:
    """ "“I05”不在 incubatees 中" names the sheet instead of the facts list."""
    for table, sheet in SHEETS_BY_TABLE.items():
        if f"不在 {table} 中" in problem.zh:
            return replace(
                problem,
                zh=problem.zh.replace(f"不在 {table} 中", f"不在“{sheet.name}”的编号中"),
                en=problem.en.replace(
                    f"is not an id in {table}", f"is not an id in the sheet {sheet.name!r}"
                ),
            )
    return problem


def _value_list(data: dict[str, Any], location: tuple[str, ...]) -> list[dict[str, Any]]:
    value: Any = data
    for key in location:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return value if isinstance(value, list) else []


@dataclass
class _Origins:
    """Where facts rows came from: ("incubatees", 3) or ("leases", site, lease) → origin."""

    located: dict[tuple[Any, ...], _Located]
    lazy: dict[str, _FastRows]  # top-level lists read by the fast path

    def get(self, key: tuple[Any, ...]) -> _Located | None:
        found = self.located.get(key)
        if found is None and len(key) == 2 and key[0] in self.lazy:
            rows = self.lazy[key[0]]
            index = key[1]
            return rows.origin(index) if isinstance(index, int) and 0 <= index < len(rows) else None
        return found


def _map_facts_problems(
    reader: _Reader,
    data: dict[str, Any],
    located: _Origins,
    profile_cells: dict[str, _Cell],
    form: Sheet,
    found: dict[str, tuple[Sheet, str]],
    has_profile: bool,
) -> None:
    """Facts problems at their cells; the form's are left out when the workbook has no 附件1 data
    (a workbook of some lists only, to be merged into a space that has its profile already)."""
    seen_missing: set[tuple[str, str]] = set()
    for problem in _facts_problems(data, reader.suspicious):
        tokens = [(name, int(index) if index else None) for name, index in _TOKEN.findall(problem.where)]
        origin: _Located | None = None
        rest: list[str] = []
        offset = 0
        i = 0
        # Walk the path to the row it names: a top-level list, a list inside operator/space, leases.
        key_path: list[str] = []
        while i < len(tokens):
            name, index = tokens[i]
            if index is not None:
                location = tuple(key_path)
                sheet = ROW_LISTS.get(location)
                if sheet is not None and sheet.table is not None:
                    j = i + 1
                    if j + 1 < len(tokens) and tokens[j + 1][1] is not None:
                        child = next(
                            (
                                s
                                for s in SHEETS
                                if s.table is not None
                                and s.table.parent == sheet.table.name
                                and s.table.location[-1] == tokens[j][0]
                            ),
                            None,
                        )
                        if child is not None and child.table is not None:
                            origin = located.get((child.table.name, index, tokens[j + 1][1]))
                            i = j + 2
                            break
                    origin = located.get((sheet.table.name, index))
                    i = j
                    break
            else:
                key_path.append(name)
            i += 1
        if origin is not None:
            rest = [name for name, index in tokens[i:] if index is None and name]
            sheet = origin.sheet
            fld = _field_for(sheet, tuple(rest), offset) if rest else None
            actual = found[sheet.name][1]
            if fld is None:
                reader.problems.append(CellProblem(actual, origin.row, "", "", "", problem.zh, problem.en))
                continue
            if (sheet.name, origin.row, fld.key) in reader.bad_cells:
                continue
            cell = origin.cell(fld.key)
            if cell is None or fld.key in reader.missing_columns.get(sheet.name, set()):
                if (sheet.name, fld.key) not in seen_missing:
                    seen_missing.add((sheet.name, fld.key))
                    reader.problems.append(
                        CellProblem(
                            actual,
                            0,
                            "",
                            fld.label_zh,
                            "",
                            f"缺少“{fld.label_zh}”一列：{problem.zh}",
                            f"the column {fld.label_zh} ({fld.label_en}) is missing: {problem.en}",
                        )
                    )
                continue
            reader.problems.append(
                CellProblem(
                    actual, cell.row, cell.column, fld.label_zh, cell_text(cell.raw), problem.zh, problem.en
                )
            )
            continue
        # The 附件1 form: operator.*, space.*, cultivation.*
        if not has_profile:
            continue
        names = tuple(name for name, index in tokens if index is None and name)
        fld = _field_for(form, names, 0)
        actual = found[form.name][1] if form.name in found else form.name
        if fld is None:
            reader.problems.append(
                CellProblem(
                    actual, 0, "", "", "", f"{problem.where}：{problem.zh}", f"{problem.where}: {problem.en}"
                )
            )
            continue
        cell = profile_cells.get(fld.key)
        if cell is not None and (form.name, cell.row, fld.key) in reader.bad_cells:
            continue
        if cell is None:
            reader.problems.append(
                CellProblem(
                    actual,
                    0,
                    "",
                    fld.label_zh,
                    "",
                    f"缺少“{fld.label_zh}”一行：{problem.zh}",
                    f"the row {fld.label_zh} ({fld.label_en}) is missing: {problem.en}",
                )
            )
            continue
        reader.problems.append(
            CellProblem(
                actual, cell.row, cell.column, fld.label_zh, cell_text(cell.raw), problem.zh, problem.en
            )
        )
