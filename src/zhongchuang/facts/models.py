"""The facts format: one makerspace's data as of a date (version 1.0).

These pydantic models are the source of the format: `zc schema` prints their JSON Schema and
`docs/facts-format.md` is generated from their descriptions. Units are explicit in field
names (`_m2`, `_yuan`), dates are ISO, money is Decimal yuan. Every list row has an `id`
unique within its list, and `evidence` lists the ids of `documents` that prove it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic.config import JsonDict

from zhongchuang.identifiers import InvalidUSCC, validate_uscc

FORMAT_VERSION = "1.0"
Day = date  # a field called `date` would otherwise shadow the type in its own annotation


def describe(zh: str, en: str, table: str | None = None, **kwargs: Any) -> Any:
    """A field whose description says what it is in Chinese and English and where it comes from."""
    extra: JsonDict = {"zh": zh, "en": en, **({"attachment": table} if table else {})}
    return Field(description=f"{zh} / {en}", json_schema_extra=extra, **kwargs)


def _check_uscc(value: str) -> str:
    try:
        return validate_uscc(value)
    except InvalidUSCC as error:
        raise ValueError(str(error)) from None


USCC = Annotated[str, AfterValidator(_check_uscc)]
MonthKey = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Area = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
RowId = Annotated[str, StringConstraints(min_length=1, max_length=64)]

DocumentKind = Literal[
    "business_licence",  # 营业执照或法人证书
    "financial_statement",  # 财务报表 / 审计报告 (独立核算)
    "credit_report",  # 信用报告 (信用中国 / 公示系统)
    "title_deed",  # 产权证
    "lease_contract",  # 租赁合同
    "entrustment_agreement",  # 委托运营协议
    "floor_plan",  # 楼层平面图
    "incubation_agreement",  # 入孵协议
    "sublease_agreement",  # 在孵企业租赁协议
    "social_insurance_proof",  # 社保缴交证明
    "cv",  # 简历 / 行业背景材料
    "training_certificate",  # 培训证书
    "appointment_letter",  # 导师聘书 / 辅导协议
    "cooperation_agreement",  # 合作协议
    "fund_establishment",  # 基金成立文件
    "advisory_contract",  # 财务顾问服务合同
    "investment_agreement",  # 投资协议
    "payment_receipt",  # 到账凭证
    "registration_change",  # 工商变更登记
    "ip_certificate",  # 知识产权证书
    "activity_notice",  # 活动通知
    "photo",  # 照片
    "sign_in_sheet",  # 签到表
    "news_link",  # 新闻链接
    "policy_admission",  # 入孵评估制度
    "policy_graduation_exit",  # 毕业与退出机制
    "policy_mentoring",  # 导师制度
    "policy_service_process",  # 服务流程
    "policy_other",  # 其他管理制度
    "brand_manual",  # 品牌标准手册
    "public_disclosure",  # 制度公开宣传材料
    "international_plan",  # 国际化业务发展规划
    "case_writeup",  # 案例材料
    "case_compilation",  # 上市案例和投资案例汇编
    "media_clip",  # 媒体报道
    "trademark_certificate",  # 商标注册证
    "service_log",  # 服务记录
    "platform_description",  # 线上线下服务平台说明
    "introduction",  # 众创空间简介
    "other",
]


class Strict(BaseModel):
    """Unknown keys are refused: a typo must not silently drop a fact."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidenced(Strict):
    evidence: list[RowId] = describe(
        "佐证材料（documents 中的 id）", "ids of the documents that prove this row", default=[]
    )


class Document(Strict):
    id: RowId = describe("材料编号", "document id, referenced by `evidence`")
    kind: DocumentKind = describe("材料类别", "kind of evidence")
    title: str = describe("材料名称", "title")
    issued_on: date | None = describe("出具日期", "date issued", default=None)
    valid_from: date | None = describe("有效期起", "valid from", default=None)
    valid_to: date | None = describe("有效期止", "valid to (inclusive)", default=None)
    pages: int | None = describe("页数", "number of pages", default=None, ge=1)
    sha256: str | None = describe(
        "文件 SHA-256", "SHA-256 of the file", default=None, pattern=r"^[0-9a-f]{64}$"
    )
    file: str | None = describe("文件路径或地址", "path or URI of the file", default=None)


class CreditCheck(Evidenced):
    id: RowId = describe("编号", "id")
    source: Literal["credit_china", "enterprise_credit_publicity", "pboc_credit", "other"] = describe(
        "查询来源：信用中国 / 国家企业信用信息公示系统 / 人行征信 / 其他",
        "where the record was checked",
        "附件1",
    )
    list_type: Literal["joint_punishment", "bad_credit", "abnormal_operation", "serious_violation"] = (
        describe(
            "名单类型：失信联合惩戒名单 / 不良征信记录 / 经营异常 / 严重违法失信",
            "which list or record was checked",
            "附件1",
        )
    )
    checked_on: date = describe("查询日期", "date of the check", "附件1")
    result: Literal["clean", "listed", "removed"] = describe(
        "结果：无记录 / 在列 / 已移出", "result: clean, listed, or listed then removed", "附件1"
    )
    removed_on: date | None = describe("移出日期", "date removed from the list", default=None)


class Operator(Evidenced):
    name: str = describe("运营机构名称", "operator name", "附件1", min_length=1)
    uscc: USCC = describe(
        "统一社会信用代码（校验位校验）", "unified social credit code, check character verified", "附件1"
    )
    org_form: Literal[
        "enterprise",
        "public_institution",
        "social_organisation",
        "government",
        "university",
        "foreign",
        "other",
    ] = describe(
        "机构类型：企业 / 事业单位 / 社会组织（民非、社团）/ 机关 / 高校 / 境外 / 其他", "legal form", "附件1"
    )
    licence_type: str | None = describe(
        "营业执照“类型”栏，如“有限责任公司(分公司)”",
        "the licence's type field as printed",
        "附件1",
        default=None,
    )
    is_legal_person: bool | None = describe(
        "是否具有独立法人资格", "is an independent legal person", "附件1", default=None
    )
    is_branch: bool | None = describe("是否分支机构（分公司）", "is a branch office", "附件1", default=None)
    registered_address: str | None = describe("注册地址", "registered address", "附件1", default=None)
    registered_city: str | None = describe(
        "注册地所在城市，如“厦门市”", "city of registration", "附件1", default=None
    )
    founded_on: date | None = describe("成立日期", "date of establishment", "附件1", default=None)
    legal_representative: str | None = describe("法定代表人", "legal representative", "附件1", default=None)
    independent_accounting: bool | None = describe(
        "财务是否独立核算", "keeps independent accounts", "附件1", default=None
    )
    credit_checks: list[CreditCheck] = describe("信用查询记录", "credit checks", "附件1", default=[])


class BackingEntity(Evidenced):
    name: str = describe("依托主体名称", "backing entity")
    type: Literal[
        "leading_enterprise", "research_institute", "university", "innovation_platform", "other"
    ] = describe(
        "依托主体类型：龙头骨干企业 / 科研院所 / 高校 / 上海市创新型功能平台 / 其他", "type of backing entity"
    )
    relation: Literal["subsidiary", "cooperation", "host"] | None = describe(
        "与依托主体关系：下属 / 合作 / 场地提供", "relation to the space", default=None
    )


class OpenResource(Evidenced):
    id: RowId = describe("编号", "id")
    name: str = describe("名称", "name")
    type: Literal["rnd_institution", "open_platform", "data_platform"] = describe(
        "类型：可开放的研发机构 / 开放性平台 / 数据平台", "kind of open resource"
    )
    open_to_incubatees: bool | None = describe("是否向在孵企业开放", "open to incubatees", default=None)


class OnlinePlatform(Evidenced):
    url: str | None = describe("平台网址", "URL", default=None)
    features: list[Literal["technology", "information", "capital", "supplier", "market"]] = describe(
        "平台可查询的信息：技术 / 信息 / 资本 / 供应商 / 市场对接",
        "information the platform offers",
        default=[],
    )
    launched_on: date | None = describe("上线日期", "launch date", default=None)


class StageProgramme(Evidenced):
    id: RowId = describe("编号", "id")
    stage: Literal["nursery", "incubator", "accelerator", "industrialisation"] = describe(
        "孵化链条环节：苗圃 / 孵化器 / 加速器 / 产业化", "stage of the incubation chain"
    )
    operated_by: Literal["self", "partner"] = describe(
        "自营或合作", "operated by the space or a partner", default="self"
    )
    name: str | None = describe("名称", "name", default=None)


class Brand(Evidenced):
    name: str = describe("品牌名称", "brand name")
    trademark_reg_no: str | None = describe("商标注册号", "trademark registration number", default=None)
    trademark_status: Literal["registered", "applied", "none"] = describe(
        "商标状态：已注册 / 申请中 / 无", "trademark status", default="none"
    )
    trademark_valid_to: date | None = describe("商标专用权期限止", "trademark valid until", default=None)
    hq_city: str | None = describe("品牌总部所在城市", "city of the brand's headquarters", default=None)


class Space(Evidenced):
    name: str = describe("众创空间名称", "makerspace name", "附件1", min_length=1)
    address: str | None = describe("经营地址", "operating address", "附件1", default=None)
    district: str | None = describe("所在区", "district", "附件1", default=None)
    city: str | None = describe("所在城市", "city", "附件1", default=None)
    opened_on: date | None = describe("开始运营日期", "date operations started", "附件1", default=None)
    focus_subsector: str | None = describe(
        "聚焦产业细分领域", "focus sub-sector (specialized spaces)", "附件1", default=None
    )
    backing_entity: BackingEntity | None = describe("依托主体", "backing entity (Shanghai)", default=None)
    brand: Brand | None = describe("品牌", "brand (Shanghai branded track)", default=None)
    online_platform: OnlinePlatform | None = describe(
        "线上线下资源共享及服务平台", "online service platform", default=None
    )
    open_resources: list[OpenResource] = describe(
        "可开放的研发机构、开放性平台或数据平台", "open resources", default=[]
    )
    stage_programmes: list[StageProgramme] = describe(
        "苗圃-孵化器-加速器孵化链条", "incubation chain stages", default=[]
    )
    service_description: str | None = describe(
        "孵化服务体系说明", "description of the services", default=None
    )


class Lease(Evidenced):
    contract_no: str = describe("租赁合同编号", "lease contract number", "附件2")
    lessor: str | None = describe("出租方", "lessor", "附件2", default=None)
    lessee_is_operator: bool | None = describe(
        "承租方是否为运营机构", "the operator is the lessee", "附件2", default=None
    )
    start_date: date | None = describe("租赁起始日", "lease start (inclusive)", "附件2", default=None)
    end_date: date | None = describe("租赁到期日", "lease end (inclusive)", "附件2", default=None)
    renews: str | None = describe(
        "续租所接续的合同编号", "contract number this lease formally renews", "附件2", default=None
    )


class PublicServiceBreakdown(Strict):
    reception_m2: Area | None = describe("接待区", "reception", "附件2", default=None)
    showcase_m2: Area | None = describe("项目展示区", "project showcase", "附件2", default=None)
    meeting_m2: Area | None = describe("会议室", "meeting rooms", "附件2", default=None)
    leisure_m2: Area | None = describe("休闲活动区", "leisure area", "附件2", default=None)
    equipment_m2: Area | None = describe("专业设备区", "equipment area", "附件2", default=None)


class Site(Evidenced):
    id: RowId = describe("场地编号", "site id", "附件2")
    address: str | None = describe(
        "场地地址（楼栋/楼层/房号）", "address (building, floor, rooms)", "附件2", default=None
    )
    tenure: Literal["owned", "leased", "free_use", "other"] | None = describe(
        "场地性质：自有 / 租赁 / 无偿使用 / 其他", "tenure", "附件2", default=None
    )
    controller: Literal["operator", "entrusted", "other"] | None = describe(
        "可自主支配：运营机构自有或承租 / 委托运营 / 其他", "who controls the site", "附件2", default=None
    )
    area_basis: Literal["building", "usable"] | None = describe(
        "面积口径：建筑面积 / 使用面积", "area basis", "附件2", default=None
    )
    total_area_m2: Area | None = describe("总面积（㎡）", "total area (m²)", "附件2", default=None)
    workstation_area_m2: Area | None = describe(
        "工位面积（㎡，含在孵企业独立办公）", "workstation area (m²)", "附件2", default=None
    )
    workstation_count: int | None = describe("工位数", "number of workstations", "附件2", default=None, ge=0)
    public_service_area_m2: Area | None = describe(
        "公共服务场地面积（㎡）", "public service area (m²)", "附件2", default=None
    )
    public_service_breakdown: PublicServiceBreakdown | None = describe(
        "公共服务场地构成", "public area breakdown", "附件2", default=None
    )
    management_area_m2: Area | None = describe(
        "运营管理用房面积（㎡）", "management offices (m²)", "附件2", default=None
    )
    incubatee_rent_yuan_per_m2_month: Money | None = describe(
        "向在孵企业收取的租金（元/㎡/月）",
        "rent charged to incubatees (yuan/m²/month)",
        "附件2",
        default=None,
    )
    market_rent_yuan_per_m2_month: Money | None = describe(
        "周边市场租金参考（元/㎡/月）", "market rent nearby (yuan/m²/month)", "附件2", default=None
    )
    leases: list[Lease] = describe(
        "租赁合同（含续租）", "lease contracts, renewals included", "附件2", default=[]
    )


class SocialInsurance(Strict):
    payer: Literal["operator", "other"] = describe(
        "社保缴纳单位：运营机构 / 其他", "who pays social insurance", "附件3"
    )
    months: list[MonthKey] = describe("已缴纳月份（YYYY-MM）", "months paid (YYYY-MM)", "附件3", default=[])


class StaffMember(Evidenced):
    id: RowId = describe("编号", "id", "附件3")
    name: str = describe("姓名", "name", "附件3")
    full_time: bool | None = describe("是否专职", "full-time", "附件3", default=None)
    role: Literal["head", "manager", "service", "coach", "international_business"] = describe(
        "岗位：主要负责人 / 管理 / 服务 / 创业辅导员 / 国际业务", "role", "附件3"
    )
    hired_on: date | None = describe("入职日期", "hired on", "附件3", default=None)
    left_on: date | None = describe("离职日期", "left on", "附件3", default=None)
    social_insurance: SocialInsurance | None = describe("社保缴纳", "social insurance", "附件3", default=None)
    is_professional: bool | None = describe(
        "是否专业人员（上海专业化）", "counts as professional staff", default=None
    )
    intl_experience_years: Decimal | None = describe(
        "国际业务从业年限", "years of international business", default=None, ge=0
    )
    nationality: str = describe(
        "国籍（ISO 3166 两位代码）", "nationality (ISO 3166 alpha-2)", default="CN", pattern=r"^[A-Z]{2}$"
    )
    background: str | None = describe(
        "行业背景与创业经历", "industry background and experience", "附件3", default=None
    )


class Mentor(Evidenced):
    id: RowId = describe("编号", "id", "附件9")
    name: str = describe("姓名", "name", "附件9")
    category: Literal[
        "angel_investor", "entrepreneur", "technical_expert", "investor", "professional_services", "other"
    ] = describe(
        "导师类别：天使投资人 / 成功企业家 / 技术专家 / 投资人 / 专业服务 / 其他", "category", "附件9"
    )
    employer: str | None = describe("工作单位", "employer", "附件9", default=None)
    specialty: str | None = describe("专业领域", "field of expertise", "附件9", default=None)
    is_sector_specialist: bool | None = describe(
        "是否聚焦领域专业化导师", "specialist in the focus sector", default=None
    )
    full_time: bool = describe("专职（否则兼职）", "full-time (otherwise part-time)", "附件9", default=False)
    appointed_from: date | None = describe("聘任起始日", "appointment start", "附件9", default=None)
    appointed_to: date | None = describe("聘任终止日", "appointment end (inclusive)", "附件9", default=None)


class MentorSession(Evidenced):
    id: RowId = describe("编号", "id")
    mentor_id: RowId = describe("导师编号", "mentor id")
    incubatee_id: RowId | None = describe("服务对象（在孵编号）", "incubatee served", default=None)
    date: Day = describe("辅导日期", "date")
    topic: str | None = describe("辅导内容", "topic", default=None)


class Company(Strict):
    name: str = describe("企业名称", "company name", "附件4")
    uscc: USCC | None = describe("统一社会信用代码", "unified social credit code", "附件4", default=None)
    founded_on: date | None = describe("企业成立日期", "date of establishment", "附件4", default=None)
    registered_address: str | None = describe("注册地址", "registered address", "附件4", default=None)
    registered_address_matches: bool | None = describe(
        "注册地与众创空间注册地或经营地址一致",
        "registered at the space's registered or operating address",
        "附件4",
        default=None,
    )


class Incubatee(Evidenced):
    id: RowId = describe(
        "编号（团队与其注册的企业共用一个编号）",
        "lineage id, shared by a team and the company it became",
        "附件4",
    )
    name: str = describe("团队或企业名称", "team or company name", "附件4")
    kind: Literal["team", "company"] = describe("当前类型：团队 / 企业", "team or company now", "附件4")
    admitted_on: date | None = describe("入孵日期", "admission date", "附件4", default=None)
    agreed_end: date | None = describe(
        "入孵协议约定的孵化期限止", "agreed end of incubation", "附件4", default=None
    )
    exited_on: date | None = describe("毕业或退出日期", "graduation or exit date", "附件4", default=None)
    exit_type: Literal["graduated", "withdrew", "expelled", "relocated", "deregistered"] | None = describe(
        "退出方式", "how it left", "附件4", default=None
    )
    residence: Literal["desk", "office", "virtual"] | None = describe(
        "入驻方式：工位 / 独立办公 / 虚拟入驻", "desk, office or virtual", "附件4", default=None
    )
    company: Company | None = describe(
        "企业信息（企业或已注册的团队）", "company details", "附件4", default=None
    )
    sector: str | None = describe("所属细分领域", "sub-sector", "附件4", default=None)
    in_focus: bool | None = describe(
        "是否属于聚焦的产业细分领域", "in the space's focus sub-sector", "附件4", default=None
    )
    innovation_type: Literal["technology", "business_model", "both", "other"] | None = describe(
        "创新类型：技术创新 / 商业模式创新 / 两者 / 其他", "innovation type", "附件4", default=None
    )
    is_tech_enterprise: bool | None = describe("是否科技型企业", "is a technology enterprise", default=None)
    tech_basis: Literal["sme_database", "high_tech", "reviewer"] | None = describe(
        "科技型企业依据：科技型中小企业入库 / 高新技术企业 / 审核认定",
        "basis for the tech flag",
        default=None,
    )
    is_international: bool | None = describe(
        "是否国际企业或团队（引进）", "international team or company", default=None
    )
    origin_country: str | None = describe("来源国家或地区", "country of origin", default=None)


class Registration(Evidenced):
    id: RowId = describe("编号", "id", "附件8")
    incubatee_id: RowId = describe("注册前的在孵团队编号", "the team (lineage) that registered", "附件8")
    registered_on: date | None = describe("注册日期", "registration date", "附件8", default=None)
    company_name: str | None = describe("新企业名称", "new company name", "附件8", default=None)
    uscc: USCC | None = describe("统一社会信用代码", "unified social credit code", "附件8", default=None)
    registered_address_matches: bool | None = describe(
        "注册于众创空间地址", "registered at the space's address", "附件8", default=None
    )


class FinancingEvent(Evidenced):
    id: RowId = describe("编号", "id", "附件7")
    incubatee_id: RowId = describe("获投团队或企业编号", "incubatee financed", "附件7")
    closed_on: date | None = describe("到账日期", "date the money was received", "附件7", default=None)
    round: Literal["seed", "angel", "pre_a", "a", "b_plus", "strategic", "other"] | None = describe(
        "轮次", "round", "附件7", default=None
    )
    instrument: Literal["equity", "convertible", "debt", "loan", "grant"] = describe(
        "方式：股权 / 可转债 / 债权 / 贷款 / 资助", "instrument", "附件7", default="equity"
    )
    investor: str | None = describe("投资方", "investor", "附件7", default=None)
    investor_type: Literal[
        "angel",
        "vc",
        "pe",
        "industrial",
        "operator_self",
        "operator_fund",
        "government_fund",
        "bank",
        "other",
    ] = describe("投资方类型", "investor type", "附件7")
    amount_yuan: Money | None = describe("金额（元）", "amount (yuan)", "附件7", default=None)
    operator_direct: bool = describe(
        "是否运营机构自身直接投资", "direct investment by the operator", "附件7", default=False
    )
    facilitated: bool = describe("是否众创空间帮助对接", "brokered by the space", "附件7", default=False)


class IPRight(Evidenced):
    id: RowId = describe("编号", "id", "附件8")
    incubatee_id: RowId = describe("权利人（在孵编号）", "owner (incubatee id)", "附件8")
    type: Literal[
        "invention_patent",
        "utility_model",
        "design_patent",
        "software_copyright",
        "ic_layout",
        "plant_variety",
        "trademark",
        "other",
    ] = describe("类型", "type", "附件8")
    number: str | None = describe("证书号 / 登记号", "number", "附件8", default=None)
    title: str | None = describe("名称", "title", "附件8", default=None)
    granted_on: date | None = describe("授权 / 登记日", "grant or registration date", "附件8", default=None)
    status: Literal["pending", "valid", "lapsed", "invalidated"] = describe("状态", "status", "附件8")
    valid_to: date | None = describe("有效期止", "valid until", "附件8", default=None)


class Activity(Evidenced):
    id: RowId = describe("编号", "id", "附件5")
    title: str = describe("活动名称", "title", "附件5")
    type: Literal[
        "salon", "roadshow", "competition", "training", "forum", "ip_training", "investment_matching", "other"
    ] = describe(
        "类型：创业沙龙 / 路演 / 创业大赛 / 创业教育培训 / 论坛 / 知识产权培训 / 投融资对接 / 其他",
        "type",
        "附件5",
    )
    date: Day = describe("活动日期", "date", "附件5")
    role: Literal["host", "organiser", "co_organiser"] = describe("角色：主办 / 承办 / 协办", "role", "附件5")
    online: bool = describe("是否线上", "online", "附件5", default=False)
    participants: int | None = describe(
        "参加人数（人次）", "participants (person-times)", "附件5", default=None, ge=0
    )
    international: bool = describe("是否国际化活动", "international", "附件5", default=False)
    series: str | None = describe(
        "所属系列活动名称", "name of the series it belongs to", "附件5", default=None
    )


class Partnership(Evidenced):
    id: RowId = describe("编号", "id", "附件6/7")
    partner: str = describe("合作机构名称", "partner", "附件6/7")
    kind: Literal[
        "public_tech_platform",
        "key_laboratory",
        "enterprise_tech_centre",
        "research_institute",
        "new_rnd_institution",
        "investment_institution",
        "financial_advisor",
        "legal",
        "ip_agency",
        "hr",
        "testing",
        "overseas_institution",
        "multinational",
        "overseas_park",
        "other",
    ] = describe("机构类别", "kind of partner", "附件6/7")
    investor_type: Literal["angel", "vc", "pe", "other"] | None = describe(
        "创投机构类型", "investor type", "附件7", default=None
    )
    overseas: bool = describe("是否海外机构", "overseas", default=False)
    country: str | None = describe("国家或地区", "country", default=None)
    city: str | None = describe("所在城市", "city", "附件6", default=None)
    signed_on: date | None = describe("签约日期", "signed on", "附件6/7", default=None)
    valid_from: date | None = describe("协议起始日", "agreement start", "附件6/7", default=None)
    valid_to: date | None = describe("协议终止日", "agreement end (inclusive)", "附件6/7", default=None)
    credit_clean: bool | None = describe("信用记录良好", "clean credit record", default=None)
    with_foreign_entity: bool | None = describe(
        "协议签约方为境外主体（而非其境内子公司）",
        "agreement is with the foreign entity itself",
        default=None,
    )


class Fund(Evidenced):
    id: RowId = describe("编号", "id", "附件7")
    name: str = describe("基金名称", "name", "附件7")
    type: Literal["venture_fund", "innovation_fund", "incubation_fund", "seed_fund"] = describe(
        "类型：创业投资基金 / 创新基金 / 孵化资金 / 种子资金", "type", "附件7"
    )
    size_yuan: Money | None = describe("规模（元）", "size (yuan)", "附件7", default=None)
    established_on: date | None = describe("成立日期", "established on", "附件7", default=None)
    dissolved_on: date | None = describe("清算日期", "dissolved on", "附件7", default=None)
    owner: Literal["operator", "affiliate", "other"] = describe(
        "出资方：运营机构 / 关联方 / 其他", "owner", "附件7", default="operator"
    )


class AdvisoryContract(Evidenced):
    id: RowId = describe("编号", "id", "附件7")
    provider: str = describe("财务顾问服务机构", "advisory provider", "附件7")
    start_date: date | None = describe("合同起始日", "start", "附件7", default=None)
    end_date: date | None = describe("合同终止日", "end (inclusive)", "附件7", default=None)


class Equipment(Evidenced):
    id: RowId = describe("编号", "id", "附件6")
    name: str = describe("设备设施名称", "name", "附件6")
    category: Literal[
        "rnd_design",
        "testing",
        "prototyping",
        "pilot_production",
        "internet",
        "public_software",
        "shared_office",
        "other",
    ] = describe(
        "类别：研发设计 / 检验检测 / 模型加工 / 小试中试 / 网络接入 / 公共软件 / 共享办公 / 其他",
        "category",
        "附件6",
    )
    quantity: int = describe("数量", "quantity", "附件6", default=1, ge=0)
    value_yuan: Money | None = describe("原值（元）", "original value (yuan)", "附件6", default=None)
    open_to_incubatees: bool | None = describe(
        "是否向在孵企业开放", "open to incubatees", "附件6", default=None
    )


class ServiceRecord(Evidenced):
    id: RowId = describe("编号", "id", "附件6")
    date: Day = describe("服务日期", "date", "附件6")
    incubatee_id: RowId | None = describe("服务对象（在孵编号）", "incubatee served", "附件6", default=None)
    category: Literal[
        "technology",
        "information",
        "capital",
        "supply_chain",
        "market",
        "policy",
        "funding",
        "service",
        "other",
    ] = describe(
        "内容：技术 / 信息 / 资本 / 供应链 / 市场对接 / 政策 / 资金 / 服务 / 其他", "category", "附件6"
    )
    provider: Literal["self", "partner"] = describe(
        "提供方：自身 / 合作机构", "provided by", "附件6", default="self"
    )
    customised: bool = describe("是否个性化、定制化服务", "customised", "附件6", default=False)
    outcome: Literal["solved", "ongoing", "failed"] | None = describe(
        "成效：已解决 / 进行中 / 未解决", "outcome", "附件6", default=None
    )
    international: bool = describe("是否国际化个案服务", "international case service", default=False)
    complete_record: bool | None = describe(
        "服务记录是否完整", "the service record is complete", default=None
    )


class Case(Evidenced):
    id: RowId = describe("编号", "id", "附件8")
    title: str = describe("案例名称", "title", "附件8")
    type: Literal[
        "incubation", "mentor_service", "investment", "listing", "brand_output", "international"
    ] = describe("类型：孵化 / 导师服务 / 投资 / 上市 / 品牌输出 / 国际化", "type", "附件8")
    date: Day = describe("案例发生日期", "date", "附件8")
    incubatee_id: RowId | None = describe(
        "案例主体（在孵或毕业编号）", "incubatee concerned", "附件8", default=None
    )
    city: str | None = describe("所在城市（品牌输出）", "city (brand output)", default=None)
    international_type: Literal["returnee", "overseas_maker", "foreign_landing", "going_global"] | None = (
        describe(
            "国际化案例类型：海归来沪 / 海外创客 / 海外企业落地 / 本土企业国际化",
            "international case type",
            default=None,
        )
    )
    partner: str | None = describe("协同合作机构", "partner involved", default=None)


class MediaReport(Evidenced):
    id: RowId = describe("编号", "id")
    outlet: str = describe("媒体名称", "outlet")
    tier: Literal["national", "provincial_municipal", "industry", "other"] | None = describe(
        "媒体级别", "tier", default=None
    )
    third_party: bool = describe(
        "是否第三方媒体（非自有、非付费）", "third-party, not own or paid", default=True
    )
    published_on: date = describe("发布日期", "published on")
    title: str = describe("标题", "title")
    url: str | None = describe("链接", "URL", default=None)
    story: str | None = describe("同一报道的转载归并键", "key grouping reposts of one story", default=None)


class BrandLocation(Evidenced):
    id: RowId = describe("编号", "id")
    name: str = describe("名称", "name")
    city: str = describe("城市", "city")
    country: str = describe("国家（ISO 两位代码）", "country", default="CN", pattern=r"^[A-Z]{2}$")
    mode: Literal["self_operated", "chain", "franchise", "acquired"] = describe(
        "方式：直营 / 连锁 / 加盟 / 并购", "mode"
    )
    opened_on: date | None = describe("开设日期", "opened on", default=None)
    closed_on: date | None = describe("关闭日期", "closed on", default=None)
    is_applicant: bool = describe("是否即本申报空间", "is the applying space itself", default=False)
    incubatees_served_in_period: int | None = describe(
        "培育期间服务的团队和企业数（其他门店自报）",
        "teams and companies served in the period (other locations)",
        default=None,
        ge=0,
    )


class OverseasBranch(Evidenced):
    id: RowId = describe("编号", "id")
    country: str = describe("国家或地区", "country")
    city: str | None = describe("城市", "city", default=None)
    established_on: date | None = describe("设立日期", "established on", default=None)
    exported_teams: int = describe(
        "输出的国内团队和企业数", "domestic teams exported through it", default=0, ge=0
    )


class InternationalProject(Evidenced):
    id: RowId = describe("编号", "id")
    name: str = describe("项目名称", "name")
    incubatee_id: RowId | None = describe("关联在孵编号", "incubatee", default=None)
    type: Literal["returnee", "overseas_maker", "foreign_landing", "going_global"] = describe(
        "类型：海归来沪创业 / 海外创客 / 海外企业落地 / 本土企业国际化拓展", "type"
    )
    country: str | None = describe("国家或地区", "country", default=None)
    started_on: date = describe("开始日期", "started on")


class Cultivation(Evidenced):
    track: Literal["specialized", "branded", "international"] = describe("培育方向", "cultivation track")
    approved_on: date | None = describe("立项日期", "date approved", default=None)
    start_date: date = describe("建设期起始日（培育第1年首日）", "first day of the build year")
    document_no: str | None = describe("立项文号", "approval document number", default=None)


class Facts(Strict):
    """One makerspace's data as of a date."""

    format_version: Literal["1.0"] = describe("格式版本", "format version", default=FORMAT_VERSION)
    as_of: date | None = describe("数据截至日期", "date the data describes", default=None)
    operator: Operator
    space: Space
    sites: list[Site] = describe("孵化场地", "sites", "附件2", default=[])
    staff: list[StaffMember] = describe("专职管理人员", "management staff", "附件3", default=[])
    mentors: list[Mentor] = describe("创业导师", "mentors", "附件9", default=[])
    mentor_sessions: list[MentorSession] = describe("导师辅导记录", "mentoring sessions", default=[])
    incubatees: list[Incubatee] = describe(
        "在孵创业团队和企业（含已毕业、退出）", "incubatees, past ones included", "附件4", default=[]
    )
    registrations: list[Registration] = describe(
        "团队注册成为新企业", "teams registering companies", "附件8", default=[]
    )
    financing: list[FinancingEvent] = describe("融资事件", "financing events", "附件7/8", default=[])
    ip_rights: list[IPRight] = describe("知识产权", "IP rights", "附件8", default=[])
    activities: list[Activity] = describe("活动", "activities", "附件5", default=[])
    partnerships: list[Partnership] = describe("合作机构", "partnerships", "附件6/7", default=[])
    funds: list[Fund] = describe("创业投资基金或创新基金", "funds", "附件7", default=[])
    advisory_contracts: list[AdvisoryContract] = describe(
        "财务顾问服务合同", "financial advisory contracts", "附件7", default=[]
    )
    equipment: list[Equipment] = describe("设备设施", "equipment and facilities", "附件6", default=[])
    service_records: list[ServiceRecord] = describe("服务记录", "service records", "附件6", default=[])
    cases: list[Case] = describe("典型案例", "typical cases", "附件8", default=[])
    media_reports: list[MediaReport] = describe("媒体报道", "media reports", default=[])
    brand_locations: list[BrandLocation] = describe("同品牌众创空间", "same-brand locations", default=[])
    overseas_branches: list[OverseasBranch] = describe("海外机构", "overseas branches", default=[])
    international_projects: list[InternationalProject] = describe(
        "国际项目", "international projects", default=[]
    )
    cultivation: Cultivation | None = describe("上海培育项目", "Shanghai cultivation project", default=None)
    documents: list[Document] = describe("佐证材料", "evidence documents", default=[])
