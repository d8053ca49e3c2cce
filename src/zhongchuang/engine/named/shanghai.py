"""Shanghai cultivation (专业化、品牌化、国际化): basic conditions and yearly targets.

The rows the Shanghai table (附件1) counts, per DOMAIN.md §7.4–7.6. Basic conditions look at
R (the application's reference date); targets count inside the *year window* (the
cultivation year being evaluated, `window_start` exclusive to `window_end` inclusive) or the
whole *cultivation period* (培育期间, `period_start` exclusive to `period_end`). Facts that the
Xiamen policies already define (operator_legal_person, space_operating_long_enough,
appointed_mentors, rnd_equipment, investor_partners) are reused with Shanghai parameter values.
"""

from __future__ import annotations

from zhongchuang.engine.catalogue import Condition, RowSet, register
from zhongchuang.engine.expr import Exists, Expr, IsNull, ListHasAny, Lit, all_of, col, has_evidence, param
from zhongchuang.engine.named.common import (
    ACTIVITY_EVIDENCE,
    COUNTED_ROLE,
    PERIOD_END,
    PERIOD_START,
    R,
    in_force,
    in_period,
    in_previous_window,
    in_window,
    served_in_window,
)
from zhongchuang.engine.named.incubation import IN_INCUBATION, resident
from zhongchuang.engine.named.operations import EMPLOYED, appointed_mentors

IN_SHANGHAI = col("registered_city").is_in(param("shanghai_city_names"))
ACTIVITY_ROLE = COUNTED_ROLE.test
HELPED = col("facilitated") | col("operator_direct")  # 帮助对接，或运营机构自身直接投资（“其中”）

# --- basic conditions shared by the three tracks (B1) --------------------------------------------

registered_in_shanghai = RowSet(
    "operator_registered_in_shanghai",
    "space",
    ("运营机构在本市注册", "operator registered in Shanghai"),
    "运营机构必须是在本市（上海市）注册的：营业执照登记的注册地城市在参数所列名称之内（“上海市”“上海”）；"
    "统一社会信用代码第3–4位为31只作参考，由审核人员核对。The operator's city of registration is Shanghai; "
    "the code's region digits are a hint for the reviewer only.",
    conditions=(
        Condition(
            "registered_city",
            IN_SHANGHAI,
            (
                "运营机构注册地为“{registered_city}”，不在本市",
                "the operator is registered in {registered_city}, not Shanghai",
            ),
        ),
    ),
)

# --- 专业化 (SH-PRO) --------------------------------------------------------------------------------

backing_entity = RowSet(
    "backing_entity_qualifies",
    "space",
    ("依托主体类型符合", "backing entity of a qualifying type"),
    "依托龙头骨干企业、科研院所、高校或上海市创新型功能平台等建设：依托主体的类型在参数所列之内；"
    "是否“龙头骨干”由审核人员判断。Built on a leading enterprise, research institute, university or Shanghai "
    "innovation platform; whether an enterprise is 'leading' is for the reviewer.",
    conditions=(
        Condition(
            "backing_type",
            col("backing_type").is_in(param("backing_types")),
            (
                "依托主体类型“{backing_type}”不在所列之内",
                "backing entity type {backing_type} does not qualify",
            ),
        ),
    ),
)

open_resources = RowSet(
    "open_resources",
    "open_resources",
    ("可开放的研发机构、开放性平台或数据平台", "open R&D, platform or data resources"),
    "具有可开放的研发机构、开放性平台或数据平台等资源：类型在所列之内且向在孵企业开放。"
    "An R&D institution, open platform or data platform that is open to incubatees.",
    scope=col("type").is_in(param("open_resource_types")),
    conditions=(
        Condition(
            "open", col("open_to_incubatees"), ("{name}：不向在孵企业开放", "{name}: not open to incubatees")
        ),
    ),
    unit=("项", ""),
)

focus_declared = RowSet(
    "focus_declared",
    "space",
    ("聚焦明确的产业细分领域", "a declared focus sub-sector"),
    "聚焦明确的产业细分领域：众创空间申报了聚焦的细分领域（入驻企业集聚度为培育目标，见 T3b）。"
    "The space declares its focus sub-sector; the share of incubatees in it is a target (T3b).",
    conditions=(
        Condition(
            "declared",
            ~IsNull(col("focus_subsector")),
            ("未申报聚焦的产业细分领域", "no focus sub-sector declared"),
        ),
    ),
)

PLATFORM_FEATURES = (
    ("technology", "技术", "technology"),
    ("information", "信息", "information"),
    ("capital", "资本", "capital"),
    ("supplier", "供应商", "suppliers"),
    ("market", "市场对接", "market matching"),
)

online_platform = RowSet(
    "online_platform_features",
    "space",
    ("线上线下资源共享及服务平台", "online and offline resource platform"),
    "形成专业的线上线下资源共享及服务平台，方便创业者查询技术、信息、资本、供应商、市场对接等个性化信息："
    "平台可查询条文所列的每一类信息。The platform lets founders look up each kind of information the clause lists.",
    conditions=tuple(
        Condition(
            f"feature_{feature}",
            ListHasAny("platform_features", Lit(feature)),
            (f"平台不提供{label}信息", f"the platform offers no {english} information"),
        )
        for feature, label, english in PLATFORM_FEATURES
    ),
)

partners_in_force = RowSet(
    "partners_in_force",
    "partnerships",
    ("协议有效的专业合作机构", "professional partners with an agreement in force"),
    "专业合作机构：在评估日（R）有效、附合作协议的合作机构（服务机构与投资机构均计入）；类型是否“较为全面”由审核人员判断。"
    "Any partner whose agreement covers R, with the agreement; the type mix is for the reviewer.",
    conditions=(
        Condition(
            "in_force",
            in_force("valid_from", "valid_to"),
            (
                "{name}：协议{valid_from}至{valid_to}不覆盖{as_of}",
                "{name}: agreement {valid_from}–{valid_to} does not cover {as_of}",
            ),
        ),
        Condition(
            "agreement",
            has_evidence("cooperation_agreement"),
            ("{name}：缺少合作协议", "{name}: agreement missing"),
        ),
    ),
    unit=("家", ""),
)

professional_staff = RowSet(
    "professional_staff",
    "staff",
    ("运营管理团队中的专业人员", "professional staff in the management team"),
    "运营管理团队中的专业人员：R时在职、专职，经审核标记为专业人员，并附简历或行业背景材料。"
    "Employed at R, full-time, flagged professional, with a CV.",
    scope=EMPLOYED,
    conditions=(
        Condition("full_time", col("full_time"), ("{name}：非专职", "{name}: not full-time")),
        Condition(
            "professional",
            col("is_professional"),
            ("{name}：未标记为专业人员", "{name}: not flagged professional"),
        ),
        Condition("cv", has_evidence("cv"), ("{name}：缺少简历或行业背景材料", "{name}: CV missing")),
    ),
    unit=("人", ""),
)

coaches = RowSet(
    "coaches",
    "staff",
    ("行业性创业辅导员", "start-up coaches"),
    "行业性创业辅导员：R时在职、岗位为创业辅导员的人员。Staff employed at R in the coach role.",
    scope=EMPLOYED,
    conditions=(
        Condition("coach", col("role").eq("coach"), ("{name}：岗位不是创业辅导员", "{name}: not a coach")),
    ),
    unit=("人", ""),
)

specialist_mentors = appointed_mentors.extend(
    "specialist_mentors",
    ("专业化导师", "sector-specialist mentors"),
    "专业化导师：聘期覆盖R的创业导师中，经审核标记为聚焦领域专业化导师者。Appointed mentors flagged as "
    "specialists in the focus sector.",
    Condition(
        "specialist",
        col("is_sector_specialist"),
        ("{name}：不是聚焦领域专业化导师", "{name}: not a sector specialist"),
    ),
)

mentor_sessions_in_year = RowSet(
    "mentor_sessions_in_year",
    "mentor_sessions",
    ("年度导师服务企业次数", "mentoring sessions in the year"),
    "导师服务企业数量每年不少于50次：按次计数评估年度内为在孵团队或企业开展的导师辅导（同一企业多次分别计入）。"
    "Mentoring sessions with an incubatee in the year, counted per session.",
    scope=in_window("date"),
    conditions=(
        Condition(
            "incubatee",
            ~IsNull(col("incubatee_id")),
            ("{name}：未关联服务企业", "{name}: no incubatee served"),
        ),
    ),
    unit=("次", ""),
)

mentor_cases_in_year = RowSet(
    "mentor_service_cases_in_year",
    "cases",
    ("年度代表性导师服务案例", "representative mentoring cases in the year"),
    "代表性服务案例：评估年度内的导师服务案例，附案例材料；“代表性”由审核人员判断。"
    "Mentoring cases dated in the year, with a write-up.",
    scope=in_window("date"),
    conditions=(
        Condition(
            "type",
            col("type").eq("mentor_service"),
            ("{name}：不是导师服务案例", "{name}: not a mentoring case"),
        ),
        Condition(
            "writeup", has_evidence("case_writeup"), ("{name}：缺少案例材料", "{name}: write-up missing")
        ),
    ),
)

served_in_year = RowSet(
    "served_in_year",
    "incubatees",
    ("年度服务的在孵团队和企业", "teams and companies served in the year"),
    "年度服务（火炬统计“当年服务”）：评估年度结束前入孵、年度开始前未退出，且实际入驻（非虚拟）。团队与其注册的企业为同一主体，只计一次。"
    "Admitted by the year's end and not gone before it began, physically resident; one lineage counts once.",
    scope=served_in_window("admitted_on", "exited_on"),
    conditions=(resident,),
)

focus_served_in_year = served_in_year.extend(
    "focus_served_in_year",
    ("年度培育的本专业团队和企业", "focus-sector incubatees served in the year"),
    "年度培育本专业企业：年度服务的在孵团队和企业中属于聚焦细分领域者（按“当年服务”口径，新入孵另行报告）。"
    "Incubatees served in the year that are in the focus sub-sector.",
    Condition(
        "in_focus",
        col("in_focus"),
        ("{name}：所属领域“{sector}”不属于聚焦领域", "{name}: sector {sector} is not the focus"),
    ),
)

active_companies = RowSet(
    "active_companies",
    "incubatees",
    ("R时在孵的入驻企业", "resident companies in incubation at R"),
    "R时在孵的企业（不含未注册的团队）：入孵日不晚于R、R时尚未退出、实际入驻（非虚拟）。"
    "Companies (teams excluded) admitted by R, not gone at R, physically resident.",
    scope=IN_INCUBATION & col("kind").eq("company"),
    conditions=(resident,),
    unit=("家", ""),
)

active_focus_companies = active_companies.extend(
    "active_focus_companies",
    ("R时在孵的本专业企业", "resident companies in the focus sub-sector"),
    "在孵企业中属于聚焦细分领域者（专业化集聚度的分子）。Resident companies in the focus sub-sector.",
    Condition(
        "in_focus",
        col("in_focus"),
        ("{name}：所属领域“{sector}”不属于聚焦领域", "{name}: sector {sector} is not the focus"),
    ),
)

ip_training_in_year = RowSet(
    "ip_training_in_year",
    "activities",
    ("年度知识产权培训", "IP training in the year"),
    "对在孵企业进行知识产权培训：评估年度内主办或承办的知识产权培训活动，附照片或签到表。"
    "IP training held in the year in a counted role, with photos or a sign-in sheet.",
    scope=in_window("date") & col("type").eq("ip_training"),
    conditions=(
        COUNTED_ROLE,
        ACTIVITY_EVIDENCE,
    ),
    unit=("次", ""),
)

VALID_IP_AT_R = all_of(
    col("granted_on") <= R,
    col("status").eq("valid"),
    IsNull(col("valid_to")) | (col("valid_to") >= R),
    col("type").is_in(param("ip_types")),
    has_evidence("ip_certificate"),
)

active_companies_with_ip = active_companies.extend(
    "active_companies_with_ip",
    ("拥有有效知识产权的在孵企业", "resident companies owning valid IP"),
    "拥有专利或其他知识产权的企业：R时在孵的企业中拥有至少一项R时有效的知识产权（任何授权日期，是存量而非当年新增），附证书。"
    "Resident companies owning at least one IP right in force at R, whenever granted (a stock, not a flow).",
    Condition(
        "owns_ip",
        Exists("ip_rights", "incubatee_id", VALID_IP_AT_R),
        ("{name}：没有R时有效的知识产权", "{name}: no IP right in force at R"),
    ),
)

SOCIAL_CAPITAL_IN_YEAR = all_of(
    in_window("closed_on"),
    col("instrument").is_in(param("financing_instruments")),
    col("investor_type").is_in(param("social_capital_investor_types")),
    has_evidence("investment_agreement"),
    has_evidence("payment_receipt", "registration_change"),
)

social_capital_financed = served_in_year.extend(
    "social_capital_financed_in_year",
    ("年度获得社会资本投资的企业", "incubatees with social-capital investment in the year"),
    "每年获得天使、风投等各类社会资本投资的企业：年度服务的在孵团队和企业中，评估年度内有投资方类型在参数所列之内"
    "（默认含运营机构自有资金，不含政府出资基金与银行）的股权或准股权投资到账者，按主体计数。"
    "Incubatees served in the year with an investment closed in it from a listed investor type; counted per incubatee.",
    Condition(
        "financed",
        Exists("financing", "incubatee_id", SOCIAL_CAPITAL_IN_YEAR),
        ("{name}：本年度没有获得社会资本投资", "{name}: no social-capital investment in the year"),
    ),
)

# --- 品牌化 (SH-BRD) --------------------------------------------------------------------------------

trademark_in_force = RowSet(
    "trademark_in_force",
    "space",
    ("众创空间名称已注册为商标", "the space's name is a registered trademark"),
    "已注册为商标，受国家相关知识产权法律法规保护：商标已核准注册（申请中不算），专用权期限覆盖R。"
    "The trademark is registered (an application does not count) and its term covers R.",
    conditions=(
        Condition(
            "registered",
            col("trademark_status").eq("registered"),
            (
                "商标状态为“{trademark_status}”，未核准注册",
                "trademark status is {trademark_status}, not registered",
            ),
        ),
        Condition(
            "valid",
            IsNull(col("trademark_valid_to")) | (col("trademark_valid_to") >= R),
            ("商标专用权已于{trademark_valid_to}到期", "the trademark expired on {trademark_valid_to}"),
        ),
    ),
)

OPEN_AT_R = (col("opened_on") <= R) & (IsNull(col("closed_on")) | (col("closed_on") > R))

shanghai_brand_locations = RowSet(
    "shanghai_brand_locations",
    "brand_locations",
    ("本市开设的同品牌众创空间", "same-brand locations open in Shanghai"),
    "以连锁或加盟的方式在本市开设的同品牌众创空间：位于本市、方式在参数所列之内（直营视为连锁）、开设日不晚于R且R时未关闭；"
    "申报空间本身计入“3家以上”。Same-brand locations in Shanghai, of a counted mode, opened by R and not closed at R; "
    "the applicant itself counts.",
    conditions=(
        Condition(
            "in_shanghai",
            col("city").is_in(param("shanghai_city_names")),
            ("{name}：位于{city}，不在本市", "{name}: in {city}, not Shanghai"),
        ),
        Condition(
            "mode",
            col("mode").is_in(param("brand_location_modes")),
            ("{name}：开设方式“{mode}”不计入", "{name}: mode {mode} does not count"),
        ),
        Condition(
            "open_at_r",
            OPEN_AT_R,
            (
                "{name}：开设{opened_on}、关闭{closed_on}，R时未在运营",
                "{name}: opened {opened_on}, closed {closed_on}: not open at R",
            ),
        ),
    ),
    unit=("家", ""),
)

brand_hq_in_shanghai = RowSet(
    "brand_hq_in_shanghai",
    "space",
    ("品牌总部在上海", "brand headquarters in Shanghai"),
    "总部在上海的优先支持：品牌总部所在城市为上海（优先条件，不影响是否符合）。The brand's headquarters is in "
    "Shanghai: a priority flag, not a condition.",
    conditions=(
        Condition(
            "hq",
            col("brand_hq_city").is_in(param("shanghai_city_names")),
            ("品牌总部在“{brand_hq_city}”，不在上海", "the brand's headquarters is in {brand_hq_city}"),
        ),
    ),
)

partners_credit = RowSet(
    "partners_credit_clean",
    "partnerships",
    ("签约合作服务机构信誉良好", "contracted partners in good standing"),
    "签约合作服务机构信誉良好：R时协议有效的每一家合作机构信用查询无不良记录。"
    "Every partner with an agreement in force at R has a clean credit check.",
    scope=in_force("valid_from", "valid_to"),
    conditions=(
        Condition(
            "credit_clean", col("credit_clean"), ("{name}：信用记录不良", "{name}: adverse credit record")
        ),
    ),
    unit=("家", ""),
)

resident_incubatees = RowSet(
    "resident_incubatees",
    "incubatees",
    ("R时已入驻的创业团队和企业", "teams and companies resident at R"),
    "已入驻创业团队或企业：入孵日不晚于R、R时尚未退出，且实际入驻（非虚拟）；按申报空间计，品牌合计另行报告。"
    "Admitted by R, not gone at R, physically resident; counted for the applying location.",
    scope=IN_INCUBATION,
    conditions=(resident,),
)

active_tech_companies = active_companies.extend(
    "active_tech_companies",
    ("入驻企业中的科技型企业", "technology enterprises among resident companies"),
    "科技型企业：R时入驻的企业中，经科技型中小企业入库、高新技术企业认定或审核认定为科技型企业者（团队不计入分母）。"
    "Resident companies flagged as technology enterprises, with the basis recorded; teams are outside the denominator.",
    Condition(
        "tech", col("is_tech_enterprise"), ("{name}：不是科技型企业", "{name}: not a technology enterprise")
    ),
)

served_in_period = RowSet(
    "served_in_period",
    "incubatees",
    ("本空间培育期间服务的团队和企业", "teams and companies served here in the period"),
    "培育期间培育企业和团队（本空间部分）：培育期间结束前入孵、开始前未退出、实际入驻；团队与其注册的企业只计一次。"
    "This location's lineages admitted by the period's end and not gone before it began, physically resident.",
    scope=(col("admitted_on") <= PERIOD_END) & (IsNull(col("exited_on")) | (col("exited_on") > PERIOD_START)),
    conditions=(resident,),
)

other_brand_locations = RowSet(
    "other_brand_locations",
    "brand_locations",
    ("同品牌的其他众创空间", "the brand's other locations"),
    "该品牌下除申报空间以外的众创空间（国内外均计），其培育期间服务的团队和企业数由各空间自报、审核人员核对。"
    "The brand's locations other than the applicant, anywhere; their own counts of incubatees served in the period.",
    scope=~col("is_applicant"),
    unit=("家", ""),
)

new_brand_locations = RowSet(
    "new_brand_locations_in_year",
    "brand_locations",
    ("年度在国内新增的连锁（或并购）众创空间", "new locations in China this year"),
    "每年在国内增加连锁（或并购）众创空间：评估年度内开设或并购、位于国内、方式在参数所列之内的同品牌众创空间；"
    "同年关闭的不相抵。Same-brand locations opened or acquired in China during the year; closures are not netted.",
    scope=in_window("opened_on"),
    conditions=(
        Condition(
            "domestic",
            col("country").eq("CN"),
            ("{name}：位于境外（{country}）", "{name}: outside China ({country})"),
        ),
        Condition(
            "mode",
            col("mode").is_in(param("brand_location_modes")),
            ("{name}：开设方式“{mode}”不计入", "{name}: mode {mode} does not count"),
        ),
    ),
    unit=("家", ""),
)

series_activities = RowSet(
    "series_activities_in_year",
    "activities",
    ("年度品牌化系列活动场次", "editions of a branded series in the year"),
    "品牌化科技创新创业类系列活动或论坛：评估年度内本空间主办或承办、归属某一系列（有系列名称）的活动场次。"
    "“一个系列至少两期”无法逐系列表达，以系列活动场次计，并由审核人员核对同名系列。"
    "Activities of a named series held in the year in a counted role; that two editions share one name is for the reviewer.",
    scope=in_window("date") & ~IsNull(col("series")),
    conditions=(COUNTED_ROLE,),
    unit=("场", ""),
)

counted_brand_activities = RowSet(
    "brand_activities_in_year",
    "activities",
    ("年度计入参与人次的活动", "activities whose participants count"),
    "年度活动参与人数：评估年度内本空间主办或承办的活动；参数 participants_series_only 为真时只计品牌系列活动（默认）。"
    "Activities in the year in a counted role; only the branded series when participants_series_only is true (default).",
    scope=in_window("date"),
    conditions=(
        COUNTED_ROLE,
        Condition(
            "series",
            ~param("participants_series_only") | ~IsNull(col("series")),
            ("{name}：不属于品牌系列活动", "{name}: not part of the branded series"),
        ),
    ),
    unit=("场", ""),
)

HELPED_IN_YEAR = all_of(SOCIAL_CAPITAL_IN_YEAR, HELPED)

helped_financed = served_in_year.extend(
    "helped_financed_in_year",
    ("年度帮助对接到社会资本的在孵团队和企业", "incubatees helped to investment this year"),
    "帮助在孵企业或团队对接到天使资金、风险投资等各类社会资本：年度服务的在孵团队和企业中，评估年度内有经本空间对接"
    "或运营机构自身直接投资、已到账的社会资本投资者（按主体计数；“对接到”读作资金到账）。"
    "Incubatees with an investment closed in the year that the space brokered or the operator made itself; per incubatee.",
    Condition(
        "helped",
        Exists("financing", "incubatee_id", HELPED_IN_YEAR),
        ("{name}：本年度没有经本空间帮助获得的投资", "{name}: no investment brokered by the space this year"),
    ),
)

operator_invested = served_in_year.extend(
    "operator_invested_in_year",
    ("年度获运营机构自身直接投资的在孵团队和企业", "incubatees the operator invested in this year"),
    "其中自身直接投资：评估年度内获运营机构（含其控制的基金）直接投资、已到账的在孵团队和企业。"
    "Incubatees with a direct investment by the operator (or a fund it controls) closed in the year.",
    Condition(
        "direct",
        Exists("financing", "incubatee_id", all_of(SOCIAL_CAPITAL_IN_YEAR, col("operator_direct"))),
        ("{name}：本年度没有运营机构直接投资", "{name}: no direct investment by the operator this year"),
    ),
)

helped_financing_events = RowSet(
    "helped_financing_in_year",
    "financing",
    ("年度帮助获得的投资", "investments the space helped close this year"),
    "年度帮助企业或团队获得资本金额：评估年度内到账、经本空间对接或运营机构直接投资的社会资本投资事件（金额按到账日人民币计）。"
    "Investment events closed in the year, brokered by the space or made by the operator; amounts in yuan.",
    scope=in_window("closed_on"),
    conditions=(
        Condition("helped", HELPED, ("{name}：非本空间帮助对接", "{name}: not brokered by the space")),
        Condition(
            "instrument",
            col("instrument").is_in(param("financing_instruments")),
            ("{name}：方式“{instrument}”不计入", "{name}: instrument {instrument} does not count"),
        ),
        Condition(
            "investor_type",
            col("investor_type").is_in(param("social_capital_investor_types")),
            (
                "{name}：投资方类型“{investor_type}”不是社会资本",
                "{name}: investor type {investor_type} is not social capital",
            ),
        ),
        Condition(
            "agreement",
            has_evidence("investment_agreement"),
            ("{name}：缺少投资协议", "{name}: investment agreement missing"),
        ),
        Condition(
            "receipt",
            has_evidence("payment_receipt", "registration_change"),
            ("{name}：缺少到账凭证或工商变更", "{name}: no receipt or registration change"),
        ),
    ),
    unit=("笔", ""),
)

solved_problems = RowSet(
    "solved_problems_in_year",
    "service_records",
    ("年度帮助解决的难题", "problems solved this year"),
    "个性化地帮助创新创业企业解决技术、资金、政策、服务等难题：评估年度内结果为“已解决”的服务记录（按难题计，不按接触次数）。"
    "Service records in the year whose outcome is 'solved' (problems solved, not contacts).",
    scope=in_window("date"),
    conditions=(
        Condition(
            "solved",
            col("outcome").eq("solved"),
            ("{name}：结果为“{outcome}”，未解决", "{name}: outcome {outcome}, not solved"),
        ),
    ),
    unit=("项", ""),
)

media_reports = RowSet(
    "third_party_reports_in_year",
    "media_reports",
    ("年度第三方媒体公开报道", "third-party media reports this year"),
    "被第三方知名媒体公开报道宣传：评估年度内发布、非自有非付费的报道；同一报道的转载只计一次（按报道归并键去重）；"
    "“知名”由审核人员判断。Reports published in the year by third-party outlets; reposts of one story count once.",
    scope=in_window("published_on"),
    conditions=(
        Condition(
            "third_party", col("third_party"), ("{name}：自有或付费媒体，不计入", "{name}: own or paid media")
        ),
    ),
    unit=("次", ""),
)

BRAND_OUTPUT = (col("date") <= R) & col("type").eq("brand_output")

brand_output_in_shanghai = RowSet(
    "brand_output_cases_in_shanghai",
    "cases",
    ("本市的品牌输出案例", "brand output cases in Shanghai"),
    "在本市有品牌输出案例：R前（含）发生、所在城市为上海的品牌输出案例。Brand output cases in Shanghai up to R.",
    scope=BRAND_OUTPUT,
    conditions=(
        Condition(
            "in_shanghai",
            col("city").is_in(param("shanghai_city_names")),
            ("{name}：位于{city}，不在本市", "{name}: in {city}, not Shanghai"),
        ),
    ),
)

brand_output_elsewhere = RowSet(
    "brand_output_cases_outside_shanghai",
    "cases",
    ("市外的品牌输出案例", "brand output cases outside Shanghai"),
    "在市外有品牌输出案例：R前（含）发生、所在城市不是上海的品牌输出案例。Brand output cases outside Shanghai up to R.",
    scope=BRAND_OUTPUT,
    conditions=(
        Condition(
            "outside",
            ~col("city").is_in(param("shanghai_city_names")),
            ("{name}：位于本市", "{name}: in Shanghai"),
        ),
    ),
)

STAGES = (
    ("nursery", "苗圃", "nursery"),
    ("incubator", "孵化器", "incubator"),
    ("accelerator", "加速器", "accelerator"),
)

incubation_chain = RowSet(
    "incubation_chain_complete",
    "space",
    ("“苗圃-孵化器-加速器”孵化链条", "nursery–incubator–accelerator chain"),
    "基本形成“苗圃-孵化器-加速器”孵化链条：三个环节都有（自营或与合作方共建均可）；全程式服务的实效由审核人员判断。"
    "Each of the three stages exists, run by the space or a partner; the reviewer judges the service.",
    conditions=tuple(
        Condition(
            f"stage_{stage}",
            Exists("stage_programmes", "space_id", col("stage").eq(stage)),
            (f"缺少{label}环节", f"no {english} stage"),
        )
        for stage, label, english in STAGES
    ),
)

# --- 国际化 (SH-INT) --------------------------------------------------------------------------------

INTERNATIONAL_STAFF = EMPLOYED & col("role").eq("international_business")

international_staff = RowSet(
    "international_business_staff",
    "staff",
    ("国际业务人才团队", "international business team"),
    "国际业务人才团队：R时在职、岗位为国际业务的专职人员（“团队”默认至少2人）。"
    "Full-time staff employed at R in the international business role.",
    scope=INTERNATIONAL_STAFF,
    conditions=(Condition("full_time", col("full_time"), ("{name}：非专职", "{name}: not full-time")),),
    unit=("人", ""),
)

international_experience = RowSet(
    "international_staff_experienced",
    "staff",
    ("专职国际业务人员具备从业经验", "full-time international staff are experienced"),
    "专职人员具备相应的国际业务从业经验：国际业务团队的每一名专职人员国际业务从业年限大于0；经验是否“相应”由审核人员判断。"
    "Every full-time member of the international team has some international business experience.",
    scope=INTERNATIONAL_STAFF & col("full_time"),
    conditions=(
        Condition(
            "experience",
            col("intl_experience_years") > 0,
            ("{name}：没有国际业务从业经验", "{name}: no international business experience"),
        ),
    ),
)

foreign_member = RowSet(
    "foreign_team_member",
    "space",
    ("团队有外籍成员", "a foreign national on the team"),
    "团队有外籍成员优先：R时在职的运营团队中有国籍不是中国的成员（优先条件，不影响是否符合）。"
    "A staff member employed at R is not a Chinese national: a priority flag, not a condition.",
    conditions=(
        Condition(
            "foreign",
            Exists("staff", "space_id", EMPLOYED & col("nationality").ne("CN")),
            ("运营团队中没有外籍成员", "no foreign national on the team"),
        ),
    ),
)

overseas_partners = RowSet(
    "overseas_partners",
    "partnerships",
    ("海外合作伙伴", "overseas partners"),
    "海外合作伙伴：与跨国企业、境外机构、组织或科技园区的合作，协议在R时有效且签约方为境外主体本身"
    "（与其境内子公司签约的另行标注），附合作协议。Overseas or multinational partners whose agreement, in force at R, "
    "is with the foreign entity itself.",
    scope=col("overseas") | col("kind").is_in(("overseas_institution", "multinational", "overseas_park")),
    conditions=(
        Condition(
            "in_force",
            in_force("valid_from", "valid_to"),
            (
                "{name}：协议{valid_from}至{valid_to}不覆盖{as_of}",
                "{name}: agreement {valid_from}–{valid_to} does not cover {as_of}",
            ),
        ),
        Condition(
            "foreign_entity",
            col("with_foreign_entity"),
            (
                "{name}：签约方为境内子公司，不是境外主体",
                "{name}: signed with a Chinese subsidiary, not the foreign entity",
            ),
        ),
        Condition(
            "agreement",
            has_evidence("cooperation_agreement"),
            ("{name}：缺少合作协议", "{name}: agreement missing"),
        ),
    ),
    unit=("家", ""),
)

international_incubatees = RowSet(
    "international_incubatees_introduced",
    "incubatees",
    ("已引进的国际企业和团队", "international teams and companies introduced"),
    "已经成功引进国际企业和团队：R前（含）入孵、标记为国际企业或团队者（累计，含已毕业）。"
    "International teams and companies admitted on or before R, cumulative.",
    scope=col("admitted_on") <= R,
    conditions=(
        Condition(
            "international",
            col("is_international"),
            ("{name}：不是国际企业或团队", "{name}: not international"),
        ),
    ),
)

overseas_branches = RowSet(
    "overseas_branches_exporting",
    "overseas_branches",
    ("输出国内团队的海外机构", "overseas branches exporting teams"),
    "已经成功在海外建立机构，输出国内创业团队和企业：R前（含）设立、已输出至少1个国内团队或企业的海外机构。"
    "Overseas branches set up by R that have exported at least one domestic team.",
    scope=col("established_on") <= R,
    conditions=(
        Condition(
            "exported",
            col("exported_teams") >= 1,
            ("{name}：尚未输出国内团队或企业", "{name}: no team exported yet"),
        ),
    ),
)

INTERNATIONAL_ACTIVITY = col("international") & ACTIVITY_ROLE


def _in_slice(months_before_start: int, months_before_end: int) -> Expr:
    """The activity's date lies in (R − start months, R − end months]."""
    return col("date").within(R.add_months(-months_before_start), R.add_months(-months_before_end))


international_activity_every_quarter = RowSet(
    "international_activities_every_quarter",
    "space",
    ("定期开展国际创新创业活动", "international activities every quarter"),
    "定期开展国际创新创业活动和主题交流：R前12个月按3个月分为四段（R−12月,R−9月]、(R−9月,R−6月]、(R−6月,R−3月]、(R−3月,R]，"
    "每段至少主办或承办1场国际化活动（“定期”的本项目读法，可调整）。At least one international activity in each "
    "three-month slice of the 12 months before R.",
    conditions=tuple(
        Condition(
            f"slice_{index}",
            Exists("activities", "space_id", INTERNATIONAL_ACTIVITY & _in_slice(start, end)),
            (
                f"第{index}个季度段（R−{start}月至R−{end}月）没有国际化活动",
                f"no international activity in slice {index} (R−{start} to R−{end} months)",
            ),
        )
        for index, (start, end) in enumerate(((12, 9), (9, 6), (6, 3), (3, 0)), start=1)
    ),
)

international_projects_in_year = RowSet(
    "international_projects_in_year",
    "international_projects",
    ("年度新增国际项目", "international projects started this year"),
    "每年度新增国际项目：评估年度内开始的海归来沪创业、海外创客、海外企业落地、本土企业国际化拓展项目。"
    "International projects of the four listed types started in the year.",
    scope=in_window("started_on"),
    unit=("个", ""),
)

international_projects_prev_year = RowSet(
    "international_projects_prev_year",
    "international_projects",
    ("上一年度新增国际项目", "international projects started the year before"),
    "上一年度新增国际项目（比较“国际业务总量持续增加”）。International projects started in the previous year.",
    scope=in_previous_window("started_on"),
    unit=("个", ""),
)

international_served_in_year = served_in_year.extend(
    "international_served_in_year",
    ("年度服务的国际化团队和企业", "international incubatees served this year"),
    "国际化项目占比的分子：年度服务的在孵团队和企业中标记为国际企业或团队者（分母为年度服务的全部在孵团队和企业）。"
    "Incubatees served in the year that are international (the denominator is all served in the year).",
    Condition(
        "international", col("is_international"), ("{name}：不是国际企业或团队", "{name}: not international")
    ),
)

international_cases_in_year = RowSet(
    "international_cases_in_year",
    "cases",
    ("年度协同合作开展的国际化案例", "international cases with a partner this year"),
    "在海归来沪创业、海外创客或海外企业落地、本土企业国际化拓展等方面协同合作开展的案例：评估年度内、类型为国际化、"
    "注明合作方，附案例材料。International cases in the year, with a named partner and a write-up.",
    scope=in_window("date") & col("type").eq("international"),
    conditions=(
        Condition(
            "partner", ~IsNull(col("partner")), ("{name}：未注明协同合作机构", "{name}: no partner named")
        ),
        Condition(
            "writeup", has_evidence("case_writeup"), ("{name}：缺少案例材料", "{name}: write-up missing")
        ),
    ),
    unit=("项", ""),
)

international_activities_in_year = RowSet(
    "international_activities_in_year",
    "activities",
    ("年度国际化活动", "international activities this year"),
    "每年度国际化活动场次：评估年度内主办或承办的国际化培训、论坛、项目路演对接等活动，附照片或签到表。"
    "International activities held in the year in a counted role, with photos or a sign-in sheet.",
    scope=in_window("date") & col("international"),
    conditions=(
        COUNTED_ROLE,
        ACTIVITY_EVIDENCE,
    ),
    unit=("场", ""),
)

international_service_cases = RowSet(
    "complete_international_service_cases",
    "service_records",
    ("有完整服务记录的国际化个案", "international cases with a complete record"),
    "有完整服务记录的个案总数：培育期间累计的国际化个案服务（海外项目落地加速或本土企业国际拓展），服务记录完整"
    "（必填项齐全）并附服务记录。International case services over the cultivation period with a complete record.",
    scope=in_period("date") & col("international"),
    conditions=(
        Condition(
            "complete", col("complete_record"), ("{name}：服务记录不完整", "{name}: the record is incomplete")
        ),
        Condition(
            "log", has_evidence("service_log"), ("{name}：缺少服务记录", "{name}: service log missing")
        ),
    ),
    unit=("个", ""),
)

register(
    registered_in_shanghai,
    backing_entity,
    open_resources,
    focus_declared,
    online_platform,
    partners_in_force,
    professional_staff,
    coaches,
    specialist_mentors,
    mentor_sessions_in_year,
    mentor_cases_in_year,
    served_in_year,
    focus_served_in_year,
    active_companies,
    active_focus_companies,
    ip_training_in_year,
    active_companies_with_ip,
    social_capital_financed,
    trademark_in_force,
    shanghai_brand_locations,
    brand_hq_in_shanghai,
    partners_credit,
    resident_incubatees,
    active_tech_companies,
    served_in_period,
    other_brand_locations,
    new_brand_locations,
    series_activities,
    counted_brand_activities,
    helped_financed,
    operator_invested,
    helped_financing_events,
    solved_problems,
    media_reports,
    brand_output_in_shanghai,
    brand_output_elsewhere,
    incubation_chain,
    international_staff,
    international_experience,
    foreign_member,
    overseas_partners,
    international_incubatees,
    overseas_branches,
    international_activity_every_quarter,
    international_projects_in_year,
    international_projects_prev_year,
    international_served_in_year,
    international_cases_in_year,
    international_activities_in_year,
    international_service_cases,
)
