"""Calendar arithmetic as the policy texts count it (DOMAIN.md §7.1)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=65536)  # evaluations repeat the same few dates over many rows
def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the month's end (2024-01-31 + 1 → 02-29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def whole_months_between(start: date, end: date) -> int:
    """Completed months from `start` to `end`: the largest n with start + n months ≤ end."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    while add_months(start, months + 1) <= end:
        months += 1
    return months


def contract_months(start: date, end: date) -> int:
    """Length of a term written 自start起至end止, both ends included (民法典 第二百零三条)."""
    return whole_months_between(start, end + timedelta(days=1))


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
