"""The result tree: what `zc evaluate --format json` prints and what the web app stores.

Stable keys (a contract, see docs/results-format.md): `verdict`, `criteria[].id`,
`criteria[].status`, `criteria[].checks[].id`, `criteria[].checks[].status`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

StatusCode = Literal["pass", "fail", "needs_review", "missing_data"]
VerdictCode = Literal["eligible", "ineligible", "incomplete", "needs_review"]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Threshold(Model):
    operator: Literal["at_least", "greater_than", "at_most", "compare"]
    value: str  # human form: "15", "1000 ㎡", "2/3"
    parameter: str | None = None
    cite: str | None = None


class RowNote(Model):
    """A row left out or undecided, and why (e.g. "X：入孵已26个月，超过24个月")."""

    id: str
    name: str
    zh: str
    en: str


class EvidenceItem(Model):
    kinds: list[str]
    label: str
    present: bool
    documents: list[str] = []


class CheckResult(Model):
    id: str
    kind: Literal["A", "E", "J", "M"]
    status: StatusCode
    label_zh: str
    label_en: str
    clause: str
    figures: dict[str, Any]
    threshold: Threshold | None = None
    explanation_zh: str
    explanation_en: str
    excluded: list[RowNote] = []
    unknown: list[RowNote] = []
    evidence: list[EvidenceItem] = []
    review_zh: str | None = None
    review_en: str | None = None
    informative: bool = False


class CriterionResult(Model):
    id: str
    group: Literal["basic", "target"] | None = None
    kind: Literal["A", "E", "J", "M"]
    status: StatusCode
    title_zh: str
    title_en: str
    clause: str
    cite: str
    rule: str  # e.g. "XM25-C-4a ∧ … ∧ (XM25-C-4f ∨ XM25-C-4g ∨ XM25-C-4h)"
    branches_holding: list[str] | None = None  # for 或 clauses: which alternatives hold
    explanation_zh: str
    explanation_en: str
    checks: list[CheckResult]


class Window(Model):
    start_exclusive: date
    end_inclusive: date


class Fallback(Model):
    policy_id: str
    verdict: VerdictCode
    failing: list[str]
    missing: list[str]


class EvaluationResult(Model):
    policy_id: str
    policy_title_zh: str
    policy_title_en: str
    policy_version: str
    engine_version: str
    space_name: str
    as_of: date
    window: Window
    period: Window | None = None
    cultivation_year: int | None = None
    verdict: VerdictCode
    groups: dict[str, VerdictCode] = {}
    counts: dict[StatusCode, int]
    criteria: list[CriterionResult]
    fallback: Fallback | None = None
    notes: list[str] = []
