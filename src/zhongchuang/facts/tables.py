"""Facts flattened into the engine's tables: one list of rows per table, one schema for both paths.

Both the single path (rows as dicts) and the batch path (polars frames) read these tables, so
every derived column is computed here once. Areas are integers in 0.01 m² and money in fen
(0.01 yuan), so ratios and sums stay exact. Every row carries `space_id`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from zhongchuang.facts.models import Facts, Site

ColumnType = Literal["str", "bool", "int", "float", "date", "list"]
Row = dict[str, Any]
Tables = dict[str, list[Row]]

CENTS = 100  # areas are stored in 0.01 m², money in 0.01 yuan

SCHEMAS: dict[str, dict[str, ColumnType]] = {
    "space": {
        "opened_on": "date",
        "org_form": "str",
        "is_legal_person": "bool",
        "is_branch": "bool",
        "independent_accounting": "bool",
        "registered_city": "str",
        "uscc_region": "str",
        "focus_subsector": "str",
        "backing_type": "str",
        "trademark_status": "str",
        "trademark_valid_to": "date",
        "brand_hq_city": "str",
        "platform_features": "list",
        "doc_kinds": "list",
        "evidence_kinds": "list",
        "has_service_description": "bool",
        "has_brand": "bool",
    },
    "credit_checks": {"list_type": "str", "checked_on": "date", "result": "str", "removed_on": "date"},
    "sites": {
        "tenure": "str",
        "controller": "str",
        "area_basis": "str",
        "total_area": "int",
        "workstation_area": "int",
        "public_service_area": "int",
        "qualifying_area": "int",
        "incubatee_rent": "int",
        "market_rent": "int",
    },
    "leases": {
        "site_id": "str",
        "site_tenure": "str",
        "site_controller": "str",
        "start_date": "date",
        "end_date": "date",
        "lessee_is_operator": "bool",
    },
    "staff": {
        "full_time": "bool",
        "role": "str",
        "hired_on": "date",
        "left_on": "date",
        "insurance_payer": "str",
        "insured_months": "list",
        "is_professional": "bool",
        "intl_experience_years": "float",
        "nationality": "str",
    },
    "mentors": {
        "category": "str",
        "is_sector_specialist": "bool",
        "full_time": "bool",
        "appointed_from": "date",
        "appointed_to": "date",
    },
    "mentor_sessions": {"mentor_id": "str", "incubatee_id": "str", "date": "date"},
    "incubatees": {
        "kind": "str",
        "admitted_on": "date",
        "agreed_end": "date",
        "exited_on": "date",
        "residence": "str",
        "founded_on": "date",
        "address_matches": "bool",
        "sector": "str",
        "in_focus": "bool",
        "innovation_type": "str",
        "is_tech_enterprise": "bool",
        "is_international": "bool",
    },
    "registrations": {"incubatee_id": "str", "registered_on": "date", "address_matches": "bool"},
    "financing": {
        "incubatee_id": "str",
        "closed_on": "date",
        "instrument": "str",
        "investor_type": "str",
        "amount": "int",
        "operator_direct": "bool",
        "facilitated": "bool",
    },
    "ip_rights": {
        "incubatee_id": "str",
        "type": "str",
        "granted_on": "date",
        "status": "str",
        "valid_to": "date",
    },
    "activities": {
        "type": "str",
        "date": "date",
        "role": "str",
        "online": "bool",
        "participants": "int",
        "international": "bool",
        "series": "str",
    },
    "partnerships": {
        "kind": "str",
        "investor_type": "str",
        "overseas": "bool",
        "city": "str",
        "signed_on": "date",
        "valid_from": "date",
        "valid_to": "date",
        "credit_clean": "bool",
        "with_foreign_entity": "bool",
    },
    "funds": {"type": "str", "established_on": "date", "dissolved_on": "date", "owner": "str"},
    "advisory_contracts": {"start_date": "date", "end_date": "date"},
    "equipment": {"category": "str", "quantity": "int", "open_to_incubatees": "bool"},
    "service_records": {
        "date": "date",
        "incubatee_id": "str",
        "category": "str",
        "provider": "str",
        "customised": "bool",
        "outcome": "str",
        "international": "bool",
        "complete_record": "bool",
    },
    "cases": {
        "type": "str",
        "date": "date",
        "incubatee_id": "str",
        "city": "str",
        "international_type": "str",
        "partner": "str",
    },
    "media_reports": {"third_party": "bool", "tier": "str", "published_on": "date", "story": "str"},
    "brand_locations": {
        "city": "str",
        "country": "str",
        "mode": "str",
        "opened_on": "date",
        "closed_on": "date",
        "is_applicant": "bool",
        "incubatees_served_in_period": "int",
    },
    "overseas_branches": {"country": "str", "established_on": "date", "exported_teams": "int"},
    "international_projects": {"incubatee_id": "str", "type": "str", "started_on": "date"},
    "open_resources": {"type": "str", "open_to_incubatees": "bool"},
    "stage_programmes": {"stage": "str", "operated_by": "str"},
}
# Every table also has: space_id (str), id (str), name (str, for explanations), evidence_kinds (list).
COMMON: dict[str, ColumnType] = {"space_id": "str", "id": "str", "name": "str", "evidence_kinds": "list"}


def cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * CENTS).to_integral_value())


def flatten(facts: Facts, space_id: str = "space") -> Tables:
    """The tables of one space. Pure: the same facts always give the same rows."""
    kinds = {document.id: document.kind for document in facts.documents}

    def evidence(model: BaseModel) -> list[str]:
        return sorted({kinds[doc_id] for doc_id in getattr(model, "evidence", []) if doc_id in kinds})

    def row(model: BaseModel, name: str, **columns: Any) -> Row:
        return {
            "space_id": space_id,
            "id": getattr(model, "id", name),
            "name": name,
            "evidence_kinds": evidence(model),
            **columns,
        }

    operator, space = facts.operator, facts.space
    tables: Tables = {name: [] for name in SCHEMAS}
    tables["space"].append(
        {
            "space_id": space_id,
            "id": space_id,
            "name": space.name,
            "evidence_kinds": sorted(set(evidence(operator)) | set(evidence(space))),
            "opened_on": space.opened_on,
            "org_form": operator.org_form,
            "is_legal_person": operator.is_legal_person,
            "is_branch": operator.is_branch,
            "independent_accounting": operator.independent_accounting,
            "registered_city": operator.registered_city,
            "uscc_region": operator.uscc[2:4],
            "focus_subsector": space.focus_subsector,
            "backing_type": space.backing_entity.type if space.backing_entity else None,
            "trademark_status": space.brand.trademark_status if space.brand else None,
            "trademark_valid_to": space.brand.trademark_valid_to if space.brand else None,
            "brand_hq_city": space.brand.hq_city if space.brand else None,
            "platform_features": list(space.online_platform.features) if space.online_platform else [],
            "doc_kinds": sorted({document.kind for document in facts.documents}),
            "has_service_description": bool(space.service_description),
            "has_brand": space.brand is not None,
        }
    )
    tables["credit_checks"] = [
        row(
            check,
            f"{check.source}/{check.list_type}",
            list_type=check.list_type,
            checked_on=check.checked_on,
            result=check.result,
            removed_on=check.removed_on,
        )
        for check in operator.credit_checks
    ]
    for site in facts.sites:
        workstation, public = cents(site.workstation_area_m2), cents(site.public_service_area_m2)
        tables["sites"].append(
            row(
                site,
                site.address or site.id,
                tenure=site.tenure,
                controller=site.controller,
                area_basis=site.area_basis,
                total_area=cents(site.total_area_m2),
                workstation_area=workstation,
                public_service_area=public,
                qualifying_area=None if workstation is None or public is None else workstation + public,
                incubatee_rent=cents(site.incubatee_rent_yuan_per_m2_month),
                market_rent=cents(site.market_rent_yuan_per_m2_month),
            )
        )
        tables["leases"] += lease_chains(site, space_id, kinds)
    tables["staff"] = [
        row(
            person,
            person.name,
            full_time=person.full_time,
            role=person.role,
            hired_on=person.hired_on,
            left_on=person.left_on,
            insurance_payer=person.social_insurance.payer if person.social_insurance else None,
            insured_months=list(person.social_insurance.months) if person.social_insurance else [],
            is_professional=person.is_professional,
            intl_experience_years=None
            if person.intl_experience_years is None
            else float(person.intl_experience_years),
            nationality=person.nationality,
        )
        for person in facts.staff
    ]
    tables["mentors"] = [
        row(
            mentor,
            mentor.name,
            category=mentor.category,
            is_sector_specialist=mentor.is_sector_specialist,
            full_time=mentor.full_time,
            appointed_from=mentor.appointed_from,
            appointed_to=mentor.appointed_to,
        )
        for mentor in facts.mentors
    ]
    tables["mentor_sessions"] = [
        row(
            session,
            session.topic or session.id,
            mentor_id=session.mentor_id,
            incubatee_id=session.incubatee_id,
            date=session.date,
        )
        for session in facts.mentor_sessions
    ]
    tables["incubatees"] = [
        row(
            item,
            item.name,
            kind=item.kind,
            admitted_on=item.admitted_on,
            agreed_end=item.agreed_end,
            exited_on=item.exited_on,
            residence=item.residence,
            founded_on=item.company.founded_on if item.company else None,
            address_matches=item.company.registered_address_matches if item.company else None,
            sector=item.sector,
            in_focus=item.in_focus,
            innovation_type=item.innovation_type,
            is_tech_enterprise=item.is_tech_enterprise,
            is_international=item.is_international,
        )
        for item in facts.incubatees
    ]
    tables["registrations"] = [
        row(
            event,
            event.company_name or event.id,
            incubatee_id=event.incubatee_id,
            registered_on=event.registered_on,
            address_matches=event.registered_address_matches,
        )
        for event in facts.registrations
    ]
    tables["financing"] = [
        row(
            event,
            event.investor or event.id,
            incubatee_id=event.incubatee_id,
            closed_on=event.closed_on,
            instrument=event.instrument,
            investor_type=event.investor_type,
            amount=cents(event.amount_yuan),
            operator_direct=event.operator_direct,
            facilitated=event.facilitated,
        )
        for event in facts.financing
    ]
    tables["ip_rights"] = [
        row(
            right,
            right.title or right.number or right.id,
            incubatee_id=right.incubatee_id,
            type=right.type,
            granted_on=right.granted_on,
            status=right.status,
            valid_to=right.valid_to,
        )
        for right in facts.ip_rights
    ]
    tables["activities"] = [
        row(
            activity,
            activity.title,
            type=activity.type,
            date=activity.date,
            role=activity.role,
            online=activity.online,
            participants=activity.participants,
            international=activity.international,
            series=activity.series,
        )
        for activity in facts.activities
    ]
    tables["partnerships"] = [
        row(
            item,
            item.partner,
            kind=item.kind,
            investor_type=item.investor_type,
            overseas=item.overseas,
            city=item.city,
            signed_on=item.signed_on,
            valid_from=item.valid_from,
            valid_to=item.valid_to,
            credit_clean=item.credit_clean,
            with_foreign_entity=item.with_foreign_entity,
        )
        for item in facts.partnerships
    ]
    tables["funds"] = [
        row(
            fund,
            fund.name,
            type=fund.type,
            established_on=fund.established_on,
            dissolved_on=fund.dissolved_on,
            owner=fund.owner,
        )
        for fund in facts.funds
    ]
    tables["advisory_contracts"] = [
        row(contract, contract.provider, start_date=contract.start_date, end_date=contract.end_date)
        for contract in facts.advisory_contracts
    ]
    tables["equipment"] = [
        row(
            item,
            item.name,
            category=item.category,
            quantity=item.quantity,
            open_to_incubatees=item.open_to_incubatees,
        )
        for item in facts.equipment
    ]
    tables["service_records"] = [
        row(
            record,
            record.id,
            date=record.date,
            incubatee_id=record.incubatee_id,
            category=record.category,
            provider=record.provider,
            customised=record.customised,
            outcome=record.outcome,
            international=record.international,
            complete_record=record.complete_record,
        )
        for record in facts.service_records
    ]
    tables["cases"] = [
        row(
            case,
            case.title,
            type=case.type,
            date=case.date,
            incubatee_id=case.incubatee_id,
            city=case.city,
            international_type=case.international_type,
            partner=case.partner,
        )
        for case in facts.cases
    ]
    tables["media_reports"] = [
        row(
            report,
            report.title,
            third_party=report.third_party,
            tier=report.tier,
            published_on=report.published_on,
            story=report.story or report.id,
        )
        for report in facts.media_reports
    ]
    tables["brand_locations"] = [
        row(
            location,
            location.name,
            city=location.city,
            country=location.country,
            mode=location.mode,
            opened_on=location.opened_on,
            closed_on=location.closed_on,
            is_applicant=location.is_applicant,
            incubatees_served_in_period=location.incubatees_served_in_period,
        )
        for location in facts.brand_locations
    ]
    tables["overseas_branches"] = [
        row(
            branch,
            f"{branch.country} {branch.city or ''}".strip(),
            country=branch.country,
            established_on=branch.established_on,
            exported_teams=branch.exported_teams,
        )
        for branch in facts.overseas_branches
    ]
    tables["international_projects"] = [
        row(
            project,
            project.name,
            incubatee_id=project.incubatee_id,
            type=project.type,
            started_on=project.started_on,
        )
        for project in facts.international_projects
    ]
    tables["open_resources"] = [
        row(resource, resource.name, type=resource.type, open_to_incubatees=resource.open_to_incubatees)
        for resource in space.open_resources
    ]
    tables["stage_programmes"] = [
        row(stage, stage.name or stage.stage, stage=stage.stage, operated_by=stage.operated_by)
        for stage in space.stage_programmes
    ]
    return tables


def lease_chains(site: Site, space_id: str, kinds: Mapping[str, str]) -> list[Row]:
    """Leases joined through their formal renewals (`renews`) into one row per chain.

    A chain runs from its earliest start to its latest end; DOMAIN.md §7.1 reads the lease term
    of XM25-C-3e as the term of the contract(s) in force, chaining only formally linked renewals.
    """
    by_number = {lease.contract_no: lease for lease in site.leases}
    parent = {number: number for number in by_number}

    def root(number: str) -> str:
        while parent[number] != number:
            number = parent[number]
        return number

    for lease in site.leases:
        if lease.renews in by_number:
            parent[root(lease.contract_no)] = root(lease.renews)
    chains: dict[str, list[Any]] = {}
    for lease in site.leases:
        chains.setdefault(root(lease.contract_no), []).append(lease)
    rows = []
    for number, leases in chains.items():
        starts = [lease.start_date for lease in leases]
        ends = [lease.end_date for lease in leases]
        lessees = [lease.lessee_is_operator for lease in leases]
        rows.append(
            {
                "space_id": space_id,
                "id": f"{site.id}/{number}",
                "name": " + ".join(lease.contract_no for lease in leases),
                "evidence_kinds": sorted(
                    {kinds[d] for lease in leases for d in lease.evidence if d in kinds}
                ),
                "site_id": site.id,
                "site_tenure": site.tenure,
                "site_controller": site.controller,
                "start_date": None if None in starts else min(d for d in starts if d is not None),
                "end_date": None if None in ends else max(d for d in ends if d is not None),
                "lessee_is_operator": _all_known(lessees),
            }
        )
    return rows


def _all_known(values: Iterable[bool | None]) -> bool | None:
    values = list(values)
    if any(value is False for value in values):
        return False
    return None if any(value is None for value in values) else True
