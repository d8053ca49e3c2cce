"""Shared building blocks for named facts: context shorthands, periods, figures."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from zhongchuang.engine.catalogue import Condition, Quantity, register_quantity
from zhongchuang.engine.dates import contract_months, whole_months_between
from zhongchuang.engine.expr import Expr, IsNull, col, ctx, has_evidence, param

R = ctx("as_of")
WINDOW_START, WINDOW_END = ctx("window_start"), ctx("window_end")
PERIOD_START, PERIOD_END = ctx("period_start"), ctx("period_end")


# An activity counts when the space held it in a counted role (parameter activity_roles) and
# proves it with photos or a sign-in sheet: every activity clause of both texts reads it so.
COUNTED_ROLE = Condition(
    "role",
    col("role").is_in(param("activity_roles")),
    ("{name}：角色为“{role}”，不计入", "{name}: role {role} does not count"),
)
ACTIVITY_EVIDENCE = Condition(
    "evidence",
    has_evidence("photo", "sign_in_sheet"),
    ("{name}：缺少照片或签到表", "{name}: no photo or sign-in sheet"),
)


def in_window(column: str) -> Expr:
    """The date falls in the year window (R − 12 months, R], or the cultivation year."""
    return col(column).within(WINDOW_START, WINDOW_END)


def in_previous_window(column: str) -> Expr:
    return col(column).within(ctx("prev_window_start"), ctx("prev_window_end"))


def in_period(column: str) -> Expr:
    return col(column).within(PERIOD_START, PERIOD_END)


def in_force(start: str, end: str, open_ended: bool = False) -> Expr:
    """A term 自start起至end止 covers R, both ends included; a missing end is open-ended if allowed."""
    covers_end = (IsNull(col(end)) | (col(end) >= R)) if open_ended else (col(end) >= R)
    return (col(start) <= R) & covers_end


def served_in_window(start: str, end: str) -> Expr:
    """Admitted by the window's end and not gone before it began (Torch's 当年服务)."""
    return (col(start) <= WINDOW_END) & (IsNull(col(end)) | (col(end) > WINDOW_START))


def months_since(column: str) -> Any:
    def figure(row: Mapping[str, Any], context: Mapping[str, Any]) -> int | str:
        value = row.get(column)
        return whole_months_between(value, context["as_of"]) if isinstance(value, date) else "?"

    return figure


def months_until(column: str) -> Any:
    def figure(row: Mapping[str, Any], context: Mapping[str, Any]) -> int | str:
        value = row.get(column)
        return whole_months_between(context["as_of"], value) if isinstance(value, date) else "?"

    return figure


def months_between_columns(start: str, end: str, contract: bool = False) -> Any:
    def figure(row: Mapping[str, Any], context: Mapping[str, Any]) -> int | str:
        first, last = row.get(start), row.get(end)
        if not (isinstance(first, date) and isinstance(last, date)):
            return "?"
        return contract_months(first, last) if contract else whole_months_between(first, last)

    return figure


register_quantity(
    Quantity("total_area", ("总面积", "total area"), ("㎡", "m²"), scale=100),
    Quantity(
        "qualifying_area",
        ("工位与公共服务场地面积", "workstation and public service area"),
        ("㎡", "m²"),
        scale=100,
    ),
    Quantity("public_service_area", ("公共服务场地面积", "public service area"), ("㎡", "m²"), scale=100),
    Quantity("amount", ("金额", "amount"), ("元", "yuan"), scale=100),
    Quantity("participants", ("参加人次", "participants"), ("人次", "person-times")),
    Quantity(
        "incubatees_served_in_period", ("培育期间服务的团队和企业", "teams and companies served"), ("个", "")
    ),
    Quantity("exported_teams", ("输出的国内团队和企业", "teams exported"), ("个", "")),
    Quantity("story", ("报道", "story"), ("次", "")),
    Quantity("series", ("系列活动", "series"), ("个", "")),
    Quantity("city", ("城市", "city"), ("个", "")),
    Quantity("incubatee_id", ("服务的企业", "companies served"), ("家", "")),
)

__all__ = ["PERIOD_END", "PERIOD_START", "WINDOW_END", "WINDOW_START", "R", "param"]
