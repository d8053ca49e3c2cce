"""One table of a space as a single-sheet workbook, for reading and sharing in Excel.

The whole-space export (the one the import reads back) is `tabular.write_workbook`; this is the
"every table to Excel" face: Chinese headers, Chinese choice labels, real dates and numbers, and text
written as text, so a cell beginning with = + - @ is never taken for a formula.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.schema import TableSpec
from zhongchuang.spaces.selectors import rows_query
from zhongchuang.transfer.selectors import ident


def table_workbook(space: Space, spec: TableSpec) -> bytes:
    buffer = BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = book.add_worksheet(spec.label_zh[:31].replace(":", "：").replace("/", "／"))
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    headers = [_("所属场地编号") if spec.parent else _("编号")] + [column.label_zh for column in spec.columns]
    for number, header in enumerate(headers):
        sheet.write_string(0, number, header, bold)
        sheet.set_column(number, number, max(10, min(40, 2 * len(header) + 2)))
    parent_attr = ROW_MODELS[spec.parent].__name__.lower() if spec.parent else ""  # leases → site
    for line, row in enumerate(rows_query(space, spec), start=1):
        first = getattr(row, parent_attr).ref if parent_attr else ident(spec, row)
        sheet.write_string(line, 0, str(first or ""))
        for number, column in enumerate(spec.columns, start=1):
            _write(sheet, line, number, column, getattr(row, column.name), day)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _write(sheet: Any, line: int, number: int, column: Any, value: Any, day: Any) -> None:
    if value is None or value == "" or value == []:
        return
    if column.kind == "link":
        sheet.write_string(line, number, str(value.ref or ""))
    elif column.kind == "choice":
        sheet.write_string(line, number, str(dict(column.choices).get(value, value)))
    elif isinstance(value, bool):
        sheet.write_string(line, number, _("是") if value else _("否"))
    elif isinstance(value, date):
        sheet.write_datetime(line, number, value, day)
    elif isinstance(value, Decimal | int):
        sheet.write_number(line, number, float(value))
    elif isinstance(value, list):
        sheet.write_string(line, number, "、".join(str(item) for item in value))
    else:
        sheet.write_string(line, number, str(value))
