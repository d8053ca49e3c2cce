"""On PostgreSQL (DATABASE_URL=postgres://…, as `make test` does in its second run) the data layer works the same.

Skipped on the default SQLite database; the rest of tests/web runs on both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from zhongchuang.bridge.services import space_facts
from zhongchuang.facts import parse_facts
from zhongchuang.spaces.services import space_create, space_load_facts

from .test_bridge import EXAMPLES, without_files

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="DATABASE_URL does not point at PostgreSQL")


@pytest.mark.django_db
def test_the_connection_is_postgresql() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select current_database()")
        (name,) = cursor.fetchone()
    assert name.startswith("test_")  # pytest-django's own database, never the real one


@pytest.mark.django_db
def test_a_space_round_trips_through_postgresql(operator_user: Any) -> None:
    example: Path = next(path for path in EXAMPLES if path.stem == "xiamen-comprehensive-pass")
    facts = parse_facts(json.loads(example.read_text(encoding="utf-8")))
    organisation = operator_user.membership.organisation
    organisation.name, organisation.uscc = facts.operator.name, facts.operator.uscc
    organisation.save()
    space = space_create(organisation=organisation, name=facts.space.name, by=operator_user)
    space_load_facts(space=space, facts=facts, by=operator_user)
    assert without_files(space_facts(space).model_dump()) == without_files(facts.model_dump())
