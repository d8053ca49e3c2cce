"""The site-inspection checklist: what an inspector verifies on the floor, derived from the policy and
the frozen submission. Plain Python (no Django), like the engine: a policy and the facts JSON of an
ApplicationVersion in, a list of items out.

The items are copied into the database when the inspection starts, so a later change of the policy
file or of this module never alters a checklist that inspectors are already working through.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from zhongchuang.engine.policy import Policy
from zhongchuang.facts.labels import document_label

# Sections, in the order the inspector walks the space.
SITES, SIGNAGE, FACILITIES, INCUBATEES, EQUIPMENT, JUDGEMENT, ORIGINALS = (
    "sites",
    "signage",
    "facilities",
    "incubatees",
    "equipment",
    "judgement",
    "originals",
)
SECTION_LABELS = {
    SITES: "场地与面积",
    SIGNAGE: "门牌与标识",
    FACILITIES: "公共服务场地和设施",
    INCUBATEES: "在孵团队和企业在场情况（抽查）",
    EQUIPMENT: "专业化设备设施",
    JUDGEMENT: "需现场判断的条件",
    ORIGINALS: "佐证材料原件核对",
}
INCUBATEE_SAMPLE = 5  # rows drawn from the roll; all of them when the roll is shorter
PUBLIC_FACILITY_CATEGORIES = ("internet", "public_software", "shared_office")
RESEARCH_EQUIPMENT_CATEGORIES = ("rnd_design", "testing", "prototyping", "pilot_production", "other")
BREAKDOWN_LABELS = {
    "reception_m2": "接待区",
    "showcase_m2": "项目展示区",
    "meeting_m2": "会议室",
    "leisure_m2": "休闲活动区",
    "equipment_m2": "专业设备区",
}
RESIDENCE_LABELS = {"desk": "工位", "office": "独立办公", "virtual": "虚拟入驻"}
EQUIPMENT_LABELS = {
    "rnd_design": "研发设计",
    "testing": "检验检测",
    "prototyping": "模型加工",
    "pilot_production": "小试中试",
    "internet": "网络接入",
    "public_software": "公共软件",
    "shared_office": "共享办公",
    "other": "其他",
}


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to verify. `declared` is the figure the operator declared (㎡) where the inspector
    measures one; `ref` names the row or check it comes from (site id, incubatee id, check id, kind)."""

    key: str  # unique within a checklist
    section: str
    label: str
    detail: str = ""
    ref: str = ""
    declared: Decimal | None = None
    unit: str = ""

    @property
    def measurable(self) -> bool:
        return self.declared is not None


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


def _site_items(facts: dict[str, Any]) -> list[ChecklistItem]:
    items = []
    for site in facts.get("sites") or []:
        site_id, address = site.get("id", ""), site.get("address", "")
        where = f"{address}（{site_id}）"
        areas = (
            ("total_area_m2", "场地总面积", "按楼层平面图实地测量或核对可自主支配的场地面积"),
            ("workstation_area_m2", "工位面积", f"工位数量申报 {site.get('workstation_count', '—')} 个"),
            ("public_service_area_m2", "公共服务场地面积", _breakdown(site)),
        )
        for field, label, detail in areas:
            declared = _decimal(site.get(field))
            if declared is None:
                continue
            items.append(
                ChecklistItem(
                    key=f"site:{site_id}:{field}",
                    section=SITES,
                    label=f"{label}：{where}",
                    detail=detail,
                    ref=site_id,
                    declared=declared,
                    unit="㎡",
                )
            )
    return items


def _breakdown(site: dict[str, Any]) -> str:
    parts = [
        f"{BREAKDOWN_LABELS.get(name, name)} {value}㎡"
        for name, value in (site.get("public_service_breakdown") or {}).items()
        if value not in (None, "")
    ]
    return "申报构成：" + "、".join(parts) if parts else "核实公共服务场地的位置与面积"


def _signage_items(facts: dict[str, Any]) -> list[ChecklistItem]:
    space = facts.get("space") or {}
    items = [
        ChecklistItem(
            key="signage:space",
            section=SIGNAGE,
            label=f"众创空间名称标识：{space.get('name', '')}",
            detail=f"门牌与标识悬挂于经营地址 {space.get('address', '')}，名称与申报一致",
        )
    ]
    for site in facts.get("sites") or []:
        items.append(
            ChecklistItem(
                key=f"signage:{site.get('id', '')}",
                section=SIGNAGE,
                label=f"场地门牌：{site.get('address', '')}",
                detail="门牌号与产权证或租赁合同载明的地址一致",
                ref=site.get("id", ""),
            )
        )
    return items


def _facility_items(facts: dict[str, Any]) -> list[ChecklistItem]:
    items = [
        ChecklistItem(
            key=f"facility:area:{name}",
            section=FACILITIES,
            label=f"公共服务场地：{label}",
            detail="现场核实该区域存在并实际用于公共服务",
        )
        for name, label in BREAKDOWN_LABELS.items()
        if any((site.get("public_service_breakdown") or {}).get(name) for site in facts.get("sites") or [])
    ]
    for row in facts.get("equipment") or []:
        if row.get("category") in PUBLIC_FACILITY_CATEGORIES:
            items.append(_equipment_item(row, FACILITIES))
    return items


def _equipment_item(row: dict[str, Any], section: str) -> ChecklistItem:
    is_open = row.get("open_to_incubatees")
    opened = "" if is_open is None else ("向在孵企业开放" if is_open else "不向在孵企业开放")
    detail = "，".join(
        part
        for part in (
            f"类别：{EQUIPMENT_LABELS.get(row.get('category', ''), row.get('category', ''))}",
            f"申报数量 {row.get('quantity', 1)}",
            f"申报{opened}" if opened else "",
        )
        if part
    )
    return ChecklistItem(
        key=f"equipment:{row.get('id', '')}",
        section=section,
        label=f"设备设施：{row.get('name', '')}",
        detail=detail,
        ref=row.get("id", ""),
    )


def _current_incubatees(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Incubatees still in the space on the facts' date (not exited)."""
    return [row for row in facts.get("incubatees") or [] if not row.get("exited_on")]


def _incubatee_items(facts: dict[str, Any], seed: int, size: int) -> list[ChecklistItem]:
    roll = _current_incubatees(facts)
    # A seeded draw: the same application always gets the same sample, and the operator cannot
    # tell in advance which rows will be checked. Printed in roll order for the inspector.
    chosen = set(random.Random(seed).sample(range(len(roll)), min(size, len(roll))))
    items = []
    for index, row in enumerate(roll):
        if index not in chosen:
            continue
        company = row.get("company") or {}
        detail = "，".join(
            part
            for part in (
                f"入驻方式：{RESIDENCE_LABELS[row['residence']]}" if row.get("residence") else "",
                f"注册地址：{company['registered_address']}" if company.get("registered_address") else "",
                f"细分领域：{row['sector']}" if row.get("sector") else "",
            )
            if part
        )
        items.append(
            ChecklistItem(
                key=f"incubatee:{row.get('id', '')}",
                section=INCUBATEES,
                label=f"在孵{'企业' if row.get('kind') == 'company' else '团队'}实际在场：{row.get('name', '')}（{row.get('id', '')}）",
                detail=detail or "核实在众创空间实际研发办公",
                ref=row.get("id", ""),
            )
        )
    return items


def _uses_research_equipment(policy: Policy) -> bool:
    return any(check.test.count == "rnd_equipment" for c in policy.criteria for check in c.checks)


def _research_equipment_items(policy: Policy, facts: dict[str, Any]) -> list[ChecklistItem]:
    if not _uses_research_equipment(policy):
        return []
    return [
        _equipment_item(row, EQUIPMENT)
        for row in facts.get("equipment") or []
        if row.get("category") in RESEARCH_EQUIPMENT_CATEGORIES
    ]


def _judgement_items(policy: Policy) -> list[ChecklistItem]:
    return [
        ChecklistItem(
            key=f"check:{check.id}",
            section=JUDGEMENT,
            label=f"{check.id} {check.label.zh}",
            detail=(check.review.zh if check.review else check.clause),
            ref=check.id,
        )
        for criterion in policy.criteria
        for check in criterion.checks
        if check.kind in ("J", "M")
    ]


def _original_items(policy: Policy) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for criterion in policy.criteria:
        for check in criterion.checks:
            for group in check.evidence:
                kinds = [group] if isinstance(group, str) else list(group)
                key = "|".join(kinds)
                if key in seen:
                    continue
                seen.add(key)
                items.append(
                    ChecklistItem(
                        key=f"original:{key}",
                        section=ORIGINALS,
                        label="核对原件：" + " 或 ".join(document_label(kind) for kind in kinds),
                        detail=f"与提交的电子材料一致（{check.id}）",
                        ref=key,
                    )
                )
    return items


def checklist_for(
    policy: Policy, facts_json: dict[str, Any], *, seed: int = 0, sample_size: int = INCUBATEE_SAMPLE
) -> list[ChecklistItem]:
    """Every item to verify on site, in walking order: sites and areas, signage, public-service
    areas and facilities, a sample of incubatees, research equipment (when the policy counts it),
    each judgement (J) or mixed (M) check, and the originals of every evidence kind the policy names."""
    return [
        *_site_items(facts_json),
        *_signage_items(facts_json),
        *_facility_items(facts_json),
        *_incubatee_items(facts_json, seed, sample_size),
        *_research_equipment_items(policy, facts_json),
        *_judgement_items(policy),
        *_original_items(policy),
    ]


def area_difference(declared: Decimal | None, measured: Decimal | None) -> tuple[Decimal, Decimal] | None:
    """(measured − declared, that difference as a percentage of the declared figure), or None."""
    if declared is None or measured is None or declared == 0:
        return None
    difference = measured - declared
    return difference, (difference * 100 / declared).quantize(Decimal("0.1"))
