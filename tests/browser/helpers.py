"""Data and page helpers shared by the browser tests (test data goes through the real services)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from zhongchuang.accounts.models import Membership, Organisation, Role
from zhongchuang.identifiers import make_uscc

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Browser-Pass-2025"
POLICY = "xiamen-2025-comprehensive"
ACTIVITY_CRITERION = "XM25-C-7"  # 每年开展活动不少于10次


def url_missing(name: str, *args: Any) -> bool:
    """True while another helper has not built the page yet (used only for conditional xfail)."""
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return True
    return False


def make_operator(name: str, code17: str, username: str) -> Any:
    organisation = Organisation.objects.create(
        name=name,
        uscc=make_uscc(code17),
        contact_name="李四",
        contact_phone="13900000000",
        contact_email=f"{username}@example.com",
    )
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD
    )
    Membership.objects.create(
        user=user, organisation=organisation, role=Role.OPERATOR_ADMIN, email_confirmed=True
    )
    return user


def field(page: Any, label: str) -> Any:
    """The input labelled exactly `label`, with or without the required-field asterisk."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def log_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    field(page, "用户名").fill(username)
    field(page, "密码").fill(password)
    page.locator("main").get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login failed for {username}"


def example_data(name: str = "xiamen-comprehensive-pass") -> dict[str, Any]:
    return json.loads((ROOT / "examples" / f"{name}.json").read_text(encoding="utf-8"))


def activity_status(data: dict[str, Any]) -> str:
    from zhongchuang.engine.evaluate import evaluate
    from zhongchuang.engine.policy import load_policy
    from zhongchuang.facts import parse_facts

    result = evaluate(parse_facts(data), load_policy(POLICY))
    return next(c.status for c in result.criteria if c.id == ACTIVITY_CRITERION)


def one_activity_short() -> dict[str, Any]:
    """The passing example with its last counted activities dropped until the activity criterion just fails.

    The operator then types one more activity (and uploads its photo) in the browser, which makes it pass.
    """
    data = example_data()
    assert activity_status(data) in ("pass", "needs_review")
    activities = data["activities"]
    while activity_status(data) in ("pass", "needs_review"):
        activities.pop()
    assert activity_status(data) == "fail"
    return data


def load_space_data(
    space: Any, data: dict[str, Any], by: Any, leave_out: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Store a placeholder PDF for every document of `data` and load the facts into `space` (the bulk).

    Tables in `leave_out` are emptied first (the browser types those rows).
    """
    from zhongchuang.facts import parse_facts
    from zhongchuang.web.demo import load_facts_with_placeholder_evidence

    data = dict(data)
    for table in leave_out:
        data[table] = []
    facts = parse_facts(data)
    return load_facts_with_placeholder_evidence(space=space, facts=facts, by=by)


def open_round(policy_id: str = POLICY) -> Any:
    """An open Xiamen round whose deadline is still ahead (the reference date stays the example's)."""
    from zhongchuang.accounts.models import Bureau
    from zhongchuang.applications.models import Round

    bureau, _ = Bureau.objects.get_or_create(name="厦门市科学技术局", defaults={"city": "厦门市"})
    today = date.today()
    return Round.objects.create(
        bureau=bureau,
        name="浏览器测试轮次：市级众创空间认定（综合型）",
        policy_id=policy_id,
        notice_date=date(today.year, 1, 1),
        deadline=date(today.year + 1, 12, 31),
        reference_date=date(2025, 3, 21),
        is_open=True,
    )


def pdf_file(title: str = "activity photo") -> dict[str, Any]:
    """A file payload for Playwright's set_input_files: a real (tiny) PDF by its magic bytes."""
    from zhongchuang.web.demo import placeholder_pdf

    return {"name": "photo.pdf", "mimeType": "application/pdf", "buffer": placeholder_pdf(title)}
