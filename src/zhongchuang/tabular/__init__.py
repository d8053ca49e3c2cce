"""The attachment tables as Excel workbooks: the template, the export and the validated import.

Pure Python (XlsxWriter to write, calamine to read .xlsx and .xls): no Django, so the command line
checks a workbook offline and the web import uses the very same reader.
"""

from zhongchuang.tabular.layout import PROFILE_SHEET, SHEETS, sheet_name
from zhongchuang.tabular.read import CellProblem, WorkbookReading, WorkbookUnreadable, read_workbook
from zhongchuang.tabular.write import write_workbook

__all__ = [
    "PROFILE_SHEET",
    "SHEETS",
    "CellProblem",
    "WorkbookReading",
    "WorkbookUnreadable",
    "read_workbook",
    "sheet_name",
    "write_workbook",
]
