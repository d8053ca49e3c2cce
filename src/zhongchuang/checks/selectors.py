"""Reads for the self-check pages. Everything goes through the bridge's cached evaluation.

The one exception is the Shanghai cultivation-year view: the bridge evaluates at the policy's
default date, so a chosen year N is evaluated here from the bridge's lenient facts, cached by the
same data version so a reload after an edit still shows the new status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.http import Http404

from zhongchuang.bridge.services import SelfCheck, lenient_facts, space_evaluation, space_facts_data
from zhongchuang.engine.evaluate import evaluate
from zhongchuang.engine.policy import Policy, load_policy, policy_ids
from zhongchuang.engine.results import CheckResult, CriterionResult, EvaluationResult
from zhongchuang.errors import FactsError
from zhongchuang.spaces.models import Space

BLOCKING = ("fail", "missing_data")
QUALIFYING = (
    "eligible",
    "needs_review",
)  # needs_review: every automatic check passed, a reviewer decides the rest
OPERATOR_WORDS = {"at_least": "需不少于", "greater_than": "需大于", "at_most": "需不超过"}
MAX_REASONS_PER_CRITERION = 2
MAX_REASON_CHARS = 90


def policy_or_404(policy_id: str) -> Policy:
    if policy_id not in policy_ids():
        raise Http404
    return load_policy(policy_id)


def cultivation_years(policy: Policy) -> list[int]:
    """The years a Shanghai cultivation period spans (1..3 for 36 months); none for Xiamen."""
    if policy.cultivation is None:
        return []
    return list(range(1, (policy.cultivation.period_months + 11) // 12 + 1))


def self_check(space: Space, policy_id: str, year: int | None = None) -> SelfCheck:
    """The live self-check; with `year` (Shanghai only), that cultivation year's evaluation."""
    if year is None:
        return space_evaluation(space, policy_id)
    policy = load_policy(policy_id)
    key = f"selfcheck-year:{space.pk}:{space.data_version}:{policy.id}:{policy.version}:{year}"
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    try:
        facts, problems = lenient_facts(space_facts_data(space))
        check = SelfCheck(evaluate(facts, policy, year=year), problems)
    except FactsError as error:
        check = SelfCheck(None, error.problems)
    cache.set(key, check, timeout=3600)
    return check


def short_reason(check: CheckResult) -> str:
    """One line from a sub-check's figures: "聚焦领域的在孵团队和企业9个（要求不少于8个）".

    The explanation's first clause carries the figures and the threshold; row notes and the
    missing-evidence tail are left to the policy page. An incomplete check says what is missing.
    """
    clauses = [part for part in check.explanation_zh.replace("。", "；").split("；") if part]
    text = clauses[0] if clauses else check.label_zh
    if check.status == "missing_data":
        missing = [item.label for item in check.evidence if not item.present]
        if missing:
            text = f"{check.label_zh}：缺少佐证（{'、'.join(missing)}）"
        elif check.unknown:
            text = f"{text}；{len(check.unknown)}条记录数据不全"
    if len(text) > MAX_REASON_CHARS:
        text = text[: MAX_REASON_CHARS - 1] + "…"
    return text


@dataclass(frozen=True)
class Blocker:
    criterion: CriterionResult
    reasons: list[str]

    @property
    def line(self) -> str:
        """ "专业化…：聚焦领域的在孵团队和企业9个，占…（要求不少于2/3）"."""
        return f"{self.criterion.title_zh}：{'；'.join(self.reasons)}"


def blockers(result: EvaluationResult) -> list[Blocker]:
    """The failing and incomplete criteria, each with at most a few one-line reasons."""
    out = []
    for criterion in result.criteria:
        if criterion.status not in BLOCKING:
            continue
        checks = [c for c in criterion.checks if c.status == criterion.status and not c.informative]
        checks = checks or [c for c in criterion.checks if c.status in BLOCKING and not c.informative]
        reasons = [short_reason(c) for c in checks[:MAX_REASONS_PER_CRITERION]]
        if len(checks) > MAX_REASONS_PER_CRITERION:
            reasons.append(f"另有{len(checks) - MAX_REASONS_PER_CRITERION}项")
        out.append(Blocker(criterion, reasons or [criterion.explanation_zh[:MAX_REASON_CHARS]]))
    return out


@dataclass(frozen=True)
class PolicySummary:
    policy_id: str
    title_zh: str
    check: SelfCheck
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def verdict(self) -> str | None:
        return self.check.result.verdict if self.check.result else None


def all_self_checks(space: Space) -> dict[str, SelfCheck]:
    """Every policy's self-check from one read of the facts (the bridge reads them once per policy).

    Same inputs and semantics as `space_evaluation` (lenient draft facts, the policy's default
    date), cached by the space's data version and every policy's version.
    """
    policies = [load_policy(policy_id) for policy_id in policy_ids()]
    key = f"selfcheck-all:{space.pk}:{space.data_version}:" + ",".join(p.version for p in policies)
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    try:
        facts, problems = lenient_facts(space_facts_data(space))
        checks = {policy.id: SelfCheck(evaluate(facts, policy), problems) for policy in policies}
    except FactsError as error:
        checks = {policy.id: SelfCheck(None, error.problems) for policy in policies}
    cache.set(key, checks, timeout=3600)
    return checks


def overview(space: Space) -> list[PolicySummary]:
    """For every policy: the verdict and the shortest list of what blocks it."""
    summaries = []
    for policy_id, check in all_self_checks(space).items():
        found = blockers(check.result) if check.result else []
        summaries.append(PolicySummary(policy_id, load_policy(policy_id).title.zh, check, found))
    return summaries


@dataclass(frozen=True)
class EvidenceLine:
    check_id: str
    label: str
    present: bool


@dataclass(frozen=True)
class CriterionEvidence:
    criterion: CriterionResult
    present: list[EvidenceLine]
    missing: list[EvidenceLine]
    rows_missing: list[str]  # "X公司：缺少 入孵协议" — rows whose own evidence is missing

    @property
    def complete(self) -> bool:
        return not self.missing and not self.rows_missing


def missing_row_evidence(check: CheckResult) -> list[str]:
    """Row notes that say a row's evidence is missing (the engine words them "缺少 …")."""
    return [note.zh for note in (*check.excluded, *check.unknown) if "缺少" in note.zh]


def evidence_checklist(result: EvaluationResult) -> list[CriterionEvidence]:
    """Per criterion: the evidence kinds present and those still missing, de-duplicated by label."""
    out = []
    for criterion in result.criteria:
        present: dict[str, EvidenceLine] = {}
        missing: dict[str, EvidenceLine] = {}
        rows: list[str] = []
        for check in criterion.checks:
            for item in check.evidence:
                line = EvidenceLine(check.id, item.label, item.present)
                (present if item.present else missing).setdefault(item.label, line)
            rows += [note for note in missing_row_evidence(check) if note not in rows]
        out.append(CriterionEvidence(criterion, list(present.values()), list(missing.values()), rows))
    return out


def criterion_missing_evidence(criterion: CriterionResult) -> list[str]:
    labels: list[str] = []
    for check in criterion.checks:
        for item in check.evidence:
            if not item.present and item.label not in labels:
                labels.append(item.label)
    return labels


def criterion_views(result: EvaluationResult) -> list[dict[str, Any]]:
    """What the policy page shows per criterion, with the evidence still missing and the rows left out."""
    return [
        {
            "criterion": criterion,
            "missing_evidence": criterion_missing_evidence(criterion),
            "excluded": sum(len(check.excluded) for check in criterion.checks),
        }
        for criterion in result.criteria
    ]
