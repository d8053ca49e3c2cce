"""`zc` as a user and other tools meet it: stable JSON keys, exit 2 with every problem, no traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xiamen-comprehensive-pass.json"


def zc(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhongchuang.cli", *args], cwd=cwd, capture_output=True, text=True
    )


def test_json_result_carries_verdict_and_every_criterion_and_check_with_id_and_status() -> None:
    run = zc("evaluate", str(EXAMPLE), "--policy", "xiamen-2025-comprehensive", "--format", "json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["verdict"] in {"eligible", "ineligible", "incomplete", "needs_review"}
    assert [c["id"] for c in result["criteria"]] == [f"XM25-C-{n}" for n in range(1, 10)]
    for criterion in result["criteria"]:
        assert criterion["status"] in {"pass", "fail", "needs_review", "missing_data"}
        for check in criterion["checks"]:
            assert {"id", "status", "explanation_zh", "explanation_en", "figures"} <= set(check)
    assert result["policy_version"] and result["as_of"] == "2025-03-21"


def test_table_is_in_chinese_with_one_row_per_criterion() -> None:
    run = zc("evaluate", str(EXAMPLE), "--policy", "xiamen-2025-comprehensive")
    assert run.returncode == 0, run.stderr
    assert "结论：" in run.stdout and "\033[" not in run.stdout  # no colour when not a terminal
    for n in range(1, 10):
        assert f"XM25-C-{n} " in run.stdout


def test_a_missing_file_exits_2_in_both_languages() -> None:
    run = zc("evaluate", "no-such-file.json", "--policy", "xiamen-2025-comprehensive")
    assert run.returncode == 2
    assert "文件不存在" in run.stderr and "file not found" in run.stderr and "Traceback" not in run.stderr


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"operator": {"name": "x",}', encoding="utf-8")
    run = zc("evaluate", str(bad), "--policy", "xiamen-2025-comprehensive")
    assert run.returncode == 2
    assert f"{bad}:1:" in run.stderr and "不是有效的 JSON" in run.stderr


def test_every_wrong_field_is_reported_with_its_path(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["operator"]["uscc"] = "91350200MA2Y0000X1"
    data["incubatees"][0]["admitted_on"] = "2024-02-30"
    data["sites"][0]["total_area_m2"] = "a lot"
    data["space"]["colour"] = "blue"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = zc("evaluate", str(bad), "--policy", "xiamen-2025-comprehensive")
    assert run.returncode == 2
    for expected in (
        "operator.uscc",
        "校验位错误",
        "incubatees[0].admitted_on",
        "sites[0].total_area_m2",
        "space.colour",
    ):
        assert expected in run.stderr
    assert "Traceback" not in run.stderr


def test_an_unknown_policy_exits_2() -> None:
    run = zc("evaluate", str(EXAMPLE), "--policy", "beijing-2030")
    assert run.returncode == 2 and "未知的政策" in run.stderr and "unknown policy" in run.stderr


def test_schema_is_the_facts_json_schema() -> None:
    run = zc("schema")
    schema = json.loads(run.stdout)
    assert run.returncode == 0 and {"operator", "space", "incubatees"} <= set(schema["properties"])


def test_policies_lists_the_xiamen_round_with_its_postmark_rule() -> None:
    run = zc("policies", "--format", "json")
    listed = {p["id"]: p for p in json.loads(run.stdout)}
    assert listed["xiamen-2025-comprehensive"]["round"]["deadline"] == "2025-03-21"
    assert listed["xiamen-2025-comprehensive"]["round"]["deadline_rule"] == "postmark"


@pytest.mark.parametrize("name", ["xiamen-comprehensive-pass", "shanghai-branded"])
def test_example_writes_loadable_files(tmp_path: Path, name: str) -> None:
    run = zc("example", "--out", str(tmp_path), name)
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))["operator"]["uscc"]
