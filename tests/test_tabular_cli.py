"""`zc template` and `zc check-workbook`: exit 0 clean, 1 with every problem, 2 unreadable, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "workbooks"


def zc(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhongchuang.cli", *args], cwd=cwd, capture_output=True, text=True
    )


def test_the_template_written_by_zc_template_checks_clean(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    run = zc("template", str(target))
    assert run.returncode == 0, run.stderr
    assert target.stat().st_size > 0
    check = zc("check-workbook", str(target))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "检查通过" in check.stdout


def test_a_template_prefilled_from_a_facts_file_checks_clean(tmp_path: Path) -> None:
    target = tmp_path / "filled.xlsx"
    run = zc("template", str(target), "--facts", "examples/shanghai-branded.json", "--no-example")
    assert run.returncode == 0, run.stderr
    check = zc("check-workbook", str(target))
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_bad_date_in_annex_4_row_5_exits_1_naming_sheet_row_column_and_value() -> None:
    run = zc("check-workbook", str(FIXTURES / "problems.xlsx"))
    assert run.returncode == 1
    line = next(line for line in run.stdout.splitlines() if "2024-02-30" in line)
    assert "附件4 在孵创业团队和企业" in line and "第 5 行" in line and "D 列" in line
    assert "row 5, column D" in run.stdout
    assert "5 个问题" in run.stdout and "Traceback" not in run.stderr


def test_an_old_xls_saved_by_libreoffice_is_checked_too() -> None:
    run = zc("check-workbook", str(FIXTURES / "problems-libreoffice.xls"))
    assert run.returncode == 1 and "2024-02-30" in run.stdout


def test_a_file_that_is_no_workbook_exits_2_with_the_reason(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("这不是表格", encoding="utf-8")
    run = zc("check-workbook", str(bogus))
    assert run.returncode == 2
    assert "不是有效的 Excel 工作簿" in run.stderr and "not a valid Excel workbook" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_missing_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    run = zc("check-workbook", str(tmp_path / "nope.xlsx"))
    assert run.returncode == 2 and "文件不存在" in run.stderr and "Traceback" not in run.stderr


def test_writing_the_template_where_it_cannot_be_written_exits_2(tmp_path: Path) -> None:
    run = zc("template", str(tmp_path / "no-such-dir" / "t.xlsx"))
    assert run.returncode == 2 and "无法写入文件" in run.stderr and "Traceback" not in run.stderr
