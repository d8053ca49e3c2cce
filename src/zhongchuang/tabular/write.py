"""Writing the workbook: the blank template, or the space's data pre-filled (XlsxWriter)."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

# XlsxWriter is annotated but ships no py.typed marker.
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from zhongchuang.tabular.cells import export_text
from zhongchuang.tabular.layout import (
    PROFILE_HEADERS,
    PROFILE_MODELS,
    SHEETS,
    Field,
    Sheet,
    example_value,
    section_of,
)

SPARE_ROWS = 1000  # rows below the data that still carry the validation, for rows typed later
INSTRUCTIONS = (
    "填写说明 / How to fill in",
    "1. 每张表第 1 行为表头，第 2 行为说明（英文名称、单位、是否必填），第 3 行为示例（导入时跳过），请从第 4 行起填写。",
    "   Row 1 holds the headers, row 2 the notes (English name, unit, required), row 3 an example (skipped on import): fill in from row 4.",
    "2. 日期写作 2024-03-01（也可 2024/3/1、2024年3月1日）；面积单位㎡、金额单位元（可写“35万元”）；是/否 栏填“是”或“否”。",
    "   Dates as 2024-03-01; areas in m², money in yuan (35万元 is read as 350000); yes/no columns take 是 or 否.",
    "3. 每张列表的第一列为编号，本表内唯一；其他表引用时填写该编号（如融资事件的“获投团队或企业编号”）。",
    "   The first column of each list is the row's id, unique in its sheet; other sheets refer to rows by it.",
    "4. 以 = + - @ 开头的文字请在前面加英文单引号（'），否则导入时视为疑似公式注入而拒绝。",
    "   Text starting with = + - @ must be quoted with a leading apostrophe ('), or it is refused as formula injection.",
    "5. 导入时一次列出全部问题（工作表、行、列），全部改正后才会保存。",
    "   Every problem is reported at once (sheet, row, column); nothing is saved until the workbook is clean.",
)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _column_width(field: Field) -> float:
    minimum = {"date": 12, "bool": 8, "int": 10, "decimal": 14, "choice": 14, "list": 20}.get(field.kind, 16)
    if field.key.endswith(("name", "address", "title", "description", "background", "partner", "provider")):
        minimum = 28
    return float(min(40, max(minimum, _display_width(field.label_zh) + 2)))


class _Formats:
    def __init__(self, book: Workbook) -> None:
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        self.notes = book.add_format(
            {
                "font_size": 9,
                "font_color": "#595959",
                "bg_color": "#F2F2F2",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )
        self.section = book.add_format({"bold": True, "bg_color": "#F2F2F2"})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.text = book.add_format({"num_format": "@"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        grey = {"italic": True, "font_color": "#808080"}
        self.example = book.add_format(grey)
        self.example_date = book.add_format({**grey, "num_format": "yyyy-mm-dd"})
        self.title = book.add_format({"bold": True, "font_size": 14})


def _value_at(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _as_decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _write_value(
    sheet: Worksheet, row: int, col: int, field: Field, value: Any, formats: _Formats, example: bool = False
) -> None:
    if value is None or value == "" or value == []:
        return
    plain = formats.example if example else None
    kind = field.kind
    if kind == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        sheet.write_datetime(row, col, day, formats.example_date if example else formats.date)
    elif kind == "decimal":
        number = _as_decimal(value).normalize()
        if Decimal(format(float(number), ".15g")) == number:  # exact as a spreadsheet number
            sheet.write_number(row, col, float(number), plain)
        else:
            sheet.write_string(row, col, format(number, "f"), plain)
    elif kind == "int":
        sheet.write_number(row, col, int(value), plain)
    elif kind == "bool":
        sheet.write_string(row, col, "是" if value else "否", plain)
    elif kind == "choice":
        sheet.write_string(row, col, export_text(field.choice_label(str(value))), plain)
    elif kind == "list":
        labels = dict(field.list_choices)
        text = "、".join(labels.get(str(item), str(item)) for item in value)
        sheet.write_string(row, col, export_text(text), plain)
    else:
        sheet.write_string(
            row, col, export_text(str(value)), plain or (formats.text if field.is_code else None)
        )


def _validate(sheet: Worksheet, first: int, last: int, col: int, field: Field) -> None:
    """Dropdowns for choices and 是/否, date and number checks, as the spreadsheet program offers them."""
    options: dict[str, Any] | None = None
    if field.kind == "bool":
        options = {"validate": "list", "source": ["是", "否"]}
    elif field.kind == "choice":
        labels = [label for _, label in field.choices]
        if sum(len(label) + 1 for label in labels) <= 255:  # the limit of an inline list
            options = {"validate": "list", "source": labels}
    elif field.kind == "date":
        options = {
            "validate": "date",
            "criteria": "between",
            "minimum": date(1900, 1, 1),
            "maximum": date(2099, 12, 31),
            "error_type": "warning",
        }
    elif field.kind == "decimal":
        options = {"validate": "decimal", "criteria": ">=", "value": 0}
    elif field.kind == "int":
        options = {"validate": "integer", "criteria": ">=", "value": 0}
    if options is None:
        return
    options.update(
        error_title="输入有误 / Invalid entry",
        error_message=f"{field.label_zh}：{field.unit}"[:250],
    )
    sheet.data_validation(first, col, last, col, options)


def _rows(sheet: Sheet, data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows of a list sheet from facts data, each with its 编号 or parent's 编号."""
    assert sheet.table is not None
    location = sheet.table.location
    if "*" in location:  # leases: under each site
        for parent in _value_at(data, location[: location.index("*")]) or []:
            for item in _value_at(parent, location[location.index("*") + 1 :]) or []:
                yield {**item, "_parent": parent.get("id")}
        return
    yield from _value_at(data, location) or []


def _list_sheet(
    book: Workbook, sheet: Sheet, formats: _Formats, data: dict[str, Any] | None, example_rows: bool
) -> None:
    ws = book.add_worksheet(sheet.name)
    ws.freeze_panes(2, 1)
    ws.set_landscape()  # printed: A4 landscape, one page wide, headers and notes on every page
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, 1)
    ws.set_row(0, 32)
    ws.set_row(1, 48)
    for col, field in enumerate(sheet.fields):
        ws.set_column(col, col, _column_width(field), formats.date if field.kind == "date" else None)
        ws.write_string(0, col, field.label_zh, formats.header)
        ws.write_string(1, col, field.note, formats.notes)
    row = 2
    if example_rows:
        for col, field in enumerate(sheet.fields):
            _write_value(ws, row, col, field, example_value(field), formats, example=True)
        row += 1
    for item in _rows(sheet, data or {}):
        for col, field in enumerate(sheet.fields):
            if field.kind == "id":
                value = item.get("id")
            elif field.kind == "parent":
                value = item.get("_parent")
            else:
                assert field.column is not None
                value = _value_at(item, field.column.path)
            _write_value(ws, row, col, field, value, formats)
        row += 1
    last = row + SPARE_ROWS
    for col, field in enumerate(sheet.fields):
        _validate(ws, 2, last, col, field)
    ws.autofilter(0, 0, 0, len(sheet.fields) - 1)


def _form_sheet(book: Workbook, sheet: Sheet, formats: _Formats, data: dict[str, Any] | None) -> None:
    ws = book.add_worksheet(sheet.name)
    ws.freeze_panes(1, 0)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 44)
    ws.set_column(2, 2, 48)
    for col, header in enumerate(PROFILE_HEADERS):
        ws.write_string(0, col, header, formats.header)
    sections = {key: title for key, _model, title in PROFILE_MODELS}
    row, current = 1, ""
    for field in sheet.fields:
        section = section_of(field)
        if section != current:
            ws.merge_range(row, 0, row, 2, sections[section], formats.section)
            row, current = row + 1, section
        ws.write_string(row, 0, field.label_zh)
        ws.write_string(row, 2, field.note.replace("\n", "；"), formats.notes)
        if data is not None:
            assert field.column is not None
            _write_value(ws, row, 1, field, _value_at(data, field.column.path), formats)
        elif field.kind == "date":
            ws.write_blank(row, 1, None, formats.date)
        _validate(ws, row, row, 1, field)
        row += 1


def write_workbook(
    target: str | Path | BinaryIO, facts_data: dict[str, Any] | None = None, *, example_rows: bool = True
) -> None:
    """One sheet per attachment table, headers in Chinese, notes, validation, an example row; the
    space's data pre-filled when `facts_data` (the facts format as JSON data) is given."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {
            "title": "众创空间认定申报表格",
            "subject": "zhongchuang workbook 1.0",
            "comments": "附件1–9 及上海培育表格 / Annexes 1–9 and the Shanghai tables",
        }
    )
    formats = _Formats(book)
    guide = book.add_worksheet("填写说明")
    guide.set_column(0, 0, 120)
    for row, line in enumerate(INSTRUCTIONS):
        guide.write_string(row, 0, line, formats.title if row == 0 else formats.wrap)
    for sheet in SHEETS:
        if sheet.is_form:
            _form_sheet(book, sheet, formats, facts_data)
        else:
            _list_sheet(book, sheet, formats, facts_data, example_rows)
    book.worksheets()[1].activate()
    book.close()
    content = buffer.getvalue()
    if isinstance(target, str | Path):
        Path(target).write_bytes(content)
    else:
        target.write(content)
