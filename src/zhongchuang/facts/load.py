"""Reading a facts file: every problem at once, each with its key path, in Chinese and English."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from zhongchuang.errors import FactsError, Problem
from zhongchuang.facts.models import Facts

# pydantic error types → (zh, en) templates; {msg} is pydantic's own text for the rest.
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填字段", "required field is missing"),
    "extra_forbidden": ("未知字段（请检查拼写）", "unknown field (check the spelling)"),
    "date_from_datetime_parsing": ("日期格式应为 YYYY-MM-DD", "a date must be YYYY-MM-DD"),
    "date_parsing": ("日期格式应为 YYYY-MM-DD", "a date must be YYYY-MM-DD"),
    "date_type": ("应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD"),
    "int_parsing": ("应为整数", "expected an integer"),
    "int_type": ("应为整数", "expected an integer"),
    "int_from_float": ("应为整数", "expected an integer"),
    "decimal_parsing": ("应为数字", "expected a number"),
    "decimal_type": ("应为数字", "expected a number"),
    "decimal_max_places": ("小数位数过多（最多2位）", "too many decimal places (at most 2)"),
    "bool_parsing": ("应为 true 或 false", "expected true or false"),
    "bool_type": ("应为 true 或 false", "expected true or false"),
    "string_type": ("应为文本", "expected text"),
    "list_type": ("应为列表", "expected a list"),
    "model_type": ("应为对象", "expected an object"),
    "literal_error": ("取值不在允许范围内", "value not allowed"),
    "greater_than_equal": ("不能为负数", "must not be negative"),
    "string_pattern_mismatch": ("格式不正确", "wrong format"),
    "string_too_short": ("不能为空", "must not be empty"),
}


def key_path(loc: Iterable[str | int]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def problems_from_validation(error: ValidationError, where: str = "") -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        path = key_path(item["loc"])
        zh, en = _MESSAGES.get(item["type"], ("取值无效", "invalid value"))
        if item["type"] == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            zh, en = f"{zh}，可选：{expected}", f"{en}; expected {expected}"
        elif item["type"] == "value_error":
            zh, _, en = str(item["msg"]).removeprefix("Value error, ").partition(" / ")
            en = en or zh
        shown = f"{where}: {path}" if where and path else (where or path)
        value = item.get("input")
        if item["type"] != "missing" and isinstance(value, str | int | float) and not isinstance(value, bool):
            zh, en = f"{zh}（“{value}”）", f"{en} (got {value!r})"
        problems.append(Problem(shown, zh, en))
    return problems


def parse_facts(data: Any, where: str = "") -> Facts:
    """Validate decoded JSON into Facts, or raise FactsError with every problem."""
    try:
        facts = Facts.model_validate(data)
    except ValidationError as error:
        raise FactsError(problems_from_validation(error, where)) from None
    problems = integrity_problems(facts, where)
    if problems:
        raise FactsError(problems)
    return facts


def load_facts(path: str | Path) -> Facts:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FactsError([Problem(str(path), "文件不存在", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise FactsError(
            [Problem(str(path), f"无法读取文件：{error}", f"cannot read the file: {error}")]
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FactsError(
            [
                Problem(
                    f"{path}:{error.lineno}:{error.colno}",
                    f"不是有效的 JSON：{error.msg}",
                    f"not valid JSON: {error.msg}",
                )
            ]
        ) from None
    return parse_facts(data, str(path))


LINKS = {  # list → (field, list it points into)
    "mentor_sessions": [("mentor_id", "mentors"), ("incubatee_id", "incubatees")],
    "registrations": [("incubatee_id", "incubatees")],
    "financing": [("incubatee_id", "incubatees")],
    "ip_rights": [("incubatee_id", "incubatees")],
    "service_records": [("incubatee_id", "incubatees")],
    "cases": [("incubatee_id", "incubatees")],
    "international_projects": [("incubatee_id", "incubatees")],
}
RANGES = [  # (list, start field, end field)
    ("incubatees", "admitted_on", "agreed_end"),
    ("incubatees", "admitted_on", "exited_on"),
    ("staff", "hired_on", "left_on"),
    ("mentors", "appointed_from", "appointed_to"),
    ("partnerships", "valid_from", "valid_to"),
    ("advisory_contracts", "start_date", "end_date"),
    ("funds", "established_on", "dissolved_on"),
    ("brand_locations", "opened_on", "closed_on"),
]


def integrity_problems(facts: Facts, where: str = "") -> list[Problem]:
    """Ids unique per list, links and evidence pointing at rows that exist, ranges in order."""
    prefix = f"{where}: " if where else ""
    problems: list[Problem] = []
    document_ids = {document.id for document in facts.documents}
    ids: dict[str, set[str]] = {}
    for name in Facts.model_fields:
        rows = getattr(facts, name)
        if not isinstance(rows, list):
            continue
        seen: set[str] = set()
        for index, row in enumerate(rows):
            row_id = getattr(row, "id", None)
            if row_id is not None:
                if row_id in seen:
                    problems.append(
                        Problem(
                            f"{prefix}{name}[{index}].id", f"编号“{row_id}”重复", f"duplicate id {row_id!r}"
                        )
                    )
                seen.add(row_id)
        ids[name] = seen
    for path, model in _walk_models(facts, ""):
        for index, document_id in enumerate(getattr(model, "evidence", [])):
            if document_id not in document_ids:
                problems.append(
                    Problem(
                        f"{prefix}{path}.evidence[{index}]",
                        f"佐证材料“{document_id}”不在 documents 中",
                        f"evidence {document_id!r} is not in documents",
                    )
                )
    for name, links in LINKS.items():
        for index, row in enumerate(getattr(facts, name)):
            for field, target in links:
                value = getattr(row, field)
                if value is not None and value not in ids[target]:
                    problems.append(
                        Problem(
                            f"{prefix}{name}[{index}].{field}",
                            f"“{value}”不在 {target} 中",
                            f"{value!r} is not an id in {target}",
                        )
                    )
    for name, start, end in RANGES:
        for index, row in enumerate(getattr(facts, name)):
            first, last = getattr(row, start), getattr(row, end)
            if isinstance(first, date) and isinstance(last, date) and last < first:
                problems.append(
                    Problem(
                        f"{prefix}{name}[{index}].{end}", f"{end} 早于 {start}", f"{end} is before {start}"
                    )
                )
    for site_index, site in enumerate(facts.sites):
        for lease_index, lease in enumerate(site.leases):
            if lease.start_date and lease.end_date and lease.end_date < lease.start_date:
                problems.append(
                    Problem(
                        f"{prefix}sites[{site_index}].leases[{lease_index}].end_date",
                        "租赁到期日早于起始日",
                        "the lease ends before it starts",
                    )
                )
    return problems


def _walk_models(model: BaseModel, path: str) -> Iterable[tuple[str, BaseModel]]:
    yield path or "facts", model
    for name in type(model).model_fields:
        value = getattr(model, name)
        child = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            yield from _walk_models(value, child)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk_models(item, f"{child}[{index}]")
