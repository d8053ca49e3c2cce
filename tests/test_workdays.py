"""Statutory working days: the counting convention of the Xiamen notice, 调休, coverage, and `zc workdays`.

The pure tests need no Django; the command-line tests run `zc workdays` with the test database (no
overrides unless a test enters some).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import pytest

from zhongchuang.workdays import (
    CalendarNotCovered,
    Overrides,
    is_working_day,
    nth_working_day,
    working_days_between,
    working_days_from,
)

D = date


def test_the_workdays_module_imports_without_django() -> None:
    import subprocess

    code = "import sys, zhongchuang.workdays; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_xiamen_2023_notice_from_november_3_for_5_working_days_ends_november_9() -> None:
    assert nth_working_day(D(2023, 11, 3), 5) == D(2023, 11, 9)
    assert working_days_from(D(2023, 11, 3), 5) == [D(2023, 11, d) for d in (3, 6, 7, 8, 9)]


def test_the_first_day_counts_as_day_1() -> None:
    assert nth_working_day(D(2023, 11, 3), 1) == D(2023, 11, 3)


def test_a_start_on_a_saturday_counts_from_the_next_monday() -> None:
    assert nth_working_day(D(2023, 11, 4), 1) == D(2023, 11, 6)
    assert nth_working_day(D(2023, 11, 4), 5) == D(2023, 11, 10)


def test_national_day_2025_the_make_up_sunday_counts_and_the_golden_week_does_not() -> None:
    assert is_working_day(D(2025, 9, 28))  # Sunday, 调休上班
    assert not any(is_working_day(D(2025, 10, d)) for d in range(1, 9))
    assert is_working_day(D(2025, 10, 11))  # Saturday, 调休上班
    assert working_days_from(D(2025, 9, 28), 5) == [D(2025, 9, 28), D(2025, 9, 29), D(2025, 9, 30),
                                                     D(2025, 10, 9), D(2025, 10, 10)]  # fmt: skip
    assert nth_working_day(D(2025, 9, 28), 6) == D(2025, 10, 11)


def test_spring_festival_2026_skips_the_holiday_and_counts_the_make_up_saturdays() -> None:
    assert working_days_from(D(2026, 2, 13), 4) == [
        D(2026, 2, 13),
        D(2026, 2, 14),
        D(2026, 2, 24),
        D(2026, 2, 25),
    ]
    assert is_working_day(D(2026, 2, 28))  # Saturday, 调休上班


def test_working_days_between_counts_both_ends() -> None:
    assert working_days_between(D(2023, 11, 3), D(2023, 11, 9)) == 5
    assert working_days_between(D(2023, 11, 9), D(2023, 11, 3)) == 0


def test_a_window_ending_on_the_last_day_of_2026_is_computed() -> None:
    assert nth_working_day(D(2026, 12, 25), 5) == D(2026, 12, 31)


def test_a_window_that_would_cross_into_2027_is_refused_with_the_year_and_how_to_add_it() -> None:
    with pytest.raises(CalendarNotCovered) as refused:
        nth_working_day(D(2026, 12, 28), 5)
    assert refused.value.year == 2027
    assert "2027" in refused.value.message_zh and "工作日历调整" in refused.value.message_zh
    assert "2027" in refused.value.message_en


def test_a_single_override_does_not_cover_a_year() -> None:
    partial = Overrides(days={D(2027, 1, 1): False})
    with pytest.raises(CalendarNotCovered):
        nth_working_day(D(2026, 12, 28), 5, partial)


def test_a_year_declared_covered_uses_its_overrides_and_monday_to_friday_otherwise() -> None:
    new_year_2027 = Overrides(
        days={D(2027, 1, 1): False, D(2027, 1, 2): False}, covered_years=frozenset({2027})
    )
    # 12-28..31 (4 days), 2027-01-01 holiday, 01-02/03 weekend, 01-04 Monday is day 5
    assert nth_working_day(D(2026, 12, 28), 5, new_year_2027) == D(2027, 1, 4)
    make_up = Overrides(days={D(2027, 1, 2): True}, covered_years=frozenset({2027}))
    assert nth_working_day(D(2026, 12, 28), 6, make_up) == D(2027, 1, 2)


def test_an_override_in_a_published_year_wins_over_the_library() -> None:
    extended = Overrides(days={D(2023, 11, 6): False})
    assert nth_working_day(D(2023, 11, 3), 5, extended) == D(2023, 11, 10)


def test_years_before_the_library_are_not_guessed_either() -> None:
    with pytest.raises(CalendarNotCovered):
        is_working_day(D(2003, 5, 6))


def test_n_below_1_is_refused() -> None:
    with pytest.raises(ValueError):
        nth_working_day(D(2023, 11, 3), 0)


# --- zc workdays -------------------------------------------------------------------------------------


def zc(*args: str) -> int:
    from zhongchuang.cli import main

    return main(["workdays", *args])


def test_zc_workdays_prints_the_iso_date(db: Any, capsys: Any) -> None:
    assert zc("2023-11-03", "5") == 0
    assert capsys.readouterr().out.strip() == "2023-11-09"


def test_zc_workdays_json_lists_the_working_days(db: Any, capsys: Any) -> None:
    assert zc("2025-09-28", "5", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "start": "2025-09-28",
        "n": 5,
        "date": "2025-10-10",
        "working_days": ["2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10"],
    }


def test_zc_workdays_into_an_uncovered_year_exits_2_in_chinese_and_english(db: Any, capsys: Any) -> None:
    assert zc("2026-12-28", "5") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "工作日历未覆盖 2027 年" in captured.err and "does not cover 2027" in captured.err


def test_zc_workdays_uses_the_overrides_entered_by_administrators(db: Any, capsys: Any) -> None:
    from zhongchuang.notice.models import CalendarOverride, CoveredYear

    CalendarOverride.objects.create(date=D(2027, 1, 1), is_working_day=False, name="2027年元旦")
    CoveredYear.objects.create(year=2027)
    assert zc("2026-12-28", "5") == 0
    assert capsys.readouterr().out.strip() == "2027-01-04"


def test_zc_workdays_without_a_database_still_answers_from_the_library(
    db: Any, capsys: Any, monkeypatch: Any
) -> None:
    from django.db import OperationalError

    from zhongchuang.notice import selectors

    def missing_tables() -> None:
        raise OperationalError("no such table: notice_calendaroverride")

    monkeypatch.setattr(selectors, "calendar_overrides", missing_tables)
    assert zc("2023-11-03", "5") == 0
    assert capsys.readouterr().out.strip() == "2023-11-09"


@pytest.mark.parametrize(
    "args", [("2023-13-01", "5"), ("2023-11-03", "0"), ("2023-11-03", "-1"), ("2023-11-03", "x")]
)
def test_zc_workdays_bad_date_or_n_exits_2(db: Any, capsys: Any, args: tuple[str, str]) -> None:
    try:
        code = zc(*args)
    except SystemExit as exit_:  # argparse refuses a value it cannot read
        code = int(exit_.code or 0)
    assert code == 2
    assert capsys.readouterr().err
