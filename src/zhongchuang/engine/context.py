"""The evaluation context: the reference date R and the windows the clauses count in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from zhongchuang.engine.dates import add_months, month_key
from zhongchuang.engine.policy import ParamScalar, Policy
from zhongchuang.engine.results import Window
from zhongchuang.facts.models import Facts

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class EvaluationContext:
    as_of: date
    window: Window  # 近一年 (R − 12 months, R], or the cultivation year
    previous_window: Window
    period: Window | None = None  # a whole cultivation period, for 培育期间 targets
    notice_month: str | None = None
    year: int | None = None
    notes: tuple[str, ...] = field(default=())

    def values(self) -> dict[str, Any]:
        period = self.period or self.window
        return {
            "as_of": self.as_of,
            "window_start": self.window.start_exclusive,
            "window_end": self.window.end_inclusive,
            "prev_window_start": self.previous_window.start_exclusive,
            "prev_window_end": self.previous_window.end_inclusive,
            "period_start": period.start_exclusive,
            "period_end": period.end_inclusive,
            "notice_month": self.notice_month,
        }


def today_in_shanghai() -> date:
    return datetime.now(SHANGHAI).date()


def year_window(end_inclusive: date, months: int = 12) -> Window:
    return Window(start_exclusive=add_months(end_inclusive, -months), end_inclusive=end_inclusive)


def _whole_number(value: ParamScalar) -> int:
    """A parameter read as an integer, as `int(value)` would; a list has no integer value."""
    if isinstance(value, list):
        raise TypeError(f"expected a whole number, got a list: {value!r}")
    return int(value)


def build_context(
    policy: Policy, facts: Facts | None = None, as_of: date | None = None, year: int | None = None
) -> EvaluationContext:
    """R defaults to the round's reference date (Xiamen: the deadline), else the facts' date, else today.

    Shanghai targets count in a cultivation year: `year` N is the N-th year from the
    cultivation start (or calendar year N when the policy counts calendar years).
    """
    notes: list[str] = []
    months = (
        _whole_number(policy.parameters["recent_window_months"].at(as_of or date.today()))
        if "recent_window_months" in policy.parameters
        else 12
    )
    rules = policy.cultivation
    start = facts.cultivation.start_date if facts and facts.cultivation else None
    window: Window | None = None
    if year is not None and rules is not None:
        if rules.year_basis == "calendar_year":
            window = Window(start_exclusive=date(year - 1, 12, 31), end_inclusive=date(year, 12, 31))
        elif start is None:
            notes.append(
                "没有培育项目起始日，培育年度按截止日前一年计算 / no cultivation start date: the year is the 12 months before R"
            )
        else:
            window = Window(
                start_exclusive=add_months(start, 12 * (year - 1)) - timedelta(days=1),
                end_inclusive=add_months(start, 12 * year) - timedelta(days=1),
            )
    if as_of is None:
        if window is not None:
            as_of = window.end_inclusive
        elif policy.round is not None:
            as_of = policy.round.reference_date
        elif facts is not None and facts.as_of is not None:
            as_of = facts.as_of
        else:
            as_of = today_in_shanghai()
    window = window or year_window(as_of, months)
    previous = Window(
        start_exclusive=add_months(window.start_exclusive, -12),
        end_inclusive=add_months(window.end_inclusive, -12),
    )
    period = None
    if rules is not None and start is not None:
        end = add_months(start, rules.period_months) - timedelta(days=1)
        period = Window(
            start_exclusive=start - timedelta(days=1),
            end_inclusive=min(end, max(as_of, window.end_inclusive)),
        )
    notice = month_key(policy.round.notice_date) if policy.round else None
    return EvaluationContext(as_of, window, previous, period, notice, year, tuple(notes))
