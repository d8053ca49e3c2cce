"""Statuses and three-valued thresholds, shared in meaning by both backends.

A status is ranked pass < needs_review < missing_data < fail. "All of" takes the worst rank,
"any of" (the texts' 或) the best: so a failing alternative never hides a passing one, and
a missing fact is never reported as a failure. Measures are intervals [low, high]: low counts
only rows known to qualify, high also those whose data is missing (None = unbounded).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from fractions import Fraction


class Status(IntEnum):
    PASS = 0
    NEEDS_REVIEW = 1
    MISSING_DATA = 2
    FAIL = 3

    @property
    def code(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> Status:
        return cls[code.upper()]


VERDICTS = {
    Status.PASS: "eligible",
    Status.NEEDS_REVIEW: "needs_review",
    Status.MISSING_DATA: "incomplete",
    Status.FAIL: "ineligible",
}


def status_of(kind: str, truth: bool | None) -> Status:
    """A: pass/fail by itself; E: pass once data and evidence hold; J and M: a reviewer decides."""
    if truth is False:
        return Status.FAIL
    if truth is None:
        return Status.MISSING_DATA
    return Status.NEEDS_REVIEW if kind in ("J", "M") else Status.PASS


def worst(statuses: Iterable[Status]) -> Status:
    return max(statuses, default=Status.PASS)


def best(statuses: Iterable[Status]) -> Status:
    return min(statuses, default=Status.FAIL)


Interval = tuple[int, int | None]  # (known low, high or None when unbounded)


def add_intervals(parts: Iterable[Interval]) -> Interval:
    low, high = 0, 0
    unbounded = False
    for part_low, part_high in parts:
        low += part_low
        if part_high is None:
            unbounded = True
        else:
            high += part_high
    return low, None if unbounded else high


def threshold_truth(measure: Interval, op: str, threshold: int) -> bool | None:
    low, high = measure
    if op == "at_least":
        if low >= threshold:
            return True
        return False if high is not None and high < threshold else None
    if op == "greater_than":
        if low > threshold:
            return True
        return False if high is not None and high <= threshold else None
    if op == "at_most":
        if high is not None and high <= threshold:
            return True
        return False if low > threshold else None
    raise ValueError(op)


def ratio_truth(numerator: Interval, denominator: Interval, op: str, share: Fraction) -> bool | None:
    """numerator / denominator against `share` by integer cross-multiplication, never floats.

    An empty denominator fails: a share of nothing is not a concentration.
    """
    p, q = share.numerator, share.denominator
    n_low, n_high = numerator
    d_low, d_high = denominator
    if d_high == 0:
        return False
    strict = op == "greater_than"
    worst_ok = d_high is not None and (q * n_low > p * d_high if strict else q * n_low >= p * d_high)
    if worst_ok and d_low > 0:
        return True
    if n_high is not None:
        best_fails = q * n_high <= p * d_low if strict else q * n_high < p * d_low
        if best_fails and d_low > 0:
            return False
    return None


def compare_truth(left: Interval, op: str, right: Interval) -> bool | None:
    if op in ("lt", "le"):
        return compare_truth(right, "gt" if op == "lt" else "ge", left)
    l_low, l_high = left
    r_low, r_high = right
    strict = op == "gt"
    if r_high is not None and (l_low > r_high if strict else l_low >= r_high):
        return True
    if l_high is not None and (l_high <= r_low if strict else l_high < r_low):
        return False
    return None
