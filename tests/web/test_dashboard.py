"""The inbox, the staff dashboard and round statistics, as staff and operators see them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from zhongchuang.accounts.models import Bureau, Role
from zhongchuang.applications.models import Application
from zhongchuang.applications.services import round_open
from zhongchuang.notifications.models import Message
from zhongchuang.notifications.services import notify
from zhongchuang.workflow.guards import GUARDS
from zhongchuang.workflow.services import transition

from .conftest import logged_in, make_bureau_user, make_operator, put_in_state, submit_example

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOME = reverse("dashboard:home")
INBOX = reverse("dashboard:inbox")


def at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def third_operator_user(db: Any) -> Any:
    return make_operator("厦门康创生物科技有限公司", "91350200MA2Y00003", "third")


@pytest.fixture
def three_applications(
    operator_user: Any, other_operator_user: Any, third_operator_user: Any, xm_round: Any
) -> list[Any]:
    """鹭创 (passes the self-check), 鹭创 again under another operator (fails lease and area), 康创 (specialized facts)."""
    return [
        submit_example(operator_user, xm_round, "xiamen-comprehensive-pass"),
        submit_example(other_operator_user, xm_round, "xiamen-fails-lease-and-area"),
        submit_example(third_operator_user, xm_round, "xiamen-specialized-pass"),
    ]


@pytest.fixture
def shanghai_application(db: Any) -> Any:
    """An application to another bureau, which Xiamen staff must never count or see."""
    bureau = Bureau.objects.create(name="上海市科学技术委员会", city="上海市")
    admin = make_bureau_user(bureau, "sh_admin", Role.BUREAU_ADMIN)
    round_ = round_open(
        bureau=bureau,
        name="2025年上海测试轮次",
        policy_id="xiamen-2025-comprehensive",
        notice_date=date(2025, 2, 20),
        deadline=date(2025, 3, 21),
        deadline_rule="postmark",
        reference_date=date(2025, 3, 21),
        by=admin,
    )
    operator = make_operator("上海外地科技有限公司", "91310000MA1K00009", "shanghai_op")
    return submit_example(operator, round_, "xiamen-comprehensive-pass")


def tiles(response: Any) -> dict[str, int]:
    return {state.id: count for state, _label, count in response.context["tiles"]}


def listed(response: Any) -> list[int]:
    return [application.pk for application in response.context["page"]]


# --- who may see what ----------------------------------------------------------------------------------


def test_operators_get_404_on_every_staff_dashboard_page(operator_user: Any, xm_round: Any) -> None:
    client = logged_in(operator_user)
    assert client.get(HOME).status_code == 404
    assert client.get(reverse("dashboard:round_stats", args=[xm_round.pk])).status_code == 404


def test_another_bureaus_round_statistics_are_404(shanghai_application: Any, reviewer: Any) -> None:
    response = logged_in(reviewer).get(reverse("dashboard:round_stats", args=[shanghai_application.round_id]))
    assert response.status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client: Any, xm_round: Any) -> None:
    for url in (HOME, INBOX, reverse("dashboard:round_stats", args=[xm_round.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- tiles, search and filters -----------------------------------------------------------------------------


def test_tiles_count_the_bureaus_applications_per_state_and_never_another_bureaus(
    three_applications: list[Any], shanghai_application: Any, reviewer: Any
) -> None:
    _first, second, third = three_applications
    put_in_state(second, "formal_review")
    put_in_state(third, "formal_review")
    put_in_state(shanghai_application, "formal_review")

    response = logged_in(reviewer).get(HOME)

    assert response.status_code == 200
    counts = tiles(response)
    assert counts["submitted"] == 1 and counts["formal_review"] == 2
    assert sum(counts.values()) == 3
    assert "draft" not in counts
    text = response.content.decode()
    assert "形式审核中" in text and "?state=formal_review#applications" in text
    assert shanghai_application.pk not in listed(response)


def test_a_tile_opens_the_list_filtered_to_its_state(three_applications: list[Any], reviewer: Any) -> None:
    second = three_applications[1]
    put_in_state(second, "correction_requested")

    response = logged_in(reviewer).get(HOME, {"state": "correction_requested"})

    assert listed(response) == [second.pk]
    assert response.context["total"] == 1


def test_search_finds_an_application_by_space_name(three_applications: list[Any], reviewer: Any) -> None:
    response = logged_in(reviewer).get(HOME, {"q": "康创体外诊断"})
    assert listed(response) == [three_applications[2].pk]
    assert "康创体外诊断众创空间" in response.content.decode()


def test_search_finds_an_application_by_the_operators_uscc_in_any_case(
    three_applications: list[Any], other_operator_user: Any, reviewer: Any
) -> None:
    uscc = other_operator_user.membership.organisation.uscc
    response = logged_in(reviewer).get(HOME, {"q": uscc.lower()})
    assert listed(response) == [three_applications[1].pk]


def test_search_by_operator_name_and_no_match(three_applications: list[Any], reviewer: Any) -> None:
    client = logged_in(reviewer)
    assert listed(client.get(HOME, {"q": "他山"})) == [three_applications[1].pk]
    response = client.get(HOME, {"q": "不存在的空间"})
    assert listed(response) == []
    assert "没有符合条件的申报。" in response.content.decode()


def test_a_wrong_filter_value_is_reported_beside_its_field_and_the_search_is_kept(
    three_applications: list[Any], reviewer: Any
) -> None:
    response = logged_in(reviewer).get(HOME, {"q": "康创", "state": "nonsense"})
    text = response.content.decode()
    assert "没有这个选项，请重新选择" in text
    assert 'value="康创"' in text
    assert listed(response) == [three_applications[2].pk]  # the valid part still applies


def test_filter_by_round_of_another_bureau_is_refused(
    three_applications: list[Any], shanghai_application: Any, reviewer: Any
) -> None:
    response = logged_in(reviewer).get(HOME, {"round": shanghai_application.round_id})
    assert "请选择本部门的申报轮次" in response.content.decode()
    assert shanghai_application.pk not in listed(response)


def test_reviewer_queue_holds_the_formal_review_states_only(
    three_applications: list[Any], reviewer: Any
) -> None:
    first, second, third = three_applications
    put_in_state(first, "received")
    put_in_state(second, "resubmitted")
    put_in_state(third, "site_inspection")
    client = logged_in(reviewer)

    assert set(listed(client.get(HOME, {"queue": "review"}))) == {first.pk, second.pk}
    assert listed(client.get(HOME, {"queue": "inspection"})) == [third.pk]


def test_sorting_by_time_in_state_puts_the_longest_waiting_first(
    three_applications: list[Any], reviewer: Any
) -> None:
    first, second, third = three_applications
    for application, day in ((first, 12), (second, 3), (third, 20)):
        Application.objects.filter(pk=application.pk).update(status_changed_at=at(day))
    client = logged_in(reviewer)

    assert listed(client.get(HOME, {"sort": "waiting"})) == [second.pk, first.pk, third.pk]
    assert listed(client.get(HOME, {"sort": "recent"})) == [third.pk, first.pk, second.pk]


def test_submitted_applications_show_the_rounds_postmark_deadline(
    submitted_application: Any, reviewer: Any
) -> None:
    response = logged_in(reviewer).get(HOME)
    text = response.content.decode()
    assert "2025-03-21" in text and "寄出截止" in text


def test_each_row_links_to_the_staff_case_page(submitted_application: Any, reviewer: Any) -> None:
    from django.urls import NoReverseMatch

    try:
        expected = reverse("review:case", args=[submitted_application.pk])
    except NoReverseMatch:
        expected = reverse("applications:application_detail", args=[submitted_application.pk])
    assert f'href="{expected}"' in logged_in(reviewer).get(HOME).content.decode()


def test_the_reviewer_who_started_the_review_handles_it_and_sees_it_under_mine(
    submitted_application: Any, reviewer: Any, bureau_admin: Any
) -> None:
    put_in_state(submitted_application, "received")
    transition(submitted_application, "start_formal_review", by=reviewer, now=at(12))

    response = logged_in(reviewer).get(HOME, {"mine": "on"})

    assert listed(response) == [submitted_application.pk]
    workload = {row.user.username: row.open_count for row in response.context["workload"]}
    assert workload["xm_reviewer"] == 1 and workload["xm_admin"] == 0
    assert listed(logged_in(bureau_admin).get(HOME, {"mine": "on"})) == []


def test_the_dashboard_makes_a_bounded_number_of_queries(
    xm_round: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(reviewer)
    operators = [make_operator(f"厦门第{n}科技有限公司", f"91350200MA2Y1000{n}", f"op{n}") for n in range(6)]
    for operator in operators[:2]:
        submit_example(operator, xm_round)
    client.get(HOME)  # warm the session
    with django_assert_max_num_queries(25) as few:  # whatever the header and other apps add: a fixed number
        client.get(HOME)
    for operator in operators[2:]:
        submit_example(operator, xm_round)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(HOME)
    assert response.context["total"] == 6


# --- round statistics ------------------------------------------------------------------------------------


def test_round_statistics_count_received_applications_and_states(
    three_applications: list[Any], reviewer: Any, monkeypatch: Any
) -> None:
    """Received = the paper packet was logged (the receive step), whatever happened afterwards."""
    first, second, third = three_applications
    # the receipt itself (and its guard) is the review app's: here only its trace in the log matters
    monkeypatch.setitem(GUARDS, "receipt_accepted", lambda application, now: None)
    transition(first, "receive", by=reviewer, now=at(24))
    transition(second, "receive", by=reviewer, now=at(24))
    put_in_state(second, "certified")
    put_in_state(third, "rejected")

    response = logged_in(reviewer).get(reverse("dashboard:round_stats", args=[first.round_id]))

    stats = response.context["stats"]
    assert (stats.submitted, stats.received, stats.certified, stats.rejected) == (3, 2, 1, 1)
    assert stats.count("received") == 1 and stats.count("submitted") == 0
    text = response.content.decode()
    assert "已认定" in text and 'id="round-chart-data"' in text
    assert "vendor/echarts.min.js" in text and "dashboard/charts.js" in text


# The three frozen evaluations, criterion by criterion (from `zc evaluate … --policy xiamen-2025-comprehensive`):
#            C-1  C-2  C-3   C-4   C-5  C-6  C-7   C-8   C-9
#   鹭创 pass  nr   nr   nr    nr    nr   nr   pass  pass  nr
#   鹭创 fails nr   nr   fail  nr    nr   nr   pass  pass  nr
#   康创       nr   nr   fail  fail  nr   nr   pass  pass  nr
NR3 = {"pass": 0, "needs_review": 3, "missing_data": 0, "fail": 0}
HAND_COUNTED: dict[str, dict[str, int]] = {
    "XM25-C-1": NR3,
    "XM25-C-2": NR3,
    "XM25-C-3": {"pass": 0, "needs_review": 1, "missing_data": 0, "fail": 2},
    "XM25-C-4": {"pass": 0, "needs_review": 2, "missing_data": 0, "fail": 1},
    "XM25-C-5": NR3,
    "XM25-C-6": NR3,
    "XM25-C-7": {"pass": 3, "needs_review": 0, "missing_data": 0, "fail": 0},
    "XM25-C-8": {"pass": 3, "needs_review": 0, "missing_data": 0, "fail": 0},
    "XM25-C-9": NR3,
}


def test_pass_rates_per_criterion_equal_the_hand_counted_figures(
    three_applications: list[Any], reviewer: Any
) -> None:
    """Per criterion, the statuses of the three frozen evaluations (鹭创 passes, 鹭创 fails lease and area,
    康创 has specialized facts), counted by hand from the three version pages."""
    response = logged_in(reviewer).get(
        reverse("dashboard:round_stats", args=[three_applications[0].round_id])
    )

    figures = {row.id: row.counts for row in response.context["stats"].criteria}
    assert figures == HAND_COUNTED
    c3 = next(row for row in response.context["stats"].criteria if row.id == "XM25-C-3")
    assert c3.title == "场地"
    assert c3.share("fail") == 66.7 and c3.share("needs_review") == 33.3
    text = response.content.decode()
    assert "XM25-C-3" in text and "2（66.7%）" in text


def test_withdrawn_applications_leave_the_criteria_figures(
    three_applications: list[Any], reviewer: Any
) -> None:
    put_in_state(three_applications[1], "withdrawn")
    response = logged_in(reviewer).get(
        reverse("dashboard:round_stats", args=[three_applications[0].round_id])
    )
    stats = response.context["stats"]
    assert stats.evaluated == 2 and stats.submitted == 3


def test_round_statistics_make_a_bounded_number_of_queries(
    xm_round: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(reviewer)
    url = reverse("dashboard:round_stats", args=[xm_round.pk])
    operators = [make_operator(f"厦门第{n}科技有限公司", f"91350200MA2Y1000{n}", f"op{n}") for n in range(5)]
    submit_example(operators[0], xm_round)
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for operator in operators[1:]:
        submit_example(operator, xm_round)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["stats"].evaluated == 5


# --- inbox ---------------------------------------------------------------------------------------------


def test_the_operator_finds_the_withdrawal_in_the_inbox_and_reads_it(
    submitted_application: Any, operator_user: Any
) -> None:
    Message.objects.filter(recipient=operator_user).update(read_at=at(10, 11))  # the submission message, read
    transition(submitted_application, "withdraw", by=operator_user, comment="材料有误", now=at(11))
    client = logged_in(operator_user)

    response = client.get(INBOX)

    text = response.content.decode()
    assert "已撤回" in text and "未读消息 1 条" in text
    first = response.context["page"][0]
    assert first.read_at is None and "已撤回" in first.subject  # unread first
    detail = client.get(reverse("dashboard:message_detail", args=[first.pk]))
    assert "材料有误" in detail.content.decode()
    assert (
        reverse("applications:application_detail", args=[submitted_application.pk]) in detail.content.decode()
    )
    first.refresh_from_db()
    assert first.read_at is not None
    assert "未读消息 0 条" in client.get(INBOX).content.decode()


def test_marking_one_and_all_messages_read(operator_user: Any, bureau_admin: Any) -> None:
    for n in range(3):
        notify([operator_user], subject=f"第{n}条通知", body="正文")
    notify([bureau_admin], subject="工作人员的消息", body="正文")
    client = logged_in(operator_user)
    mine = list(Message.objects.filter(recipient=operator_user))

    response = client.post(reverse("dashboard:message_read", args=[mine[0].pk]))
    assert response.status_code == 302
    assert Message.objects.filter(recipient=operator_user, read_at__isnull=True).count() == 2

    client.post(reverse("dashboard:inbox_read_all"))
    assert not Message.objects.filter(recipient=operator_user, read_at__isnull=True).exists()
    assert Message.objects.get(recipient=bureau_admin).read_at is None  # someone else's stays unread


def test_another_users_message_is_404(operator_user: Any, other_operator_user: Any) -> None:
    notify([other_operator_user], subject="别人的消息", body="正文")
    theirs = Message.objects.get(recipient=other_operator_user)
    client = logged_in(operator_user)
    assert client.get(reverse("dashboard:message_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("dashboard:message_read", args=[theirs.pk])).status_code == 404
    assert "别人的消息" not in client.get(INBOX).content.decode()


def test_staff_have_an_inbox_too(bureau_admin: Any) -> None:
    notify([bureau_admin], subject="新的异议", body="请处理")
    response = logged_in(bureau_admin).get(INBOX)
    assert response.status_code == 200 and "新的异议" in response.content.decode()


def test_the_unread_count_for_the_header(operator_user: Any, rf: Any) -> None:
    from zhongchuang.dashboard.context import unread_messages

    notify([operator_user], subject="一", body="正文")
    notify([operator_user], subject="二", body="正文")
    request = rf.get("/")
    request.user = operator_user
    assert unread_messages(request)["unread_message_count"]() == 2


# --- dates and assignments kept by the review and inspection apps ---------------------------------------


def test_a_correction_due_date_is_the_deadline_and_sorts_before_later_ones(
    three_applications: list[Any], reviewer: Any
) -> None:
    from zhongchuang.review.models import CorrectionRequest

    first, second, _third = three_applications
    put_in_state(second, "correction_requested")
    CorrectionRequest.objects.create(
        application=second,
        version_number=1,
        due_date=date(2025, 3, 15),
        created_by=reviewer,
        created_at=at(5),
    )

    response = logged_in(reviewer).get(HOME, {"sort": "deadline"})

    rows = list(response.context["page"])
    assert rows[0].pk == second.pk and rows[0].deadline.date == date(2025, 3, 15)
    assert next(row for row in rows if row.pk == first.pk).deadline.date == date(2025, 3, 21)
    assert "补正截止" in response.content.decode()


def test_an_inspector_sees_the_applications_assigned_to_them_with_the_planned_date(
    three_applications: list[Any], inspector: Any, bureau_admin: Any
) -> None:
    from zhongchuang.inspection.models import Assignment, Inspection

    first = put_in_state(three_applications[0], "site_inspection")
    put_in_state(three_applications[1], "site_inspection")
    inspection = Inspection.objects.create(
        application=first,
        planned_on=date(2025, 4, 8),
        version_number=1,
        policy_id="xiamen-2025-comprehensive",
        policy_version="x",
        created_by=bureau_admin,
        created_at=at(1, month=4),
    )
    Assignment.objects.create(
        inspection=inspection, inspector=inspector, assigned_by=bureau_admin, assigned_at=at(1, month=4)
    )

    response = logged_in(inspector).get(HOME, {"queue": "inspection", "mine": "on"})

    assert listed(response) == [first.pk]
    assert response.context["page"][0].deadline.date == date(2025, 4, 8)
    workload = {row.user.username: row.open_count for row in response.context["workload"]}
    assert workload["xm_inspector"] == 1


def test_the_header_links_show_the_unread_count_and_the_staff_dashboard(bureau_admin: Any, rf: Any) -> None:
    from django.template.loader import render_to_string

    from zhongchuang.dashboard.context import unread_messages

    notify([bureau_admin], subject="一", body="正文")
    request = rf.get("/")
    request.user = bureau_admin
    html = render_to_string(
        "dashboard/_nav.html", {"membership": bureau_admin.membership, **unread_messages(request)}
    )
    assert reverse("dashboard:inbox") in html and reverse("dashboard:home") in html
    assert ">1</span>" in html
