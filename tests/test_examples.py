"""The example facts files load, and their data says what examples/README.md claims.

The figures are counted here directly from the model fields, following the readings of
DOMAIN.md §7 (R = 2025-03-21 for Xiamen, 近一年 = (R − 12 months, R]; cultivation year 1 =
2024 for Shanghai), so each test documents the intent of its example independently of the
engine.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from zhongchuang.engine.dates import add_months, contract_months, whole_months_between
from zhongchuang.facts.load import load_facts
from zhongchuang.facts.models import Facts, Incubatee, Site

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
XIAMEN_R = date(2025, 3, 21)
YEAR_1 = (date(2023, 12, 31), date(2024, 12, 31))  # (exclusive start, inclusive end)
EXPECTED = {
    "xiamen-comprehensive-pass.json",
    "xiamen-fails-lease-and-area.json",
    "xiamen-specialized-fallback.json",
    "xiamen-specialized-pass.json",
    "shanghai-specialized.json",
    "shanghai-branded.json",
    "shanghai-international.json",
}


def example(name: str) -> Facts:
    return load_facts(EXAMPLES / name)


def in_window(day: date | None, start: date, end: date) -> bool:
    return day is not None and start < day <= end


def counted_incubatees(facts: Facts, r: date) -> list[Incubatee]:
    """Lineages that count for XM25-C-4a / S-4a: in incubation at R, not virtual, within 24 months
    (elapsed and agreed), registered at the space and admitted within 12 months of founding."""
    registered = {event.incubatee_id for event in facts.registrations}
    counted = []
    for item in facts.incubatees:
        assert item.admitted_on is not None and item.agreed_end is not None
        active = item.admitted_on <= r <= item.agreed_end and (item.exited_on is None or item.exited_on > r)
        within_limit = r <= add_months(item.admitted_on, 24) and item.agreed_end + timedelta(
            days=1
        ) <= add_months(item.admitted_on, 24)
        company_ok = item.company is None or (
            item.company.registered_address_matches is True
            and (
                item.id in registered
                or (
                    item.company.founded_on is not None
                    and item.admitted_on <= add_months(item.company.founded_on, 12)
                )
            )
        )
        if active and item.residence != "virtual" and within_limit and company_ok:
            counted.append(item)
    return counted


def areas(facts: Facts) -> tuple[Decimal, Decimal]:
    total = sum((site.total_area_m2 or Decimal(0) for site in facts.sites), Decimal(0))
    qualifying = sum(
        (
            (site.workstation_area_m2 or Decimal(0)) + (site.public_service_area_m2 or Decimal(0))
            for site in facts.sites
        ),
        Decimal(0),
    )
    return total, qualifying


def lease_chain(site: Site) -> tuple[date, date]:
    """Every lease of the example sites is formally linked to the one it renews: one chain per site."""
    numbers = {lease.contract_no for lease in site.leases}
    assert all(lease.renews in numbers for lease in site.leases if lease.renews)
    assert sum(1 for lease in site.leases if lease.renews is None) == 1
    starts = [lease.start_date for lease in site.leases if lease.start_date]
    ends = [lease.end_date for lease in site.leases if lease.end_date]
    return min(starts), max(ends)


def evidence_kinds(facts: Facts, ids: list[str]) -> set[str]:
    kinds = {document.id: document.kind for document in facts.documents}
    return {kinds[document_id] for document_id in ids}


# --------------------------------------------------------------------------- every example


def test_examples_folder_holds_the_documented_examples() -> None:
    assert {path.name for path in EXAMPLES.glob("*.json")} == EXPECTED
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert name in readme


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_loads_without_problems(name: str) -> None:
    facts = example(name)
    assert facts.format_version == "1.0"
    assert facts.incubatees and facts.documents


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_is_readable_utf8_with_chinese_text_unescaped(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert "\\u" not in text
    assert text.startswith('{\n  "format_version": "1.0",')


# --------------------------------------------------------------------------- Xiamen


def test_comprehensive_pass_example_meets_every_automatic_figure() -> None:
    facts = example("xiamen-comprehensive-pass.json")
    r, window_start = XIAMEN_R, add_months(XIAMEN_R, -12)
    assert facts.space.opened_on is not None and add_months(facts.space.opened_on, 12) <= r
    assert all(
        check.result == "clean" and check.checked_on >= r - timedelta(days=30)
        for check in facts.operator.credit_checks
    )
    total, qualifying = areas(facts)
    assert total == Decimal("1200") and qualifying == Decimal("1110")  # 92.5 %
    for site in facts.sites:
        start, end = lease_chain(site)
        assert contract_months(start, end) >= 36 and add_months(r, 24) <= end
    counted = counted_incubatees(facts, r)
    ids = {item.id for item in counted}
    assert len(counted) == 17 and len(facts.incubatees) == 20
    assert "I18" not in ids  # admitted 2023-01-16, 26 months before R: over the limit
    assert (
        sum(
            1
            for event in facts.registrations
            if event.incubatee_id in ids and in_window(event.registered_on, window_start, r)
        )
        == 6
    )
    assert (
        len(
            {
                event.incubatee_id
                for event in facts.financing
                if event.incubatee_id in ids and in_window(event.closed_on, window_start, r)
            }
        )
        == 4
    )
    assert (
        len(
            {
                right.incubatee_id
                for right in facts.ip_rights
                if right.incubatee_id in ids
                and right.status == "valid"
                and in_window(right.granted_on, window_start, r)
            }
        )
        == 5
    )
    insured = [
        person
        for person in facts.staff
        if person.social_insurance
        and person.social_insurance.payer == "operator"
        and "2025-02" in person.social_insurance.months
    ]
    assert len(insured) >= 3 and any(person.role == "head" for person in insured)
    assert (
        sum(
            1
            for mentor in facts.mentors
            if mentor.appointed_from
            and mentor.appointed_to
            and mentor.appointed_from <= r <= mentor.appointed_to
        )
        >= 3
    )
    activities = [
        activity
        for activity in facts.activities
        if in_window(activity.date, window_start, r)
        and activity.role in ("host", "organiser")
        and {"photo", "sign_in_sheet"} <= evidence_kinds(facts, activity.evidence)
    ]
    assert len(activities) == 13
    assert sum(1 for case in facts.cases if in_window(case.date, window_start, r)) >= 2


def test_fails_example_lease_ends_2027_02_20_under_24_months_after_r_and_area_share_is_88_percent() -> None:
    facts = example("xiamen-fails-lease-and-area.json")
    total, qualifying = areas(facts)
    assert qualifying * 100 == total * 88  # 1056 of 1200 m²
    start, end = lease_chain(facts.sites[0])
    assert end == date(2027, 2, 20)
    assert end < add_months(XIAMEN_R, 24)  # R + 24 months = 2027-03-21
    assert whole_months_between(XIAMEN_R, end) == 22  # 22 months and 30 days left
    assert contract_months(start, end) >= 36  # the term itself is long enough: only C-3c and C-3f fail


def test_fails_example_differs_from_the_pass_example_only_in_its_sites() -> None:
    passing = example("xiamen-comprehensive-pass.json").model_dump()
    failing = example("xiamen-fails-lease-and-area.json").model_dump()
    assert passing.pop("sites") != failing.pop("sites")
    assert passing == failing


def test_fallback_example_counts_nine_in_focus_of_sixteen_below_two_thirds() -> None:
    facts = example("xiamen-specialized-fallback.json")
    assert facts.space.focus_subsector == "集成电路设计"
    counted = counted_incubatees(facts, XIAMEN_R)
    in_focus = [item for item in counted if item.in_focus]
    assert (len(in_focus), len(counted)) == (9, 16)
    assert len(in_focus) >= 8  # XM25-S-4a holds
    assert 3 * len(in_focus) < 2 * len(counted)  # XM25-S-4b fails: 9/16 = 56 % < 2/3
    assert len(counted) >= 15  # the comprehensive count XM25-C-4a still holds
    total, qualifying = areas(facts)
    assert total >= 1000 and 10 * qualifying >= 9 * total


def test_fallback_example_has_the_specialized_resources_too() -> None:
    facts = example("xiamen-specialized-fallback.json")
    r, window_start = XIAMEN_R, add_months(XIAMEN_R, -12)
    assert {"rnd_design", "testing"} <= {item.category for item in facts.equipment}
    assert any(
        partner.kind == "public_tech_platform"
        and partner.city == "厦门市"
        and partner.valid_from
        and partner.valid_to
        and partner.valid_from <= r <= partner.valid_to
        and "cooperation_agreement" in evidence_kinds(facts, partner.evidence)
        for partner in facts.partnerships
    )
    assert any(
        record.customised and in_window(record.date, window_start, r) for record in facts.service_records
    )


def test_specialized_pass_example_has_ten_of_twelve_in_focus_on_860_m2() -> None:
    facts = example("xiamen-specialized-pass.json")
    counted = counted_incubatees(facts, XIAMEN_R)
    in_focus = [item for item in counted if item.in_focus]
    assert (len(in_focus), len(counted)) == (10, 12)
    assert len(in_focus) >= 8 and 3 * len(in_focus) >= 2 * len(counted)
    total, qualifying = areas(facts)
    assert total == Decimal("860") and 10 * qualifying >= 9 * total
    assert facts.sites[0].tenure == "owned" and "title_deed" in evidence_kinds(facts, facts.sites[0].evidence)


# --------------------------------------------------------------------------- Shanghai


@pytest.mark.parametrize(
    ("name", "track"),
    [
        ("shanghai-specialized.json", "specialized"),
        ("shanghai-branded.json", "branded"),
        ("shanghai-international.json", "international"),
    ],
)
def test_shanghai_example_is_a_shanghai_enterprise_in_year_1_of_its_track(name: str, track: str) -> None:
    facts = example(name)
    assert facts.cultivation is not None and facts.cultivation.track == track
    assert facts.cultivation.start_date == date(2024, 1, 1)
    operator = facts.operator
    assert operator.registered_city == "上海市" and operator.uscc.startswith("9131")
    assert operator.org_form == "enterprise" and operator.is_legal_person and operator.is_branch is False
    assert (
        facts.space.opened_on is not None
        and add_months(facts.space.opened_on, 12) <= facts.cultivation.start_date
    )


def active_at(facts: Facts, day: date) -> list[Incubatee]:
    return [
        item
        for item in facts.incubatees
        if item.admitted_on and item.admitted_on <= day and (item.exited_on is None or item.exited_on > day)
    ]


def served_in(facts: Facts, start: date, end: date) -> list[Incubatee]:
    return [
        item
        for item in facts.incubatees
        if item.admitted_on and item.admitted_on <= end and (item.exited_on is None or item.exited_on > start)
    ]


def test_shanghai_specialized_example_reaches_the_year_1_targets() -> None:
    facts = example("shanghai-specialized.json")
    start, end = YEAR_1
    companies = [item for item in active_at(facts, end) if item.kind == "company"]
    in_focus = [item for item in companies if item.in_focus]
    with_ip = {right.incubatee_id for right in facts.ip_rights if right.status == "valid"}
    assert (
        sum(
            1 for p in facts.partnerships if p.valid_from and p.valid_to and p.valid_from <= end <= p.valid_to
        )
        >= 10
    )
    assert sum(1 for person in facts.staff if person.full_time and person.is_professional) >= 10
    assert (
        len(facts.mentors) >= 20 and sum(1 for mentor in facts.mentors if mentor.is_sector_specialist) >= 10
    )
    assert sum(1 for session in facts.mentor_sessions if in_window(session.date, start, end)) >= 50
    assert (
        sum(1 for case in facts.cases if case.type == "mentor_service" and in_window(case.date, start, end))
        >= 10
    )
    assert sum(1 for item in served_in(facts, start, end) if item.in_focus) >= 20
    assert 10 * len(in_focus) >= 7 * len(companies)  # 16 of 20 = 80 %
    assert 10 * sum(1 for item in companies if item.id in with_ip) >= 3 * len(companies)  # 9 of 20
    assert (
        len(
            {
                event.incubatee_id
                for event in facts.financing
                if in_window(event.closed_on, start, end) and event.investor_type in ("angel", "vc")
            }
        )
        >= 5
    )


def test_shanghai_branded_example_reaches_the_year_1_targets() -> None:
    facts = example("shanghai-branded.json")
    start, end = YEAR_1
    assert facts.space.brand is not None and facts.space.brand.trademark_status == "registered"
    open_in_shanghai = [
        loc for loc in facts.brand_locations if loc.city == "上海市" and loc.closed_on is None
    ]
    assert len(open_in_shanghai) >= 3 and any(loc.is_applicant for loc in open_in_shanghai)
    active = active_at(facts, end)
    companies = [item for item in active if item.kind == "company"]
    assert len(active) >= 20 and 2 * sum(1 for item in companies if item.is_tech_enterprise) > len(companies)
    served = len(served_in(facts, start, end)) + sum(
        loc.incubatees_served_in_period or 0 for loc in facts.brand_locations if not loc.is_applicant
    )
    assert served >= 100
    assert any(in_window(loc.opened_on, start, end) for loc in facts.brand_locations)
    series = [activity for activity in facts.activities if activity.series]
    assert len({activity.title for activity in series}) >= 2
    assert (
        sum(activity.participants or 0 for activity in series if in_window(activity.date, start, end)) >= 1000
    )
    deals = [
        event for event in facts.financing if event.facilitated and in_window(event.closed_on, start, end)
    ]
    assert len({event.incubatee_id for event in deals}) >= 5 and any(event.operator_direct for event in deals)
    assert sum((event.amount_yuan or Decimal(0) for event in deals), Decimal(0)) >= Decimal(10_000_000)
    assert (
        sum(
            1
            for record in facts.service_records
            if record.outcome == "solved" and in_window(record.date, start, end)
        )
        >= 100
    )
    assert (
        len(
            {
                report.story
                for report in facts.media_reports
                if report.third_party and in_window(report.published_on, start, end)
            }
        )
        >= 10
    )
    output_cities = {case.city for case in facts.cases if case.type == "brand_output"}
    assert "上海市" in output_cities and output_cities - {"上海市"}
    assert {"nursery", "incubator", "accelerator"} <= {stage.stage for stage in facts.space.stage_programmes}
    assert {"public_disclosure", "brand_manual"} <= {document.kind for document in facts.documents}


def test_shanghai_international_example_reaches_the_year_1_targets() -> None:
    facts = example("shanghai-international.json")
    start, end = YEAR_1
    team = [person for person in facts.staff if person.role == "international_business"]
    assert len(team) >= 2 and all((person.intl_experience_years or 0) > 0 for person in team)
    assert any(person.nationality != "CN" for person in facts.staff)
    assert sum(1 for p in facts.partnerships if p.overseas and p.with_foreign_entity) >= 5
    assert sum(1 for item in facts.incubatees if item.is_international) >= 5
    for quarter in range(4):  # an international activity in every quarter of the year
        assert any(
            activity.international
            and in_window(activity.date, add_months(end, 3 * quarter - 12), add_months(end, 3 * quarter - 9))
            for activity in facts.activities
        )
    assert "international_plan" in {document.kind for document in facts.documents}
    new_projects = [
        project for project in facts.international_projects if in_window(project.started_on, start, end)
    ]
    served = served_in(facts, start, end)
    assert len(new_projects) >= 10 and 10 * len(new_projects) >= 3 * len(served)
    assert 10 * sum(1 for item in served if item.is_international) >= 3 * len(served)
    assert (
        sum(
            1
            for case in facts.cases
            if case.type == "international" and case.partner and in_window(case.date, start, end)
        )
        >= 5
    )
    assert (
        sum(
            1
            for activity in facts.activities
            if activity.international and in_window(activity.date, start, end)
        )
        >= 10
    )
    assert facts.cultivation is not None
    complete = [  # counted over the cultivation period, which starts with year 1
        record
        for record in facts.service_records
        if record.international and record.complete_record and record.date >= facts.cultivation.start_date
    ]
    assert len(complete) >= 10
