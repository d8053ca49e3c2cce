"""The operator's space pages: tables with add / edit / delete over htmx, drafts saved with warnings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.evidence.services import document_store
from zhongchuang.spaces.models import ROW_MODELS
from zhongchuang.spaces.services import row_create, space_create

HX = {"HTTP_HX_REQUEST": "true"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def space(operator_user: Any) -> Any:
    return space_create(organisation=operator_user.membership.organisation, name="鹭创空间", by=operator_user)


@pytest.fixture
def client_in(client: Client, operator_user: Any) -> Client:
    client.force_login(operator_user)
    return client


def incubatee(space: Any, user: Any, **values: Any) -> Any:
    values = {
        "name": "甲团队",
        "kind": "team",
        "company_name": "甲团队",
        "admitted_on": date(2024, 3, 1),
        **values,
    }
    return row_create(space=space, table="incubatees", values=values, by=user)


def url(name: str, *args: Any) -> str:
    return reverse(f"spaces:{name}", args=args)


def test_creating_a_space_from_the_list_page_opens_its_overview(
    client_in: Client, operator_user: Any
) -> None:
    response = client_in.post(url("space_list"), {"name": "新空间"})
    space = operator_user.membership.organisation.spaces.get()
    assert response.status_code == 302 and response["Location"] == url("space_detail", space.pk)
    page = client_in.get(url("space_detail", space.pk)).content.decode()
    assert "附件4" in page and url("table", space.pk, "incubatees") in page and f"/checks/{space.pk}/" in page


def test_adding_a_row_through_the_page_stores_it_and_writes_an_audit_entry(
    client_in: Client, space: Any
) -> None:
    form = client_in.get(url("row_new", space.pk, "incubatees"), **HX).content.decode()
    assert form.startswith("<tr") and 'for="new-name"' in form
    response = client_in.post(
        url("row_new", space.pk, "incubatees"),
        {
            "name": "厦门星火科技有限公司",
            "kind": "company",
            "company_name": "厦门星火科技有限公司",
            "admitted_on": "2024-03-01",
            "company_registered_address_matches": "true",
        },
        **HX,
    )
    row = ROW_MODELS["incubatees"].objects.get(space=space)
    assert row.name == "厦门星火科技有限公司" and row.admitted_on == date(2024, 3, 1)
    assert row.company_registered_address_matches is True
    entry = AuditEntry.objects.get(action=Action.ROW_CREATED, table="incubatees", row_id=row.pk)
    assert entry.after["name"] == "厦门星火科技有限公司"
    html = response.content.decode()
    assert f'id="row-{row.pk}"' in html and "草稿已保存" in html


def test_a_bad_date_keeps_the_typed_values_and_shows_the_error_next_to_the_field_and_in_the_summary(
    client_in: Client, space: Any
) -> None:
    response = client_in.post(
        url("row_new", space.pk, "incubatees"),
        {
            "name": "乙团队",
            "kind": "team",
            "admitted_on": "2024-13-45",
            "sector": "人工智能",
        },
        **HX,
    )
    html = response.content.decode()
    assert not ROW_MODELS["incubatees"].objects.exists()
    assert 'class="error-summary"' in html and 'href="#new-admitted_on"' in html
    assert 'id="new-admitted_on-error"' in html and "请输入有效日期" in html
    assert 'value="2024-13-45"' in html and 'value="乙团队"' in html and 'value="人工智能"' in html


def test_a_non_number_blocks_the_save_and_is_shown_beside_the_field(client_in: Client, space: Any) -> None:
    response = client_in.post(
        url("row_new", space.pk, "sites"), {"address": "一号楼", "total_area_m2": "一千"}, **HX
    )
    html = response.content.decode()
    assert not ROW_MODELS["sites"].objects.exists()
    assert "请输入数字" in html and 'value="一千"' in html and 'value="一号楼"' in html


def test_a_row_missing_a_facts_required_field_is_saved_with_a_warning(client_in: Client, space: Any) -> None:
    response = client_in.post(
        url("row_new", space.pk, "incubatees"),
        {
            "kind": "company",
            "company_name": "丙公司",
            "company_uscc": "91350200MA2Y0000X",
        },
        **HX,
    )
    row = ROW_MODELS["incubatees"].objects.get(space=space)
    assert row.company_name == "丙公司"
    html = response.content.decode()
    assert "草稿已保存；提交申报前需修正：" in html
    assert "团队或企业名称" in html  # the name the facts format requires
    assert "统一社会信用代码" in html  # an invalid code is a warning, not a refusal
    detail = client_in.get(url("row_detail", space.pk, "incubatees", row.pk)).content.decode()
    assert "提交申报前需修正" in detail and "团队或企业名称" in detail


def test_editing_a_row_inline_saves_it_and_the_history_shows_before_and_after(
    client_in: Client, space: Any, operator_user: Any
) -> None:
    row = incubatee(space, operator_user)
    form = client_in.get(url("row_edit", space.pk, "incubatees", row.pk), **HX).content.decode()
    assert 'value="甲团队"' in form and "hx-post=" in form
    client_in.post(
        url("row_edit", space.pk, "incubatees", row.pk),
        {"name": "甲团队（更名）", "kind": "team", "company_name": "甲团队", "admitted_on": "2024/03/01"},
        **HX,
    )
    row.refresh_from_db()
    assert row.name == "甲团队（更名）"
    detail = client_in.get(url("row_detail", space.pk, "incubatees", row.pk)).content.decode()
    assert "修改记录" in detail and "甲团队 → 甲团队（更名）" in detail and "operator" in detail


def test_sorting_and_filtering_the_incubatees(client_in: Client, space: Any, operator_user: Any) -> None:
    incubatee(space, operator_user, name="Alpha", kind="team", admitted_on=date(2024, 5, 1))
    incubatee(space, operator_user, name="Beta", kind="company", admitted_on=date(2023, 1, 1))
    incubatee(space, operator_user, name="Gamma", kind="company", admitted_on=date(2025, 1, 1))
    page = url("table", space.pk, "incubatees")
    html = client_in.get(page, {"sort": "admitted_on"}).content.decode()
    assert html.index("Beta") < html.index("Alpha") < html.index("Gamma")
    html = client_in.get(page, {"sort": "-admitted_on"}).content.decode()
    assert html.index("Gamma") < html.index("Alpha") < html.index("Beta")
    assert 'aria-sort="descending"' in html
    html = client_in.get(page, {"f_kind": "company"}).content.decode()
    assert "Beta" in html and "Gamma" in html and "Alpha" not in html
    html = client_in.get(page, {"q": "amm"}).content.decode()
    assert "Gamma" in html and "Beta" not in html and "Alpha" not in html
    html = client_in.get(page, {"sort": "no_such_column; drop"}).content.decode()  # ignored, not an error
    assert "Alpha" in html
    assert "附件4 在孵创业团队和企业汇总表" in html


def test_the_table_page_is_paginated_by_fifty(client_in: Client, space: Any) -> None:
    ROW_MODELS["incubatees"].objects.bulk_create(
        ROW_MODELS["incubatees"](space=space, ref=f"I-{i:03d}", name=f"团队{i:03d}", kind="team")
        for i in range(120)
    )
    html = client_in.get(url("table", space.pk, "incubatees")).content.decode()
    assert "I-049" in html and "I-050" not in html and "共 120 行" in html and "第 1 / 3 页" in html
    html = client_in.get(url("table", space.pk, "incubatees"), {"page": 3}).content.decode()
    assert "I-119" in html and "I-049" not in html


def test_deleting_an_incubatee_that_financing_rows_refer_to_shows_the_reason_and_deletes_nothing(
    client_in: Client, space: Any, operator_user: Any
) -> None:
    row = incubatee(space, operator_user)
    row_create(
        space=space, table="financing", values={"incubatee": row, "investor_type": "angel"}, by=operator_user
    )
    response = client_in.post(url("row_delete", space.pk, "incubatees", row.pk), **HX)
    html = response.content.decode()
    assert response.status_code == 200 and "未删除" in html and "融资事件" in html and 'role="alert"' in html
    assert ROW_MODELS["incubatees"].objects.filter(pk=row.pk).exists()
    assert not AuditEntry.objects.filter(action=Action.ROW_DELETED).exists()


def test_deleting_a_free_row_removes_it_and_records_it(
    client_in: Client, space: Any, operator_user: Any
) -> None:
    row = incubatee(space, operator_user)
    table = client_in.get(url("table", space.pk, "incubatees")).content.decode()
    assert "hx-confirm=" in table
    response = client_in.post(url("row_delete", space.pk, "incubatees", row.pk), **HX)
    assert "已删除" in response.content.decode()
    assert not ROW_MODELS["incubatees"].objects.exists()
    assert AuditEntry.objects.filter(action=Action.ROW_DELETED, row_id=row.pk).exists()


def test_leases_are_added_under_their_site_and_listed_beneath_it(
    client_in: Client, space: Any, operator_user: Any
) -> None:
    site = row_create(space=space, table="sites", values={"address": "软件园三期A栋"}, by=operator_user)
    sites = client_in.get(url("table", space.pk, "sites")).content.decode()
    assert f"{url('table', space.pk, 'leases')}?parent={site.pk}" in sites
    form = client_in.get(url("row_new", space.pk, "leases"), {"parent": site.pk}, **HX).content.decode()
    assert f'value="{site.pk}" selected' in form
    client_in.post(
        url("row_new", space.pk, "leases"),
        {"site": site.pk, "contract_no": "ZL-2024-01", "start_date": "2024-01-01", "end_date": "2026-12-31"},
        **HX,
    )
    lease = ROW_MODELS["leases"].objects.get(space=space)
    assert lease.site == site and lease.end_date == date(2026, 12, 31)
    html = client_in.get(url("table", space.pk, "leases"), {"parent": site.pk}).content.decode()
    assert "ZL-2024-01" in html and site.ref in html
    response = client_in.post(url("row_new", space.pk, "leases"), {"contract_no": "ZL-2"}, **HX)
    assert "请选择所属的孵化场地" in response.content.decode()


def test_links_offer_only_rows_of_the_same_space(
    client_in: Client, space: Any, operator_user: Any, other_operator_user: Any
) -> None:
    other_space = space_create(
        organisation=other_operator_user.membership.organisation, name="他山", by=other_operator_user
    )
    theirs = incubatee(other_space, other_operator_user, name="他们的团队")
    response = client_in.post(
        url("row_new", space.pk, "financing"), {"incubatee": theirs.pk, "investor_type": "vc"}, **HX
    )
    assert not ROW_MODELS["financing"].objects.exists()
    assert "他们的团队" not in response.content.decode()


def test_the_profile_page_saves_through_the_service_and_lists_sections(client_in: Client, space: Any) -> None:
    page = client_in.get(url("profile", space.pk)).content.decode()
    assert "运营机构" in page and "众创空间" in page and "上海培育" in page and "附件1 认定信息表" in page
    response = client_in.post(
        url("profile", space.pk),
        {
            "space_name": "鹭创空间",
            "space_opened_on": "2020-05-01",
            "space_online_platform_features": "技术，资本, 信息",
            "operator_is_legal_person": "true",
        },
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.space_opened_on == date(2020, 5, 1) and space.space_online_platform_features == [
        "技术",
        "资本",
        "信息",
    ]
    assert AuditEntry.objects.filter(action=Action.PROFILE_UPDATED, table="profile").exists()
    bad = client_in.post(
        url("profile", space.pk), {"space_name": "改名", "space_opened_on": "昨天"}
    ).content.decode()
    assert "请输入有效日期" in bad and 'value="昨天"' in bad and 'value="改名"' in bad


def test_labels_follow_the_active_language(client_in: Client, space: Any) -> None:
    client_in.cookies["django_language"] = "en"
    html = client_in.get(url("table", space.pk, "incubatees"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "admission date" in html and "Annex 4 Incubatees" in html


def test_the_table_page_query_count_is_constant_for_300_incubatees(
    client_in: Client, space: Any, operator_user: Any, django_assert_max_num_queries: Any
) -> None:
    model = ROW_MODELS["incubatees"]
    model.objects.bulk_create(
        model(space=space, ref=f"I-{i:03d}", name=f"团队{i}", kind="team") for i in range(300)
    )
    document = document_store(
        space=space,
        kind="incubation_agreement",
        title="入孵协议",
        content=PNG,
        filename="a.png",
        by=operator_user,
    )
    for row in model.objects.filter(space=space)[:60]:
        row.evidence.add(document)
    financed = model.objects.filter(space=space).first()
    ROW_MODELS["financing"].objects.bulk_create(
        ROW_MODELS["financing"](space=space, ref=f"F-{i}", incubatee=financed, investor_type="vc")
        for i in range(300)
    )
    # session, user, membership, space, count, page of rows, evidence prefetch: the same at any size
    with django_assert_max_num_queries(10):
        response = client_in.get(url("table", space.pk, "incubatees"), {"sort": "-name"})
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        response = client_in.get(url("table", space.pk, "financing"))
    assert "I-000" in response.content.decode()


def test_another_organisations_user_gets_404_on_every_url_with_the_first_organisations_ids(
    client: Client, space: Any, operator_user: Any, other_operator_user: Any
) -> None:
    row = incubatee(space, operator_user)
    site = row_create(space=space, table="sites", values={"address": "A栋"}, by=operator_user)
    document = document_store(
        space=space,
        kind="incubation_agreement",
        title="协议",
        content=PNG,
        filename="a.png",
        by=operator_user,
    )
    space_create(
        organisation=other_operator_user.membership.organisation, name="他山", by=other_operator_user
    )
    s, r, d = space.pk, row.pk, document.pk
    gets = [
        url("space_detail", s),
        url("profile", s),
        url("table", s, "incubatees"),
        url("table", s, "leases"),
        url("row_new", s, "incubatees"),
        url("row_detail", s, "incubatees", r),
        url("row_show", s, "incubatees", r),
        url("row_edit", s, "incubatees", r),
        reverse("evidence:document_list", args=[s]),
        reverse("evidence:download", args=[s, d]),
    ]
    posts = [
        url("profile", s),
        url("profile_upload", s),
        url("row_new", s, "incubatees"),
        url("row_edit", s, "incubatees", r),
        url("row_delete", s, "incubatees", r),
        url("row_delete", s, "sites", site.pk),
        url("row_upload", s, "incubatees", r),
        url("row_detach", s, "incubatees", r, d),
    ]
    client.force_login(other_operator_user)
    for address in gets:
        assert client.get(address).status_code == 404, address
        assert client.get(address, **HX).status_code == 404, address
    for address in posts:
        assert client.post(address, {"name": "篡改", "space_name": "篡改"}).status_code == 404, address
    row.refresh_from_db()
    space.refresh_from_db()
    assert row.name == "甲团队" and space.space_name == "鹭创空间"
    assert ROW_MODELS["sites"].objects.filter(pk=site.pk).exists()
    client.logout()
    for address in gets:
        assert client.get(address).status_code == 302, address  # to the login page


def test_every_page_of_a_valid_example_space_renders_without_warnings(
    client_in: Client, space: Any, operator_user: Any
) -> None:
    import json
    from pathlib import Path

    from zhongchuang.facts import parse_facts
    from zhongchuang.spaces.schema import TABLES
    from zhongchuang.spaces.services import space_load_facts

    example = Path(__file__).resolve().parents[2] / "examples" / "xiamen-comprehensive-pass.json"
    space_load_facts(
        space=space, facts=parse_facts(json.loads(example.read_text(encoding="utf-8"))), by=operator_user
    )
    assert client_in.get(url("space_detail", space.pk)).status_code == 200
    assert client_in.get(url("profile", space.pk)).status_code == 200
    for spec in TABLES:
        page = client_in.get(url("table", space.pk, spec.name))
        assert page.status_code == 200 and "需修正" not in page.content.decode(), spec.name
        assert client_in.get(url("row_new", space.pk, spec.name), **HX).status_code == 200, spec.name
        row = ROW_MODELS[spec.name].objects.filter(space=space).first()
        if row is not None:
            assert client_in.get(url("row_detail", space.pk, spec.name, row.pk)).status_code == 200, spec.name
            assert client_in.get(url("row_edit", space.pk, spec.name, row.pk), **HX).status_code == 200, (
                spec.name
            )
            assert client_in.get(url("row_edit", space.pk, spec.name, row.pk)).status_code == 200, spec.name
