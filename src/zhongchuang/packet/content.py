"""The packet's content, in the official order of the Xiamen notice (二、申报材料 1–11), as plain blocks.

Both faces of the packet read this: the PDF template and the Word writer. Nothing here knows a file
format. Tables take their columns from `spaces.schema.TABLES` (the same Chinese labels and choice
labels as the web pages); the 附件1 sheet sums the attachment tables as of the reference date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.utils import translation

from zhongchuang.facts.labels import document_label
from zhongchuang.packet.source import PacketSource
from zhongchuang.spaces.schema import OPERATOR_COLUMNS, TABLES_BY_NAME, Column, TableSpec
from zhongchuang.spaces.tables import choice_label

WIDE_COLUMNS = 9  # a table with more columns than this is printed on a landscape page
STATUS_ZH = {"pass": "符合", "fail": "不符合", "needs_review": "待审核", "missing_data": "数据或材料不全"}
VERDICT_ZH = {
    "eligible": "符合条件",
    "ineligible": "不符合条件",
    "incomplete": "数据或材料不全",
    "needs_review": "自动检查通过，待审核",
}
POLICY_KINDS = ("policy_admission", "policy_graduation_exit", "policy_mentoring", "policy_service_process")
# Partners of 附件7 (investment and financing); every other partner is a technical service partner (附件6).
INVESTMENT_PARTNERS = {"investment_institution", "financial_advisor"}
SHANGHAI_TABLES = (
    "open_resources",
    "stage_programmes",
    "brand_locations",
    "media_reports",
    "overseas_branches",
    "international_projects",
)


@dataclass
class Fields:
    """Label/value rows (the 认定信息表 and summaries)."""

    caption: str
    items: list[tuple[str, str]]
    kind: Literal["fields"] = "fields"


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    empty: str = "（无）"
    note: str = ""
    mono: tuple[int, ...] = ()  # columns printed in a fixed-width font (hashes)
    weights: list[float] | None = None  # relative column widths; equal when absent
    kind: Literal["table"] = "table"

    @property
    def wide(self) -> bool:
        return len(self.headers) > WIDE_COLUMNS

    def widths(self) -> list[float]:
        """Column widths in percent (the PDF uses a fixed table layout: CJK min-content widths are costly)."""
        weights = list(self.weights or [1.0] * len(self.headers))
        total = sum(weights)
        return [round(weight * 100 / total, 2) for weight in weights]


@dataclass
class Text:
    text: str
    note: bool = False  # a remark of the platform, not the operator's text
    kind: Literal["text"] = "text"


Block = Fields | Table | Text


@dataclass
class Section:
    anchor: str
    number: str  # "1" … "11" as in the notice; "" for the platform's own sections
    title: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def wide(self) -> bool:
        return any(isinstance(block, Table) and block.wide for block in self.blocks)


# --- values ---------------------------------------------------------------------------------------


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _plain(number: Decimal | int | None) -> str:
    if number is None:
        return ""
    if isinstance(number, int):
        return str(number)
    text = format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)


def _at(row: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = row
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def cell(column: Column, value: Any, names: dict[str, str]) -> str:
    """A facts value as printed: choice labels, 是/否, lists joined, links with the row's name."""
    if value is None or value == "" or value == []:
        return ""
    match column.kind:
        case "choice":
            return choice_label(column, str(value))
        case "bool":
            return "是" if value else "否"
        case "list":
            return "、".join(str(item) for item in value)
        case "link":
            name = names.get(str(value), "")
            return f"{value} {name}".strip()
        case "decimal":
            number = _number(value)
            if number is None:
                return str(value)
            return (
                f"{number:,.2f}".rstrip("0").rstrip(".") if column.name.endswith("_yuan") else _plain(number)
            )
        case _:
            return str(value)


def _official(spec: TableSpec, column: Column, everything: bool) -> bool:
    """Columns the official attachment asks for (the facts field names its 附件); Shanghai-only ones otherwise."""
    if everything or spec.attachment == "上海":
        return True
    extra = spec.item.model_fields[column.path[0]].json_schema_extra
    return isinstance(extra, dict) and "attachment" in extra


KIND_WEIGHTS = {
    "text": 2.4,
    "date": 2.2,
    "decimal": 1.2,
    "int": 1.0,
    "bool": 0.9,
    "choice": 1.3,
    "list": 1.8,
    "link": 2.2,
}


def _weight(column: Column) -> float:
    if column.name in (
        "name",
        "title",
        "address",
        "company_name",
        "partner",
        "provider",
        "background",
        "topic",
    ):
        return 3.0
    if column.name.endswith("uscc"):
        return 3.9  # 18 characters on one line
    return KIND_WEIGHTS[column.kind]


def _table(
    spec: TableSpec,
    rows: list[dict[str, Any]],
    names: dict[str, str],
    *,
    everything: bool,
    caption: str | None = None,
    lead: tuple[str, ...] = ("编号",),
    lead_values: Any = None,
    note: str = "",
) -> Table:
    columns = [column for column in spec.columns if _official(spec, column, everything)]
    headers = [*lead, *(column.label_zh for column in columns), "佐证材料"]
    body = []
    for index, row in enumerate(rows):
        first = lead_values(index, row) if lead_values else [str(row.get("id") or index + 1)]
        body.append(
            [
                *first,
                *(cell(column, _at(row, column.path), names) for column in columns),
                "、".join(row.get("evidence") or []),
            ]
        )
    weights = [1.2] * len(lead) + [_weight(column) for column in columns] + [1.6]
    return Table(caption or spec.label_zh, headers, body, note=note, weights=weights)


# --- the sections ---------------------------------------------------------------------------------


@dataclass
class Context:
    source: PacketSource
    facts: dict[str, Any]
    reference: date | None
    window: tuple[date, date] | None  # 近一年: (start exclusive, end inclusive)
    names: dict[str, str]
    everything: bool  # print every column (Shanghai policies), not only the Xiamen attachments'

    def rows(self, name: str) -> list[dict[str, Any]]:
        spec = TABLES_BY_NAME[name]
        return list(_at(self.facts, spec.location) or [])

    def in_window(self, value: Any) -> bool:
        day = _day(value)
        return bool(day and self.window and self.window[0] < day <= self.window[1])

    def table(self, name: str, **kwargs: Any) -> Table:
        rows = kwargs.pop("rows") if "rows" in kwargs else self.rows(name)
        return _table(TABLES_BY_NAME[name], rows, self.names, everything=self.everything, **kwargs)


def _context(source: PacketSource) -> Context:
    facts = source.facts
    reference = source.reference_date or _day(facts.get("as_of"))
    window: tuple[date, date] | None = None
    span = (source.evaluation or {}).get("window")
    start, end = (_day(span["start_exclusive"]), _day(span["end_inclusive"])) if span else (None, None)
    if start and end:
        window = (start, end)
    elif reference:
        year_before = (
            reference.replace(year=reference.year - 1)
            if not (reference.month == 2 and reference.day == 29)
            else reference - timedelta(days=366)
        )
        window = (year_before, reference)
    names = {
        str(row.get("id")): str(row.get("name", ""))
        for key in ("incubatees", "mentors")
        for row in facts.get(key) or []
    }
    return Context(
        source,
        facts,
        reference,
        window,
        names,
        everything=source.policy_id.startswith("shanghai"),
    )


def _in_incubation(row: dict[str, Any], reference: date | None) -> bool:
    admitted, exited = _day(row.get("admitted_on")), _day(row.get("exited_on"))
    if reference is None:
        return exited is None
    return bool(admitted and admitted <= reference and (exited is None or exited > reference))


def _information_sheet(c: Context) -> Section:
    facts, source, reference = c.facts, c.source, c.reference
    operator, space = facts.get("operator") or {}, facts.get("space") or {}
    section = Section("s-info", "1", "市级众创空间认定信息表（附件1）")
    opened = _day(space.get("opened_on"))
    months = f"{_months_between(opened, reference)} 个月（截至基准日）" if opened and reference else ""
    section.blocks.append(
        Fields(
            "一、众创空间基本情况",
            [
                ("众创空间名称", source.space_name),
                ("申报类型", source.application_type),
                ("聚焦产业细分领域", space.get("focus_subsector") or ""),
                ("经营地址", space.get("address") or ""),
                ("所在区", space.get("district") or ""),
                ("开始运营日期", space.get("opened_on") or ""),
                ("运营时间", months),
            ],
        )
    )
    operator_items = [
        ("运营机构名称", source.operator_name),
        ("统一社会信用代码", operator.get("uscc") or ""),
    ]
    operator_items += [
        (column.label_zh.split("，")[0], cell(column, _at(facts, column.path), c.names))
        for column in OPERATOR_COLUMNS
    ]
    section.blocks.append(Fields("二、运营机构情况", operator_items))

    sites = c.rows("sites")
    total = sum((_number(site.get("total_area_m2")) or Decimal(0)) for site in sites)
    desks = sum((_number(site.get("workstation_area_m2")) or Decimal(0)) for site in sites)
    public = sum((_number(site.get("public_service_area_m2")) or Decimal(0)) for site in sites)
    count = sum(int(site.get("workstation_count") or 0) for site in sites)
    share = f"{(desks + public) / total * 100:.1f}%" if total else ""
    tenure_column = TABLES_BY_NAME["sites"].column("tenure")
    tenures = "、".join(
        sorted({cell(tenure_column, site.get("tenure"), {}) for site in sites if site.get("tenure")})
    )
    lease_ends = [
        end for site in sites for lease in site.get("leases") or [] if (end := _day(lease.get("end_date")))
    ]
    latest = max(lease_ends) if lease_ends else None
    remaining = f"{_months_between(reference, latest)} 个月" if latest and reference else ""
    section.blocks.append(
        Fields(
            "三、场地概况（据附件2汇总）",
            [
                ("场地数", str(len(sites))),
                ("可自主支配总面积（㎡）", _plain(total)),
                ("工位面积（㎡）", _plain(desks)),
                ("工位数", str(count)),
                ("公共服务场地面积（㎡）", _plain(public)),
                ("（工位＋公共服务场地）占总面积比例", share),
                ("场地性质", tenures),
                ("租赁合同最晚到期日", latest.isoformat() if latest else ""),
                ("剩余租期（截至基准日）", remaining),
            ],
        )
    )

    def current(row: dict[str, Any], start: str, end: str) -> bool:
        begun, ended = _day(row.get(start)), _day(row.get(end))
        if reference is None:
            return ended is None
        return (begun is None or begun <= reference) and (ended is None or ended >= reference)

    staff = [row for row in c.rows("staff") if current(row, "hired_on", "left_on")]
    mentors = [row for row in c.rows("mentors") if current(row, "appointed_from", "appointed_to")]
    section.blocks.append(
        Fields(
            "四、服务能力（截至基准日）",
            [
                ("专职管理人员数", str(sum(1 for row in staff if row.get("full_time")))),
                ("管理人员总数", str(len(staff))),
                (
                    "创业导师数（专职／兼职）",
                    f"{len(mentors)}（{sum(1 for m in mentors if m.get('full_time'))}／{sum(1 for m in mentors if not m.get('full_time'))}）",
                ),
            ],
        )
    )
    section.blocks.append(Fields("五、孵化绩效（据附件4–8汇总）", _performance(c)))
    contact = source.contact
    section.blocks.append(
        Fields(
            "六、联系人",
            [
                ("法定代表人", operator.get("legal_representative") or ""),
                ("联系人", contact.get("name", "")),
                ("联系电话", contact.get("phone", "")),
                ("电子邮箱", contact.get("email", "")),
            ],
        )
    )
    section.blocks.append(c.table("credit_checks", caption="信用情况查询记录"))
    if source.pledge_text:
        section.blocks.append(Text(source.pledge_text))
    section.blocks.append(
        Text("申报单位（盖章）：　　　　　　　　　　法定代表人（签字）：　　　　　　　　　　年　　月　　日")
    )
    return section


def _performance(c: Context) -> list[tuple[str, str]]:
    incubatees = c.rows("incubatees")
    current = [row for row in incubatees if _in_incubation(row, c.reference)]
    teams = sum(1 for row in current if row.get("kind") == "team")
    focus = sum(1 for row in current if row.get("in_focus"))
    registered = {
        row.get("incubatee_id") for row in c.rows("registrations") if c.in_window(row.get("registered_on"))
    }
    financed = {row.get("incubatee_id") for row in c.rows("financing") if c.in_window(row.get("closed_on"))}
    with_ip = {
        row.get("incubatee_id")
        for row in c.rows("ip_rights")
        if row.get("status") == "valid" and c.in_window(row.get("granted_on"))
    }
    activities = [row for row in c.rows("activities") if c.in_window(row.get("date"))]
    window = f"{c.window[0].isoformat()} 至 {c.window[1].isoformat()}（不含起始日）" if c.window else ""
    services = []
    if c.rows("funds"):
        services.append(f"自有基金{len(c.rows('funds'))}个")
    investors = [row for row in c.rows("partnerships") if row.get("kind") in INVESTMENT_PARTNERS]
    if investors:
        services.append(f"合作投资机构{len(investors)}家")
    if c.rows("advisory_contracts"):
        services.append(f"财务顾问服务合同{len(c.rows('advisory_contracts'))}份")
    items = [
        ("“近一年”区间", window),
        ("在孵创业团队和企业数（截至基准日）", f"{len(current)}（团队{teams}，企业{len(current) - teams}）"),
    ]
    if c.facts.get("space", {}).get("focus_subsector"):
        share = f"，占{focus / len(current) * 100:.1f}%" if current else ""
        items.append(("其中属于聚焦领域", f"{focus}{share}"))
    items += [
        ("近一年注册成为新企业的团队数", str(len(registered))),
        ("近一年获得融资的团队和企业数", str(len(financed))),
        ("近一年获得有效知识产权的团队和企业数", str(len(with_ip))),
        ("近一年开展活动次数", str(len(activities))),
        ("投融资服务方式", "、".join(services) or "（无）"),
        ("典型案例数", str(len(c.rows("cases")))),
    ]
    return items


def _introduction(c: Context) -> Section:
    section = Section("s-intro", "2", "众创空间简介")
    text = (c.facts.get("space") or {}).get("service_description")
    if text:
        section.blocks += [Text(paragraph) for paragraph in str(text).splitlines() if paragraph.strip()]
    else:
        section.blocks.append(
            Text("（尚未填写众创空间简介：请在众创空间资料的“孵化服务体系说明”中填写。）", note=True)
        )
    introductions = [document for document in c.source.evidence if document.kind == "introduction"]
    if introductions:
        section.blocks.append(
            Text("另附简介材料：" + "、".join(f"{d.ref} {d.title}" for d in introductions), note=True)
        )
    return section


def _sites(c: Context) -> Section:
    section = Section("s-a2", "3", "孵化场地情况表（附件2）")
    sites = c.rows("sites")
    section.blocks.append(c.table("sites", rows=sites))
    leases = [(site, lease) for site in sites for lease in site.get("leases") or []]
    section.blocks.append(
        c.table(
            "leases",
            rows=[lease for _, lease in leases],
            lead=("序号", "所属场地"),
            lead_values=lambda index, row: [str(index + 1), str(leases[index][0].get("id", ""))],
        )
    )
    section.blocks.append(Text("须附产权证或租赁合同复印件、楼层平面图（见佐证材料清单）。", note=True))
    return section


def _rules(c: Context) -> Section:
    """7. 运营管理制度材料: the rule documents the space attached, and which of the required ones are missing."""
    section = Section("s-rules", "7", "众创空间运营管理制度材料")
    section.blocks.append(Text("应包括团队或企业入孵评估、毕业与退出机制、导师制度、服务流程等。", note=True))
    rules = [d for d in c.source.evidence if d.kind.startswith("policy_")]
    section.blocks.append(
        Table(
            "运营管理制度文件",
            ["编号", "类别", "名称", "页数"],
            [[d.ref, document_label(d.kind), d.title, str(d.pages or "")] for d in rules],
            weights=[1, 2, 5, 1],
        )
    )
    missing = [document_label(kind) for kind in POLICY_KINDS if kind not in {d.kind for d in rules}]
    if missing:
        section.blocks.append(Text("未提供：" + "、".join(missing), note=True))
    return section


def _investment_split(c: Context) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    partners = c.rows("partnerships")
    invest = [row for row in partners if row.get("kind") in INVESTMENT_PARTNERS or row.get("investor_type")]
    return [row for row in partners if row not in invest], invest


def _evaluation(c: Context) -> Section:
    section = Section("s-evaluation", "", "评估结果（平台自动检查）")
    result = c.source.evaluation
    if c.source.problems:
        section.blocks.append(
            Table(
                "以下记录有错误，未计入评估",
                ["位置", "问题"],
                [[where, zh] for where, zh in c.source.problems],
                weights=[1, 2],
            )
        )
    if not result:
        section.blocks.append(Text("数据不完整，无法评估。", note=True))
        return section
    from zhongchuang.checks.selectors import short_reason
    from zhongchuang.engine.results import EvaluationResult

    evaluation = EvaluationResult.model_validate(result)
    window = evaluation.window
    section.blocks.append(
        Fields(
            "评估概要",
            [
                ("政策", f"{evaluation.policy_title_zh}（版本 {evaluation.policy_version}）"),
                ("基准日", evaluation.as_of.isoformat()),
                (
                    "“近一年”区间",
                    f"{window.start_exclusive.isoformat()} 至 {window.end_inclusive.isoformat()}（不含起始日）",
                ),
                ("结论", VERDICT_ZH.get(evaluation.verdict, evaluation.verdict)),
                (
                    "各状态条数",
                    "；".join(f"{STATUS_ZH[k]} {v}" for k, v in evaluation.counts.items() if k in STATUS_ZH),
                ),
            ],
        )
    )
    rows = []
    for criterion in evaluation.criteria:
        rows.append(
            [
                f"{criterion.id} {criterion.title_zh}",
                STATUS_ZH.get(criterion.status, criterion.status),
                f"{criterion.cite}：{criterion.clause}",
                "",
            ]
        )
        for check in criterion.checks:
            threshold = f"（{check.threshold.value}）" if check.threshold else ""
            rows.append(
                [
                    f"　{check.id} {check.label_zh}",
                    STATUS_ZH.get(check.status, check.status),
                    check.clause,
                    short_reason(check) + threshold,
                ]
            )
    section.blocks.append(
        Table("各项条件", ["条件", "状态", "依据条款", "数据与说明"], rows, weights=[2.2, 1, 3.2, 3.6])
    )
    section.blocks.append(Text("“待审核”表示自动检查已通过，须由审核人员核对佐证材料后确认。", note=True))
    return section


def _evidence_index(source: PacketSource, files: dict[str, EvidenceNote] | None) -> Table:
    """The evidence index. With `files` (the PDF): where each file is appended (or why not), in four
    columns rather than six — a space with hundreds of documents makes this the longest table."""
    note = "SHA-256 校验值用于核对纸质材料与平台存档的文件是否一致。"
    if files is None:
        rows = [
            [d.ref, document_label(d.kind), d.title, str(d.pages or ""), d.sha256] for d in source.evidence
        ]
        return Table(
            "佐证材料",
            ["编号", "类别", "名称", "页数", "SHA-256"],
            rows,
            mono=(4,),
            weights=[1, 2.4, 4.2, 0.8, 9.4],
            note=note,
        )
    rows = []
    for d in source.evidence:
        appended = files.get(d.ref)
        pages = appended.pages if appended and appended.pages else d.pages
        where = "；".join(
            part for part in (f"{pages} 页" if pages else "", appended.remark if appended else "") if part
        )
        rows.append([d.ref, f"{document_label(d.kind)}：{d.title}", where, d.sha256])
    return Table(
        "佐证材料",
        ["编号", "类别与名称", "页数与位置", "SHA-256"],
        rows,
        mono=(3,),
        weights=[1, 5.4, 3.0, 9.4],
        note=note,
    )


@dataclass(frozen=True)
class EvidenceNote:
    """How the PDF treats one evidence file: its pages and where they are appended, or why not."""

    pages: int | None
    remark: str


def sections(source: PacketSource, files: dict[str, EvidenceNote] | None = None) -> list[Section]:
    """Every section after the cover and the table of contents, in the official order."""
    with translation.override(
        "zh-hans"
    ):  # the packet is an official Chinese document whatever the user's language
        return _sections(source, files)


def _sections(source: PacketSource, files: dict[str, EvidenceNote] | None) -> list[Section]:
    c = _context(source)
    activities = [row for row in c.rows("activities") if c.in_window(row.get("date"))]
    older = len(c.rows("activities")) - len(activities)
    tech_partners, invest_partners = _investment_split(c)
    out = [
        _information_sheet(c),
        _introduction(c),
        _sites(c),
        Section(
            "s-a3",
            "4",
            "专职管理人员情况表（附件3）",
            [c.table("staff"), Text("须提供发布通知当月社保缴交证明（见佐证材料清单）。", note=True)],
        ),
        Section(
            "s-a4",
            "5",
            "在孵创业团队和企业汇总表（附件4）",
            [
                c.table("incubatees", caption="在孵创业团队和企业（含已毕业、退出）"),
                Text("须附在孵团队、在孵企业的租赁协议和入孵协议复印件（见佐证材料清单）。", note=True),
            ],
        ),
        Section(
            "s-a5",
            "6",
            "近一年开展活动情况表（附件5）",
            [
                c.table(
                    "activities",
                    rows=activities,
                    note=f"另有 {older} 项近一年以外的活动未列入。" if older else "",
                )
            ],
        ),
        _rules(c),
        Section(
            "s-a6",
            "8",
            "专业技术服务情况表（附件6）",
            [
                c.table("equipment"),
                c.table("partnerships", rows=tech_partners, caption="合作技术服务机构"),
                c.table("service_records"),
            ],
        ),
        Section(
            "s-a7",
            "9",
            "投融资服务情况表（附件7）",
            [
                c.table("funds"),
                c.table("partnerships", rows=invest_partners, caption="合作投资机构"),
                c.table("advisory_contracts"),
                c.table("financing", caption="近一年及以往融资事件"),
            ],
        ),
        Section(
            "s-a8",
            "10",
            "孵化绩效情况表（附件8）",
            [
                Fields("绩效汇总", _performance(c)[1:]),
                c.table("registrations"),
                c.table("ip_rights"),
                c.table("cases"),
            ],
        ),
        Section(
            "s-a9",
            "11",
            "创业导师情况表（附件9）",
            [
                c.table("mentors"),
                c.table("mentor_sessions"),
                Text("须附创业导师签订的辅导协议或聘书等材料（见佐证材料清单）。", note=True),
            ],
        ),
    ]
    shanghai: list[Block] = [c.table(name) for name in SHANGHAI_TABLES if c.rows(name)]
    if shanghai or c.everything:
        out.append(Section("s-shanghai", "", "上海培育补充材料", shanghai or [Text("（无）", note=True)]))
    out.append(_evaluation(c))
    out.append(Section("s-evidence", "", "佐证材料清单", [_evidence_index(source, files)]))
    return out
