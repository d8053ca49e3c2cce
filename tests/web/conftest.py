"""Fixtures for the web tests: real services create every object, as users would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from zhongchuang.accounts.models import Membership, Organisation, Role
from zhongchuang.engine.context import SHANGHAI
from zhongchuang.identifiers import make_uscc

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def chinese_first() -> Any:
    """Every test starts in the product's language: an English request in one test must not leave
    English active for the next (the catalogue translates service messages too)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """The self-check cache is keyed by space id and data version; test databases reuse ids."""
    from django.core.cache import cache

    cache.clear()


def logged_in(user: Any) -> Any:
    """A test client signed in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def make_operator(name: str, code: str, username: str, role: str = Role.OPERATOR_ADMIN) -> Any:
    organisation = Organisation.objects.create(
        name=name,
        uscc=make_uscc(code),
        contact_name="张三",
        contact_phone="13800000000",
        contact_email=f"{username}@example.com",
    )
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password="pass-Word-123"
    )
    Membership.objects.create(user=user, organisation=organisation, role=role, email_confirmed=True)
    return user


@pytest.fixture
def operator_user(db: Any) -> Any:
    return make_operator("厦门鹭创科技有限公司", "91350200MA2Y00001", "operator")


@pytest.fixture
def other_operator_user(db: Any) -> Any:
    return make_operator("厦门他山科技有限公司", "91350200MA2Y00002", "other")


# --- a Xiamen round with its staff and one submitted application (review workflow tests) ----------

SHANGHAI_TZ = SHANGHAI  # the engine's one definition, under the name the tests import


def make_bureau_user(bureau: Any, username: str, role: str) -> Any:
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password="pass-Word-123", first_name=username
    )
    Membership.objects.create(user=user, bureau=bureau, role=role, email_confirmed=True)
    return user


@pytest.fixture
def xiamen_bureau(db: Any) -> Any:
    from zhongchuang.accounts.models import Bureau

    return Bureau.objects.get_or_create(name="厦门市科学技术局", defaults={"city": "厦门市"})[0]


@pytest.fixture
def bureau_admin(xiamen_bureau: Any) -> Any:
    return make_bureau_user(xiamen_bureau, "xm_admin", Role.BUREAU_ADMIN)


@pytest.fixture
def reviewer(xiamen_bureau: Any) -> Any:
    return make_bureau_user(xiamen_bureau, "xm_reviewer", Role.REVIEWER)


@pytest.fixture
def inspector(xiamen_bureau: Any) -> Any:
    return make_bureau_user(xiamen_bureau, "xm_inspector", Role.INSPECTOR)


@pytest.fixture
def xm_round(xiamen_bureau: Any, bureau_admin: Any) -> Any:
    """Xiamen 2025, comprehensive type: notice 2025-02-20, postmark deadline 2025-03-21, R = 2025-03-21."""
    from datetime import date

    from zhongchuang.applications.services import round_open

    return round_open(
        bureau=xiamen_bureau,
        name="2025年厦门市市级众创空间认定（综合型）",
        policy_id="xiamen-2025-comprehensive",
        notice_date=date(2025, 2, 20),
        deadline=date(2025, 3, 21),
        deadline_rule="postmark",
        reference_date=date(2025, 3, 21),
        by=bureau_admin,
    )


def submit_example(user: Any, round_: Any, example: str = "xiamen-comprehensive-pass") -> Any:
    """Load an example space (with placeholder evidence files) for `user` and submit it in `round_`."""
    import json
    from datetime import datetime

    from zhongchuang.applications.services import application_create, application_submit
    from zhongchuang.facts import parse_facts
    from zhongchuang.spaces.services import space_create
    from zhongchuang.web.demo import load_facts_with_placeholder_evidence

    facts = parse_facts(json.loads((ROOT / "examples" / f"{example}.json").read_text(encoding="utf-8")))
    space = space_create(organisation=user.membership.organisation, name=facts.space.name, by=user)
    load_facts_with_placeholder_evidence(space=space, facts=facts, by=user)
    application = application_create(space=space, round=round_, by=user)
    application_submit(
        application=application,
        pledge_accepted=True,
        by=user,
        now=datetime(2025, 3, 10, 10, 0, tzinfo=SHANGHAI_TZ),
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def submitted_application(operator_user: Any, xm_round: Any) -> Any:
    return submit_example(operator_user, xm_round)


def put_in_state(application: Any, state: str) -> Any:
    """Test set-up only: place an application in a state without walking the steps before it."""
    type(application).objects.filter(pk=application.pk).update(status=state)
    application.refresh_from_db()
    return application
