"""The live self-check: every criterion with its status and clause, updated as the data changes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from tests.web.conftest import logged_in

from zhongchuang.engine.policy import policy_ids
from zhongchuang.facts import parse_facts
from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.services import row_delete, row_update, space_create, space_load_facts
from zhongchuang.web.demo import load_facts_with_placeholder_evidence

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COMPREHENSIVE = "xiamen-2025-comprehensive"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    # In-memory SQLite reuses primary keys between tests; the self-check cache must not outlive a test.
    cache.clear()


def load_example(
    user: Any, example: str, *, extra_incubatees: int = 0, with_documents: bool = False
) -> Space:
    """An example space loaded through the real services; with placeholder PDFs for its documents if asked."""
    data = json.loads((EXAMPLES / f"{example}.json").read_text(encoding="utf-8"))
    if extra_incubatees:
        template = data["incubatees"][0]
        for n in range(extra_incubatees):
            row = copy.deepcopy(template)
            row["id"] = f"X{n:04d}"
            row["name"] = row["company"]["name"] = f"厦门测试{n:04d}科技有限公司"
            row.pop("company", None)
            row["kind"] = "team"
            row["evidence"] = []
            data["incubatees"].append(row)
    facts = parse_facts(data)
    organisation = user.membership.organisation
    space = space_create(organisation=organisation, name=facts.space.name, by=user)
    if with_documents:
        load_facts_with_placeholder_evidence(space=space, facts=facts, by=user)
        return space
    return space_load_facts(space=space, facts=facts, by=user)


@pytest.mark.django_db
def test_self_check_page_shows_each_criterion_status_and_clause(operator_user: Any) -> None:
    space = load_example(operator_user, "xiamen-fails-lease-and-area")
    response = logged_in(operator_user).get(reverse("checks:policy", args=[space.pk, COMPREHENSIVE]))
    assert response.status_code == 200
    page = response.content.decode()
    from zhongchuang.bridge.services import space_evaluation

    result = space_evaluation(space, COMPREHENSIVE).result
    assert result is not None
    for criterion in result.criteria:
        assert f'id="criterion-{criterion.id}"' in page
        assert criterion.clause in page
        assert f"status-{criterion.status}" in page
    assert "status-fail" in page and "不符合" in page
    assert "<details>" in page


@pytest.mark.django_db
def test_changing_data_changes_the_status_on_reload(operator_user: Any) -> None:
    space = load_example(operator_user, "xiamen-comprehensive-pass", with_documents=True)
    client = logged_in(operator_user)
    url = reverse("checks:policy", args=[space.pk, COMPREHENSIVE])
    before = client.get(url).content.decode()
    section = before.split('id="criterion-XM25-C-7"')[1].split("</h2>")[0]
    assert "status-pass" in section

    for activity in list(ROW_MODELS["activities"].objects.filter(space=space))[:6]:
        row_delete(row=activity, by=operator_user)
    after = client.get(url).content.decode()
    section = after.split('id="criterion-XM25-C-7"')[1].split("</h2>")[0]
    assert "status-fail" in section


@pytest.mark.django_db
def test_htmx_refresh_returns_only_the_panel(operator_user: Any) -> None:
    space = load_example(operator_user, "xiamen-comprehensive-pass")
    response = logged_in(operator_user).get(
        reverse("checks:policy", args=[space.pk, COMPREHENSIVE]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith("<section") or 'id="selfcheck"' in page.split("\n")[0]
    assert "<html" not in page


@pytest.mark.django_db
def test_overview_lists_the_blocking_reasons(operator_user: Any) -> None:
    space = load_example(operator_user, "xiamen-specialized-fallback", with_documents=True)
    response = logged_in(operator_user).get(reverse("checks:overview", args=[space.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for policy_id in policy_ids():
        assert reverse("checks:policy", args=[space.pk, policy_id]) in page
    # 专业化: the focus share fails, with its figures in one line
    assert "聚焦领域的在孵团队与企业及孵化绩效：" in page
    assert "占计入的在孵团队和初创企业16个的56.25%（要求不少于2/3，即66.67%）" in page


@pytest.mark.django_db
def test_evidence_checklist_shows_present_and_missing_kinds(operator_user: Any) -> None:
    space = load_example(
        operator_user, "xiamen-comprehensive-pass"
    )  # loaded without files: every kind is missing
    response = logged_in(operator_user).get(reverse("checks:evidence", args=[space.pk, COMPREHENSIVE]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "尚缺" in page and "营业执照" in page


@pytest.mark.django_db
def test_draft_rows_with_errors_are_listed_with_their_paths(operator_user: Any) -> None:
    space = load_example(operator_user, "xiamen-comprehensive-pass")
    activity = ROW_MODELS["activities"].objects.filter(space=space).first()
    row_update(row=activity, values={"held_on": None, "title": ""}, by=operator_user)
    page = (
        logged_in(operator_user)
        .get(reverse("checks:policy", args=[space.pk, COMPREHENSIVE]))
        .content.decode()
    )
    assert "warning-summary" in page
    assert "<code>activities[" in page


@pytest.mark.django_db
def test_shanghai_policy_offers_a_cultivation_year(operator_user: Any) -> None:
    space = load_example(operator_user, "shanghai-specialized")
    client = logged_in(operator_user)
    url = reverse("checks:policy", args=[space.pk, "shanghai-specialized"])
    page = client.get(url).content.decode()
    assert 'id="year-select"' in page
    year2 = client.get(url + "?year=2").content.decode()
    assert "培育第2年" in year2
    assert "2025-12-31" in year2


@pytest.mark.django_db
def test_self_check_pages_of_another_organisation_are_404(
    operator_user: Any, other_operator_user: Any
) -> None:
    space = load_example(operator_user, "xiamen-comprehensive-pass")
    client = logged_in(other_operator_user)
    for url in (
        reverse("checks:overview", args=[space.pk]),
        reverse("checks:policy", args=[space.pk, COMPREHENSIVE]),
        reverse("checks:evidence", args=[space.pk, COMPREHENSIVE]),
    ):
        assert client.get(url).status_code == 404
    assert (
        logged_in(operator_user).get(reverse("checks:policy", args=[space.pk, "no-such-policy"])).status_code
        == 404
    )


def queries_for(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.django_db
def test_self_check_for_300_incubatees_runs_a_bounded_number_of_queries(
    operator_user: Any, django_assert_max_num_queries: Any
) -> None:
    small = load_example(operator_user, "xiamen-comprehensive-pass")
    large = load_example(operator_user, "xiamen-comprehensive-pass", extra_incubatees=300)
    assert ROW_MODELS["incubatees"].objects.filter(space=large).count() > 300
    client = logged_in(operator_user)
    for name, args in (
        ("checks:policy", [COMPREHENSIVE]),
        ("checks:overview", []),
        ("checks:evidence", [COMPREHENSIVE]),
    ):
        # one query per table, whatever the number of rows: no N+1
        baseline = queries_for(client, reverse(name, args=[small.pk, *args]))
        cache.clear()
        with django_assert_max_num_queries(max(baseline, 60)):
            response = client.get(reverse(name, args=[large.pk, *args]))
        assert response.status_code == 200
        assert baseline <= 60
