"""The workflow table as a whole, and the rights of every role on every step.

The table is data (workflow/certification.yaml); these tests walk it rather than list the steps again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhongchuang.accounts.models import Bureau, Role
from zhongchuang.applications.models import Application
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.notifications.models import Message
from zhongchuang.workflow import services as workflow_services
from zhongchuang.workflow.definition import WorkflowFileError, certification_workflow, parse_workflow
from zhongchuang.workflow.guards import GUARDS
from zhongchuang.workflow.services import SYSTEM, TransitionRefused, refusals, transition

from .conftest import logged_in, make_bureau_user, make_operator, put_in_state

WORKFLOW = certification_workflow()
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_every_state_is_reachable_and_every_unfinished_state_has_a_way_out() -> None:
    assert WORKFLOW.reachable() == set(WORKFLOW.states)
    for state in WORKFLOW.states.values():
        assert state.final or WORKFLOW.steps_from(state.id), state.id
    for state in ("certified", "rejected"):
        assert WORKFLOW.states[state].final and not WORKFLOW.steps_from(state)


def test_the_workflow_states_are_the_application_states() -> None:
    assert set(WORKFLOW.states) == {choice.value for choice in Application.Status}
    for choice in Application.Status:
        assert str(choice.label) == WORKFLOW.states[choice.value].staff_label


def test_the_process_of_the_notice_is_a_path_through_the_table() -> None:
    """寄送申请材料 → 形式审核 → 现场核查 → 集体研究 → 公示 → 认定, and one correction on the way."""
    path = ["submit", "receive", "start_formal_review", "request_correction", "resubmit", "start_formal_review",
            "pass_formal_review", "complete_inspection", "propose", "publish_notice", "certify"]  # fmt: skip
    state = WORKFLOW.initial
    for step_id in path:
        step = WORKFLOW.steps[step_id]
        assert state in step.sources, (step_id, state)
        state = step.target
    assert state == "certified"


def test_every_guard_the_table_names_is_registered() -> None:
    named = {name for step in WORKFLOW.steps.values() for name in step.guards}
    assert named - set(GUARDS) == set()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["transitions"]["receive"].update(to="nowhere"), "unknown state 'nowhere'"),
        (lambda raw: raw["transitions"].pop("withdraw"), "unreachable ['withdrawn']"),
        (lambda raw: raw["transitions"]["certify"].update(roles=["janitor"]), "unknown roles ['janitor']"),
        (
            lambda raw: [
                raw["transitions"][s].update({"from": ["proposed"]})
                for s in ("certify", "reject_after_notice")
            ],
            "no way out of ['public_notice']",
        ),
    ],
)
def test_an_inconsistent_workflow_file_is_refused_naming_the_key(change: Any, message: str) -> None:
    import yaml

    from zhongchuang.workflow.definition import WORKFLOW_FILE

    raw = yaml.safe_load(WORKFLOW_FILE.read_text(encoding="utf-8"))
    change(raw)
    with pytest.raises(WorkflowFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_workflow(raw)


# --- rights: every role on every step, guards aside --------------------------------------------------


@pytest.fixture
def guards_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rights tests look at roles and scope only; each guard has its own tests in its app."""
    monkeypatch.setattr(workflow_services, "guard_problems", lambda names, application, now: [])


@pytest.mark.django_db
def test_each_role_may_take_exactly_the_steps_the_table_gives_it(
    submitted_application: Application,
    operator_user: Any,
    reviewer: Any,
    inspector: Any,
    bureau_admin: Any,
    guards_pass: None,
) -> None:
    users = {
        "operator": operator_user,
        "reviewer": reviewer,
        "inspector": inspector,
        "bureau_admin": bureau_admin,
    }
    for step in WORKFLOW.steps.values():
        put_in_state(submitted_application, step.sources[0])
        for role, user in users.items():
            reasons = refusals(submitted_application, step.id, by=user, comment="理由")
            assert (reasons == []) == (role in step.roles), (step.id, role, reasons)
        assert (refusals(submitted_application, step.id, by=SYSTEM, comment="理由") == []) == (
            "system" in step.roles
        )


@pytest.mark.django_db
def test_staff_of_another_bureau_and_another_operator_are_refused(
    submitted_application: Application, guards_pass: None
) -> None:
    shanghai = Bureau.objects.create(name="上海市科学技术委员会", city="上海市")
    outsider_admin = make_bureau_user(shanghai, "sh_admin", Role.BUREAU_ADMIN)
    outsider_operator = make_operator("厦门他山科技有限公司", "91350200MA2Y00002", "other")
    put_in_state(submitted_application, "received")
    assert refusals(submitted_application, "start_formal_review", by=outsider_admin) == [
        "您无权执行“开始形式审核”"
    ]
    assert refusals(submitted_application, "withdraw", by=outsider_operator) == ["您无权执行“撤回申报”"]


@pytest.mark.django_db
def test_a_step_from_the_wrong_state_or_without_its_required_comment_changes_nothing(
    submitted_application: Application, reviewer: Any
) -> None:
    entries = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused) as refused:
        transition(submitted_application, "pass_formal_review", by=reviewer)
    assert refused.value.reasons == ["当前状态（已在线提交，待收件）不能执行“形式审核通过”"]
    put_in_state(submitted_application, "formal_review")
    with pytest.raises(TransitionRefused) as refused:
        transition(submitted_application, "fail_formal_review", by=reviewer, comment="  ")
    assert "请填写意见或理由" in refused.value.reasons
    submitted_application.refresh_from_db()
    assert submitted_application.status == "formal_review"
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_step_is_audited_with_its_comment_and_tells_the_operator_in_its_words(
    submitted_application: Application, operator_user: Any, reviewer: Any
) -> None:
    put_in_state(submitted_application, "formal_review")
    moment = datetime(2025, 4, 2, 15, 30, tzinfo=SHANGHAI)
    transition(
        submitted_application, "fail_formal_review", by=reviewer, comment="场地面积不足1000平方米", now=moment
    )
    submitted_application.refresh_from_db()
    assert submitted_application.status == "rejected"
    assert submitted_application.status_changed_at == moment
    entry = AuditEntry.objects.filter(application=submitted_application).order_by("-id").first()
    assert entry is not None and entry.action == Action.APPLICATION_TRANSITION and entry.actor == reviewer
    assert entry.before == {"status": "formal_review"}
    assert entry.after["step"] == "fail_formal_review" and entry.after["comment"] == "场地面积不足1000平方米"
    message = Message.objects.filter(recipient=operator_user).first()
    assert message is not None and "未通过" in message.subject and "场地面积不足1000平方米" in message.body


@pytest.mark.django_db
def test_the_action_panel_offers_the_users_steps_and_takes_a_comment_only_step(
    submitted_application: Application, reviewer: Any
) -> None:
    from django.urls import reverse

    put_in_state(submitted_application, "received")
    client = logged_in(reviewer)
    url = reverse("workflow:take_step", args=[submitted_application.pk, "start_formal_review"])
    response = client.post(url, {"comment": "", "next": "/"})
    assert response.status_code == 302
    submitted_application.refresh_from_db()
    assert submitted_application.status == "formal_review"
    # a step with its own page is not taken here
    put_in_state(submitted_application, "submitted")
    assert (
        client.post(reverse("workflow:take_step", args=[submitted_application.pk, "receive"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_operator_cannot_take_staff_steps_through_the_panel(
    submitted_application: Application, operator_user: Any
) -> None:
    from django.urls import reverse

    put_in_state(submitted_application, "received")
    client = logged_in(operator_user)
    response = client.post(
        reverse("workflow:take_step", args=[submitted_application.pk, "start_formal_review"]), {"next": "/"}
    )
    assert response.status_code == 302
    submitted_application.refresh_from_db()
    assert submitted_application.status == "received"


def test_the_documented_table_is_the_one_zc_workflow_prints(capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from zhongchuang.cli import main

    assert main(["workflow"]) == 0
    printed = capsys.readouterr().out
    doc = (Path(__file__).resolve().parents[2] / "docs" / "review-workflow.md").read_text(encoding="utf-8")
    assert printed in doc


def test_every_label_of_the_workflow_file_is_listed_for_translation() -> None:
    from zhongchuang.workflow.labels import LABELS

    declared = {
        label for state in WORKFLOW.states.values() for label in (state.staff_label, state.operator_label)
    }
    declared |= {step.label for step in WORKFLOW.steps.values()}
    assert set(LABELS) == declared
