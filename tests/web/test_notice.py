"""Public notice (公示) and objections: the window in working days, the public pages, objections at the
window's edges, the rate limit, and no certification while the window is open or an objection is open."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhongchuang.accounts.models import Bureau, Role
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.notice import services
from zhongchuang.notice.models import CalendarOverride, CoveredYear, Objection, PublicNotice
from zhongchuang.notice.services import NoticeError, Upload, notice_publish, objection_handle, objection_lodge
from zhongchuang.notifications.models import Message
from zhongchuang.workflow.services import TransitionRefused, refusals, transition

from .conftest import logged_in, make_bureau_user, put_in_state

SH = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SH)  # type: ignore[misc]


@pytest.fixture
def proposed(submitted_application: Any) -> Any:
    return put_in_state(submitted_application, "proposed")


@pytest.fixture
def published(proposed: Any, xm_round: Any, bureau_admin: Any) -> PublicNotice:
    """Published on Sunday 2025-11-02 for Monday 2025-11-03, 5 working days → Friday 2025-11-07."""
    return notice_publish(
        round=xm_round, start_date=date(2025, 11, 3), by=bureau_admin, now=at(2025, 11, 2, 10)
    )


@pytest.fixture
def open_now(proposed: Any, xm_round: Any, bureau_admin: Any) -> PublicNotice:
    """A notice whose window is open at the real present (the pages read the clock)."""
    today = timezone.now().astimezone(SH).date()
    return notice_publish(round=xm_round, start_date=today, by=bureau_admin, working_days=20)


def lodge(notice: PublicNotice, now: datetime, **overrides: Any) -> Objection:
    values: dict[str, Any] = {
        "notice": notice,
        "entries": list(notice.entries.all()),
        "lodger_name": "李四",
        "phone": "13900000000",
        "email": "lisi@example.com",
        "reasons": "场地面积与实际不符",
        "declared": True,
        "now": now,
    }
    return objection_lodge(**{**values, **overrides})


def objection_post(notice: PublicNotice, **overrides: Any) -> dict[str, Any]:
    data = {
        "entries": [entry.pk for entry in notice.entries.all()],
        "lodger_name": "王五",
        "phone": "0592-2031315",
        "email": "wangwu@example.com",
        "reasons": "该空间在孵企业数量不实",
        "declared": "on",
    }
    data.update(overrides)
    return data


# --- publishing --------------------------------------------------------------------------------------


def test_publishing_computes_the_end_in_working_days_and_puts_the_application_on_notice(
    published: PublicNotice, proposed: Any
) -> None:
    assert (published.start_date, published.end_date, published.working_days) == (
        date(2025, 11, 3),
        date(2025, 11, 7),
        5,
    )
    proposed.refresh_from_db()
    assert proposed.status == "public_notice"
    entry = published.entries.get()
    assert entry.application == proposed and entry.certified_type == "综合型"
    assert entry.space_name == str(proposed.space)
    assert AuditEntry.objects.filter(action=Action.NOTICE_PUBLISHED, row_id=published.pk).exists()


def test_a_notice_starting_on_a_saturday_counts_from_monday(
    proposed: Any, xm_round: Any, bureau_admin: Any
) -> None:
    notice = notice_publish(
        round=xm_round, start_date=date(2025, 11, 1), by=bureau_admin, now=at(2025, 10, 31, 9)
    )
    assert notice.end_date == date(2025, 11, 7)


def test_publishing_is_refused_without_a_proposed_application(
    submitted_application: Any, xm_round: Any, bureau_admin: Any
) -> None:
    with pytest.raises(NoticeError, match="没有拟认定"):
        notice_publish(round=xm_round, start_date=date(2025, 11, 3), by=bureau_admin, now=at(2025, 11, 2, 10))


def test_publishing_is_refused_for_a_start_in_the_past(
    proposed: Any, xm_round: Any, bureau_admin: Any
) -> None:
    with pytest.raises(NoticeError, match="不能早于今天"):
        notice_publish(
            round=xm_round, start_date=date(2025, 11, 2), by=bureau_admin, now=at(2025, 11, 3, 0, 0)
        )
    proposed.refresh_from_db()
    assert proposed.status == "proposed" and not PublicNotice.objects.exists()


def test_a_window_ending_on_2026_12_31_is_computed(proposed: Any, xm_round: Any, bureau_admin: Any) -> None:
    notice = notice_publish(
        round=xm_round, start_date=date(2026, 12, 25), by=bureau_admin, now=at(2026, 12, 1, 9)
    )
    assert notice.end_date == date(2026, 12, 31)


def test_a_window_crossing_into_2027_is_refused_until_the_year_is_entered_and_declared(
    proposed: Any, xm_round: Any, bureau_admin: Any
) -> None:
    with pytest.raises(NoticeError, match="工作日历未覆盖 2027 年"):
        notice_publish(round=xm_round, start_date=date(2026, 12, 28), by=bureau_admin, now=at(2026, 12, 1, 9))
    services.calendar_override_save(
        override=CalendarOverride(date=date(2027, 1, 1), is_working_day=False, name="2027年元旦"),
        by=bureau_admin,
    )
    with pytest.raises(NoticeError, match="2027"):  # one holiday entered is not the whole year
        notice_publish(round=xm_round, start_date=date(2026, 12, 28), by=bureau_admin, now=at(2026, 12, 1, 9))
    services.covered_year_save(covered=CoveredYear(year=2027, note="国办发明电〔2026〕X号"), by=bureau_admin)
    notice = notice_publish(
        round=xm_round, start_date=date(2026, 12, 28), by=bureau_admin, now=at(2026, 12, 1, 9)
    )
    assert notice.end_date == date(2027, 1, 4)
    assert AuditEntry.objects.filter(action=Action.CALENDAR_OVERRIDE).count() == 2


def test_the_publish_page_shows_the_calendar_refusal_next_to_the_date_and_keeps_the_text(
    proposed: Any, bureau_admin: Any
) -> None:
    url = reverse("notice:application_notice", args=[proposed.pk])
    client = logged_in(bureau_admin)
    page = client.get(url)
    assert page.status_code == 200 and "发布公示" in page.content.decode()
    data = {
        "title": "我的标题",
        "start_date": "2026-12-28",
        "working_days": "5",
        "body": "咨询电话：0592-1234567",
    }
    page = client.post(url, data)
    text = page.content.decode()
    assert page.status_code == 200
    assert "工作日历未覆盖 2027 年" in text and "我的标题" in text and "0592-1234567" in text


def test_the_publish_page_publishes_and_shows_the_window(proposed: Any, bureau_admin: Any) -> None:
    today = timezone.now().astimezone(SH).date()
    client = logged_in(bureau_admin)
    page = client.post(
        reverse("notice:application_notice", args=[proposed.pk]),
        {
            "title": "拟认定名单公示",
            "start_date": today.isoformat(),
            "working_days": "5",
            "body": "咨询电话：略",
        },
        follow=True,
    )
    assert page.status_code == 200 and "公示期：" in page.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == "public_notice"


def test_the_publish_page_is_for_the_bureau_admin_of_that_bureau_only(
    proposed: Any, reviewer: Any, operator_user: Any
) -> None:
    url = reverse("notice:application_notice", args=[proposed.pk])
    assert logged_in(reviewer).get(url).status_code == 403
    assert logged_in(operator_user).get(url).status_code == 404
    other = make_bureau_user(
        Bureau.objects.create(name="泉州市科学技术局", city="泉州市"), "qz_admin", Role.BUREAU_ADMIN
    )
    assert logged_in(other).get(url).status_code == 404


# --- public pages --------------------------------------------------------------------------------------


def test_public_pages_open_without_login_and_show_the_window_and_the_list(published: PublicNotice) -> None:
    client = Client()
    listing = client.get(reverse("notice:notice_list"))
    assert listing.status_code == 200 and published.title in listing.content.decode()
    page = client.get(reverse("notice:notice_detail", args=[published.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "公示期：2025年11月3日至11月7日（5个工作日）" in text
    entry = published.entries.get()
    assert entry.space_name in text and entry.operator_name in text and "综合型" in text
    assert "已结束" in text and "提出异议" not in text.split("</h1>")[1].split("warning-summary")[0]


def test_public_pages_show_no_objector_contacts_and_no_evidence(
    open_now: PublicNotice, proposed: Any
) -> None:
    lodge(open_now, timezone.now())
    text = Client().get(reverse("notice:notice_detail", args=[open_now.pk])).content.decode()
    assert "13900000000" not in text and "lisi@example.com" not in text and "李四" not in text
    assert "/evidence/" not in text and "sha256" not in text


def test_an_unknown_notice_is_404(db: Any) -> None:
    assert Client().get(reverse("notice:notice_detail", args=[999])).status_code == 404


# --- objections --------------------------------------------------------------------------------------


def test_an_objection_at_23_59_59_of_the_end_date_is_accepted(published: PublicNotice) -> None:
    objection = lodge(published, at(2025, 11, 7, 23, 59, 59))
    assert objection.accepted and objection.not_accepted_reason == ""


def test_an_objection_at_midnight_after_the_end_date_is_recorded_as_not_accepted(
    published: PublicNotice,
) -> None:
    objection = lodge(published, at(2025, 11, 8, 0, 0, 0))
    assert Objection.objects.filter(pk=objection.pk).exists()
    assert not objection.accepted and objection.not_accepted_reason == "超过公示期的异议不予受理"
    entry = AuditEntry.objects.get(action=Action.OBJECTION_LODGED, row_id=objection.pk)
    assert entry.after["accepted"] is False and "13900000000" not in str(entry.after)


def test_a_late_objection_through_the_page_is_kept_and_the_lodger_is_told(published: PublicNotice) -> None:
    page = Client().post(reverse("notice:notice_detail", args=[published.pk]), objection_post(published))
    assert page.status_code == 200
    assert "超过公示期的异议不予受理" in page.content.decode()
    assert Objection.objects.get().accepted is False


def test_an_objection_through_the_page_is_accepted_with_its_file_and_the_admins_are_told(
    open_now: PublicNotice, bureau_admin: Any
) -> None:
    data = objection_post(open_now)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data["files"] = [SimpleUploadedFile("照片.pdf", PDF, content_type="application/pdf")]
    page = Client().post(reverse("notice:notice_detail", args=[open_now.pk]), data)
    assert page.status_code == 200 and "已受理" in page.content.decode()
    objection = Objection.objects.get()
    assert objection.accepted and objection.files.get().mime == "application/pdf"
    assert Message.objects.filter(recipient=bureau_admin, subject__contains="收到异议").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reasons": ""}, "这个字段是必填项"),
        ({"phone": "2031315", "email": ""}, "固定电话请加区号"),
        ({"phone": "", "email": ""}, "请至少填写联系电话或电子邮箱"),
        ({"declared": ""}, "请确认所提异议属实并已署名"),
        ({"entries": []}, "请选择异议针对的众创空间"),
    ],
)
def test_bad_objection_input_is_shown_next_to_the_field_and_kept(
    open_now: PublicNotice, change: dict[str, Any], message: str
) -> None:
    page = Client().post(
        reverse("notice:notice_detail", args=[open_now.pk]), objection_post(open_now, **change)
    )
    text = page.content.decode()
    assert page.status_code == 200 and message in text and "王五" in text
    assert not Objection.objects.exists()


def test_a_file_that_is_not_really_a_pdf_is_refused(open_now: PublicNotice) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = objection_post(open_now)
    data["files"] = [SimpleUploadedFile("伪装.pdf", b"MZ not a pdf", content_type="application/pdf")]
    page = Client().post(reverse("notice:notice_detail", args=[open_now.pk]), data)
    assert "不是 PDF、JPEG 或 PNG 文件" in page.content.decode()
    assert not Objection.objects.exists()


def test_a_sixth_objection_in_an_hour_from_one_address_gets_a_429_page(open_now: PublicNotice) -> None:
    cache.clear()
    client, url = Client(), reverse("notice:notice_detail", args=[open_now.pk])
    for _ in range(5):
        assert client.post(url, objection_post(open_now)).status_code == 200
    page = client.post(url, objection_post(open_now))
    assert page.status_code == 429 and "一小时内最多提交 5 件异议" in page.content.decode()
    assert Objection.objects.count() == 5
    assert Client(REMOTE_ADDR="10.0.0.9").post(url, objection_post(open_now)).status_code == 200


# --- handling and the guards on certification -------------------------------------------------------------


def test_certification_is_refused_while_the_window_is_open(
    published: PublicNotice, proposed: Any, bureau_admin: Any
) -> None:
    proposed.refresh_from_db()
    reasons = refusals(proposed, "certify", by=bureau_admin, now=at(2025, 11, 7, 23, 59, 59))
    assert any("公示期至 2025-11-07 24:00" in reason for reason in reasons)
    assert refusals(proposed, "certify", by=bureau_admin, now=at(2025, 11, 8, 0, 0)) == []


def test_certification_is_refused_with_an_unresolved_objection_and_allowed_after_handling(
    published: PublicNotice, proposed: Any, bureau_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    objection = lodge(published, at(2025, 11, 5, 10))
    lodge(published, at(2025, 11, 8, 9))  # late: recorded, needs no handling
    proposed.refresh_from_db()
    with pytest.raises(TransitionRefused) as refused:
        transition(proposed, "certify", by=bureau_admin, now=at(2025, 11, 10, 9))
    assert any(f"#{objection.pk}" in reason for reason in refused.value.reasons)
    with django_capture_on_commit_callbacks(execute=True):
        objection_handle(
            objection=objection,
            investigation="现场复核，面积属实",
            outcome="not_upheld",
            reply="经核实，异议不成立。",
            by=bureau_admin,
            now=at(2025, 11, 10, 10),
        )
    assert [message.to for message in mail.outbox if "答复" in message.subject] == [["lisi@example.com"]]
    assert AuditEntry.objects.filter(action=Action.OBJECTION_HANDLED, row_id=objection.pk).exists()
    transition(proposed, "certify", by=bureau_admin, now=at(2025, 11, 10, 11))
    proposed.refresh_from_db()
    assert proposed.status == "certified"


def test_a_not_accepted_objection_cannot_be_handled(published: PublicNotice, bureau_admin: Any) -> None:
    late = lodge(published, at(2025, 11, 8, 0, 0))
    with pytest.raises(NoticeError, match="未予受理"):
        objection_handle(objection=late, investigation="x", outcome="upheld", reply="x", by=bureau_admin)


def test_staff_handle_an_objection_on_its_page_and_other_bureaus_get_404(
    published: PublicNotice, bureau_admin: Any, inspector: Any
) -> None:
    objection = lodge(published, at(2025, 11, 5, 10))
    url = reverse("notice:objection_handle", args=[objection.pk])
    client = logged_in(bureau_admin)
    page = client.get(url)
    assert page.status_code == 200 and "13900000000" in page.content.decode()
    page = client.post(url, {"investigation": "", "outcome": "upheld", "reply": "成立"})
    assert "这个字段是必填项" in page.content.decode() and "成立" in page.content.decode()
    page = client.post(url, {"investigation": "核实", "outcome": "partly", "reply": "部分成立"}, follow=True)
    assert "部分成立" in page.content.decode()
    assert Objection.objects.get(pk=objection.pk).outcome == "partly"
    assert (
        logged_in(inspector).post(url, {"investigation": "a", "outcome": "upheld", "reply": "b"}).status_code
        == 403
    )
    other = make_bureau_user(
        Bureau.objects.create(name="泉州市科学技术局", city="泉州市"), "qz_admin", Role.BUREAU_ADMIN
    )
    assert logged_in(other).get(url).status_code == 404
    assert logged_in(other).get(reverse("notice:notice_staff", args=[published.pk])).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_the_staff_objection_list_shows_accepted_and_not_accepted(
    published: PublicNotice, reviewer: Any
) -> None:
    lodge(published, at(2025, 11, 5, 10))
    lodge(published, at(2025, 11, 8, 0, 0), lodger_name="迟到者")
    text = logged_in(reviewer).get(reverse("notice:notice_staff", args=[published.pk])).content.decode()
    assert "待处理" in text and "迟到者" in text and "超过公示期的异议不予受理" in text


def test_the_case_panel_shows_the_window_and_the_objections(
    published: PublicNotice, proposed: Any, rf: Any
) -> None:
    from django.template.loader import render_to_string

    objection = lodge(published, at(2025, 11, 5, 10))
    html = render_to_string("notice/_case_panel.html", {"application": proposed, "request": rf.get("/")})
    assert "公示期：2025年11月3日至11月7日（5个工作日）" in html
    assert reverse("notice:objection_handle", args=[objection.pk]) in html


def test_the_objection_file_downloads_for_staff_only(open_now: PublicNotice, bureau_admin: Any) -> None:
    objection = lodge(open_now, timezone.now(), files=[Upload("证明.pdf", PDF)])
    record = objection.files.get()
    url = reverse("notice:objection_file", args=[objection.pk, record.pk])
    response = logged_in(bureau_admin).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert Client().get(url).status_code == 302


def test_the_end_of_the_window_is_midnight_shanghai_not_utc(published: PublicNotice) -> None:
    # 2025-11-07 16:30 UTC is 2025-11-08 00:30 in Shanghai: already late
    objection = lodge(published, datetime(2025, 11, 7, 16, 30, tzinfo=ZoneInfo("UTC")))
    assert not objection.accepted
    # 2025-11-02 16:00 UTC is 2025-11-03 00:00 in Shanghai: the first instant of the window
    assert lodge(published, datetime(2025, 11, 2, 16, 0, tzinfo=ZoneInfo("UTC"))).accepted
    assert not lodge(published, datetime(2025, 11, 2, 15, 59, 59, tzinfo=ZoneInfo("UTC"))).accepted


def test_calendar_overrides_entered_in_the_staff_admin_are_audited(db: Any) -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pass-Word-123")
    client = logged_in(admin)
    page = client.post(
        reverse("admin:notice_calendaroverride_add"),
        {"date": "2027-02-06", "is_working_day": "", "name": "2027年春节", "note": "国办通知"},
    )
    assert page.status_code == 302
    override = CalendarOverride.objects.get(date=date(2027, 2, 6))
    assert override.created_by == admin
    entry = AuditEntry.objects.get(action=Action.CALENDAR_OVERRIDE, row_id=override.pk)
    assert entry.after == {
        "date": "2027-02-06",
        "is_working_day": False,
        "name": "2027年春节",
        "note": "国办通知",
    }


def test_an_objection_before_the_window_opens_is_recorded_as_not_accepted(published: PublicNotice) -> None:
    early = lodge(published, at(2025, 11, 2, 23, 59, 59))
    assert not early.accepted and early.not_accepted_reason == "公示期尚未开始，异议不予受理"
    assert lodge(published, at(2025, 11, 3, 0, 0, 0)).accepted
