"""Operator, staff, mentors, activities, funding and cases (XM25-C-1, 5–9 / XM25-S-1, 5–10)."""

from __future__ import annotations

from zhongchuang.engine.catalogue import Condition, RowSet, register
from zhongchuang.engine.expr import Exists, IsNull, Known, ListHasAny, col, ctx, has_evidence, param
from zhongchuang.engine.named.common import (
    ACTIVITY_EVIDENCE,
    COUNTED_ROLE,
    R,
    in_force,
    in_window,
    months_since,
)

# --- the operator ---------------------------------------------------------------------------------

operator_legal_person = RowSet(
    "operator_legal_person",
    "space",
    ("运营机构具有独立法人资格", "operator is an independent legal person"),
    "运营机构具有独立法人资格：是法人、不是分支机构，机构类型在参数允许之列（厦门：任何独立法人）。"
    "A legal person, not a branch, of an allowed legal form.",
    conditions=(
        Condition(
            "legal_person",
            col("is_legal_person"),
            ("运营机构不具有法人资格", "the operator is not a legal person"),
        ),
        Condition(
            "not_branch",
            ~col("is_branch"),
            ("运营机构为分支机构（分公司）", "the operator is a branch office"),
        ),
        Condition(
            "allowed_form",
            col("org_form").is_in(param("allowed_operator_forms")),
            ("运营机构类型“{org_form}”不在允许之列", "legal form {org_form} is not allowed"),
        ),
    ),
)

operator_accounting = RowSet(
    "operator_independent_accounting",
    "space",
    ("财务独立核算", "independent accounts"),
    "运营机构财务独立核算。The operator keeps its own accounts.",
    conditions=(
        Condition(
            "independent", col("independent_accounting"), ("运营机构未独立核算", "no independent accounts")
        ),
    ),
)


def _credit(list_type: str, label: tuple[str, str], doc: str) -> RowSet:
    """A fresh check of `list_type` exists, and no fresh check finds the operator listed."""
    fresh = (col("list_type").eq(list_type)) & (
        col("checked_on").add_days(param("credit_check_max_age_days")) >= R
    )
    listed = col("result").eq("listed") | (col("result").eq("removed") & (col("removed_on") > R))
    return RowSet(
        f"operator_clean_{list_type}",
        "space",
        label,
        doc,
        conditions=(
            Condition(
                "checked",
                Known(Exists("credit_checks", "space_id", fresh & (col("checked_on") <= R))),
                (
                    "没有{credit_check_max_age_days}天内的查询记录",
                    "no check within {credit_check_max_age_days} days",
                ),
            ),
            Condition(
                "not_listed",
                ~Exists("credit_checks", "space_id", fresh & listed),
                ("查询结果为在列", "the check found the operator listed"),
            ),
        ),
    )


operator_no_bad_credit = _credit(
    "bad_credit",
    ("无不良征信记录", "no bad credit record"),
    "R前30天内的信用查询显示无不良征信记录。A credit check at most 30 days old shows no adverse record.",
)
operator_not_punished = _credit(
    "joint_punishment",
    ("未列入失信联合惩戒名单", "not on the joint-punishment list"),
    "R前30天内查询未列入失信联合惩戒名单；列入后已于R前移出者视为未列入。Not listed at R; listed then removed "
    "before R counts as not listed.",
)

space_operating = RowSet(
    "space_operating_long_enough",
    "space",
    ("众创空间运营时间", "time the space has operated"),
    "众创空间（而非运营机构）开始运营满12个月：开始运营日 + 12个月 ≤ R。The space itself, not the operator: "
    "opened_on + 12 months ≤ R.",
    conditions=(
        Condition(
            "operating",
            col("opened_on").add_months(param("min_operation_months")) <= R,
            (
                "{opened_on}开始运营，至{as_of}运营{months_open}个月，不满{min_operation_months}个月",
                "opened {opened_on}: {months_open} months by {as_of}, less than {min_operation_months}",
            ),
            figures={"months_open": months_since("opened_on")},
        ),
    ),
)

# --- staff and mentors ----------------------------------------------------------------------------

EMPLOYED = (col("hired_on") <= R) & (IsNull(col("left_on")) | (col("left_on") > R))

full_time_managers = RowSet(
    "full_time_managers",
    "staff",
    ("专职管理人员", "full-time managers"),
    "专职管理人员：R时在职、专职，由运营机构缴纳发布通知当月（2025年2月）社保并附证明；一人只计一个空间。"
    "Employed at R, full-time, insured by the operator in the notice month, with proof.",
    scope=EMPLOYED,
    conditions=(
        Condition("full_time", col("full_time"), ("{name}：非专职", "{name}: not full-time")),
        Condition(
            "insured_by_operator",
            col("insurance_payer").eq("operator"),
            ("{name}：社保非运营机构缴纳", "{name}: social insurance not paid by the operator"),
        ),
        Condition(
            "insured_in_notice_month",
            ListHasAny("insured_months", ctx("notice_month")),
            ("{name}：{notice_month}未缴社保", "{name}: not insured in {notice_month}"),
        ),
        Condition(
            "insurance_proof",
            has_evidence("social_insurance_proof"),
            ("{name}：缺少社保缴交证明", "{name}: social insurance proof missing"),
        ),
    ),
    unit=("名", ""),
)

appointed_mentors = RowSet(
    "appointed_mentors",
    "mentors",
    ("聘任中的创业导师", "mentors appointed at R"),
    "专兼职创业导师：聘期覆盖R（未写终止日视为长期），附聘书或辅导协议。Appointment covering R, with the letter.",
    conditions=(
        Condition(
            "appointed",
            in_force("appointed_from", "appointed_to", open_ended=True),
            (
                "{name}：聘期{appointed_from}至{appointed_to}不覆盖{as_of}",
                "{name}: appointed {appointed_from} to {appointed_to}, not covering {as_of}",
            ),
        ),
        Condition(
            "appointment_letter",
            has_evidence("appointment_letter"),
            ("{name}：缺少聘书或辅导协议", "{name}: appointment letter missing"),
        ),
    ),
    unit=("人", ""),
)

# --- activities, funding, cases -------------------------------------------------------------------

activities_in_year = RowSet(
    "activities_in_year",
    "activities",
    ("近一年开展的活动", "activities in the last year"),
    "近一年（R前12个月）开展的创业沙龙、路演、大赛、培训等活动；计入的角色由参数决定（默认主办、承办），需有照片或签到表。"
    "Activities in the window, in a counted role (host, organiser by default), with photos or a sign-in sheet.",
    scope=in_window("date"),
    conditions=(
        COUNTED_ROLE,
        ACTIVITY_EVIDENCE,
    ),
    unit=("次", ""),
)

funds_in_force = RowSet(
    "funds_in_force",
    "funds",
    ("创业投资基金或创新基金", "venture or innovation funds"),
    "R时存续的创业投资基金或创新基金，附成立文件。A fund existing at R, with its establishment document.",
    conditions=(
        Condition(
            "type",
            col("type").is_in(param("fund_types")),
            ("{name}：类型不符", "{name}: not a qualifying fund"),
        ),
        Condition(
            "existing",
            (col("established_on") <= R) & (IsNull(col("dissolved_on")) | (col("dissolved_on") > R)),
            ("{name}：R时不存续", "{name}: not in existence at R"),
        ),
        Condition(
            "document",
            has_evidence("fund_establishment"),
            ("{name}：缺少成立文件", "{name}: no establishment document"),
        ),
    ),
)

investor_partners = RowSet(
    "investor_partners",
    "partnerships",
    ("合作中的创投机构", "investors with an agreement in force"),
    "与天使投资、风险投资、私募基金等创投机构的合作协议在R时有效并附协议；“良好”由审核人员判断。"
    "An agreement in force at R with an investor of a listed type; 良好 is for the reviewer.",
    scope=col("kind").eq("investment_institution"),
    conditions=(
        Condition(
            "investor_type",
            col("investor_type").is_in(param("investor_types")),
            ("{name}：投资机构类型不符", "{name}: investor type does not qualify"),
        ),
        Condition(
            "in_force",
            in_force("valid_from", "valid_to"),
            ("{name}：协议在R时无效", "{name}: agreement not in force"),
        ),
        Condition(
            "agreement",
            has_evidence("cooperation_agreement"),
            ("{name}：缺少合作协议", "{name}: agreement missing"),
        ),
    ),
)

advisory_in_force = RowSet(
    "advisory_in_force",
    "advisory_contracts",
    ("财务顾问服务合同", "financial advisory contracts in force"),
    "R时有效的财务顾问服务合同。A financial advisory contract in force at R.",
    conditions=(
        Condition(
            "in_force",
            in_force("start_date", "end_date"),
            ("{name}：合同在R时无效", "{name}: not in force at R"),
        ),
        Condition(
            "contract", has_evidence("advisory_contract"), ("{name}：缺少合同", "{name}: contract missing")
        ),
    ),
)

incubation_cases = RowSet(
    "incubation_cases_in_year",
    "cases",
    ("近一年典型孵化案例", "typical incubation cases in the last year"),
    "近一年内的孵化案例，主体为本空间在孵或毕业的团队和企业，附案例材料；“典型”由审核人员判断。"
    "Incubation cases in the window about a current or graduated incubatee, with a write-up.",
    scope=in_window("date"),
    conditions=(
        Condition(
            "type", col("type").eq("incubation"), ("{name}：不是孵化案例", "{name}: not an incubation case")
        ),
        Condition(
            "subject",
            ~IsNull(col("incubatee_id")),
            ("{name}：未关联本空间的团队或企业", "{name}: no incubatee"),
        ),
        Condition(
            "writeup", has_evidence("case_writeup"), ("{name}：缺少案例材料", "{name}: write-up missing")
        ),
    ),
)

# --- specialized: R&D conditions (XM25-S-8) ------------------------------------------------------

rnd_equipment = RowSet(
    "rnd_equipment",
    "equipment",
    ("专业化研发、生产设备设施", "specialised R&D and production equipment"),
    "研发设计、检验检测、模型加工、小试中试等设备设施，向在孵企业开放。Equipment of a listed category, open to incubatees.",
    scope=col("category").is_in(param("rnd_equipment_categories")),
    conditions=(
        Condition(
            "open", col("open_to_incubatees"), ("{name}：不向在孵企业开放", "{name}: not open to incubatees")
        ),
    ),
    unit=("项", ""),
)

platform_partners = RowSet(
    "platform_partners",
    "partnerships",
    ("稳定合作的技术创新平台", "technology platforms with a stable agreement"),
    "与本市公共技术服务平台、重点实验室、企业技术中心，或科研机构、新型研发机构的合作：R时有效且已满一年（“稳定”）。"
    "An agreement in force at R for at least a year with a local platform, or any research institute.",
    scope=col("kind").is_in(param("platform_kinds")) | col("kind").is_in(param("institute_kinds")),
    conditions=(
        Condition(
            "local",
            col("kind").is_in(param("institute_kinds")) | col("city").is_in(param("local_city_names")),
            ("{name}：平台不在本市", "{name}: platform not in the city"),
        ),
        Condition(
            "in_force",
            in_force("valid_from", "valid_to"),
            ("{name}：协议在R时无效", "{name}: agreement not in force"),
        ),
        Condition(
            "stable",
            col("valid_from").add_months(param("min_partnership_months")) <= R,
            (
                "{name}：合作不满{min_partnership_months}个月",
                "{name}: less than {min_partnership_months} months",
            ),
        ),
        Condition(
            "agreement",
            has_evidence("cooperation_agreement"),
            ("{name}：缺少合作协议", "{name}: agreement missing"),
        ),
    ),
)

customised_services = RowSet(
    "customised_services",
    "service_records",
    ("近一年个性化、定制化服务", "customised services in the last year"),
    "近一年提供的技术、信息、资本、供应链、市场对接等个性化、定制化服务记录。Customised services in the window.",
    scope=in_window("date"),
    conditions=(
        Condition("customised", col("customised"), ("{name}：非定制化服务", "{name}: not customised")),
    ),
    unit=("次", ""),
)

register(
    operator_legal_person,
    operator_accounting,
    operator_no_bad_credit,
    operator_not_punished,
    space_operating,
    full_time_managers,
    appointed_mentors,
    activities_in_year,
    funds_in_force,
    investor_partners,
    advisory_in_force,
    incubation_cases,
    rnd_equipment,
    platform_partners,
    customised_services,
)
