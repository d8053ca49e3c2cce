"""Statutory working days (法定工作日) of the mainland: weekends, public holidays and 调休 make-up days.

Pure Python (no Django): the public notice, the command line (`zc workdays`) and the tests share it.
The schedule comes from `chinesecalendar`, which only knows the years the State Council has already
published (1.11.0: 2004–2026). A year it does not know is never guessed as Monday–Friday: a
computation that touches it raises `CalendarNotCovered`, until an administrator enters that year's
holidays and make-up days as overrides and declares the year covered (DOMAIN.md §6.4).

Counting convention (Xiamen 公示期 "5个工作日", 2023-11-03 → 2023-11-09): the first day counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

ONE_DAY = timedelta(days=1)


class CalendarNotCovered(Exception):
    """A computation needs a year whose holiday schedule nobody has entered."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.message_zh = (
            f"工作日历未覆盖 {year} 年：chinesecalendar 仅含 {_library_years()} 年的节假日与调休安排。"
            f"请升级 chinesecalendar，或由管理员在“工作日历调整”中录入 {year} 年的全部节假日和调休工作日，"
            f"并声明 {year} 年已完整录入。"
        )
        self.message_en = (
            f"the working-day calendar does not cover {year}: chinesecalendar only has {_library_years()}. "
            f"Upgrade chinesecalendar, or have an administrator enter every {year} holiday and make-up "
            f"working day as calendar overrides and declare {year} covered."
        )
        super().__init__(self.message_zh)


@dataclass(frozen=True)
class Overrides:
    """Entered by administrators: `days` maps a date to True (working day, e.g. a 调休 Saturday) or
    False (holiday); `covered_years` are the years declared complete, where every day without an
    override is a working day exactly when it is Monday–Friday."""

    days: Mapping[date, bool] = field(default_factory=dict)
    covered_years: frozenset[int] = frozenset()


NO_OVERRIDES = Overrides()


def _library_years() -> str:
    years = chinese_calendar.constants.holidays.keys() | chinese_calendar.constants.workdays.keys()
    return f"{min(years).year}–{max(years).year}"


def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date, overrides: Overrides | None = None) -> bool:
    """True on a working day; raises CalendarNotCovered for a year nobody has the schedule of."""
    overrides = overrides or NO_OVERRIDES
    if day.year in overrides.covered_years:
        return overrides.days.get(day, day.weekday() < 5)
    if not _library_knows(day.year):
        # an override alone does not cover a year: the days next to it would still be guesses
        raise CalendarNotCovered(day.year)
    if day in overrides.days:  # an ad-hoc change in a published year (e.g. the 2020 Spring Festival)
        return overrides.days[day]
    return bool(chinese_calendar.is_workday(day))


def iter_working_days(start: date, overrides: Overrides | None = None) -> Iterator[date]:
    """The working days from `start` on (start included when it is one)."""
    day = start
    while True:
        if is_working_day(day, overrides):
            yield day
        day += ONE_DAY


def nth_working_day(start: date, n: int, overrides: Overrides | None = None) -> date:
    """The date of the n-th working day counting `start` as day 1 when it is a working day.

    When `start` is a weekend day or a holiday, day 1 is the next working day (a notice published on a
    Saturday starts counting on Monday). n must be at least 1.
    """
    return working_days_from(start, n, overrides)[-1]


def working_days_from(start: date, n: int, overrides: Overrides | None = None) -> list[date]:
    """The first n working days counting from `start` (same convention as `nth_working_day`)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    days: list[date] = []
    for day in iter_working_days(start, overrides):
        days.append(day)
        if len(days) == n:
            return days
    raise AssertionError("unreachable")  # pragma: no cover - the iterator is endless


def working_days_between(first: date, last: date, overrides: Overrides | None = None) -> int:
    """How many working days lie between `first` and `last`, both included (0 when last < first)."""
    count, day = 0, first
    while day <= last:
        count += is_working_day(day, overrides)
        day += ONE_DAY
    return count
