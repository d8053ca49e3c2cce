"""The single path: one space's facts, a policy and a date → an explained result tree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from zhongchuang import __version__
from zhongchuang.engine import catalogue
from zhongchuang.engine.catalogue import Figure, Quantity, RowSet
from zhongchuang.engine.context import EvaluationContext, build_context
from zhongchuang.engine.expr import Expr, columns_of
from zhongchuang.engine.logic import (
    VERDICTS,
    Interval,
    Status,
    add_intervals,
    best,
    compare_truth,
    ratio_truth,
    status_of,
    threshold_truth,
    worst,
)
from zhongchuang.engine.policy import CheckSpec, Criterion, MeasureSpec, Policy, Rule, load_policy
from zhongchuang.engine.results import (
    CheckResult,
    CriterionResult,
    EvaluationResult,
    EvidenceItem,
    Fallback,
    RowNote,
    Threshold,
)
from zhongchuang.engine.rowwise import Compiled, Env, Row, compile_row, kleene_and
from zhongchuang.facts.labels import document_label
from zhongchuang.facts.models import Facts
from zhongchuang.facts.tables import Tables, flatten

OPERATOR_WORDS = {
    "at_least": ("不少于", "at least"),
    "greater_than": ("大于", "more than"),
    "at_most": ("不超过", "at most"),
}


@cache
def compiled_expr(expr: Expr) -> Compiled:
    """Expressions are module-level constants, compiled once per process (keyed by identity)."""
    return compile_row(expr)


@dataclass(frozen=True)
class CompiledRowSet:
    definition: RowSet
    figures: Mapping[str, Figure]


@cache
def compiled(name: str) -> CompiledRowSet:
    definition = catalogue.row_set(name)
    figures = {key: figure for c in definition.conditions for key, figure in c.figures.items()}
    return CompiledRowSet(definition, figures)


class SpaceEvaluator:
    """Evaluates one policy's checks over one space's tables."""

    def __init__(self, tables: Tables, policy: Policy, context: EvaluationContext) -> None:
        self.tables = tables
        self.policy = policy
        self.context = context
        self.params = policy.param_values(context.as_of)
        self.env = Env(context.values(), self.params, tables)
        self.space_row = tables["space"][0]
        self._truths: dict[str, list[bool | None]] = {}
        self._values: dict[tuple[str, int], list[Any]] = {}
        self._notes: dict[tuple[str, str | None], tuple[list[RowNote], list[RowNote], int]] = {}

    # --- rows and measures --------------------------------------------------------------------

    def values(self, table: str, expr: Expr) -> list[Any]:
        """An expression's value on every row of a table, computed once per evaluation."""
        key = (table, id(expr))
        if key not in self._values:
            function = compiled_expr(expr)
            self._values[key] = [function(row, self.env) for row in self.tables[table]]
        return self._values[key]

    def truths(self, name: str) -> list[bool | None]:
        """Each row's membership of a row set: in scope and passing every condition."""
        if name not in self._truths:
            definition = catalogue.row_set(name)
            scope = self.values(definition.table, definition.scope)
            tests = [self.values(definition.table, c.test) for c in definition.conditions]
            self._truths[name] = [
                False if scope[i] is False else kleene_and([scope[i], *(test[i] for test in tests)])
                for i in range(len(scope))
            ]
        return self._truths[name]

    def implied(self, name: str) -> list[bool | None]:
        """scope → conditions, row by row: what "every row in scope meets it" asks of each row."""
        definition = catalogue.row_set(name)
        scope = self.values(definition.table, definition.scope)
        tests = [self.values(definition.table, c.test) for c in definition.conditions]
        out: list[bool | None] = []
        for i, in_scope in enumerate(scope):
            meets = kleene_and([test[i] for test in tests])
            out.append(
                True
                if in_scope is False
                else meets
                if in_scope is True
                else (True if meets is True else None)
            )
        return out

    def count(self, name: str) -> Interval:
        truths = self.truths(name)
        known = truths.count(True)
        return known, known + truths.count(None)

    def total(self, name: str, column: str) -> Interval:
        row_set = compiled(name)
        low, high, unbounded = 0, 0, False
        for row, truth in zip(self.tables[row_set.definition.table], self.truths(name), strict=True):
            if truth is False:
                continue
            value = row.get(column)
            if value is None:
                unbounded = True
                continue
            high += value
            if truth:
                low += value
        return low, None if unbounded else high

    def distinct(self, name: str, column: str) -> Interval:
        row_set = compiled(name)
        known: set[Any] = set()
        possible: set[Any] = set()
        unknown_values = 0
        for row, truth in zip(self.tables[row_set.definition.table], self.truths(name), strict=True):
            value = row.get(column)
            if truth is False:
                continue
            if value is None:
                unknown_values += 1
                continue
            possible.add(value)
            if truth:
                known.add(value)
        return len(known), len(possible) + unknown_values

    def measure(self, spec: MeasureSpec) -> Interval:
        if spec.count:
            return self.count(spec.count)
        if spec.sum and spec.of:
            return self.total(spec.sum, spec.of)
        if spec.distinct and spec.of:
            return self.distinct(spec.distinct, spec.of)
        return add_intervals(self.measure(part) for part in spec.add or [])

    # --- explanations of rows -------------------------------------------------------------------

    def row_notes(
        self, row_set: CompiledRowSet, only: str | None = None
    ) -> tuple[list[RowNote], list[RowNote], int]:
        """Rows in scope left out (with every failed condition's reason) and rows undecided."""
        definition = row_set.definition
        key = (definition.id, only)
        if key in self._notes:
            return self._notes[key]
        rows = self.tables[definition.table]
        scope = self.values(definition.table, definition.scope)
        conditions = [
            (c, self.values(definition.table, c.test))
            for c in definition.conditions
            if not only or c.id == only
        ]
        excluded, unknown, in_scope = [], [], 0
        for i, row in enumerate(rows):
            if scope[i] is False:
                continue
            in_scope += 1
            failed = [c for c, values in conditions if values[i] is False]
            undecided = [c for c, values in conditions if values[i] is None]
            if failed:
                values = self.template_values(row, row_set)
                excluded.append(
                    RowNote(
                        id=str(row["id"]),
                        name=str(row["name"]),
                        zh="；".join(fmt(c.why_not[0], values) for c in failed),
                        en="; ".join(fmt(c.why_not[1], values) for c in failed),
                    )
                )
            elif undecided or scope[i] is None:
                tests = [c.test for c in undecided] or [definition.scope]
                missing = list(dict.fromkeys(c for t in tests for c in columns_of(t) if row.get(c) is None))
                unknown.append(
                    RowNote(
                        id=str(row["id"]),
                        name=str(row["name"]),
                        zh=f"{row['name']}：缺少 {'、'.join(missing) or '佐证材料'}",
                        en=f"{row['name']}: missing {', '.join(missing) or 'evidence'}",
                    )
                )
        self._notes[key] = (excluded, unknown, in_scope)
        return self._notes[key]

    def template_values(self, row: Row, row_set: CompiledRowSet) -> dict[str, Any]:
        context = self.context.values()
        values: dict[str, Any] = {**self.params, **context, **row}
        for key, figure in row_set.figures.items():
            try:
                values[key] = figure(row, context)
            except (TypeError, ValueError):
                values[key] = "?"
        return values

    # --- checks --------------------------------------------------------------------------------

    def evidence(self, check: CheckSpec) -> list[EvidenceItem]:
        present = set(self.space_row["doc_kinds"])
        items = []
        for group in check.evidence:
            kinds = [group] if isinstance(group, str) else list(group)
            items.append(
                EvidenceItem(
                    kinds=kinds,
                    label=" 或 ".join(document_label(k) for k in kinds),
                    present=any(kind in present for kind in kinds),
                )
            )
        return items

    def check(self, check: CheckSpec, cite: str) -> CheckResult:
        test = check.test
        figures: dict[str, Any] = {}
        excluded: list[RowNote] = []
        unknown: list[RowNote] = []
        threshold: Threshold | None = None
        zh: str
        en: str
        if test.review:
            truth: bool | None = True
            zh, en = "需由审核人员判断", "a reviewer decides"
        elif test.holds or test.every:
            name = test.holds or test.every or ""
            row_set = compiled(name)
            truth = kleene_and(self.implied(name))
            excluded, unknown, in_scope = self.row_notes(row_set)
            label = row_set.definition.label
            figures = {"in_scope": in_scope, "failing": len(excluded), "unknown": len(unknown)}
            zh, en = holds_text(label, truth, in_scope, excluded, unknown, every=bool(test.every))
        elif test.filter and test.condition:
            row_set = compiled(test.filter)
            excluded, unknown, in_scope = self.row_notes(row_set, only=test.condition)
            truth = True
            condition = row_set.definition.condition(test.condition)
            figures = {"in_scope": in_scope, "excluded": len(excluded), "unknown": len(unknown)}
            zh = f"{row_set.definition.label[0]}：范围内{in_scope}个，因本项排除{len(excluded)}个"
            en = f"{row_set.definition.label[1]}: {in_scope} in scope, {len(excluded)} left out by this test"
            zh += "：" + "；".join(note.zh for note in excluded) if excluded else "，均符合"
            en += ": " + "; ".join(note.en for note in excluded) if excluded else ", all meet it"
            del condition
        elif test.ratio:
            numerator, denominator = self.measure(test.ratio.numerator), self.measure(test.ratio.denominator)
            op, param = test.threshold or ("at_least", "")
            share = self.params[param]
            truth = ratio_truth(numerator, denominator, op, Fraction(share))
            threshold = Threshold(
                operator=op, value=f"{share}", parameter=param, cite=self.policy.parameters[param].cite
            )
            figures = {
                "numerator": numerator[0],
                "denominator": denominator[0],
                "numerator_unknown": _unknown(numerator),
                "denominator_unknown": _unknown(denominator),
                "required": str(share),
            }
            excluded, unknown = self.measure_notes(test.ratio.denominator)
            zh, en = ratio_text(
                self, test.ratio.numerator, test.ratio.denominator, numerator, denominator, op, share
            )
        elif test.compare:
            left, right = self.measure(test.compare.left), self.measure(test.compare.right)
            truth = compare_truth(left, test.compare.op, right)
            threshold = Threshold(operator="compare", value=test.compare.op)
            figures = {"left": left[0], "right": right[0]}
            zh = f"{measure_label(test.compare.left)[0]} {left[0]}，{measure_label(test.compare.right)[0]} {right[0]}"
            en = f"{measure_label(test.compare.left)[1]} {left[0]}, {measure_label(test.compare.right)[1]} {right[0]}"
        else:
            value = self.measure(test)
            op, param = test.threshold or ("at_least", "")
            scale, unit = measure_scale(test)
            raw = self.params[param]
            truth = threshold_truth(value, op, int(raw) * scale)
            threshold = Threshold(
                operator=op, value=f"{raw}{unit[0]}", parameter=param, cite=self.policy.parameters[param].cite
            )
            figures = {"value": _shown(value[0], scale), "unknown": _unknown(value, scale), "required": raw}
            excluded, unknown = self.measure_notes(test)
            zh, en = measure_text(test, value, op, raw, scale, unit, excluded, unknown)
        evidence = self.evidence(check)
        if evidence:
            truth = kleene_and([truth, True if all(item.present for item in evidence) else None])
            missing = [item.label for item in evidence if not item.present]
            if missing:
                zh += f"；缺少佐证：{'、'.join(missing)}"
                en += f"; evidence missing: {', '.join(k for item in evidence if not item.present for k in item.kinds)}"
        status = status_of(check.kind, truth)
        review = check.review
        return CheckResult(
            id=check.id,
            kind=check.kind,
            status=status.code,
            label_zh=check.label.zh,
            label_en=check.label.en,
            clause=check.clause,
            figures=figures,
            threshold=threshold,
            explanation_zh=zh,
            explanation_en=en,
            excluded=excluded,
            unknown=unknown,
            evidence=evidence,
            review_zh=review.zh if review else None,
            review_en=review.en if review else None,
            informative=check.informative,
        )

    def measure_notes(self, spec: MeasureSpec) -> tuple[list[RowNote], list[RowNote]]:
        name = spec.count or spec.sum or spec.distinct
        if not name:
            return [], []
        excluded, unknown, _ = self.row_notes(compiled(name))
        return excluded, unknown

    def criterion(self, criterion: Criterion) -> CriterionResult:
        checks = [self.check(check, criterion.cite) for check in criterion.checks]
        by_id = {check.id: Status.from_code(check.status) for check in checks}
        rule = criterion.effective_rule()
        status = rule_status(rule, by_id)
        branches = None
        if rule.any_of is not None or any(
            not isinstance(item, str) and item.any_of for item in rule.all_of or []
        ):
            branches = [
                item for item in _alternatives(rule) if by_id[item] in (Status.PASS, Status.NEEDS_REVIEW)
            ]
        zh, en = criterion_text(criterion, status, checks, branches)
        return CriterionResult(
            id=criterion.id,
            group=criterion.group,
            kind=criterion.kind,
            status=status.code,
            title_zh=criterion.title.zh,
            title_en=criterion.title.en,
            clause=criterion.clause,
            cite=criterion.cite,
            rule=rule_text(rule),
            branches_holding=branches,
            explanation_zh=zh,
            explanation_en=en,
            checks=checks,
        )


def rule_status(rule: Rule, statuses: Mapping[str, Status]) -> Status:
    items = [
        statuses[item] if isinstance(item, str) else rule_status(item, statuses)
        for item in (rule.all_of or rule.any_of or [])
    ]
    return worst(items) if rule.all_of is not None else best(items)


def rule_text(rule: Rule, nested: bool = False) -> str:
    parts = [
        item if isinstance(item, str) else rule_text(item, True)
        for item in (rule.all_of or rule.any_of or [])
    ]
    text = (" ∧ " if rule.all_of is not None else " ∨ ").join(parts)
    return f"({text})" if nested and len(parts) > 1 else text


def _alternatives(rule: Rule) -> list[str]:
    if rule.any_of is not None:
        return list(rule.ids())
    return [i for item in rule.all_of or [] if not isinstance(item, str) and item.any_of for i in item.ids()]


def measure_label(spec: MeasureSpec) -> tuple[str, str]:
    name = spec.count or spec.sum or spec.distinct
    if name:
        label = catalogue.row_set(name).label
        if spec.of:
            q = catalogue.quantity(spec.of)
            return f"{label[0]}{q.label[0]}", f"{q.label[1]} of {label[1]}"
        return label
    parts = [measure_label(part) for part in spec.add or []]
    return " + ".join(p[0] for p in parts), " + ".join(p[1] for p in parts)


def measure_scale(spec: MeasureSpec) -> tuple[int, tuple[str, str]]:
    if spec.of:
        q: Quantity = catalogue.quantity(spec.of)
        return q.scale, q.unit
    name = spec.count or spec.distinct
    if name:
        return 1, catalogue.row_set(name).unit
    scales = [measure_scale(part) for part in spec.add or []]
    return scales[0] if scales else (1, ("", ""))


def _shown(value: int, scale: int) -> int | float:
    return value // scale if value % scale == 0 else value / scale


def _unknown(value: Interval, scale: int = 1) -> int | float | None:
    return None if value[1] is None else _shown(value[1] - value[0], scale)


def fmt(template: str, values: Mapping[str, Any]) -> str:
    try:
        return template.format_map(_Display(values))
    except (KeyError, ValueError, IndexError):
        return template


class _Display(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return f"{{{key}}}"


def _notes(notes: list[RowNote], lang: int) -> str:
    shown = notes[:8]
    text = ("；" if lang == 0 else "; ").join(note.zh if lang == 0 else note.en for note in shown)
    if len(notes) > len(shown):
        text += (
            f"（另有{len(notes) - len(shown)}个）" if lang == 0 else f" (and {len(notes) - len(shown)} more)"
        )
    return text


def measure_text(
    spec: MeasureSpec,
    value: Interval,
    op: str,
    raw: Any,
    scale: int,
    unit: tuple[str, str],
    excluded: list[RowNote],
    unknown: list[RowNote],
) -> tuple[str, str]:
    label = measure_label(spec)
    word = OPERATOR_WORDS[op]
    zh = f"{label[0]}{_shown(value[0], scale)}{unit[0]}（要求{word[0]}{raw}{unit[0]}）"
    en = f"{label[1]}: {_shown(value[0], scale)}{unit[1] and ' ' + unit[1]} (required: {word[1]} {raw}{unit[1] and ' ' + unit[1]})"
    if excluded:
        zh += f"；未计入{len(excluded)}个：{_notes(excluded, 0)}"
        en += f"; {len(excluded)} not counted: {_notes(excluded, 1)}"
    if unknown:
        zh += f"；{len(unknown)}个数据不全：{_notes(unknown, 0)}"
        en += f"; {len(unknown)} with missing data: {_notes(unknown, 1)}"
    return zh, en


def ratio_text(
    evaluator: SpaceEvaluator,
    numerator_spec: MeasureSpec,
    denominator_spec: MeasureSpec,
    numerator: Interval,
    denominator: Interval,
    op: str,
    share: Fraction,
) -> tuple[str, str]:
    n_label, d_label = measure_label(numerator_spec), measure_label(denominator_spec)
    scale, unit = measure_scale(numerator_spec)
    n, d = numerator[0], denominator[0]
    # Truncated, never rounded up: 89.995 % must not read as 90.00 %.
    percent = f"{(10000 * n // d) / 100:.2f}%" if d else "—"
    word = OPERATOR_WORDS[op]
    zh = (
        f"{n_label[0]}{_shown(n, scale)}{unit[0]}，占{d_label[0]}{_shown(d, scale)}{unit[0]}的{percent}"
        f"（要求{word[0]}{share}，即{float(share) * 100:.2f}%）"
    )
    en = (
        f"{n_label[1]} {_shown(n, scale)} of {d_label[1]} {_shown(d, scale)} = {percent} "
        f"(required: {word[1]} {share}, i.e. {float(share) * 100:.2f}%)"
    )
    del evaluator
    return zh, en


def holds_text(
    label: tuple[str, str],
    truth: bool | None,
    in_scope: int,
    excluded: list[RowNote],
    unknown: list[RowNote],
    every: bool,
) -> tuple[str, str]:
    if truth:
        return (
            f"{label[0]}：符合" + (f"（{in_scope}项均符合）" if every else ""),
            f"{label[1]}: met" + (f" (all {in_scope})" if every else ""),
        )
    if truth is False:
        return f"{label[0]}：不符合：{_notes(excluded, 0)}", f"{label[1]}: not met: {_notes(excluded, 1)}"
    return f"{label[0]}：数据不全：{_notes(unknown, 0)}", f"{label[1]}: data missing: {_notes(unknown, 1)}"


STATUS_WORDS = {
    Status.PASS: ("符合", "met"),
    Status.NEEDS_REVIEW: ("自动检查通过，待审核确认", "automatic checks pass; a reviewer must confirm"),
    Status.MISSING_DATA: ("数据或材料不全", "data or evidence missing"),
    Status.FAIL: ("不符合", "not met"),
}


def criterion_text(
    criterion: Criterion, status: Status, checks: list[CheckResult], branches: list[str] | None
) -> tuple[str, str]:
    zh, en = STATUS_WORDS[status]
    zh, en = f"{criterion.id} {criterion.title.zh}：{zh}", f"{criterion.id} {criterion.title.en}: {en}"
    if branches is not None:
        zh += f"；满足的选项：{'、'.join(branches) or '无'}"
        en += f"; alternatives that hold: {', '.join(branches) or 'none'}"
    # A failing or incomplete criterion names what blocks it; a passing one shows the figures it stands on.
    blocking = [c for c in checks if c.status in ("fail", "missing_data") and not c.informative]
    shown = blocking if status in (Status.FAIL, Status.MISSING_DATA) and blocking else checks
    zh += "。" + "；".join(f"{c.id} {_check_summary(c, 0)}" for c in shown)
    en += ". " + "; ".join(f"{c.id} {_check_summary(c, 1)}" for c in shown)
    return zh, en


def _check_summary(check: CheckResult, lang: int) -> str:
    if check.kind == "J" and check.status == "needs_review" and (check.review_zh or check.review_en):
        return f"待审核：{check.review_zh}" if lang == 0 else f"for review: {check.review_en}"
    return check.explanation_zh if lang == 0 else check.explanation_en


# --- entry points ---------------------------------------------------------------------------------


def evaluate(
    facts: Facts, policy: Policy | str, as_of: Any = None, year: int | None = None, with_fallback: bool = True
) -> EvaluationResult:
    """Evaluate `facts` against `policy` at `as_of` (default: the round's reference date)."""
    policy = load_policy(policy) if isinstance(policy, str) else policy
    context = build_context(policy, facts, as_of=as_of, year=year)
    return evaluate_tables(flatten(facts), policy, context, with_fallback=with_fallback, facts=facts)


def evaluate_tables(
    tables: Tables,
    policy: Policy,
    context: EvaluationContext,
    with_fallback: bool = False,
    facts: Facts | None = None,
) -> EvaluationResult:
    evaluator = SpaceEvaluator(tables, policy, context)
    criteria = [evaluator.criterion(criterion) for criterion in policy.criteria]
    statuses = [Status.from_code(c.status) for c in criteria]
    groups = {}
    for group in ("basic", "target"):
        members = [Status.from_code(c.status) for c in criteria if c.group == group]
        if members:
            groups[group] = VERDICTS[worst(members)]
    fallback = None
    if with_fallback and policy.fallback and facts is not None:
        other = evaluate(facts, policy.fallback, as_of=context.as_of, with_fallback=False)
        fallback = Fallback(
            policy_id=other.policy_id,
            verdict=other.verdict,
            failing=[c.id for c in other.criteria if c.status == "fail"],
            missing=[c.id for c in other.criteria if c.status == "missing_data"],
        )
    counts = {
        status.code: sum(1 for c in criteria for k in c.checks if k.status == status.code)
        for status in Status
    }
    return EvaluationResult(
        policy_id=policy.id,
        policy_title_zh=policy.title.zh,
        policy_title_en=policy.title.en,
        policy_version=policy.version,
        engine_version=__version__,
        space_name=str(tables["space"][0]["name"]),
        as_of=context.as_of,
        window=context.window,
        period=context.period,
        cultivation_year=context.year,
        verdict=VERDICTS[worst(statuses)],
        groups=groups,
        counts=counts,
        criteria=criteria,
        fallback=fallback,
        notes=list(context.notes),
    )


def status_map(result: EvaluationResult) -> dict[str, str]:
    """Every criterion's and sub-check's status, flat: what the batch path must agree with."""
    out: dict[str, str] = {"verdict": result.verdict}
    for criterion in result.criteria:
        out[criterion.id] = criterion.status
        for check in criterion.checks:
            out[check.id] = check.status
    return out


Formatter = Callable[[EvaluationResult], str]
