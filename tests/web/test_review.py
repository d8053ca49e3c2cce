"""Formal review: verdicts beside the frozen evaluation, review items, corrections, resubmission and diff."""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from zhongchuang.accounts.models import Bureau, Role
from zhongchuang.applications.models import Application
from zhongchuang.applications.services import ApplicationError, application_submit
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.review import services
from zhongchuang.review.diff import version_diff
from zhongchuang.review.selectors import review_sheet
from zhongchuang.review.services import CorrectionEntry, ReviewError
from zhongchuang.workflow.services import TransitionRefused, refusals, transition

from .conftest import logged_in, make_bureau_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


# --- the diff, on plain dicts (no database) ---------------------------------------------------------

BEFORE = {
    "facts": {
        "as_of": "2025-03-21",
        "space": {"name": "鹭创众创空间", "address": "观日路34号"},
        "activities": [
            {"id": "A1", "title": "创业沙龙", "participants": 45, "evidence": ["D1"]},
            {"id": "A2", "title": "路演", "participants": 30, "evidence": []},
        ],
        "staff": [{"id": "S1", "name": "汪琳", "social_insurance": {"payer": "other"}}],
    },
    "evidence": [
        {"ref": "D1", "title": "签到表", "sha256": "a" * 64},
        {"ref": "D2", "title": "租赁合同", "sha256": "b" * 64},
    ],
    "evaluation": {
        "criteria": [
            {"id": "XM25-C-5", "title_zh": "负责人与服务团队", "status": "fail"},
            {"id": "XM25-C-7", "title_zh": "创业活动", "status": "pass"},
        ]
    },
}


def test_the_diff_names_rows_added_removed_and_changed_with_each_field_before_and_after() -> None:
    after = copy.deepcopy(BEFORE)
    after["facts"]["activities"][0]["participants"] = 60
    del after["facts"]["activities"][1]
    after["facts"]["activities"].append({"id": "A3", "title": "导师辅导", "participants": 12, "evidence": []})
    after["facts"]["staff"][0]["social_insurance"]["payer"] = "operator"
    after["facts"]["space"]["address"] = "观日路36号"
    diff = version_diff(BEFORE, after)
    tables = {t.table: t for t in diff.tables}
    assert set(tables) == {"activities", "staff", "space"}
    activities = tables["activities"]
    assert [r.key for r in activities.added] == ["A3"] and [r.key for r in activities.removed] == ["A2"]
    (changed,) = activities.changed
    assert (changed.key, changed.name) == ("A1", "创业沙龙")
    assert [(f.path, f.before, f.after) for f in changed.fields] == [("participants", 45, 60)]
    (staff,) = tables["staff"].changed
    assert [(f.path, f.before, f.after) for f in staff.fields] == [
        ("social_insurance.payer", "other", "operator")
    ]
    assert [(f.path, f.after) for f in tables["space"].changed[0].fields] == [("address", "观日路36号")]
    assert diff.evidence == [] and diff.criteria == []


def test_the_diff_names_evidence_by_hash_and_criteria_whose_status_changed() -> None:
    after = copy.deepcopy(BEFORE)
    after["evidence"] = [
        {"ref": "D1", "title": "签到表", "sha256": "c" * 64},
        {"ref": "D3", "title": "社保", "sha256": "d" * 64},
    ]
    after["evaluation"]["criteria"][0]["status"] = "needs_review"
    diff = version_diff(BEFORE, after)
    assert [(e.ref, e.before_sha256, e.after_sha256) for e in diff.evidence] == [
        ("D1", "a" * 64, "c" * 64),
        ("D2", "b" * 64, None),
        ("D3", None, "d" * 64),
    ]
    assert [(c.criterion_id, c.before, c.after) for c in diff.criteria] == [
        ("XM25-C-5", "fail", "needs_review")
    ]
    assert version_diff(BEFORE, copy.deepcopy(BEFORE)).empty


# --- formal review ----------------------------------------------------------------------------------


@pytest.fixture
def in_review(submitted_application: Application, reviewer: Any) -> Application:
    """Received on 2025-03-24 and in formal review from 2025-03-25 09:00."""
    services.receipt_log(
        submitted_application,
        received_at=at(2025, 3, 24, 10, 0),
        postmark_date=date(2025, 3, 20),
        tracking_number="EMS1",
        pages=100,
        by=reviewer,
        now=at(2025, 3, 24, 10, 5),
    )
    transition(submitted_application, "start_formal_review", by=reviewer, now=at(2025, 3, 25, 9, 0))
    return submitted_application


def agree_all(application: Application, by: Any, skip: str = "") -> None:
    sheet = review_sheet(application)
    assert sheet is not None
    for row in sheet.rows:
        if row.criterion.id != skip:
            services.criterion_verdict_give(
                application, criterion_id=row.criterion.id, verdict="agree", reason="", by=by
            )


def resolve_all(application: Application, by: Any, skip: str = "") -> None:
    sheet = review_sheet(application)
    assert sheet is not None
    for check_id in sheet.items_open:
        if check_id != skip:
            services.review_item_resolve(application, check_id=check_id, outcome="confirmed", note="", by=by)


@pytest.mark.django_db
def test_an_override_shows_next_to_the_engine_status_and_the_frozen_evaluation_is_unchanged(
    in_review: Application, reviewer: Any
) -> None:
    version = in_review.versions.get()
    frozen = copy.deepcopy(version.evaluation)
    client = logged_in(reviewer)
    url = reverse("review:criterion_verdict", args=[in_review.pk, "XM25-C-3"])
    response = client.post(
        url,
        {"XM25-C-3-verdict": "override_fail", "XM25-C-3-reason": "租赁合同面积为720平方米，不足1000平方米"},
    )
    assert response.status_code == 302
    page = client.get(reverse("review:formal_review", args=[in_review.pk])).content.decode()
    criterion = page[page.index('id="c-XM25-C-3"') : page.index('id="c-XM25-C-4"')]
    assert "待审核" in criterion  # the engine's status stays
    assert "改判为不符合" in criterion and "租赁合同面积为720平方米" in criterion
    version.refresh_from_db()
    assert version.evaluation == frozen
    entry = AuditEntry.objects.filter(action=Action.REVIEW_OVERRIDE).get()
    assert entry.after == {
        "version": 1,
        "criterion": "XM25-C-3",
        "engine_status": "needs_review",
        "verdict": "override_fail",
        "reason": "租赁合同面积为720平方米，不足1000平方米",
    }


@pytest.mark.django_db
def test_an_override_without_a_reason_is_refused_next_to_the_field_keeping_the_choice(
    in_review: Application, reviewer: Any
) -> None:
    client = logged_in(reviewer)
    url = reverse("review:criterion_verdict", args=[in_review.pk, "XM25-C-3"])
    response = client.post(url, {"XM25-C-3-verdict": "override_pass", "XM25-C-3-reason": " "})
    assert response.status_code == 200
    page = response.content.decode()
    assert "改判须填写理由" in page
    assert re.search(r'<input type="radio" name="XM25-C-3-verdict" value="override_pass"[^>]*checked', page)
    # with htmx only the criterion comes back
    response = client.post(url, {"XM25-C-3-verdict": "agree"}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<article") and "同意自检结果" in fragment and "<html" not in fragment


@pytest.mark.django_db
def test_pass_formal_review_is_refused_while_one_criterion_or_one_review_item_is_open(
    in_review: Application, reviewer: Any
) -> None:
    agree_all(in_review, reviewer, skip="XM25-C-9")
    resolve_all(in_review, reviewer, skip="XM25-C-2b")
    reasons = refusals(in_review, "pass_formal_review", by=reviewer)
    assert reasons == ["尚有 1 项条件未给出审核意见（XM25-C-9）", "尚有 1 项待审核事项未处理（XM25-C-2b）"]
    agree_all(in_review, reviewer)
    assert refusals(in_review, "pass_formal_review", by=reviewer) == [
        "尚有 1 项待审核事项未处理（XM25-C-2b）"
    ]
    with pytest.raises(ReviewError, match="核实不属实时须填写说明"):
        services.review_item_resolve(
            in_review, check_id="XM25-C-2b", outcome="not_confirmed", note="", by=reviewer
        )
    services.review_item_resolve(
        in_review, check_id="XM25-C-2b", outcome="not_confirmed", note="退出机制未写明24个月时限", by=reviewer
    )
    transition(in_review, "pass_formal_review", by=reviewer)
    in_review.refresh_from_db()
    assert in_review.status == "site_inspection"
    assert (
        AuditEntry.objects.filter(action=Action.REVIEW_ITEM_RESOLVED).count()
        == review_sheet(in_review).items_total
    )  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_review_page_shows_the_evaluation_next_to_downloadable_evidence(
    in_review: Application, reviewer: Any, operator_user: Any
) -> None:
    version = in_review.versions.get()
    doc = version.evidence[0]
    client = logged_in(reviewer)
    page = client.get(reverse("review:formal_review", args=[in_review.pk])).content.decode()
    evidence_url = reverse("review:evidence", args=[in_review.pk, doc["ref"]])
    assert evidence_url in page and doc["title"] in page
    assert "核对营业执照或法人证书的类型栏" in page  # what the reviewer must verify for XM25-C-1a
    download = client.get(evidence_url)
    assert download.status_code == 200 and download["Content-Type"] == doc["mime"]
    assert logged_in(operator_user).get(evidence_url).status_code == 404
    assert client.get(reverse("review:evidence", args=[in_review.pk, "D999999"])).status_code == 404


# --- corrections, resubmission, diff ----------------------------------------------------------------


def request_corrections(application: Application, by: Any, due: date = date(2025, 4, 3)) -> Any:
    return services.correction_request_create(
        application,
        items=[
            CorrectionEntry("补充近一年第1场活动的签到表，参加人数与签到表一致", "XM25-C-7", "activities"),
            CorrectionEntry("提供2025年2月专职管理人员社保缴交证明"),
        ],
        due_date=due,
        by=by,
        now=at(2025, 3, 28, 15, 0),
    )


def operator_panel(application: Application) -> str:
    return Template('{% include "review/_operator_panel.html" %}').render(
        Context({"application": application})
    )


@pytest.mark.django_db
def test_a_correction_request_lists_items_the_operator_sees_and_resubmission_counts_to_the_due_day(
    in_review: Application, reviewer: Any, operator_user: Any
) -> None:
    from zhongchuang.notifications.models import Message
    from zhongchuang.spaces.models import ROW_MODELS
    from zhongchuang.spaces.services import row_update

    request_corrections(in_review, reviewer)
    in_review.refresh_from_db()
    assert in_review.status == "correction_requested"
    panel = operator_panel(in_review)
    assert "补充近一年第1场活动的签到表" in panel and "提供2025年2月专职管理人员社保缴交证明" in panel
    assert "2025-04-03" in panel and "【近一年开展活动】" in panel
    message = Message.objects.filter(recipient=operator_user).latest("id")
    assert "1. [XM25-C-7 / 近一年开展活动] 补充近一年第1场活动的签到表" in message.body
    assert "2025-04-03" in message.body

    activity = ROW_MODELS["activities"].objects.filter(space=in_review.space).order_by("id").first()
    old_participants = activity.participants
    row_update(row=activity, values={"participants": old_participants + 15}, by=operator_user)
    with pytest.raises(ApplicationError, match="补正期限（2025-04-03 24:00，北京时间）已过"):
        application_submit(
            application=in_review, pledge_accepted=True, by=operator_user, now=at(2025, 4, 4, 0, 0, 0)
        )
    version = application_submit(
        application=in_review, pledge_accepted=True, by=operator_user, now=at(2025, 4, 3, 23, 59, 59)
    )
    in_review.refresh_from_db()
    assert version.number == 2 and in_review.status == "resubmitted"
    assert operator_panel(in_review).strip() == ""  # answered: nothing left to fix

    client = logged_in(reviewer)
    page = client.get(reverse("review:version_diff", args=[in_review.pk])).content.decode()
    assert "第1版与第2版的差异" in page and activity.title in page
    assert f"<del>{old_participants}</del>" in page and f"<ins>{old_participants + 15}</ins>" in page


@pytest.mark.django_db
def test_a_correction_request_needs_an_item_and_a_due_date_after_today(
    in_review: Application, reviewer: Any
) -> None:
    with pytest.raises(ReviewError) as refused:
        services.correction_request_create(
            in_review,
            items=[CorrectionEntry("  ")],
            due_date=date(2025, 4, 3),
            by=reviewer,
            now=at(2025, 3, 28, 9),
        )
    assert refused.value.field == "items"
    with pytest.raises(ReviewError) as refused:
        request_corrections(in_review, reviewer, due=date(2025, 3, 28))
    assert (refused.value.field, refused.value.message) == ("due_date", "补正期限须晚于今天")
    # the page keeps what was typed and names the field
    client = logged_in(reviewer)
    form = {
        "items-TOTAL_FORMS": "5",
        "items-INITIAL_FORMS": "0",
        "items-0-text": "补充场地平面图",
        "due_date": "2020-01-01",
    }
    page = client.post(reverse("review:correction_request", args=[in_review.pk]), form).content.decode()
    assert "补正期限须晚于今天" in page and "补充场地平面图" in page
    in_review.refresh_from_db()
    assert in_review.status == "formal_review"
    assert not AuditEntry.objects.filter(action=Action.CORRECTION_REQUESTED).exists()
    # request_correction cannot be taken without a request made in this formal review
    with pytest.raises(TransitionRefused, match="请先填写需补正的事项和补正期限"):
        transition(in_review, "request_correction", by=reviewer, comment="补正")


@pytest.mark.django_db
def test_verdicts_on_the_old_version_do_not_count_for_the_new_one_but_show_as_hints(
    in_review: Application, reviewer: Any, operator_user: Any
) -> None:
    agree_all(in_review, reviewer)
    resolve_all(in_review, reviewer)
    request_corrections(in_review, reviewer)
    application_submit(application=in_review, pledge_accepted=True, by=operator_user, now=at(2025, 4, 1, 10))
    transition(in_review, "start_formal_review", by=reviewer, now=at(2025, 4, 2, 9))
    reasons = refusals(in_review, "pass_formal_review", by=reviewer)
    assert reasons[0].startswith("尚有 9 项条件未给出审核意见") and reasons[1].startswith(
        "尚有 15 项待审核事项未处理"
    )
    page = logged_in(reviewer).get(reverse("review:formal_review", args=[in_review.pk])).content.decode()
    assert "第1版的审核意见（仅供参考，不计入本版）" in page
    # and a new request in this review is needed before asking for corrections again
    assert "请先填写需补正的事项和补正期限" in refusals(
        in_review, "request_correction", by=reviewer, comment="x"
    )


# --- the case page and who may see it ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_case_page_shows_state_version_actions_and_receipts(
    in_review: Application, reviewer: Any
) -> None:
    page = logged_in(reviewer).get(reverse("review:case", args=[in_review.pk])).content.decode()
    assert str(in_review.space) in page and "形式审核中" in page and "第1版" in page
    assert "可执行的操作" in page and "形式审核通过" in page and "要求补正" in page
    assert "EMS1" in page  # the receipt
    assert reverse("review:correction_request", args=[in_review.pk]) in page


@pytest.mark.django_db
def test_optional_include_renders_a_panel_that_exists_and_nothing_for_one_that_does_not() -> None:
    template = Template(
        '{% load review_tags %}[{% optional_include "inspection/_no_such_panel.html" %}]'
        '{% optional_include "review/_verdict.html" %}'
    )
    html = template.render(Context({"verdict": None, "request": RequestFactory().get("/")}))
    assert html.startswith("[]") and "未审核" in html


@pytest.mark.django_db
def test_a_reviewer_of_another_bureau_and_the_operator_get_404_on_every_review_page(
    in_review: Application, operator_user: Any
) -> None:
    shanghai = Bureau.objects.create(name="上海市科学技术委员会", city="上海市")
    outsider = make_bureau_user(shanghai, "sh_reviewer", Role.REVIEWER)
    pages = [
        reverse(name, args=[in_review.pk])
        for name in (
            "review:case",
            "review:formal_review",
            "review:correction_request",
            "review:version_diff",
        )
    ]
    for user in (outsider, operator_user):
        client = logged_in(user)
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
        post = client.post(
            reverse("review:criterion_verdict", args=[in_review.pk, "XM25-C-1"]),
            {"XM25-C-1-verdict": "agree"},
        )
        assert post.status_code == 404
    with pytest.raises(ReviewError):
        services.criterion_verdict_give(
            in_review, criterion_id="XM25-C-1", verdict="agree", reason="", by=outsider
        )
