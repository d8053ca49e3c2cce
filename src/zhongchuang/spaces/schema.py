"""The space's tables, derived from the facts format so that the database maps 1:1 onto it.

Each `TableSpec` names a list of the facts format (incubatees, sites[].leases, operator.credit_checks…)
and carries its columns: one per scalar field of the row model, nested single objects flattened
with a prefix (`company_founded_on`), lists of scalars kept as JSON, links to other rows
(`incubatee_id`) as foreign keys. `spaces.models` builds the Django models from these specs and
`bridge` turns rows back into facts; no other code knows the mapping.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from zhongchuang.facts import models as facts
from zhongchuang.facts.labels import VALUE_LABELS_ZH

ColumnKind = Literal["text", "date", "decimal", "int", "bool", "choice", "list", "link"]

LINKS = {"incubatee_id": "incubatees", "mentor_id": "mentors"}
LONG_TEXT = {"background", "service_description", "title", "address", "registered_address"}


@dataclass(frozen=True)
class Column:
    name: str  # the model field and form field
    path: tuple[str, ...]  # where the value sits in a facts row
    kind: ColumnKind
    label_zh: str
    label_en: str
    attachment: str | None
    required: bool
    choices: tuple[tuple[str, str], ...] = ()
    link: str | None = None  # the table a link column points into
    default: Any = None


@dataclass(frozen=True)
class TableSpec:
    name: str  # URL slug and facts key
    model_name: str
    item: type[BaseModel]
    label_zh: str
    label_en: str
    attachment: str
    columns: tuple[Column, ...]
    parent: str | None = None  # leases belong to a site
    location: tuple[str, ...] = ()  # where the list sits in the facts: ("operator", "credit_checks")
    evidence_kinds: tuple[str, ...] = ()  # the upload slots offered on each row

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The inner type of `X | None` and Annotated[X, …], and whether None is allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [arg for arg in get_args(annotation) if arg is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def _choice_labels(field: FieldInfo, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Labels for literal values, read from the Chinese description "类型：甲 / 乙 / 丙" when they line up."""
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    zh = str(extra.get("zh", ""))
    words = zh.split("：", 1)[1].split(" / ") if "：" in zh else []
    if len(words) == len(values):
        return tuple(zip(values, (w.strip() for w in words), strict=True))
    return tuple((value, VALUE_LABELS_ZH.get(value, value)) for value in values)


def columns_of(
    model: type[BaseModel], prefix: tuple[str, ...] = (), inherited: str | None = None
) -> list[Column]:
    out: list[Column] = []
    for name, field in model.model_fields.items():
        if name in ("id", "evidence"):
            continue
        annotation, optional = _unwrap(field.annotation)
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        zh, en = str(extra.get("zh", name)), str(extra.get("en", name))
        attachment = str(extra.get("attachment", inherited or "")) or None
        path = (*prefix, name)
        column_name = "_".join(path)
        required = field.is_required() and not optional
        default = None if field.is_required() else field.default
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.extend(columns_of(annotation, path, attachment))
            continue
        if get_origin(annotation) is list:
            (item,) = get_args(annotation)
            item, _ = _unwrap(item)
            if isinstance(item, type) and issubclass(item, BaseModel):
                continue  # a child table of its own
            out.append(Column(column_name, path, "list", zh, en, attachment, False, default=[]))
            continue
        if name in LINKS and not prefix:
            # The model field is the relation itself ("incubatee"); the facts keep the id ("incubatee_id").
            out.append(
                Column(name.removesuffix("_id"), path, "link", zh, en, attachment, required, link=LINKS[name])
            )
        elif get_origin(annotation) is Literal:
            values = tuple(str(v) for v in get_args(annotation))
            # "类型：甲 / 乙" describes the values too; the column's own label is the part before "："
            out.append(
                Column(
                    column_name,
                    path,
                    "choice",
                    zh.split("：", 1)[0],
                    en,
                    attachment,
                    required,
                    _choice_labels(field, values),
                    default=default,
                )
            )
        elif annotation is date:
            out.append(Column(column_name, path, "date", zh, en, attachment, required))
        elif annotation is Decimal:
            out.append(Column(column_name, path, "decimal", zh, en, attachment, required))
        elif annotation is bool:
            out.append(Column(column_name, path, "bool", zh, en, attachment, required, default=default))
        elif annotation is int:
            out.append(Column(column_name, path, "int", zh, en, attachment, required, default=default))
        else:
            out.append(Column(column_name, path, "text", zh, en, attachment, required, default=default))
    return out


def _table(
    name: str,
    model_name: str,
    item: type[BaseModel],
    zh: str,
    en: str,
    attachment: str,
    evidence: tuple[str, ...] = (),
    parent: str | None = None,
    location: tuple[str, ...] = (),
) -> TableSpec:
    return TableSpec(
        name,
        model_name,
        item,
        zh,
        en,
        attachment,
        tuple(columns_of(item, inherited=attachment)),
        parent,
        location or (name,),
        evidence,
    )


# In the order of the official attachments (附件2–9), then the Shanghai items.
TABLES: tuple[TableSpec, ...] = (
    _table("sites", "Site", facts.Site, "孵化场地", "Sites", "附件2", ("title_deed", "floor_plan")),
    _table(
        "leases",
        "Lease",
        facts.Lease,
        "租赁合同",
        "Leases",
        "附件2",
        ("lease_contract", "entrustment_agreement"),
        parent="sites",
        location=("sites", "*", "leases"),
    ),
    _table(
        "staff",
        "StaffMember",
        facts.StaffMember,
        "专职管理人员",
        "Management staff",
        "附件3",
        ("social_insurance_proof", "cv", "training_certificate"),
    ),
    _table(
        "incubatees",
        "Incubatee",
        facts.Incubatee,
        "在孵创业团队和企业",
        "Incubatees",
        "附件4",
        ("incubation_agreement", "sublease_agreement", "business_licence"),
    ),
    _table(
        "activities",
        "Activity",
        facts.Activity,
        "近一年开展活动",
        "Activities",
        "附件5",
        ("activity_notice", "photo", "sign_in_sheet", "news_link"),
    ),
    _table(
        "equipment",
        "Equipment",
        facts.Equipment,
        "专业技术服务：设备设施",
        "Equipment and facilities",
        "附件6",
        ("other",),
    ),
    _table(
        "partnerships",
        "Partnership",
        facts.Partnership,
        "合作机构",
        "Partners",
        "附件6/7",
        ("cooperation_agreement",),
    ),
    _table(
        "service_records",
        "ServiceRecord",
        facts.ServiceRecord,
        "服务记录",
        "Service records",
        "附件6",
        ("service_log",),
    ),
    _table("funds", "Fund", facts.Fund, "创业投资基金或创新基金", "Funds", "附件7", ("fund_establishment",)),
    _table(
        "advisory_contracts",
        "AdvisoryContract",
        facts.AdvisoryContract,
        "财务顾问服务合同",
        "Financial advisory",
        "附件7",
        ("advisory_contract",),
    ),
    _table(
        "financing",
        "FinancingEvent",
        facts.FinancingEvent,
        "融资事件",
        "Financing",
        "附件7",
        ("investment_agreement", "payment_receipt", "registration_change"),
    ),
    _table(
        "registrations",
        "Registration",
        facts.Registration,
        "团队注册成为新企业",
        "New companies",
        "附件8",
        ("business_licence",),
    ),
    _table("ip_rights", "IPRight", facts.IPRight, "知识产权", "IP rights", "附件8", ("ip_certificate",)),
    _table("cases", "Case", facts.Case, "典型案例", "Typical cases", "附件8", ("case_writeup",)),
    _table("mentors", "Mentor", facts.Mentor, "创业导师", "Mentors", "附件9", ("appointment_letter", "cv")),
    _table(
        "mentor_sessions",
        "MentorSession",
        facts.MentorSession,
        "导师辅导记录",
        "Mentoring sessions",
        "附件9",
        ("service_log",),
    ),
    _table(
        "credit_checks",
        "CreditCheck",
        facts.CreditCheck,
        "信用查询",
        "Credit checks",
        "附件1",
        ("credit_report",),
        location=("operator", "credit_checks"),
    ),
    _table(
        "open_resources",
        "OpenResource",
        facts.OpenResource,
        "开放资源",
        "Open resources",
        "上海",
        ("cooperation_agreement",),
        location=("space", "open_resources"),
    ),
    _table(
        "stage_programmes",
        "StageProgramme",
        facts.StageProgramme,
        "孵化链条",
        "Incubation chain",
        "上海",
        ("cooperation_agreement",),
        location=("space", "stage_programmes"),
    ),
    _table(
        "brand_locations",
        "BrandLocation",
        facts.BrandLocation,
        "同品牌众创空间",
        "Brand locations",
        "上海",
        ("cooperation_agreement",),
    ),
    _table(
        "media_reports",
        "MediaReport",
        facts.MediaReport,
        "媒体报道",
        "Media reports",
        "上海",
        ("media_clip",),
    ),
    _table(
        "overseas_branches",
        "OverseasBranch",
        facts.OverseasBranch,
        "海外机构",
        "Overseas branches",
        "上海",
        ("other",),
    ),
    _table(
        "international_projects",
        "InternationalProject",
        facts.InternationalProject,
        "国际项目",
        "International projects",
        "上海",
        ("cooperation_agreement",),
    ),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}

# The space's own form: the operator's facts (name and code live on the organisation), the space's
# and the Shanghai cultivation block, flattened.
OPERATOR_COLUMNS = tuple(
    column
    for column in columns_of(facts.Operator, ("operator",), "附件1")
    if column.name not in ("operator_name", "operator_uscc")
)
SPACE_COLUMNS = tuple(columns_of(facts.Space, ("space",), "附件1"))
CULTIVATION_COLUMNS = tuple(columns_of(facts.Cultivation, ("cultivation",), "上海"))
PROFILE_COLUMNS = OPERATOR_COLUMNS + SPACE_COLUMNS + CULTIVATION_COLUMNS
