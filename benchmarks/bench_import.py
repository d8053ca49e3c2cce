"""Workbook import benchmark: prints figures, asserts nothing (speed is measured here, never in tests).

A workbook whose 附件4 sheet holds 10,000 incubatees (synthetic, from zhongchuang.synth) is written
by `write_workbook`; then, in the same run and on the same file:
  1. `read_workbook`: every sheet read with calamine, every cell converted, the facts format
     validated (pydantic and the integrity checks), problems mapped back to cells;
  2. the baseline: the incubatee sheet read cell by cell with openpyxl (read_only=True, values only),
     nothing converted or validated.
Each is the best of a few runs; the ratio is openpyxl ÷ read_workbook (target ≥ 5×).

Run: .venv/bin/python benchmarks/bench_import.py [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from typing import Any

import python_calamine
from openpyxl import load_workbook

from zhongchuang.spaces.schema import TABLES_BY_NAME
from zhongchuang.synth import generate_space_data
from zhongchuang.tabular import read_workbook, sheet_name, write_workbook


def space_with_incubatees(rows: int, seed: int = 7) -> dict[str, Any]:
    """A synthetic space whose incubatee list is grown to `rows` (distinct ids, realistic rows)."""
    data = json.loads(json.dumps(generate_space_data(seed), default=str))
    pool = data["incubatees"]
    incubatees = []
    for index in range(rows):
        row = dict(pool[index % len(pool)])
        row["id"] = f"I{index:05d}"
        row["evidence"] = []
        incubatees.append(row)
    keep = {"format_version", "operator", "space", "cultivation"}
    data = {key: value for key, value in data.items() if key in keep}
    data["operator"] = {**data["operator"], "credit_checks": [], "evidence": []}
    data["space"] = {
        key: value
        for key, value in data["space"].items()
        if key not in ("open_resources", "stage_programmes", "evidence")
    }
    data["incubatees"] = incubatees
    return data


def best_of(runs: int, action: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        result = None  # the previous result is freed outside the timed part
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def openpyxl_cells(content: bytes, sheet: str) -> int:
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    cells = 0
    for row in book[sheet].iter_rows(values_only=True):
        for _value in row:
            cells += 1
    book.close()
    return cells


def calamine_rows(content: bytes, sheet: str) -> int:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return len(book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")

    data = space_with_incubatees(args.rows)
    buffer = io.BytesIO()
    start = time.perf_counter()
    write_workbook(buffer, data, example_rows=True)
    written = time.perf_counter() - start
    content = buffer.getvalue()
    print(f"write_workbook: {args.rows:,} incubatees, {len(content) / 1e6:.1f} MB in {written:.2f} s")

    ours, reading = best_of(args.runs, lambda: read_workbook(content))
    assert not reading.problems, reading.problems[:5]
    assert reading.counts["incubatees"] == args.rows
    sheet = sheet_name(TABLES_BY_NAME["incubatees"])
    baseline, cells = best_of(args.runs, lambda: openpyxl_cells(content, sheet))
    raw, _rows = best_of(args.runs, lambda: calamine_rows(content, sheet))
    print(
        f"1. read_workbook (all sheets; calamine, converted, validated): {ours:.3f} s "
        f"({args.rows / ours:,.0f} rows/s)"
    )
    print(f"2. calamine to_python, values only, one sheet:                 {raw:.3f} s")
    print(
        f"3. openpyxl read_only, values only, one sheet:                 {baseline:.3f} s ({cells:,} cells)"
    )
    print(f"ratio openpyxl ÷ read_workbook: {baseline / ours:.1f}× (target ≥ 5×)")
    print(f"ratio openpyxl ÷ calamine read alone: {baseline / raw:.1f}×")


if __name__ == "__main__":
    main()
