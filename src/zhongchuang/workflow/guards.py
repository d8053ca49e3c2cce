"""Guards named in the workflow file: each returns the reason a step is refused (Chinese), or None.

Apps register their own guards next to the data they read (`@guard("receipt_accepted")` in
`review/guards.py`…); `guard_problems` runs the ones a step names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

GuardFunction = Callable[[Any, datetime], "str | None"]
GUARDS: dict[str, GuardFunction] = {}


def guard(name: str) -> Callable[[GuardFunction], GuardFunction]:
    def register(function: GuardFunction) -> GuardFunction:
        if name in GUARDS and GUARDS[name] is not function:
            raise ValueError(f"guard {name!r} registered twice")
        GUARDS[name] = function
        return function

    return register


def guard_problems(names: tuple[str, ...], application: Any, now: datetime) -> list[str]:
    """Every refusal, in the order the workflow file names the guards."""
    return [reason for name in names if (reason := GUARDS[name](application, now))]
