"""Reads for the public notice: the calendar overrides, the window, notices and objections in scope."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from zhongchuang.accounts.permissions import membership_of
from zhongchuang.engine.context import SHANGHAI  # the one definition of the product's time zone
from zhongchuang.notice.models import CalendarOverride, CoveredYear, NoticeEntry, Objection, PublicNotice
from zhongchuang.workdays import Overrides


def calendar_overrides() -> Overrides:
    """The administrators' overrides, in the shape the pure `zhongchuang.workdays` module takes."""
    return Overrides(
        days=dict(CalendarOverride.objects.values_list("date", "is_working_day")),
        covered_years=frozenset(CoveredYear.objects.values_list("year", flat=True)),
    )


def certified_type(application: Any) -> str:
    """The type the application is proposed to be certified as, in the words of the notice: the
    collective decision's (an "approve as comprehensive" decision turns a specialized applicant into
    综合型), else the round's policy type."""
    from zhongchuang.decisions.selectors import certified_type as decided_kind
    from zhongchuang.decisions.selectors import type_label

    return type_label(decided_kind(application))


# --- the window: both dates included, Asia/Shanghai ------------------------------------------------


def window_opens_at(notice: PublicNotice) -> datetime:
    return datetime.combine(notice.start_date, time.min, tzinfo=SHANGHAI)


def window_closes_at(notice: PublicNotice) -> datetime:
    """The first instant after the window: 00:00 of the day after the end date, Shanghai time."""
    return datetime.combine(notice.end_date + timedelta(days=1), time.min, tzinfo=SHANGHAI)


def window_state(notice: PublicNotice, now: datetime) -> str:
    """ "upcoming", "open" or "closed"."""
    if now < window_opens_at(notice):
        return "upcoming"
    return "open" if now < window_closes_at(notice) else "closed"


def shanghai_today(now: datetime) -> date:
    return now.astimezone(SHANGHAI).date()


# --- public reads ------------------------------------------------------------------------------------


def public_notices() -> QuerySet[PublicNotice]:
    return (
        PublicNotice.objects.select_related("round__bureau")
        .annotate(entry_count=Count("entries"))
        .order_by("-start_date", "-id")
    )


def public_notice(notice_id: int) -> PublicNotice:
    notice = PublicNotice.objects.select_related("round__bureau").filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    return notice


def entries_of(notice: PublicNotice) -> QuerySet[NoticeEntry]:
    return notice.entries.order_by("position")


# --- staff reads (scoped to the user's bureau; others' ids are 404) ---------------------------------


def _bureau_id(user: Any) -> int:
    membership = membership_of(user)
    if membership is None or not membership.is_bureau:
        raise Http404
    return int(membership.bureau_id)


def round_notices(round_: Any) -> QuerySet[PublicNotice]:
    return PublicNotice.objects.filter(round=round_).prefetch_related(
        Prefetch("entries", queryset=NoticeEntry.objects.order_by("position"))
    )


def proposed_applications(round_: Any) -> QuerySet[Any]:
    from zhongchuang.applications.models import Application

    return (
        Application.objects.filter(round=round_, status=Application.Status.PROPOSED)
        .select_related("space__organisation", "round")
        .order_by("space__space_name", "id")
    )


def staff_notice_for(user: Any, notice_id: int) -> PublicNotice:
    notice = (
        PublicNotice.objects.select_related("round__bureau")
        .filter(pk=notice_id, round__bureau_id=_bureau_id(user))
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def objections_of(notice: PublicNotice) -> QuerySet[Objection]:
    return (
        notice.objections.prefetch_related("entries")
        .annotate(file_count=Count("files"))
        .order_by("lodged_at", "id")
    )


def staff_objection_for(user: Any, objection_id: int) -> Objection:
    objection = (
        Objection.objects.select_related("notice__round__bureau", "handled_by")
        .prefetch_related("entries", "files")
        .filter(pk=objection_id, notice__round__bureau_id=_bureau_id(user))
        .first()
    )
    if objection is None:
        raise Http404
    return objection


def notice_entry_of(application: Any) -> NoticeEntry | None:
    return NoticeEntry.objects.select_related("notice").filter(application=application).first()


def objections_on(application: Any) -> QuerySet[Objection]:
    return Objection.objects.filter(entries__application=application).order_by("lodged_at", "id")


def unresolved_objections_on(application: Any) -> QuerySet[Objection]:
    return objections_on(application).filter(Q(accepted=True) & Q(outcome=""))
