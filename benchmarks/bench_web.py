"""Web benchmark: prints figures, asserts nothing (speed is measured here; tests guard query counts).

A space with 300 incubatees (synthetic, from zhongchuang.synth: one generated space whose
incubatees are topped up with the incubatees of further generated spaces, with their
registrations, financing, IP rights, service records, projects and cases) in a throwaway SQLite
database. With Django's test Client, logged in as the space's operator, for each page:

  - warm: one request first (templates, policy, compiled row sets, the self-check cache), then
    N requests: server time median and p95, queries per request;
  - cold self-check: the self-check cache cleared before every request, so each one evaluates
    the policy again from the database (the cost an operator pays after every change).

Pages: the self-check overview (all five policies), the self-check of one policy, the incubatees
table page. Server time is the time of `Client.get` in this process (no network, no browser).

Run: make bench-web   (or: .venv/bin/python benchmarks/bench_web.py [--requests N] [--incubatees N])
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from typing import Any

POLICY = "xiamen-2025-comprehensive"
LINKED = ("registrations", "financing", "ip_rights", "service_records", "international_projects", "cases")


def facts_with_incubatees(count: int, seed: int = 2025) -> dict[str, Any]:
    """One synthetic space's data with exactly `count` incubatees (and the rows that refer to them)."""
    from zhongchuang.synth.population import generate_space_data, space_seeds

    seeds = space_seeds(10_000, seed)
    data = generate_space_data(next(seeds))
    data["incubatees"] = data["incubatees"][:count]
    kept = {row["id"] for row in data["incubatees"]}
    for name in (*LINKED, "mentor_sessions"):
        data[name] = [row for row in data.get(name, []) if row.get("incubatee_id") in (None, *kept)]
    documents = {doc["id"]: doc for doc in data["documents"]}
    donor = 0
    while len(data["incubatees"]) < count:
        donor += 1
        other = generate_space_data(next(seeds))
        prefix = f"x{donor}-"
        room = count - len(data["incubatees"])
        taken = other["incubatees"][:room]
        ids = {row["id"] for row in taken}
        used_docs: set[str] = set()

        def renamed(row: dict[str, Any], prefix: str = prefix, used: set[str] = used_docs) -> dict[str, Any]:
            row = dict(row)
            row["id"] = prefix + row["id"]
            if row.get("incubatee_id"):
                row["incubatee_id"] = prefix + row["incubatee_id"]
            if row.get("evidence"):
                used.update(row["evidence"])
                row["evidence"] = [prefix + doc for doc in row["evidence"]]
            return row

        data["incubatees"] += [renamed(row) for row in taken]
        for name in LINKED:
            data[name] = data.get(name, []) + [
                renamed(row) for row in other.get(name, []) if row.get("incubatee_id") in ids
            ]
        for doc in other["documents"]:
            if doc["id"] in used_docs:
                documents[prefix + doc["id"]] = {**doc, "id": prefix + doc["id"]}
    data["documents"] = list(documents.values())
    return data


def setup_django(data_dir: str) -> None:
    os.environ["ZC_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongchuang.web.settings")
    os.environ.pop("DATABASE_URL", None)  # always a throwaway SQLite database
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


def build_space(incubatees: int) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from zhongchuang.accounts.models import Membership, Organisation, Role
    from zhongchuang.facts import parse_facts
    from zhongchuang.spaces.services import space_create, space_load_facts

    facts = parse_facts(facts_with_incubatees(incubatees))
    organisation = Organisation.objects.create(
        name=facts.operator.name,
        uscc=facts.operator.uscc,
        contact_name="基准",
        contact_phone="13800000000",
        contact_email="bench@example.com",
    )
    user = get_user_model().objects.create_user(
        username="bench", email="bench@example.com", password="bench-Pass-1"
    )
    Membership.objects.create(
        user=user, organisation=organisation, role=Role.OPERATOR_ADMIN, email_confirmed=True
    )
    space = space_create(organisation=organisation, name=facts.space.name, by=user)
    space_load_facts(space=space, facts=facts, by=user)
    return user, space


def page_urls(space: Any) -> list[tuple[str, str | None]]:
    from django.urls import NoReverseMatch, reverse

    def url(name: str, *args: Any) -> str | None:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    return [
        ("自检总览 self-check overview (5 policies)", url("checks:overview", space.pk)),
        (f"自检 self-check {POLICY}", url("checks:policy", space.pk, POLICY)),
        ("在孵企业表 incubatees table", url("spaces:table", space.pk, "incubatees")),
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(client: Any, url: str, requests: int, before: Callable[[], None] | None = None) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, sizes = [], [], []
    for _ in range(requests):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            return {"error": f"HTTP {response.status_code}"}
        queries.append(len(captured.captured_queries))
        sizes.append(len(response.content))
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": (min(queries), max(queries)),
        "kb": statistics.median(sizes) / 1024,
    }


def show(label: str, figures: dict[str, Any]) -> None:
    if "error" in figures:
        print(f"  {label:<44} {figures['error']}")
        return
    low, high = figures["queries"]
    q = f"{low}" if low == high else f"{low}–{high}"
    print(
        f"  {label:<44} median {figures['median']:8.1f} ms   p95 {figures['p95']:8.1f} ms   "
        f"queries {q:>7}   {figures['kb']:.0f} KB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=30, help="measured requests per figure (default 30)")
    parser.add_argument("--incubatees", type=int, default=300, help="incubatees in the space (default 300)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="zc-bench-web-") as data_dir:
        setup_django(data_dir)
        start = time.perf_counter()
        user, space = build_space(args.incubatees)
        built = time.perf_counter() - start

        from django.core.cache import cache
        from django.test import Client

        from zhongchuang.bridge.services import space_evaluation
        from zhongchuang.spaces.models import ROW_MODELS

        counts = {name: model.objects.filter(space=space).count() for name, model in ROW_MODELS.items()}
        print(
            f"Space: {space} — {counts['incubatees']} incubatees, {sum(counts.values())} rows in all "
            f"(built and loaded in {built:.1f} s, SQLite, {date.today().isoformat()})"
        )
        print(
            f"Python {sys.version.split()[0]}; {args.requests} requests per figure; server time of Client.get"
        )

        # The evaluation alone, without a page: facts from the database + the engine.
        space_evaluation(space, POLICY)  # warm: the policy loaded and compiled once
        times = []
        for _ in range(args.requests):
            cache.clear()
            t0 = time.perf_counter()
            space_evaluation(space, POLICY)
            times.append((time.perf_counter() - t0) * 1000)
        print(
            f"\nspace_evaluation({POLICY}), cache cleared: median {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms"
        )

        client = Client()
        client.force_login(user)
        for label, url in page_urls(space):
            print(f"\n{label}: {url or '(page not built: URL name does not resolve)'}")
            if url is None:
                continue
            warm = client.get(url)
            if warm.status_code != 200:
                print(f"  HTTP {warm.status_code} on the warm-up request; skipped")
                continue
            is_check = "self-check" in label
            show("warm (self-check cached)" if is_check else "warm", measure(client, url, args.requests))
            if is_check:
                show(
                    "cold (self-check cache cleared each time)",
                    measure(client, url, args.requests, cache.clear),
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
