"""The batch path (polars) and the one-by-one path (Python) give the same statuses, everywhere."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhongchuang.engine.batch import status_matrix, to_frames
from zhongchuang.engine.context import build_context
from zhongchuang.engine.evaluate import evaluate_tables, status_map
from zhongchuang.engine.policy import load_policy, policy_ids
from zhongchuang.facts.tables import flatten
from zhongchuang.synth import generate_facts


def assert_paths_agree(policy_id: str, seed: int, count: int, as_of: date) -> None:
    policy = load_policy(policy_id)
    context = build_context(policy, as_of=as_of)  # one shared context, as the batch uses
    spaces = [flatten(facts, f"s{index:03d}") for index, facts in enumerate(generate_facts(count, seed=seed))]
    matrix = status_matrix(to_frames(spaces), policy, context)
    for tables, batch_row in zip(spaces, matrix.iter_rows(named=True), strict=True):
        single = status_map(evaluate_tables(tables, policy, context))
        differences = {
            key: (value, batch_row[key]) for key, value in single.items() if batch_row[key] != value
        }
        assert not differences, f"{policy_id} seed={seed} space={batch_row['space_id']}: {differences}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    policy_id=st.sampled_from(sorted(policy_ids())),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    count=st.integers(min_value=1, max_value=12),
    shift=st.integers(min_value=-400, max_value=400),
)
def test_batch_and_one_by_one_agree_on_random_populations(
    policy_id: str, seed: int, count: int, shift: int
) -> None:
    assert_paths_agree(policy_id, seed, count, date(2025, 3, 21) + timedelta(days=shift))


@pytest.mark.parametrize("policy_id", sorted(policy_ids()))
def test_batch_and_one_by_one_agree_on_a_population_of_120(policy_id: str) -> None:
    assert_paths_agree(policy_id, seed=7, count=120, as_of=date(2025, 3, 21))


def test_the_synthetic_population_exercises_every_status() -> None:
    policy = load_policy("xiamen-2025-comprehensive")
    spaces = [flatten(facts, f"s{i:03d}") for i, facts in enumerate(generate_facts(200, seed=1))]
    matrix = status_matrix(to_frames(spaces), policy, build_context(policy))
    seen = {status for column in matrix.columns[2:] for status in matrix[column].unique().to_list()}
    assert seen == {"pass", "fail", "needs_review", "missing_data"}
    assert len(set(matrix["verdict"].unique().to_list())) >= 2
