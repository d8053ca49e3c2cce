"""Policy cases: a sentence, a date, facts (a base file plus edits) and the expected statuses.

Edits keep cases short and make boundaries obvious: `set` replaces values at key paths such as
`sites[0].leases[0].end_date`, `append` adds rows to lists, `remove` deletes rows.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from zhongchuang.engine.evaluate import evaluate, status_map
from zhongchuang.engine.results import EvaluationResult
from zhongchuang.facts import parse_facts

PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass
class PolicyCase:
    name: str
    policy: str
    facts: dict[str, Any]
    expect: dict[str, str]
    as_of: date | None = None
    year: int | None = None
    expect_fallback: str | None = None
    source: str = ""

    def run(self) -> tuple[EvaluationResult, list[str]]:
        """Evaluate and return the result with every mismatch, described."""
        result = evaluate(parse_facts(self.facts), self.policy, as_of=self.as_of, year=self.year)
        statuses = status_map(result)
        mismatches = [
            f"{key}: expected {wanted}, got {statuses.get(key, 'no such id')}"
            for key, wanted in self.expect.items()
            if statuses.get(key) != wanted
        ]
        if self.expect_fallback is not None:
            got = result.fallback.verdict if result.fallback else None
            if got != self.expect_fallback:
                mismatches.append(f"fallback: expected {self.expect_fallback}, got {got}")
        return result, mismatches


def parse_path(path: str) -> list[str | int]:
    return [int(index) if index else key for key, index in PATH_PART.findall(path)]


def apply_edits(data: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for path, value in (case.get("set") or {}).items():
        *parents, last = parse_path(path)
        target: Any = data
        for part in parents:
            target = target[part]
        target[last] = value
    for path, rows in (case.get("append") or {}).items():
        *parents, last = parse_path(path)
        target = data
        for part in parents:
            target = target[part]
        target.setdefault(last, []).extend(rows)
    for path in sorted(case.get("remove") or [], key=lambda p: parse_path(p), reverse=True):
        *parents, last = parse_path(path)
        target = data
        for part in parents:
            target = target[part]
        del target[last]
    return data


def _jsonable(value: Any) -> Any:
    """YAML reads dates as dates; facts are JSON, so turn them back into ISO text."""
    return json.loads(json.dumps(value, default=str))


def load_cases(path: Path, root: Path) -> list[PolicyCase]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    base: dict[str, Any] = {}
    if document.get("base"):
        base = json.loads((root / document["base"]).read_text(encoding="utf-8"))
    cases = []
    for raw in document["cases"]:
        facts = _jsonable(raw["facts"]) if "facts" in raw else apply_edits(base, _jsonable(raw))
        cases.append(
            PolicyCase(
                name=raw["name"],
                policy=raw.get("policy", document["policy"]),
                facts=facts,
                expect={key: str(value) for key, value in raw["expect"].items()},
                as_of=raw.get("as_of"),
                year=raw.get("year", document.get("year")),
                expect_fallback=raw.get("expect_fallback"),
                source=str(path),
            )
        )
    return cases


def explain(result: EvaluationResult) -> str:
    """The explanation tree, as printed when a case fails."""
    lines = [
        f"verdict: {result.verdict} (as of {result.as_of}, policy {result.policy_id}@{result.policy_version})"
    ]
    for criterion in result.criteria:
        lines.append(f"  {criterion.id} {criterion.status}: {criterion.title_zh}")
        for check in criterion.checks:
            lines.append(f"    {check.id} {check.status}: {check.explanation_zh}")
    return "\n".join(lines)
