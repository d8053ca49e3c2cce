"""The policy loader is strict: every refusal names the file and the key path."""

from pathlib import Path

import pytest
import yaml

from zhongchuang.engine.policy import load_policy, load_policy_file, policy_ids
from zhongchuang.errors import PolicyError, UnknownPolicy

EXPECTED_IDS = {
    "xiamen-2025-comprehensive": [f"XM25-C-{n}" for n in range(1, 10)],
    "xiamen-2025-specialized": [f"XM25-S-{n}" for n in range(1, 11)],
    "shanghai-specialized": [f"SH-PRO-B{n}" for n in range(1, 5)] + [f"SH-PRO-T{n}" for n in range(1, 7)],
    "shanghai-branded": [f"SH-BRD-B{n}" for n in range(1, 6)] + [f"SH-BRD-T{n}" for n in range(1, 7)],
    "shanghai-international": [f"SH-INT-B{n}" for n in range(1, 6)] + [f"SH-INT-T{n}" for n in range(1, 5)],
}
TEXTS = Path(__file__).resolve().parents[2] / "shared" / "policy-texts"


def test_the_five_policies_exist() -> None:
    assert set(policy_ids()) == set(EXPECTED_IDS)


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_IDS))
def test_criteria_follow_the_order_of_the_text(policy_id: str) -> None:
    assert [criterion.id for criterion in load_policy(policy_id).criteria] == EXPECTED_IDS[policy_id]


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_IDS))
def test_every_clause_is_quoted_verbatim_from_the_policy_text(policy_id: str) -> None:
    policy = load_policy(policy_id)
    text_file = TEXTS / Path(policy.source.text_file).name
    if not text_file.exists():
        pytest.skip("shared/policy-texts is not beside this checkout")
    text = "".join(text_file.read_text(encoding="utf-8").split())
    for criterion in policy.criteria:
        assert "".join(criterion.clause.split()) in text, criterion.id


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_IDS))
def test_a_policy_version_is_a_hash_of_its_file(policy_id: str) -> None:
    version = load_policy(policy_id).version
    assert len(version) == 16 and int(version, 16) >= 0


def broken_copy(tmp_path: Path, edit: object) -> Path:
    source = Path(__file__).resolve().parents[1] / "policies" / "xiamen-2025-comprehensive.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path = tmp_path / "xiamen-2025-comprehensive.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(PolicyError) as error:
        load_policy_file(path)
    return str(error.value)


def test_an_unknown_key_is_refused_with_its_path(tmp_path: Path) -> None:
    message = refusal(broken_copy(tmp_path, lambda d: d["criteria"][2].update(threshold=5)))
    assert "xiamen-2025-comprehensive.yaml: criteria[2].threshold" in message
    assert "未知字段" in message


def test_a_bad_date_is_refused_with_its_path(tmp_path: Path) -> None:
    message = refusal(broken_copy(tmp_path, lambda d: d["round"].update(deadline="2025-02-30")))
    assert "round.deadline" in message and "日期" in message


def test_an_operator_outside_the_vocabulary_is_refused(tmp_path: Path) -> None:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        data["criteria"][6]["checks"][0]["test"] = {
            "count_all": "activities_in_year",
            "at_least": "min_activities",
        }

    message = refusal(broken_copy(tmp_path, edit))
    assert "criteria[6].checks[0].test.count_all" in message
    assert "不在条件词汇表内" in message


def test_a_missing_citation_is_refused(tmp_path: Path) -> None:
    message = refusal(broken_copy(tmp_path, lambda d: d["criteria"][0].pop("cite")))
    assert "criteria[0].cite" in message and "缺少必填字段" in message


def test_an_unknown_named_fact_or_parameter_is_refused(tmp_path: Path) -> None:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        data["criteria"][6]["checks"][0]["test"] = {"count": "activities_ever", "at_least": "min_events"}

    message = refusal(broken_copy(tmp_path, edit))
    assert "未知的命名事实“activities_ever”" in message
    assert "未定义的参数“min_events”" in message


def test_an_unknown_policy_id_lists_the_known_ones() -> None:
    with pytest.raises(UnknownPolicy, match="xiamen-2025-comprehensive"):
        load_policy("xiamen-2026-comprehensive")
