"""The fast path of the import (text columns, polars, certified rows) reads exactly what the cell-by-cell
path reads: the same data and the same problems, at the same cells, on real-world and faulty workbooks."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from zhongchuang.synth import generate_space_data
from zhongchuang.tabular import WorkbookReading, fast, read_workbook, write_workbook

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "workbooks"
INCUBATEES = "附件4 在孵创业团队和企业"


def both_ways(
    source: Path | bytes, monkeypatch: pytest.MonkeyPatch
) -> tuple[WorkbookReading, WorkbookReading]:
    """(fast path for every list sheet, cell-by-cell path for every sheet)."""
    with monkeypatch.context() as patch:
        patch.setattr(fast, "FAST_FROM_ROWS", 0)
        quick = read_workbook(source)
    with monkeypatch.context() as patch:
        patch.setattr(fast.FrameBook, "open", classmethod(lambda cls, content: None))
        slow = read_workbook(source)
    return quick, slow


def assert_same(quick: WorkbookReading, slow: WorkbookReading) -> None:
    assert quick.problems == slow.problems
    assert quick.counts == slow.counts
    assert json.dumps(quick.data, sort_keys=True, default=str) == json.dumps(
        slow.data, sort_keys=True, default=str
    )


@pytest.mark.parametrize(
    "name", sorted(path.name for path in FIXTURES.iterdir() if path.suffix in (".xlsx", ".xls"))
)
def test_every_fixture_workbook_reads_the_same_on_the_fast_path(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick, slow = both_ways(FIXTURES / name, monkeypatch)
    assert_same(quick, slow)


def big_workbook(rows: int = 300) -> bytes:
    data = json.loads(json.dumps(generate_space_data(7), default=str))
    pool = data["incubatees"]
    data = {
        key: value for key, value in data.items() if key in ("format_version", "operator", "space", "staff")
    }
    data["operator"] = {**data["operator"], "credit_checks": [], "evidence": []}
    data["incubatees"] = [
        {**pool[index % len(pool)], "id": f"I{index:05d}", "evidence": []} for index in range(rows)
    ]
    buffer = io.BytesIO()
    write_workbook(buffer, data, example_rows=True)
    return buffer.getvalue()


def edited(content: bytes, changes: dict[str, Any]) -> bytes:
    """The workbook with cells of the incubatee sheet changed ("D10": value), as a person would."""
    book = load_workbook(io.BytesIO(content))
    sheet = book[INCUBATEES]
    for where, value in changes.items():
        sheet[where] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_big_clean_sheet_is_certified_and_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    content = big_workbook()
    quick, slow = both_ways(content, monkeypatch)
    assert quick.problems == [] and quick.counts["incubatees"] == 300
    assert_same(quick, slow)


def test_odd_and_faulty_cells_in_a_big_sheet_give_the_same_values_and_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = [cell.value for cell in load_workbook(io.BytesIO(big_workbook(5)))[INCUBATEES][1]]
    column = {str(header).split("（")[0].split("\n")[0]: index for index, header in enumerate(headers)}

    def at(label: str, row: int) -> str:
        index = next(i for name, i in column.items() if name.startswith(label))
        return f"{chr(65 + index)}{row}"

    content = edited(
        big_workbook(),
        {
            at("入孵日期", 10): "2024/3/1",  # text dates, as people type them
            at("入孵日期", 11): 45000,  # an Excel serial without a date format
            at("入孵日期", 12): "2024年13月1日",  # no such date
            at("入孵日期", 13): date(2024, 3, 1),
            at("团队或企业名称", 14): None,  # a required value missing
            at("团队或企业名称", 15): "=HYPERLINK(1)",  # formula injection
            at("团队或企业名称", 16): "  两边有空格  ",
            at("团队或企业名称", 17): 12345,  # a number where text is wanted
            at("团队或企业名称", 18): True,
            at("编号", 19): "I00020",  # a duplicate id (row 20 holds I00017 + 3 header rows)
            at("编号", 21): "Ｉ００１２３",  # full-width forms in a code
            at("统一社会信用代码", 22): "91350203FL104P85T5",  # wrong check character
            at("统一社会信用代码", 23): "913502 03fl104p85t4",  # spaces and lower case: normalised
            at("当前类型", 24): "公司",  # not a choice
            at("是否属于聚焦", 25): "Y",
            at("是否属于聚焦", 26): 1,
            at("是否属于聚焦", 27): "N/A",  # a placeholder is a blank
            at("毕业或退出日期", 28): "2020-01-01",  # before the admission date
        },
    )
    quick, slow = both_ways(content, monkeypatch)
    assert quick.problems, "the edits above include faults"
    assert_same(quick, slow)
    where = {(problem.row, problem.header) for problem in quick.problems}
    assert any(row == 12 for row, _header in where) and any(row == 22 for row, _header in where)


def test_rows_certified_while_read_are_not_validated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the suspicious rows reach the facts format: a clean big sheet sends none."""
    from zhongchuang.tabular import read as reading

    seen: list[int] = []
    original = reading.Facts.model_validate

    def counting(data: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(len(data.get("incubatees", [])))
        return original(data, *args, **kwargs)

    monkeypatch.setattr(reading.Facts, "model_validate", counting)
    content = big_workbook()
    assert read_workbook(content).problems == []
    assert seen == [0]
    seen.clear()
    faulty = edited(content, {"B10": None})  # one required name missing
    problems = read_workbook(faulty).problems
    assert seen == [1] and [(problem.row, problem.column) for problem in problems] == [(10, "B")]


def test_a_uscc_is_certified_exactly_when_the_standard_accepts_it_as_written() -> None:
    """The column check (fast.py) agrees with `validate_uscc` on every kind of code, good or bad."""
    import polars as pl

    from zhongchuang.identifiers import InvalidUSCC, make_uscc, validate_uscc

    good = [make_uscc(f"{first}1350203FL104P85T") for first in "19ANY"]
    codes = [
        *good,
        *(code[:17] + ("0" if code[17] != "0" else "1") for code in good),  # wrong check character
        "91350203fl104p85t4",  # lower case: valid once normalised, so not certified as written
        "B1350203FL104P85T4",  # no such registration authority
        "91350203FL104P85T",  # 17 characters
        "91350203FL104P85T44",  # 19 characters
        "9135O203FL104P85T4",  # O is never used
        "9135020３FL104P85T4",  # a full-width digit
        "",
    ]

    def accepted(code: str) -> bool:
        try:
            return validate_uscc(code) == code
        except InvalidUSCC:
            return False

    column = pl.DataFrame({"code": codes}).select(fast._uscc_ok(pl.col("code"))).to_series()
    assert column.fill_null(False).to_list() == [accepted(code) for code in codes]
    assert column.sum() == len(good)
