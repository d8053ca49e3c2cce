"""The database maps 1:1 onto the facts format: what goes in comes out the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zhongchuang.bridge.services import space_facts
from zhongchuang.facts import parse_facts
from zhongchuang.spaces.services import space_create, space_load_facts

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


def without_files(data: dict[str, Any]) -> dict[str, Any]:
    """A facts file alone carries no files: compare without documents and evidence links."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "evidence"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data = strip(data)
    data.pop("documents", None)
    data.pop("as_of", None)  # live data has no "as of" date; a submission stamps its own
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_every_example_round_trips_through_the_database(example: Path, operator_user: Any) -> None:
    facts = parse_facts(json.loads(example.read_text(encoding="utf-8")))
    organisation = operator_user.membership.organisation
    organisation.name, organisation.uscc = facts.operator.name, facts.operator.uscc
    organisation.save()
    space = space_create(organisation=organisation, name=facts.space.name, by=operator_user)
    space_load_facts(space=space, facts=facts, by=operator_user)
    back = space_facts(space)
    assert without_files(back.model_dump()) == without_files(facts.model_dump())


@pytest.mark.django_db
def test_loading_facts_again_replaces_rows_that_link_to_each_other(operator_user: Any) -> None:
    facts = parse_facts(json.loads(EXAMPLES[0].read_text(encoding="utf-8")))
    space = space_create(
        organisation=operator_user.membership.organisation, name=facts.space.name, by=operator_user
    )
    space_load_facts(space=space, facts=facts, by=operator_user)
    space_load_facts(space=space, facts=facts, by=operator_user)  # financing points at incubatees
    assert len(space_facts(space).incubatees) == len(facts.incubatees)
