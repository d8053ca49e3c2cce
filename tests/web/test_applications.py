"""Rounds and applications: frozen versions, the deadline in Asia/Shanghai, the pledge, and who sees what."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from tests.web.conftest import logged_in

from zhongchuang.accounts.models import Bureau, Membership, Role
from zhongchuang.applications.models import Application, Round
from zhongchuang.applications.services import (
    ApplicationError,
    application_create,
    application_submit,
    application_withdraw,
    round_open,
    round_update,
)
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.facts import parse_facts
from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.services import row_delete, row_update, space_create, space_load_facts
from zhongchuang.web.demo import load_facts_with_placeholder_evidence

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SHANGHAI = ZoneInfo("Asia/Shanghai")
COMPREHENSIVE = "xiamen-2025-comprehensive"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()  # in-memory SQLite reuses primary keys between tests


def make_bureau_user(bureau: Bureau, username: str, role: str = Role.BUREAU_ADMIN) -> Any:
    user = get_user_model().objects.create_user(username=username, password="pass-Word-123")
    Membership.objects.create(user=user, bureau=bureau, role=role, email_confirmed=True)
    return user


@pytest.fixture
def xiamen(db: Any) -> Bureau:
    return Bureau.objects.create(name="厦门市科学技术局", city="厦门市")


@pytest.fixture
def xm_admin(xiamen: Bureau) -> Any:
    return make_bureau_user(xiamen, "xm_admin")


@pytest.fixture
def round_(xiamen: Bureau, xm_admin: Any) -> Round:
    return round_open(
        bureau=xiamen,
        name="2099年市级众创空间认定（综合型）",
        policy_id=COMPREHENSIVE,
        notice_date=date(2099, 2, 1),
        deadline=date(2099, 3, 21),
        deadline_rule="postmark",
        reference_date=date(2025, 3, 21),
        by=xm_admin,
    )


def load_example(
    user: Any, example: str = "xiamen-comprehensive-pass", with_documents: bool = False
) -> Space:
    facts = parse_facts(json.loads((EXAMPLES / f"{example}.json").read_text(encoding="utf-8")))
    space = space_create(organisation=user.membership.organisation, name=facts.space.name, by=user)
    if with_documents:
        load_facts_with_placeholder_evidence(space=space, facts=facts, by=user)
        return space
    return space_load_facts(space=space, facts=facts, by=user)


def at_shanghai(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


IN_TIME = at_shanghai(2099, 3, 1, 10, 0, 0)


@pytest.mark.django_db
def test_submission_freezes_a_version_whose_facts_and_evaluation_do_not_change_later(
    operator_user: Any, round_: Round
) -> None:
    space = load_example(operator_user, with_documents=True)
    application = application_create(space=space, round=round_, by=operator_user)
    version = application_submit(application=application, pledge_accepted=True, by=operator_user, now=IN_TIME)
    assert application.status == Application.Status.SUBMITTED
    assert version.number == 1 and version.facts["as_of"] == "2025-03-21"
    assert version.policy_id == COMPREHENSIVE and len(version.policy_version) == 16
    assert version.evaluation["as_of"] == "2025-03-21" and version.verdict == version.evaluation["verdict"]
    assert "本单位承诺所填报的信息及提供的材料真实、准确、完整" in version.pledge_text
    assert version.evidence and all(
        len(item["sha256"]) == 64 and item["ref"].startswith("D") for item in version.evidence
    )
    assert set(version.evidence[0]) == {"ref", "kind", "title", "sha256", "size", "mime"}
    # Compared as data: PostgreSQL's jsonb does not keep key order, the content is what is frozen.
    frozen_facts, frozen_evaluation = copy.deepcopy(version.facts), copy.deepcopy(version.evaluation)
    activities_before = len(version.facts["activities"])

    for activity in list(ROW_MODELS["activities"].objects.filter(space=space))[:6]:
        row_delete(row=activity, by=operator_user)

    version.refresh_from_db()
    assert version.facts == frozen_facts and version.evaluation == frozen_evaluation
    assert len(version.facts["activities"]) == activities_before
    page = (
        logged_in(operator_user)
        .get(reverse("applications:version_detail", args=[application.pk, 1]))
        .content.decode()
    )
    assert version.evidence[0]["sha256"] in page
    assert version.policy_version in page


@pytest.mark.django_db
def test_withdraw_and_resubmit_makes_version_2_and_version_1_stays_readable(
    operator_user: Any, round_: Round
) -> None:
    space = load_example(operator_user)
    application = application_create(space=space, round=round_, by=operator_user)
    first = application_submit(application=application, pledge_accepted=True, by=operator_user, now=IN_TIME)
    with pytest.raises(ApplicationError, match="请先撤回"):
        application_submit(application=application, pledge_accepted=True, by=operator_user, now=IN_TIME)
    withdrawn = application_withdraw(application=application, by=operator_user, now=IN_TIME)
    assert withdrawn.pk == first.pk and withdrawn.withdrawn_at is not None
    assert application.status == Application.Status.WITHDRAWN
    second = application_submit(application=application, pledge_accepted=True, by=operator_user, now=IN_TIME)
    assert second.number == 2
    client = logged_in(operator_user)
    for number in (1, 2):
        response = client.get(reverse("applications:version_detail", args=[application.pk, number]))
        assert response.status_code == 200
    detail = client.get(reverse("applications:application_detail", args=[application.pk])).content.decode()
    assert "第1版" in detail and "第2版" in detail and "撤回" in detail


@pytest.mark.django_db
def test_withdraw_and_resubmit_through_the_pages(operator_user: Any, round_: Round) -> None:
    space = load_example(operator_user)
    client = logged_in(operator_user)
    response = client.post(
        reverse("applications:application_create"), {"space": space.pk, "round": round_.pk}
    )
    application = Application.objects.get(space=space)
    assert response.status_code == 302
    submit = reverse("applications:application_submit", args=[application.pk])
    page = client.get(submit).content.decode()
    assert (
        "申报单位承诺" in page
        and "本单位承诺所填报的信息及提供的材料真实、准确、完整，如有虚假，愿承担相应责任。" in page
    )
    assert 'for="id_pledge"' in page
    assert client.post(submit, {"pledge": "on"}).status_code == 302
    client.post(reverse("applications:application_withdraw", args=[application.pk]))
    assert client.post(submit, {"pledge": "on"}).status_code == 302
    assert application.versions.count() == 2


@pytest.mark.django_db
def test_a_submission_at_23_59_59_on_the_deadline_day_in_shanghai_is_accepted(
    operator_user: Any, round_: Round
) -> None:
    application = application_create(space=load_example(operator_user), round=round_, by=operator_user)
    version = application_submit(
        application=application,
        pledge_accepted=True,
        by=operator_user,
        now=at_shanghai(2099, 3, 21, 23, 59, 59),
    )
    assert version.number == 1


@pytest.mark.django_db
def test_a_submission_at_00_00_00_the_day_after_the_deadline_in_shanghai_is_refused(
    operator_user: Any, round_: Round
) -> None:
    application = application_create(space=load_example(operator_user), round=round_, by=operator_user)
    midnight_utc = datetime(
        2099, 3, 21, 16, 0, 0, tzinfo=ZoneInfo("UTC")
    )  # = 2099-03-22 00:00:00 Asia/Shanghai
    for now in (at_shanghai(2099, 3, 22, 0, 0, 0), midnight_utc):
        with pytest.raises(ApplicationError, match="已过申报截止时间"):
            application_submit(application=application, pledge_accepted=True, by=operator_user, now=now)
    assert application.versions.count() == 0


@pytest.mark.django_db
def test_submission_without_the_pledge_is_refused(operator_user: Any, round_: Round) -> None:
    application = application_create(space=load_example(operator_user), round=round_, by=operator_user)
    with pytest.raises(ApplicationError, match="申报单位承诺") as error:
        application_submit(application=application, pledge_accepted=False, by=operator_user, now=IN_TIME)
    assert error.value.field == "pledge"
    page = (
        logged_in(operator_user)
        .post(reverse("applications:application_submit", args=[application.pk]), {})
        .content.decode()
    )
    assert "error-summary" in page and "请阅读并勾选申报单位承诺后再提交" in page
    assert application.versions.count() == 0


@pytest.mark.django_db
def test_submission_to_a_closed_round_is_refused(operator_user: Any, round_: Round, xm_admin: Any) -> None:
    application = application_create(space=load_example(operator_user), round=round_, by=operator_user)
    round_update(round=round_, values={"is_open": False}, by=xm_admin)
    with pytest.raises(ApplicationError, match="已关闭"):
        application_submit(application=application, pledge_accepted=True, by=operator_user, now=IN_TIME)
    with pytest.raises(ApplicationError, match="已关闭"):
        application_create(space=load_example(operator_user), round=round_, by=operator_user)


@pytest.mark.django_db
def test_submission_with_data_errors_is_refused_with_their_paths(operator_user: Any, round_: Round) -> None:
    space = load_example(operator_user)
    activity = ROW_MODELS["activities"].objects.filter(space=space).first()
    row_update(row=activity, values={"held_on": None, "title": ""}, by=operator_user)
    application = application_create(space=space, round=round_, by=operator_user)
    with pytest.raises(ApplicationError, match="数据有错误") as error:
        application_submit(application=application, pledge_accepted=True, by=operator_user, now=IN_TIME)
    assert error.value.problems and all(p.where.startswith("activities[") for p in error.value.problems)
    page = (
        logged_in(operator_user)
        .get(reverse("applications:application_submit", args=[application.pk]))
        .content.decode()
    )
    assert "以下数据错误必须改正后才能提交" in page and "<code>activities[" in page
    assert application.versions.count() == 0


@pytest.mark.django_db
def test_application_events_are_audited_and_listed_in_the_history(operator_user: Any, round_: Round) -> None:
    application = application_create(space=load_example(operator_user), round=round_, by=operator_user)
    application_submit(application=application, pledge_accepted=True, by=operator_user, now=IN_TIME)
    application_withdraw(application=application, by=operator_user, now=IN_TIME)
    actions = list(
        AuditEntry.objects.filter(application=application).order_by("id").values_list("action", flat=True)
    )
    assert actions == [Action.APPLICATION_CREATED, Action.APPLICATION_SUBMITTED, Action.APPLICATION_WITHDRAWN]
    assert AuditEntry.objects.filter(action=Action.ROUND_OPENED, row_id=round_.pk).exists()
    page = (
        logged_in(operator_user)
        .get(reverse("applications:application_history", args=[application.pk]))
        .content.decode()
    )
    for label in ("创建申报", "提交申报", "撤回申报"):
        assert label in page
    assert "operator" in page


@pytest.mark.django_db
def test_bureau_admin_opens_closes_and_reopens_a_round(xiamen: Bureau, xm_admin: Any) -> None:
    client = logged_in(xm_admin)
    form = {
        "name": "2099年认定",
        "policy_id": COMPREHENSIVE,
        "notice_date": "2099-02-01",
        "deadline": "2099-01-01",
        "deadline_rule": "postmark",
        "reference_date": "2099-03-21",
        "receiving_hours": "09:00-12:00,13:00-27:00",
        "notice_working_days": "5",
    }
    page = client.post(reverse("applications:round_create"), form).content.decode()
    assert "截止日期不能早于通知发布日期" in page and 'value="2099年认定"' in page  # nothing typed is lost
    assert "时段“13:00-27:00”无效" in page
    form["deadline"] = "2099-03-21"
    form["receiving_hours"] = "09:00-12:00，13:00-17:00"
    assert client.post(reverse("applications:round_create"), form).status_code == 302
    created = Round.objects.get(name="2099年认定")
    assert created.receiving_hours == "09:00-12:00,13:00-17:00" and created.notice_working_days == 5
    client.post(reverse("applications:round_toggle", args=[created.pk]))
    created.refresh_from_db()
    assert not created.is_open
    client.post(reverse("applications:round_toggle", args=[created.pk]))
    created.refresh_from_db()
    assert created.is_open
    assert (
        AuditEntry.objects.filter(table="round", row_id=created.pk, action=Action.ROUND_UPDATED).count() == 2
    )
    reviewer = make_bureau_user(xiamen, "xm_reviewer", Role.REVIEWER)
    assert logged_in(reviewer).get(reverse("applications:round_create")).status_code == 404
    assert (
        logged_in(reviewer).post(reverse("applications:round_toggle", args=[created.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_operators_see_open_rounds_of_every_bureau_and_bureaus_only_their_own(
    operator_user: Any, round_: Round, xm_admin: Any
) -> None:
    shanghai = Bureau.objects.create(name="上海市科学技术委员会", city="上海市")
    sh_admin = make_bureau_user(shanghai, "sh_admin")
    sh_round = round_open(
        bureau=shanghai,
        name="上海培育2099",
        policy_id="shanghai-specialized",
        notice_date=date(2099, 1, 1),
        deadline=date(2099, 6, 30),
        deadline_rule="received",
        reference_date=date(2099, 6, 30),
        by=sh_admin,
    )
    closed = round_open(
        bureau=shanghai,
        name="上海已关闭轮次",
        policy_id="shanghai-branded",
        notice_date=date(2099, 1, 1),
        deadline=date(2099, 6, 30),
        deadline_rule="received",
        reference_date=date(2099, 6, 30),
        by=sh_admin,
    )
    round_update(round=closed, values={"is_open": False}, by=sh_admin)
    operator_page = logged_in(operator_user).get(reverse("applications:round_list")).content.decode()
    assert (
        round_.name in operator_page and sh_round.name in operator_page and closed.name not in operator_page
    )
    xm_page = logged_in(xm_admin).get(reverse("applications:round_list")).content.decode()
    assert round_.name in xm_page and sh_round.name not in xm_page
    sh_page = logged_in(sh_admin).get(reverse("applications:round_list")).content.decode()
    assert closed.name in sh_page and round_.name not in sh_page


@pytest.mark.django_db
def test_bureau_staff_of_another_bureau_get_404_on_a_round_and_its_applications(
    operator_user: Any, round_: Round, xiamen: Bureau
) -> None:
    application = application_create(space=load_example(operator_user), round=round_, by=operator_user)
    application_submit(application=application, pledge_accepted=True, by=operator_user, now=IN_TIME)
    reviewer = make_bureau_user(xiamen, "xm_reviewer", Role.REVIEWER)
    own = logged_in(reviewer)
    round_page = own.get(reverse("applications:round_detail", args=[round_.pk])).content.decode()
    assert str(application.space) in round_page
    assert own.get(reverse("applications:version_detail", args=[application.pk, 1])).status_code == 200
    assert own.get(reverse("applications:application_submit", args=[application.pk])).status_code == 404

    shanghai = Bureau.objects.create(name="上海市科学技术委员会", city="上海市")
    for role in (Role.BUREAU_ADMIN, Role.REVIEWER, Role.INSPECTOR):
        client = logged_in(make_bureau_user(shanghai, f"sh_{role}", role))
        for url in (
            reverse("applications:round_detail", args=[round_.pk]),
            reverse("applications:round_edit", args=[round_.pk]),
            reverse("applications:application_detail", args=[application.pk]),
            reverse("applications:application_history", args=[application.pk]),
            reverse("applications:version_detail", args=[application.pk, 1]),
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("applications:round_toggle", args=[round_.pk])).status_code == 404
        assert (
            str(application.space)
            not in client.get(reverse("applications:application_list")).content.decode()
        )


@pytest.mark.django_db
def test_bureau_does_not_see_an_operators_unsubmitted_draft(
    operator_user: Any, round_: Round, xm_admin: Any
) -> None:
    application = application_create(space=load_example(operator_user), round=round_, by=operator_user)
    assert (
        logged_in(xm_admin).get(reverse("applications:application_detail", args=[application.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_another_organisation_gets_404_on_every_operator_url(
    operator_user: Any, other_operator_user: Any, round_: Round
) -> None:
    space = load_example(operator_user)
    application = application_create(space=space, round=round_, by=operator_user)
    application_submit(application=application, pledge_accepted=True, by=operator_user, now=IN_TIME)
    other = logged_in(other_operator_user)
    for url in (
        reverse("applications:application_detail", args=[application.pk]),
        reverse("applications:application_submit", args=[application.pk]),
        reverse("applications:application_history", args=[application.pk]),
        reverse("applications:version_detail", args=[application.pk, 1]),
        reverse("applications:round_detail", args=[round_.pk]),
        reverse("checks:overview", args=[space.pk]),
        reverse("checks:policy", args=[space.pk, COMPREHENSIVE]),
        reverse("checks:evidence", args=[space.pk, COMPREHENSIVE]),
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(reverse("applications:application_withdraw", args=[application.pk])).status_code == 404
    assert (
        other.post(
            reverse("applications:application_submit", args=[application.pk]), {"pledge": "on"}
        ).status_code
        == 404
    )
    # creating an application for someone else's space is not offered and not accepted
    response = other.post(reverse("applications:application_create"), {"space": space.pk, "round": round_.pk})
    assert response.status_code == 200 and Application.objects.filter(space=space).count() == 1
    assert str(space) not in other.get(reverse("applications:application_list")).content.decode()
