"""Real-world workbooks load, and a faulty one reports every problem at once by sheet, row and column."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from zhongchuang.facts import parse_facts
from zhongchuang.tabular import CellProblem, WorkbookUnreadable, read_workbook, write_workbook

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "workbooks"
MESSY = ["messy.xlsx", "messy-libreoffice.xlsx", "messy-libreoffice.xls"]
PROBLEMS = ["problems.xlsx", "problems-libreoffice.xlsx", "problems-libreoffice.xls"]
INCUBATEES = "附件4 在孵创业团队和企业"


@pytest.mark.parametrize("name", MESSY)
def test_a_hand_made_messy_workbook_loads_exactly(name: str) -> None:
    reading = read_workbook(FIXTURES / name)
    assert reading.problems == []
    data = reading.data
    parse_facts(data)  # valid facts, nothing to fix
    assert data["operator"] == {
        "name": "厦门鹭创科技服务有限公司",
        "uscc": "91350200MA8253MPTC",
        "org_form": "enterprise",
        "is_legal_person": True,
        "is_branch": False,
        "founded_on": "2019-05-08",
        "independent_accounting": True,
    }
    assert data["space"] == {"name": "鹭创众创空间", "opened_on": "2020-01-01", "city": "厦门市"}
    first, second = data["sites"]
    assert (first["total_area_m2"], first["workstation_area_m2"], first["workstation_count"]) == (
        "1200",
        "800",
        96,
    )
    assert (first["tenure"], first["controller"], second["tenure"]) == ("leased", "operator", "owned")
    assert [(lease["start_date"], lease["end_date"]) for lease in first["leases"]] == [
        ("2022-04-01", "2025-03-31"),
        ("2025-04-01", "2028-03-31"),
    ]
    assert "leases" not in second and "workstation_area_m2" not in second
    incubatees = data["incubatees"]
    assert [i["id"] for i in incubatees] == ["I01", "I02", "I03", "I04"]  # trailing blank rows skipped
    assert [i["admitted_on"] for i in incubatees] == ["2023-11-06", "2024-01-08", "2024-03-01", "2024-03-01"]
    assert [i["kind"] for i in incubatees] == ["company", "team", "company", "team"]
    assert incubatees[0]["company"] == {"name": "厦门云帆数智科技有限公司", "uscc": "91350203MA25Y957CG"}
    assert [i.get("in_focus") for i in incubatees] == [True, False, False, None]
    assert [f["size_yuan"] for f in data["funds"]] == ["350000", "150000000"]
    assert data["financing"][0]["amount_yuan"] == "1000000"
    assert data["mentors"] == [
        {"id": "M1", "name": "陈明", "category": "technical_expert", "full_time": False}
    ]
    assert data["activities"][0]["participants"] == 60  # "Sheet5": ours, found by its headers
    assert reading.counts["incubatees"] == 4 and reading.counts["staff"] == 0


def test_a_hidden_sheet_that_is_not_ours_is_ignored() -> None:
    reading = read_workbook(FIXTURES / "messy.xlsx")
    assert all(m["name"] != "不应读取" for m in reading.data["mentors"])


@pytest.mark.parametrize("name", PROBLEMS)
def test_every_problem_is_reported_at_once_with_sheet_row_column_value_and_reason(name: str) -> None:
    problems = read_workbook(FIXTURES / name).problems
    found = {(p.sheet, p.row, p.column, p.value) for p in problems}
    assert found == {
        ("附件2 孵化场地", 4, "F", "约七百平方米"),
        (INCUBATEES, 5, "D", "2024-02-30"),
        (INCUBATEES, 6, "B", '=HYPERLINK("http://evil.example","点我")'),
        (INCUBATEES, 24, "A", "I01"),
        ("附件7 融资事件", 4, "B", "I99"),
    }
    by_row = {(p.sheet, p.row): p for p in problems}
    assert by_row[(INCUBATEES, 5)].header == "入孵日期" and "日期不存在" in by_row[(INCUBATEES, 5)].zh
    assert by_row[(INCUBATEES, 6)].zh.startswith("疑似公式注入")
    assert "重复" in by_row[(INCUBATEES, 24)].zh and "duplicate" in by_row[(INCUBATEES, 24)].en
    assert "附件4" in by_row[("附件7 融资事件", 4)].zh
    assert all(p.zh and p.en for p in problems)


def test_problems_come_in_workbook_order() -> None:
    problems = read_workbook(FIXTURES / "problems.xlsx").problems
    assert [p.sheet for p in problems][:1] == ["附件2 孵化场地"]
    rows = [p.row for p in problems if p.sheet == INCUBATEES]
    assert rows == sorted(rows)


def test_a_problem_reads_as_one_line_in_both_languages() -> None:
    problem = CellProblem(INCUBATEES, 5, "D", "入孵日期", "2024-02-30", "日期不存在", "no such date")
    assert str(problem) == (
        "“附件4 在孵创业团队和企业” 第 5 行 D 列 （入孵日期），值“2024-02-30”：日期不存在 / "
        "sheet '附件4 在孵创业团队和企业', row 5, column D: no such date"
    )


def test_a_lease_naming_an_unknown_site_is_reported_on_its_site_cell() -> None:
    data = json.loads((ROOT / "examples" / "xiamen-comprehensive-pass.json").read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(buffer.getvalue()))
    book["附件2 租赁合同"]["A4"] = "site-9F"
    out = io.BytesIO()
    book.save(out)
    (problem,) = read_workbook(out.getvalue()).problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        "附件2 租赁合同",
        4,
        "A",
        "site-9F",
    )
    assert "附件2 孵化场地" in problem.zh


def test_a_missing_required_value_and_a_bad_uscc_are_mapped_to_their_cells() -> None:
    data = json.loads((ROOT / "examples" / "xiamen-comprehensive-pass.json").read_text(encoding="utf-8"))
    data["incubatees"][1]["company"]["uscc"] = "91350203MA3200P97X"
    data["operator"]["uscc"] = "91350200MA8253MPTX"
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(buffer.getvalue()))
    book[INCUBATEES]["B4"] = None  # the first incubatee's name
    out = io.BytesIO()
    book.save(out)
    problems = {(p.sheet, p.row, p.header): p for p in read_workbook(out.getvalue()).problems}
    assert problems[(INCUBATEES, 4, "团队或企业名称")].zh == "缺少必填字段"
    assert "统一社会信用代码" in problems[(INCUBATEES, 5, "统一社会信用代码")].header
    uscc = next(p for p in problems.values() if p.sheet == "附件1 认定信息表")
    assert (uscc.column, uscc.value) == ("B", "91350200MA8253MPTX")


def test_a_blank_template_is_clean_and_empty() -> None:
    buffer = io.BytesIO()
    write_workbook(buffer)
    reading = read_workbook(buffer.getvalue())
    assert reading.problems == [] and sum(reading.counts.values()) == 0


def test_a_workbook_of_some_lists_only_checks_the_lists_not_the_missing_form() -> None:
    data = json.loads((ROOT / "examples" / "xiamen-comprehensive-pass.json").read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    write_workbook(buffer, {"incubatees": data["incubatees"]})
    reading = read_workbook(buffer.getvalue())
    assert reading.problems == [] and reading.counts["incubatees"] == len(data["incubatees"])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "文件为空"),
        (b"hello, not a workbook", "不是有效的 Excel"),
        (b"PK\x03\x04broken zip", "不是有效的 Excel"),
    ],
)
def test_a_file_that_is_no_workbook_is_unreadable_with_a_reason(content: bytes, reason: str) -> None:
    with pytest.raises(WorkbookUnreadable) as error:
        read_workbook(content, filename="upload.xlsx")
    assert reason in error.value.reason_zh and error.value.reason_en
    assert error.value.problems[0].where == "upload.xlsx"


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(WorkbookUnreadable, match="文件不存在"):
        read_workbook(tmp_path / "nope.xlsx")


def test_a_workbook_with_no_sheet_of_ours_says_so() -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "随便什么"  # type: ignore[index]
    out = io.BytesIO()
    book.save(out)
    (problem,) = read_workbook(out.getvalue()).problems
    assert "没有可识别的表格" in problem.zh
