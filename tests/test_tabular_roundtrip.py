"""What the workbook writes, it reads back the same: our own files and LibreOffice's re-saves of them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from zhongchuang.facts import parse_facts
from zhongchuang.tabular import read_workbook, write_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
FIXTURES = ROOT / "tests" / "fixtures" / "workbooks"


def without_files(data: dict[str, Any]) -> dict[str, Any]:
    """A workbook carries no files: compare without documents and evidence links (as test_bridge does)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "evidence"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data = strip(data)
    data.pop("documents", None)
    data.pop("as_of", None)
    return data


def same_facts(original: dict[str, Any], back: dict[str, Any]) -> None:
    expected = without_files(parse_facts(original).model_dump())
    got = without_files(parse_facts(back).model_dump())
    for key in expected:
        assert got[key] == expected[key], key
    assert got == expected


def example(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_every_example_round_trips_through_a_workbook(path: Path) -> None:
    data = example(path)
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    reading = read_workbook(buffer.getvalue(), filename=f"{path.stem}.xlsx")
    assert reading.problems == []
    same_facts(data, reading.data)
    assert reading.counts["incubatees"] == len(data.get("incubatees", []))
    assert reading.counts["leases"] == sum(len(site.get("leases", [])) for site in data.get("sites", []))


@pytest.mark.parametrize("suffix", ["xlsx", "xls"])
@pytest.mark.parametrize("name", ["xiamen-comprehensive-pass", "shanghai-international"])
def test_an_export_saved_again_by_libreoffice_reads_back_the_same(name: str, suffix: str) -> None:
    reading = read_workbook(FIXTURES / f"{name}-libreoffice.{suffix}")
    assert reading.problems == []
    same_facts(example(ROOT / "examples" / f"{name}.json"), reading.data)


def test_a_workbook_written_to_a_path_without_example_rows_reads_back_the_same(tmp_path: Path) -> None:
    data = example(ROOT / "examples" / "shanghai-branded.json")
    target = tmp_path / "export.xlsx"
    write_workbook(target, data, example_rows=False)
    reading = read_workbook(target)
    assert reading.problems == []
    same_facts(data, reading.data)


def test_reading_twice_gives_identical_data() -> None:
    data = example(ROOT / "examples" / "xiamen-comprehensive-pass.json")
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    assert read_workbook(buffer.getvalue()).data == read_workbook(buffer.getvalue()).data


def test_text_that_looks_like_a_formula_is_escaped_on_export_and_comes_back_unchanged() -> None:
    data = example(ROOT / "examples" / "xiamen-comprehensive-pass.json")
    data["incubatees"][0]["name"] = '=HYPERLINK("http://evil.example")'
    data["incubatees"][1]["sector"] = "+86 人工智能"
    data["incubatees"][2]["sector"] = "@团队"
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    reading = read_workbook(buffer.getvalue())
    assert reading.problems == []
    assert reading.data["incubatees"][0]["name"] == '=HYPERLINK("http://evil.example")'
    assert reading.data["incubatees"][1]["sector"] == "+86 人工智能"
    assert reading.data["incubatees"][2]["sector"] == "@团队"
