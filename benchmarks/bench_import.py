"""Workbook import benchmark: prints figures, asserts nothing (speed is measured here, never in tests).

A workbook whose 附件4 sheet holds 10,000 incubatees (synthetic, from zhongchuang.synth) is written
by `write_workbook`; then, in the same run and on the same file:
  1. `read_workbook`: every sheet read with calamine, every cell converted, the facts format
     validated (pydantic and the integrity checks), problems mapped back to cells;
  2. the baseline: the incubatee sheet read cell by cell with openpyxl (read_only=True, values only),
     nothing converted or validated.
The three are timed in alternating rounds (ours, openpyxl, calamine, then again), so that a slow spell
of the machine touches all of them alike. Each figure is the best of its rounds; the ratio is openpyxl ÷
read_workbook of those bests (target ≥ 5×), and the spread of the per-round ratios is printed beside it.

Run: .venv/bin/python benchmarks/bench_import.py [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
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


def timed(action: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def rounds(count: int, actions: dict[str, Any]) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Every action once per round, in turn; the seconds of each, and each action's last result."""
    seconds: dict[str, list[float]] = {name: [] for name in actions}
    results: dict[str, Any] = {}
    for _ in range(count):
        for name, action in actions.items():
            results[name] = None  # the previous result is freed outside the timed part
            elapsed, results[name] = timed(action)
            seconds[name].append(elapsed)
    return seconds, results


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
    parser.add_argument("--runs", type=int, default=7, help="alternating rounds")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")

    data = space_with_incubatees(args.rows)
    buffer = io.BytesIO()
    start = time.perf_counter()
    write_workbook(buffer, data, example_rows=True)
    written = time.perf_counter() - start
    content = buffer.getvalue()
    print(f"write_workbook: {args.rows:,} incubatees, {len(content) / 1e6:.1f} MB in {written:.2f} s")

    sheet = sheet_name(TABLES_BY_NAME["incubatees"])
    seconds, results = rounds(
        args.runs,
        {
            "ours": lambda: read_workbook(content),
            "openpyxl": lambda: openpyxl_cells(content, sheet),
            "calamine": lambda: calamine_rows(content, sheet),
        },
    )
    reading = results["ours"]
    assert not reading.problems, reading.problems[:5]
    assert reading.counts["incubatees"] == args.rows
    ours, baseline, raw = (min(seconds[name]) for name in ("ours", "openpyxl", "calamine"))
    per_round = sorted(b / o for b, o in zip(seconds["openpyxl"], seconds["ours"], strict=True))
    print(f"{args.runs} alternating rounds; best of each:")
    print(
        f"1. read_workbook (all sheets; calamine, converted, validated): {ours:.3f} s "
        f"({args.rows / ours:,.0f} rows/s)"
    )
    print(f"2. calamine to_python, values only, one sheet:                 {raw:.3f} s")
    print(
        f"3. openpyxl read_only, values only, one sheet:                 {baseline:.3f} s "
        f"({results['openpyxl']:,} cells)"
    )
    print(
        f"ratio openpyxl ÷ read_workbook: {baseline / ours:.1f}× (target ≥ 5×); per round: median "
        f"{statistics.median(per_round):.1f}×, {per_round[0]:.1f}–{per_round[-1]:.1f}×"
    )
    print(f"ratio openpyxl ÷ calamine read alone: {baseline / raw:.1f}×")


if __name__ == "__main__":
    main()
