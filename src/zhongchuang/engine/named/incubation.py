"""Incubatees (lineages: team → company) and their outcomes (XM25-C-4 / XM25-S-4)."""

from __future__ import annotations

from zhongchuang.engine.catalogue import Condition, RowSet, register
from zhongchuang.engine.expr import Exists, IsNull, all_of, col, has_evidence, param
from zhongchuang.engine.named.common import R, in_window, months_between_columns, months_since

IN_INCUBATION = (col("admitted_on") <= R) & (IsNull(col("exited_on")) | (col("exited_on") > R))

resident = Condition(
    "resident",
    col("residence").is_in(("desk", "office")),
    ("{name}：虚拟入驻，不计入", "{name}: virtual residence does not count"),
)
agreement = Condition(
    "agreement_in_force",
    col("agreed_end") >= R,
    ("{name}：入孵协议已于{agreed_end}到期", "{name}: the incubation agreement ended on {agreed_end}"),
)
agreement_evidence = Condition(
    "agreement_evidence",
    has_evidence("incubation_agreement"),
    ("{name}：缺少入孵协议", "{name}: incubation agreement missing"),
)
within_limit = Condition(
    "within_time_limit",
    (col("admitted_on").add_months(param("max_incubation_months")) >= R)
    # The agreed term is counted like the elapsed limit (from the day after admission), so an
    # agreement that covers R for a team admitted exactly 24 months before R is within the limit.
    & (col("agreed_end") <= col("admitted_on").add_months(param("max_incubation_months"))),
    (
        "{name}：{admitted_on}入孵，至今{months_in}个月，约定期限{agreed_months}个月，超过{max_incubation_months}个月",
        "{name}: admitted {admitted_on}, {months_in} months ago, agreed term {agreed_months} months; "
        "the limit is {max_incubation_months}",
    ),
    figures={
        "months_in": months_since("admitted_on"),
        "agreed_months": months_between_columns("admitted_on", "agreed_end"),
    },
)
address = Condition(
    "registered_at_space",
    col("kind").eq("team") | col("address_matches"),
    ("{name}：注册地与众创空间地址不一致", "{name}: registered elsewhere than the space"),
)
founded = Condition(
    "founded_recently",
    col("kind").eq("team")
    | (col("admitted_on") <= col("founded_on").add_months(param("max_age_at_admission_months"))),
    (
        "{name}：{founded_on}成立，入孵时已成立{age_months}个月，超过{max_age_at_admission_months}个月",
        "{name}: founded {founded_on}, {age_months} months before admission; the limit is {max_age_at_admission_months}",
    ),
    figures={"age_months": months_between_columns("founded_on", "admitted_on")},
)

counted_incubatees = RowSet(
    "counted_incubatees",
    "incubatees",
    ("计入的在孵团队和初创企业", "incubatees counted"),
    "在孵：入孵日期不晚于R且R时尚未退出；计入：实际入驻（非虚拟）、入孵协议覆盖R并附协议、孵化时限不超过24个月、"
    "企业注册地与众创空间一致、入孵时成立不超过12个月（DOMAIN §7.2 C-4a…4e）。In incubation at R and meeting "
    "every per-incubatee condition of the clause; a team that became a company is one lineage, counted once.",
    scope=IN_INCUBATION,
    conditions=(resident, agreement, agreement_evidence, within_limit, address, founded),
)

focus_incubatees = counted_incubatees.extend(
    "focus_incubatees",
    ("聚焦领域的在孵团队和企业", "incubatees in the focus sub-sector"),
    "计入的在孵团队和企业中属于众创空间聚焦的产业细分领域者。Counted incubatees in the focus sub-sector.",
    Condition(
        "in_focus",
        col("in_focus"),
        ("{name}：所属领域“{sector}”不属于聚焦领域", "{name}: sector {sector} is not the focus"),
    ),
)

registered_recently = counted_incubatees.extend(
    "registered_recently",
    ("近一年注册成为新企业的在孵团队", "teams that registered a company in the last year"),
    "计入的在孵团队中，近一年（R前12个月内）在众创空间地址注册成为新企业者。Counted lineages whose team registered "
    "its company at the space's address within the window.",
    Condition(
        "registered_in_window",
        Exists(
            "registrations",
            "incubatee_id",
            in_window("registered_on") & col("address_matches") & has_evidence("business_licence"),
        ),
        ("{name}：近一年没有在众创空间地址注册新企业", "{name}: no registration at the space in the window"),
    ),
)

financed_recently = counted_incubatees.extend(
    "financed_recently",
    ("近一年获得融资的在孵团队和企业", "incubatees financed in the last year"),
    "计入的在孵团队和企业中，近一年有股权或准股权投资到账者（投资协议及到账凭证或工商变更）。Counted incubatees with "
    "an equity or quasi-equity investment closed in the window, evidenced by agreement and receipt.",
    Condition(
        "financed_in_window",
        Exists(
            "financing",
            "incubatee_id",
            all_of(
                in_window("closed_on"),
                col("instrument").is_in(param("financing_instruments")),
                col("investor_type").is_in(param("financing_investor_types")),
                has_evidence("investment_agreement"),
                has_evidence("payment_receipt", "registration_change"),
            ),
        ),
        ("{name}：近一年没有获得融资", "{name}: no financing in the window"),
    ),
)

ip_recently = counted_incubatees.extend(
    "ip_recently",
    ("近一年获得有效知识产权的在孵团队和企业", "incubatees granted valid IP in the last year"),
    "计入的在孵团队和企业中，近一年获授权或登记、R时有效、类型在参数所列之内的知识产权（按主体计数，不按件数）。"
    "Counted incubatees owning an IP right granted in the window and in force at R; counted per incubatee.",
    Condition(
        "ip_in_window",
        Exists(
            "ip_rights",
            "incubatee_id",
            all_of(
                in_window("granted_on"),
                col("status").eq("valid"),
                IsNull(col("valid_to")) | (col("valid_to") >= R),
                col("type").is_in(param("ip_types")),
                has_evidence("ip_certificate"),
            ),
        ),
        ("{name}：近一年没有获得有效知识产权", "{name}: no valid IP granted in the window"),
    ),
)

register(counted_incubatees, focus_incubatees, registered_recently, financed_recently, ip_recently)
