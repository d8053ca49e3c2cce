"""Fixtures for the web tests: real services create every object, as users would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from zhongchuang.accounts.models import Membership, Organisation, Role
from zhongchuang.identifiers import make_uscc

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


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
