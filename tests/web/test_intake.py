"""Intake of paper packets: in time or late under the round's deadline rule, and warnings outside hours."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from zhongchuang.accounts.models import Bureau, Role
from zhongchuang.applications.models import Application, Round
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.review.intake import receiving_warnings, timeliness
from zhongchuang.review.models import PaperReceipt
from zhongchuang.review.services import ReviewError, receipt_log

from .conftest import logged_in, make_bureau_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


def log(application: Application, by: Any, **kwargs: Any) -> Any:
    values = {
        "received_at": at(2025, 3, 24, 10, 0),
        "postmark_date": date(2025, 3, 21),
        "tracking_number": "EMS1234567890",
        "pages": 120,
    }
    return receipt_log(application, by=by, **{**values, **kwargs})


# --- the deadline rule ------------------------------------------------------------------------------


def test_a_postmark_on_the_deadline_day_is_received(
    submitted_application: Application, reviewer: Any
) -> None:
    outcome = log(submitted_application, reviewer, postmark_date=date(2025, 3, 21))
    submitted_application.refresh_from_db()
    assert outcome.step == "receive" and outcome.receipt.accepted
    assert submitted_application.status == "received"
    entry = AuditEntry.objects.filter(action=Action.RECEIPT_LOGGED).get()
    assert entry.actor == reviewer and entry.after["tracking_number"] == "EMS1234567890"


def test_a_postmark_the_day_after_the_deadline_is_refused_with_the_reason_and_kept(
    submitted_application: Application, reviewer: Any
) -> None:
    outcome = log(submitted_application, reviewer, postmark_date=date(2025, 3, 22))
    submitted_application.refresh_from_db()
    reason = "邮戳日期 2025-03-22 晚于截止日期 2025-03-21，逾期不予受理"
    assert submitted_application.status == "rejected"
    receipt = PaperReceipt.objects.get(application=submitted_application)
    assert not receipt.accepted and receipt.refusal_reason == reason
    transition_entry = AuditEntry.objects.filter(action=Action.APPLICATION_TRANSITION).latest("id")
    assert transition_entry.after["step"] == "refuse_late" and transition_entry.after["comment"] == reason
    assert AuditEntry.objects.filter(action=Action.RECEIPT_REFUSED, row_id=outcome.receipt.pk).exists()


@pytest.fixture
def received_rule_round(xiamen_bureau: Any, bureau_admin: Any) -> Round:
    from zhongchuang.applications.services import round_open

    return round_open(
        bureau=xiamen_bureau,
        name="2025年厦门市市级众创空间认定（以收到为准）",
        policy_id="xiamen-2025-comprehensive",
        notice_date=date(2025, 2, 20),
        deadline=date(2025, 3, 21),
        deadline_rule="received",
        reference_date=date(2025, 3, 21),
        by=bureau_admin,
    )


@pytest.mark.parametrize(
    ("received_at", "step"),
    [(at(2025, 3, 21, 23, 59, 59), "receive"), (at(2025, 3, 22, 0, 0, 0), "refuse_late")],
)
def test_under_the_received_rule_the_whole_deadline_day_counts(
    operator_user: Any, received_rule_round: Round, reviewer: Any, received_at: datetime, step: str
) -> None:
    from .conftest import submit_example

    application = submit_example(operator_user, received_rule_round)
    outcome = log(application, reviewer, received_at=received_at, postmark_date=None)
    assert outcome.step == step
    if step == "refuse_late":
        assert (
            outcome.receipt.refusal_reason
            == "收件日期 2025-03-22 晚于截止日期 2025-03-21（以收到为准），逾期不予受理"
        )


def test_the_received_rule_reads_the_shanghai_date_of_an_instant_given_in_utc() -> None:
    utc_evening = datetime(2025, 3, 21, 16, 0, tzinfo=ZoneInfo("UTC"))  # 2025-03-22 00:00 in Shanghai
    assert not timeliness(
        rule="received", deadline=date(2025, 3, 21), received_at=utc_evening, postmark_date=None
    ).in_time


# --- receiving hours: a warning, never a refusal ----------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "warning"),
    [
        (at(2025, 3, 24, 12, 30), "收件时间 12:30 不在收件时段（09:00-12:00,13:00-17:00）内"),
        (at(2025, 3, 22, 10, 0), "收件日期 2025-03-22（星期六）不是工作日，不在收件时间内"),
    ],
)
def test_a_receipt_outside_the_hours_warns_but_is_accepted(
    submitted_application: Application, reviewer: Any, received_at: datetime, warning: str
) -> None:
    outcome = log(submitted_application, reviewer, received_at=received_at)
    assert outcome.receipt.accepted and outcome.step == "receive"
    assert warning in outcome.receipt.warnings


def test_receipts_inside_the_hours_carry_no_warning() -> None:
    hours = "09:00-12:00,13:00-17:00"
    for moment in (
        at(2025, 3, 24, 9, 0),
        at(2025, 3, 24, 12, 0),
        at(2025, 3, 24, 13, 0),
        at(2025, 3, 24, 17, 0),
    ):
        assert receiving_warnings(hours, moment) == [], moment
    assert receiving_warnings(hours, at(2025, 3, 24, 8, 59)) != []
    assert receiving_warnings(hours, at(2025, 3, 24, 17, 1)) != []


# --- bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"postmark_date": date(2025, 3, 25)}, "postmark_date", "邮戳日期不能晚于收件日期"),
        (
            {"postmark_date": date(2099, 1, 1), "received_at": at(2025, 3, 24, 10)},
            "postmark_date",
            "邮戳日期不能晚于今天",
        ),
        ({"postmark_date": None}, "postmark_date", "本轮次以邮戳日期为准，请填写邮戳日期"),
        ({"received_at": at(2099, 1, 1, 10)}, "received_at", "收件时间不能晚于现在"),
    ],
)
def test_impossible_dates_are_refused_next_to_the_field_and_nothing_is_kept(
    submitted_application: Application, reviewer: Any, values: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ReviewError) as refused:
        log(submitted_application, reviewer, **values)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not PaperReceipt.objects.exists()
    submitted_application.refresh_from_db()
    assert submitted_application.status == "submitted"


def test_the_receipt_page_logs_a_packet_and_keeps_what_was_typed_on_error(
    submitted_application: Application, reviewer: Any
) -> None:
    client = logged_in(reviewer)
    url = reverse("review:receipt", args=[submitted_application.pk])
    form = {
        "received_at": "2025-03-24T10:00",
        "postmark_date": "2025-03-25",
        "tracking_number": "SF998877",
        "pages": "88",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "邮戳日期不能晚于收件日期" in page and 'value="SF998877"' in page
    response = client.post(url, {**form, "postmark_date": "2025-03-22"}, follow=True)
    page = response.content.decode()
    assert "逾期不予受理" in page and "SF998877" in page
    submitted_application.refresh_from_db()
    assert submitted_application.status == "rejected"
    # the refused packet stays on the case page too
    case = client.get(reverse("review:case", args=[submitted_application.pk])).content.decode()
    assert "邮戳日期 2025-03-22 晚于截止日期 2025-03-21" in case


def test_the_round_intake_lists_online_submissions_with_their_receipt_status(
    submitted_application: Application, reviewer: Any, xm_round: Round
) -> None:
    client = logged_in(reviewer)
    url = reverse("review:round_intake", args=[xm_round.pk])
    page = client.get(url).content.decode()
    assert str(submitted_application.space) in page and "未收到" in page
    log(submitted_application, reviewer, received_at=at(2025, 3, 24, 12, 30))
    page = client.get(url).content.decode()
    assert "已受理" in page and "2025-03-24 12:30" in page


def test_staff_of_another_bureau_and_operators_cannot_reach_intake_pages(
    submitted_application: Application, operator_user: Any, xm_round: Round
) -> None:
    shanghai = Bureau.objects.create(name="上海市科学技术委员会", city="上海市")
    outsider = make_bureau_user(shanghai, "sh_reviewer", Role.REVIEWER)
    for user in (outsider, operator_user):
        client = logged_in(user)
        assert client.get(reverse("review:receipt", args=[submitted_application.pk])).status_code == 404
        assert client.get(reverse("review:round_intake", args=[xm_round.pk])).status_code == 404
    with pytest.raises(ReviewError):
        log(submitted_application, outsider)


def test_a_year_the_calendar_does_not_cover_falls_back_to_weekdays_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from zhongchuang import workdays

    def not_covered(day: date, overrides: Any = None) -> bool:
        raise workdays.CalendarNotCovered(day.year)

    monkeypatch.setattr(workdays, "is_working_day", not_covered)
    warnings = receiving_warnings("09:00-12:00,13:00-17:00", at(2025, 3, 22, 10, 0))
    assert warnings[0] == "2025 年的法定节假日尚未收录，按周一至周五判断工作日"
    assert "收件日期 2025-03-22（星期六）不是工作日，不在收件时间内" in warnings
