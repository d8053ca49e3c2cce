"""Sites and leases: 可自主支配的场地, 面积, 租期 (XM25-C-3 / XM25-S-3)."""

from __future__ import annotations

from zhongchuang.engine.catalogue import Condition, RowSet, register
from zhongchuang.engine.expr import Exists, Not, col, param
from zhongchuang.engine.named.common import R, in_force, months_between_columns, months_until

CONTROLLED = col("controller").is_in(("operator", "entrusted"))

controlled_sites = RowSet(
    "controlled_sites",
    "sites",
    ("可自主支配的场地", "sites the operator controls"),
    "可自主支配的场地：运营机构自有或承租，或有委托运营协议的场地。Sites owned or leased by the operator, "
    "or run under a documented entrustment (委托运营).",
    conditions=(
        Condition(
            "controlled",
            CONTROLLED,
            ("{name}：非运营机构可自主支配的场地", "{name}: not controlled by the operator"),
        ),
    ),
    unit=("㎡", "m²"),
)

LEASE_IN_FORCE = Exists("leases", "site_id", in_force("start_date", "end_date"))

site_tenure = RowSet(
    "site_tenure",
    "sites",
    ("场地为自有或租赁", "sites owned or leased"),
    "场地为自有或租赁；租赁场地须有在认定时有效的租赁合同。无偿使用的场地由审核人员判断。"
    "Each controlled site is owned or leased (free use goes to a reviewer), and a leased site has a lease in force at R.",
    scope=CONTROLLED,
    conditions=(
        Condition(
            "owned_or_leased",
            col("tenure").is_in(param("allowed_tenures")),
            (
                "{name}：场地性质为“{tenure}”，不是自有或租赁",
                "{name}: tenure is {tenure}, not owned or leased",
            ),
        ),
        Condition(
            "lease_in_force",
            col("tenure").ne("leased") | LEASE_IN_FORCE,
            ("{name}：没有在{as_of}有效的租赁合同", "{name}: no lease in force on {as_of}"),
        ),
    ),
)

LEASE_SCOPE = (
    col("site_tenure").eq("leased")
    & col("site_controller").is_in(("operator", "entrusted"))
    & in_force("start_date", "end_date")
)

lease_term = RowSet(
    "lease_term",
    "leases",
    ("在用租赁合同的租期", "term of the leases in force"),
    "租赁场地租期不少于36个月：在认定时有效的合同（连同正式续签的合同）自起始日至到期日，两端计入。"
    "The lease in force at R, chained with formal renewals, runs at least 36 months, both end days included.",
    scope=LEASE_SCOPE,
    conditions=(
        Condition(
            "term",
            col("start_date").add_months(param("min_lease_term_months")) <= col("end_date").add_days(1),
            (
                "租赁合同{name}租期{term_months}个月，不足{min_lease_term_months}个月",
                "lease {name} runs {term_months} months, less than {min_lease_term_months}",
            ),
            figures={"term_months": months_between_columns("start_date", "end_date", contract=True)},
        ),
    ),
)

lease_remaining = RowSet(
    "lease_remaining",
    "leases",
    ("在用租赁合同的剩余租期", "remaining term of the leases in force"),
    "剩余租期不少于24个月：自R（不含）起至到期日，R + 24个月 ≤ 到期日。"
    "Remaining term from R (excluded) to the end date: R + 24 months ≤ end.",
    scope=LEASE_SCOPE,
    conditions=(
        Condition(
            "remaining",
            R.add_months(param("min_remaining_lease_months")) <= col("end_date"),
            (
                "租赁合同{name}于{end_date}到期，剩余租期{remaining_months}个月，不足{min_remaining_lease_months}个月",
                "lease {name} ends {end_date}: {remaining_months} months left, less than {min_remaining_lease_months}",
            ),
            figures={"remaining_months": months_until("end_date")},
        ),
    ),
)

public_service = RowSet(
    "public_service_facilities",
    "space",
    ("公共服务场地和设施", "public service area and facilities"),
    "具备公共服务场地和设施：可自主支配的场地中有公共服务场地，并有互联网接入、公共软件、共享办公设施。"
    "A public service area in a controlled site, and internet access, public software and shared office equipment.",
    conditions=(
        Condition(
            "public_area",
            Exists("sites", "space_id", CONTROLLED & (col("public_service_area") > 0)),
            ("没有公共服务场地", "no public service area"),
        ),
        *(
            Condition(
                f"facility_{category}",
                Exists("equipment", "space_id", col("category").eq(category)),
                (f"缺少公共服务设施：{label}", f"no {english} facility"),
            )
            for category, label, english in (
                ("internet", "互联网接入", "internet"),
                ("public_software", "公共软件", "public software"),
                ("shared_office", "共享办公设施", "shared office"),
            )
        ),
    ),
)

register(controlled_sites, site_tenure, lease_term, lease_remaining, public_service)
__all__ = ["Not"]
