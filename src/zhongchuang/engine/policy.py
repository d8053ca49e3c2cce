"""Policy files: the strict YAML loader and the model it fills.

A policy file holds the criteria of one policy in the order of its text, each with its
verbatim clause and citation, sub-checks written in a closed vocabulary over named facts
(`catalogue`), and parameters with the dates they took effect. Anything unknown — a key, a
named fact, a parameter, an operator — is refused with the file and the key path.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from zhongchuang.engine import catalogue
from zhongchuang.errors import PolicyError, Problem, UnknownPolicy
from zhongchuang.facts.load import problems_from_validation

Day = date  # a field called `date` would shadow the type in its own annotation
Kind = Literal["A", "E", "J", "M"]
CheckId = Annotated[str, StringConstraints(pattern=r"^(XM25-[CS]-\d+[a-z]?|SH-(PRO|BRD|INT)-[BT]\d+[a-z]?)$")]
FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
TEST_OPERATORS = ("holds", "every", "filter", "count", "sum", "distinct", "add", "ratio", "compare", "review")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Source(Strict):
    issuer: str
    title: str
    date: Day | None = None
    number: str | None = None
    legal_basis: str | None = None
    text_file: str  # the policy text under shared/policy-texts, quoted verbatim by every clause
    note: str | None = None


class Round(Strict):
    id: str
    notice_date: date
    deadline: date
    deadline_rule: Literal["postmark", "received"]
    reference_date: date
    receiving_hours: str | None = None


class CultivationRules(Strict):
    period_months: int = Field(gt=0)
    year_basis: Literal["cultivation_year", "calendar_year"]


ParamScalar = int | bool | str | list[str]


class ParamValue(Strict):
    effective_from: date = Field(alias="from")
    value: ParamScalar


class Parameter(Strict):
    label: Text
    cite: str = Field(min_length=1)
    unit: str | None = None
    values: list[ParamValue] = Field(min_length=1)

    def at(self, day: date) -> ParamScalar:
        """The value in force on `day` (the earliest one if `day` precedes them all)."""
        ordered = sorted(self.values, key=lambda value: value.effective_from)
        current = ordered[0].value
        for value in ordered:
            if value.effective_from <= day:
                current = value.value
        return current


class MeasureSpec(Strict):
    """What is measured: rows counted, a column summed, distinct values, or a sum of measures."""

    count: str | None = None
    sum: str | None = None
    distinct: str | None = None
    of: str | None = None
    add: list[MeasureSpec] | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> MeasureSpec:
        chosen = [name for name in ("count", "sum", "distinct", "add") if getattr(self, name) is not None]
        if len(chosen) != 1:
            raise ValueError(
                "需要且只能有 count、sum、distinct、add 之一 / exactly one of count, sum, distinct, add"
            )
        if (self.sum or self.distinct) and not self.of:
            raise ValueError("sum 与 distinct 需要 of（列名）/ sum and distinct need `of` (a column)")
        return self


class RatioSpec(Strict):
    numerator: MeasureSpec
    denominator: MeasureSpec


class CompareSpec(Strict):
    left: MeasureSpec
    op: Literal["gt", "ge", "lt", "le"]
    right: MeasureSpec


class TestSpec(MeasureSpec):
    """A sub-check's automatic part, in the closed vocabulary (see docs/policy-authoring.md)."""

    holds: str | None = None
    every: str | None = None
    filter: str | None = None
    condition: str | None = None
    ratio: RatioSpec | None = None
    compare: CompareSpec | None = None
    review: Literal[True] | None = None
    at_least: str | None = None
    greater_than: str | None = None
    at_most: str | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> TestSpec:
        chosen = [name for name in TEST_OPERATORS if getattr(self, name) is not None]
        if len(chosen) != 1:
            raise ValueError(
                f"需要且只能有一个运算符：{'、'.join(TEST_OPERATORS)} / exactly one operator of {', '.join(TEST_OPERATORS)}"
            )
        thresholds = [name for name in ("at_least", "greater_than", "at_most") if getattr(self, name)]
        needs_threshold = chosen[0] in ("count", "sum", "distinct", "add", "ratio")
        if needs_threshold and len(thresholds) != 1:
            raise ValueError(
                "需要 at_least、greater_than 或 at_most 之一 / needs one of at_least, greater_than, at_most"
            )
        if not needs_threshold and thresholds:
            raise ValueError(f"{chosen[0]} 不带阈值 / {chosen[0]} takes no threshold")
        if chosen[0] in ("sum", "distinct") and not self.of:
            raise ValueError("sum 与 distinct 需要 of（列名）/ sum and distinct need `of` (a column)")
        if (self.filter is None) != (self.condition is None):
            raise ValueError("filter 与 condition 需同时给出 / filter and condition go together")
        return self

    @property
    def operator(self) -> str:
        return next(name for name in TEST_OPERATORS if getattr(self, name) is not None)

    @property
    def threshold(self) -> tuple[str, str] | None:
        for name in ("at_least", "greater_than", "at_most"):
            value = getattr(self, name)
            if value:
                return name, value
        return None


EvidenceGroup = str | list[str]


class CheckSpec(Strict):
    id: CheckId
    kind: Kind
    label: Text
    clause: str = Field(min_length=1)
    test: TestSpec
    evidence: list[EvidenceGroup] = []
    review: Text | None = None  # what a reviewer must verify
    informative: bool = False  # reported, but not part of the criterion's rule (e.g. 优先支持)


class Rule(Strict):
    all_of: list[str | Rule] | None = None
    any_of: list[str | Rule] | None = None

    @model_validator(mode="after")
    def _one(self) -> Rule:
        if (self.all_of is None) == (self.any_of is None):
            raise ValueError("规则需要 all_of 或 any_of 之一 / a rule needs exactly one of all_of, any_of")
        return self

    def ids(self) -> Iterator[str]:
        for item in self.all_of or self.any_of or []:
            if isinstance(item, str):
                yield item
            else:
                yield from item.ids()


class Criterion(Strict):
    id: CheckId
    group: Literal["basic", "target"] | None = None
    title: Text
    clause: str = Field(min_length=1)
    cite: str = Field(min_length=1)
    kind: Kind
    checks: list[CheckSpec] = Field(min_length=1)
    rule: Rule | None = None

    def effective_rule(self) -> Rule:
        return self.rule or Rule(all_of=[check.id for check in self.checks if not check.informative])


class Policy(Strict):
    id: str
    title: Text
    jurisdiction: Literal["xiamen", "shanghai"]
    source: Source
    round: Round | None = None
    cultivation: CultivationRules | None = None
    fallback: str | None = None  # the policy an application falls back to (the notice's 注意事项)
    parameters: dict[str, Parameter]
    criteria: list[Criterion] = Field(min_length=1)
    version: str = ""  # filled by the loader: a hash of the file

    def param_values(self, day: date) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, parameter in self.parameters.items():
            value = parameter.at(day)
            match = FRACTION.match(value) if isinstance(value, str) else None
            values[name] = Fraction(int(match[1]), int(match[2])) if match else value
            if isinstance(value, list):
                values[name] = tuple(value)
        return values


# --- loading -----------------------------------------------------------------------------------


def policy_dir() -> Path:
    """The policies shipped with the package, or the repository's `policies/` in a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "policies"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "policies"


def policy_ids() -> list[str]:
    return sorted(path.stem for path in policy_dir().glob("*.yaml"))


@cache
def load_policy(policy_id: str) -> Policy:
    path = policy_dir() / f"{policy_id}.yaml"
    if not path.is_file():
        raise UnknownPolicy(
            [
                Problem(
                    policy_id,
                    f"未知的政策，可选：{'、'.join(policy_ids())}",
                    f"unknown policy; available: {', '.join(policy_ids())}",
                )
            ]
        )
    return load_policy_file(path)


def load_policy_file(path: Path) -> Policy:
    raw = path.read_bytes()
    where = str(path)
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark else where
        raise PolicyError([Problem(at, f"YAML 语法错误：{error}", f"YAML syntax error: {error}")]) from None
    if not isinstance(data, dict):
        raise PolicyError([Problem(where, "政策文件应为映射", "a policy file must be a mapping")])
    try:
        policy = Policy.model_validate(data)
    except ValidationError as error:
        raise PolicyError(_vocabulary_hints(problems_from_validation(error, where))) from None
    problems = reference_problems(policy, where)
    if policy.id != path.stem:
        problems.append(
            Problem(
                f"{where}: id", f"id 应与文件名一致：{path.stem}", f"id must match the file name: {path.stem}"
            )
        )
    if problems:
        raise PolicyError(problems)
    return policy.model_copy(update={"version": hashlib.sha256(raw).hexdigest()[:16]})


def _vocabulary_hints(problems: list[Problem]) -> list[Problem]:
    hinted = []
    for problem in problems:
        if ".test." in problem.where and problem.en.startswith("unknown field"):
            problem = Problem(
                problem.where,
                f"不在条件词汇表内；可用：{'、'.join(TEST_OPERATORS)}",
                f"not in the condition vocabulary; use one of {', '.join(TEST_OPERATORS)}",
            )
        hinted.append(problem)
    return hinted


def reference_problems(policy: Policy, where: str) -> list[Problem]:
    """Named facts, columns, parameters and check ids that a policy mentions must exist."""
    problems: list[Problem] = []
    row_sets, quantities = catalogue.all_row_sets(), catalogue.all_quantities()
    seen: set[str] = set()

    def problem(path: str, zh: str, en: str) -> None:
        problems.append(Problem(f"{where}: {path}", zh, en))

    def check_param(path: str, name: str) -> None:
        if name not in policy.parameters:
            problem(path, f"未定义的参数“{name}”", f"undefined parameter {name!r}")

    def check_row_set(path: str, name: str) -> None:
        if name not in row_sets:
            problem(path, f"未知的命名事实“{name}”", f"unknown named fact {name!r}")
            return
        for needed in sorted(row_sets[name].params()):
            check_param(path, needed)

    def check_measure(path: str, measure: MeasureSpec) -> None:
        for key in ("count", "sum", "distinct"):
            name = getattr(measure, key)
            if name:
                check_row_set(f"{path}.{key}", name)
        if measure.of and measure.of not in quantities:
            problem(f"{path}.of", f"未知的数量列“{measure.of}”", f"unknown quantity column {measure.of!r}")
        for index, part in enumerate(measure.add or []):
            check_measure(f"{path}.add[{index}]", part)

    for c_index, criterion in enumerate(policy.criteria):
        check_ids = set()
        for k_index, check in enumerate(criterion.checks):
            path = f"criteria[{c_index}].checks[{k_index}]"
            if check.id in seen:
                problem(f"{path}.id", f"编号“{check.id}”重复", f"duplicate id {check.id!r}")
            if not check.id.startswith(criterion.id):
                problem(
                    f"{path}.id",
                    f"子项编号应以“{criterion.id}”开头",
                    f"a sub-check id must start with {criterion.id!r}",
                )
            seen.add(check.id)
            check_ids.add(check.id)
            test = check.test
            for key in ("holds", "every", "filter"):
                name = getattr(test, key)
                if name:
                    check_row_set(f"{path}.test.{key}", name)
                    if key == "holds" and name in row_sets and row_sets[name].table != "space":
                        problem(
                            f"{path}.test.holds",
                            "holds 只用于众创空间层面的事实",
                            "holds takes a space-level fact",
                        )
            if test.filter and test.condition and test.filter in row_sets:
                try:
                    row_sets[test.filter].condition(test.condition)
                except KeyError:
                    problem(
                        f"{path}.test.condition",
                        f"“{test.filter}”没有条件“{test.condition}”",
                        f"{test.filter!r} has no condition {test.condition!r}",
                    )
            if test.operator in ("count", "sum", "distinct", "add"):
                check_measure(f"{path}.test", test)
            if test.ratio:
                check_measure(f"{path}.test.ratio.numerator", test.ratio.numerator)
                check_measure(f"{path}.test.ratio.denominator", test.ratio.denominator)
            if test.compare:
                check_measure(f"{path}.test.compare.left", test.compare.left)
                check_measure(f"{path}.test.compare.right", test.compare.right)
            if test.threshold:
                check_param(f"{path}.test.{test.threshold[0]}", test.threshold[1])
        for rule_id in criterion.effective_rule().ids():
            if rule_id not in check_ids:
                problem(
                    f"criteria[{c_index}].rule",
                    f"规则引用了未知子项“{rule_id}”",
                    f"the rule names an unknown check {rule_id!r}",
                )
    for name, parameter in policy.parameters.items():
        dates = [value.effective_from for value in parameter.values]
        if len(set(dates)) != len(dates):
            problem(
                f"parameters.{name}.values",
                "同一生效日期有多个取值",
                "two values take effect on the same date",
            )
    if policy.fallback and policy.fallback not in policy_ids():
        problem("fallback", f"未知的政策“{policy.fallback}”", f"unknown policy {policy.fallback!r}")
    return problems
