"""Journey b: a second operator, logged in, gets 404 on every URL that carries the first operator's ids.

The URLs are read from the URL configuration (spaces, evidence, checks, applications), so pages
added later are covered too: each parameter is filled with an id of the first operator's data.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .helpers import POLICY, load_space_data, log_in, make_operator, open_round

NAMESPACES = ("spaces", "evidence", "checks", "applications")


def patterns_of(namespace: str) -> list[tuple[str, Any]]:
    resolver = get_resolver()
    prefix, sub = resolver.namespace_dict[namespace]
    found: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], route: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                found.append(
                    (
                        f"{namespace}:{entry.name}",
                        entry.pattern.converters if hasattr(entry.pattern, "converters") else {},
                    )
                )

    walk(sub.url_patterns, prefix)
    return found


def first_operator_data() -> dict[str, Any]:
    """The first operator's space, rows, a document and an application, through the services."""
    from zhongchuang.applications.models import Application
    from zhongchuang.evidence.models import Document
    from zhongchuang.spaces.models import ROW_MODELS
    from zhongchuang.spaces.services import space_create

    from .helpers import example_data

    owner = make_operator("厦门第一科技有限公司", "91350200MA2YB0101", "first")
    space = space_create(organisation=owner.membership.organisation, name="第一众创空间", by=owner)
    load_space_data(space, example_data(), by=owner)
    application = Application.objects.create(round=open_round(), space=space, created_by=owner)
    ids = {
        "space_id": space.pk,
        "doc_id": Document.objects.filter(space=space).first().pk,
        "document_id": Document.objects.filter(space=space).first().pk,
        "policy_id": POLICY,
        "application_id": application.pk,
        "pk": application.pk,
        "number": 1,
        "version": 1,
    }
    rows = {name: model.objects.filter(space=space).first() for name, model in ROW_MODELS.items()}
    return {"owner": owner, "space": space, "ids": ids, "rows": rows}


def urls_with_their_ids(data: dict[str, Any]) -> list[str]:
    from django.urls import NoReverseMatch, reverse

    urls: list[str] = []
    for namespace in NAMESPACES:
        for name, converters in patterns_of(namespace):
            params = list(converters)
            if not params or "round_id" in params:
                continue  # list pages are checked for what they show; rounds are the bureau's, not an operator's
            kwargs: dict[str, Any] = {}
            table = "activities"
            for param in params:
                if param == "table":
                    kwargs[param] = table
                elif param == "row_id":
                    kwargs[param] = data["rows"][table].pk
                elif param in data["ids"]:
                    kwargs[param] = data["ids"][param]
            if len(kwargs) != len(params):
                pytest.fail(
                    f"{name}: no id of the first operator for {set(params) - set(kwargs)}; extend the test"
                )
            try:
                urls.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch as error:
                pytest.fail(f"{name}: {error}")
            if "row_id" in kwargs:  # every table, not only activities
                for other in ("incubatees", "leases", "staff", "mentors"):
                    urls.append(
                        reverse(name, kwargs={**kwargs, "table": other, "row_id": data["rows"][other].pk})
                    )
    return sorted(set(urls))


def test_a_second_operator_cannot_reach_the_first_ones_data(page: Any, shot: Any) -> None:
    from zhongchuang.spaces.models import ROW_MODELS

    data = first_operator_data()
    make_operator("厦门第二科技有限公司", "91350200MA2YB0202", "second")
    log_in(page, "second")
    page.goto("/spaces/")
    shot(page, "second-spaces")
    assert "第一众创空间" not in page.locator("main").inner_text()

    urls = urls_with_their_ids(data)
    assert len(urls) > 15 and any("/evidence/" in url for url in urls), urls
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    wrong: list[str] = []
    for url in urls:
        status = page.request.get(url, max_redirects=0).status
        if status == 405:  # POST-only (delete, upload, detach, withdraw…): try it, with a valid CSRF token
            status = page.request.post(url, headers={"X-CSRFToken": token, "Referer": page.url}).status
        if status != 404:
            wrong.append(f"{url} → {status}")
    page.goto(urls[0])
    shot(page, "a-404-page")
    assert not wrong, "reachable by another organisation:\n" + "\n".join(wrong)
    rows_after = {
        name: model.objects.filter(space=data["space"]).count() for name, model in ROW_MODELS.items()
    }
    assert all(rows_after[name] for name in ("activities", "incubatees", "leases", "staff", "mentors"))
