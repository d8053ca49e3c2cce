"""Writes of the public notice: calendar overrides, publishing a notice, lodging and handling objections.

Every write is atomic and audited. Publishing moves each proposed application to `public_notice`
through the workflow's `transition`, never by setting the status.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record
from zhongchuang.evidence.services import sniff_mime
from zhongchuang.notice import selectors
from zhongchuang.notice.models import (
    CalendarOverride,
    CoveredYear,
    NoticeEntry,
    Objection,
    ObjectionFile,
    PublicNotice,
)
from zhongchuang.workdays import CalendarNotCovered, nth_working_day

OBJECTION_FILE_TYPES = ("application/pdf", "image/jpeg", "image/png")
OBJECTION_MAX_FILES = 5
OBJECTION_FILE_MAX_BYTES = 10 * 1024 * 1024
# stored in the source language; translated where shown
LATE = gettext_noop("超过公示期的异议不予受理")
EARLY = gettext_noop("公示期尚未开始，异议不予受理")


class NoticeError(Exception):
    """A refused write; `field` names the form field the message belongs next to (or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- the working-day calendar -----------------------------------------------------------------------


def _override_snapshot(override: CalendarOverride) -> dict[str, Any]:
    return {
        "date": override.date.isoformat(),
        "is_working_day": override.is_working_day,
        "name": override.name,
        "note": override.note,
    }


@transaction.atomic
def calendar_override_save(*, override: CalendarOverride, by: Any) -> CalendarOverride:
    before = None
    if override.pk:
        old = CalendarOverride.objects.filter(pk=override.pk).first()
        before = _override_snapshot(old) if old else None
    override.created_by = by
    override.save()
    audit_record(
        action=Action.CALENDAR_OVERRIDE,
        actor=by,
        table="calendar_override",
        row_id=override.pk,
        summary=str(override),
        before=before,
        after=_override_snapshot(override),
    )
    return override


@transaction.atomic
def calendar_override_delete(*, override: CalendarOverride, by: Any) -> None:
    snapshot, row_id = _override_snapshot(override), override.pk
    override.delete()
    audit_record(
        action=Action.CALENDAR_OVERRIDE,
        actor=by,
        table="calendar_override",
        row_id=row_id,
        summary=_("删除：%(day)s") % {"day": snapshot["date"]},
        before=snapshot,
    )


@transaction.atomic
def covered_year_save(*, covered: CoveredYear, by: Any) -> CoveredYear:
    before = None
    if covered.pk:
        old = CoveredYear.objects.filter(pk=covered.pk).first()
        before = {"year": old.year, "note": old.note} if old else None
    covered.created_by = by
    covered.save()
    audit_record(
        action=Action.CALENDAR_OVERRIDE,
        actor=by,
        table="covered_year",
        row_id=covered.pk,
        summary=_("声明 %(year)s 年的节假日安排已完整录入") % {"year": covered.year},
        before=before,
        after={"year": covered.year, "note": covered.note},
    )
    return covered


@transaction.atomic
def covered_year_delete(*, covered: CoveredYear, by: Any) -> None:
    snapshot, row_id = {"year": covered.year, "note": covered.note}, covered.pk
    covered.delete()
    audit_record(
        action=Action.CALENDAR_OVERRIDE,
        actor=by,
        table="covered_year",
        row_id=row_id,
        summary=_("撤销 %(year)s 年的完整录入声明") % {"year": snapshot["year"]},
        before=snapshot,
    )


def notice_end_date(start_date: date, working_days: int) -> date:
    """The last day of a window of `working_days` working days, the first day counted."""
    try:
        return nth_working_day(start_date, working_days, selectors.calendar_overrides())
    except CalendarNotCovered as error:
        raise NoticeError(error.message_zh, "start_date") from error


# --- publishing ------------------------------------------------------------------------------------


def default_title(round_: Any) -> str:
    return _("%(round)s拟认定名单公示") % {"round": round_.name}


def default_body(round_: Any) -> str:
    return _(
        "经形式审核、现场核查、集体研究等程序，现将拟认定名单予以公示。\n"
        "公示期内，任何单位和个人对名单有异议的，可在本页面提交或以书面形式向%(bureau)s提出。"
        "以个人名义提出的须署真实姓名，以单位名义提出的须加盖公章，并注明联系方式、提供必要的证明材料。"
        "超过公示期的异议不予受理。\n"
        "咨询电话：\n"
        "异议受理电话："
    ) % {"bureau": round_.bureau.name}


@dataclass(frozen=True)
class _Frozen:
    space_name: str
    operator_name: str
    address: str


def _public_facts(application: Any) -> _Frozen:
    """What the notice shows of an application: from its latest submitted version where possible."""
    version = application.versions.order_by("-number").first()
    facts_space = (version.facts or {}).get("space", {}) if version else {}
    facts_operator = (version.facts or {}).get("operator", {}) if version else {}
    space = application.space
    return _Frozen(
        space_name=str(facts_space.get("name") or space),
        operator_name=str(facts_operator.get("name") or space.organisation.name),
        address=str(facts_space.get("address") or getattr(space, "space_address", "") or ""),
    )


@transaction.atomic
def notice_publish(
    *,
    round: Any,
    start_date: date,
    by: Any,
    now: datetime | None = None,
    title: str = "",
    body: str = "",
    working_days: int | None = None,
) -> PublicNotice:
    """Publish the round's proposed list from `start_date`, and move each application to public notice."""
    from zhongchuang.applications.models import Application
    from zhongchuang.workflow.services import TransitionRefused, transition

    moment = now or timezone.now()
    days = working_days or round.notice_working_days
    if days < 1:
        raise NoticeError(_("公示期至少为 1 个工作日"), "working_days")
    if start_date < selectors.shanghai_today(moment):
        raise NoticeError(_("公示开始日期不能早于今天"), "start_date")
    # the lock keeps two admins from putting the same application on two notices
    proposed = list(
        Application.objects.select_for_update()
        .filter(round=round, status=Application.Status.PROPOSED)
        .select_related("space__organisation", "round__bureau")
        .order_by("space__space_name", "id")
    )
    if not proposed:
        raise NoticeError(_("本轮次没有拟认定（待公示）的申报，无需发布公示"))
    end_date = notice_end_date(start_date, days)
    notice = PublicNotice.objects.create(
        round=round,
        title=title.strip() or default_title(round),
        body=body.strip() or default_body(round),
        start_date=start_date,
        working_days=days,
        end_date=end_date,
        published_at=moment,
        published_by=by,
    )
    for position, application in enumerate(proposed, start=1):
        frozen = _public_facts(application)
        NoticeEntry.objects.create(
            notice=notice,
            application=application,
            position=position,
            space_name=frozen.space_name[:200],
            operator_name=frozen.operator_name[:200],
            certified_type=selectors.certified_type(application)[:100],
            address=frozen.address[:300],
        )
    audit_record(
        action=Action.NOTICE_PUBLISHED,
        actor=by,
        table="public_notice",
        row_id=notice.pk,
        summary=f"{notice.title}：{start_date.isoformat()}—{end_date.isoformat()}",
        after={
            "round": round.pk,
            "title": notice.title,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat(),
            "working_days": days,
            "applications": [application.pk for application in proposed],
        },
    )
    for application in proposed:
        try:
            transition(
                application,
                "publish_notice",
                by=by,
                now=moment,
                details={"notice": notice.pk, "end_date": end_date.isoformat()},
            )
        except TransitionRefused as refused:
            raise NoticeError(f"{application.space}：{'；'.join(refused.reasons)}") from refused
    return notice


# --- objections ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def _check_files(files: list[Upload]) -> list[tuple[Upload, str]]:
    if len(files) > OBJECTION_MAX_FILES:
        raise NoticeError(_("最多上传 %(n)d 个附件") % {"n": OBJECTION_MAX_FILES}, "files")
    checked = []
    limit = getattr(settings, "NOTICE_OBJECTION_FILE_MAX_BYTES", OBJECTION_FILE_MAX_BYTES)
    for upload in files:
        if not upload.content:
            raise NoticeError(_("附件“%(name)s”为空") % {"name": upload.name}, "files")
        if len(upload.content) > limit:
            raise NoticeError(
                _("附件“%(name)s”超过大小上限（%(mb)d MB）")
                % {"name": upload.name, "mb": limit // 1024 // 1024},
                "files",
            )
        mime = sniff_mime(upload.content[:512])
        if mime not in OBJECTION_FILE_TYPES:
            raise NoticeError(
                _("附件“%(name)s”不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）")
                % {"name": upload.name},
                "files",
            )
        checked.append((upload, mime))
    return checked


def _bureau_admins(round_: Any) -> list[Any]:
    from zhongchuang.accounts.models import Membership, Role

    members = Membership.objects.filter(bureau=round_.bureau, role=Role.BUREAU_ADMIN).select_related("user")
    return [member.user for member in members]


@transaction.atomic
def objection_lodge(
    *,
    notice: PublicNotice,
    entries: list[NoticeEntry],
    lodger_name: str,
    reasons: str,
    declared: bool,
    phone: str = "",
    email: str = "",
    files: list[Upload] | None = None,
    ip_address: str | None = None,
    now: datetime | None = None,
) -> Objection:
    """Record an objection. Outside the window it is kept as not accepted, never dropped."""
    from zhongchuang.notifications.services import notify

    moment = now or timezone.now()
    if not entries or any(entry.notice_id != notice.pk for entry in entries):
        raise NoticeError(_("请选择异议针对的众创空间"), "entries")
    if not reasons.strip():
        raise NoticeError(_("请填写异议理由"), "reasons")
    if not declared:
        raise NoticeError(_("请确认所提异议属实并已署真实姓名或单位名称"), "declared")
    if not phone.strip() and not email.strip():
        raise NoticeError(_("请至少填写联系电话或电子邮箱中的一项，以便答复"), "phone")
    checked = _check_files(files or [])
    state = selectors.window_state(notice, moment)
    objection = Objection.objects.create(
        notice=notice,
        lodger_name=lodger_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        reasons=reasons.strip(),
        declared=True,
        lodged_at=moment,
        ip_address=ip_address,
        accepted=state == "open",
        not_accepted_reason={"open": "", "closed": LATE, "upcoming": EARLY}[state],
    )
    objection.entries.set(entries)
    stored = []
    for upload, mime in checked:
        digest = hashlib.sha256(upload.content).hexdigest()
        record = ObjectionFile(
            objection=objection,
            original_name=upload.name[:255],
            mime=mime,
            size=len(upload.content),
            sha256=digest,
        )
        record.file.save(digest, ContentFile(upload.content), save=False)
        record.save()
        stored.append({"sha256": digest, "size": len(upload.content), "mime": mime})
    applications = [entry.application for entry in entries]
    names = "、".join(entry.space_name for entry in entries)
    # the lodger's name and contacts stay out of the append-only log: personal data must remain erasable
    audit_record(
        action=Action.OBJECTION_LODGED,
        actor=None,
        application=applications[0] if len(applications) == 1 else None,
        space=applications[0].space if len(applications) == 1 else None,
        table="objection",
        row_id=objection.pk,
        summary=(_("异议 #%(id)s：%(names)s") % {"id": objection.pk, "names": names})
        + ("" if objection.accepted else f"（{_(objection.not_accepted_reason)}）"),
        after={
            "notice": notice.pk,
            "applications": [application.pk for application in applications],
            "accepted": objection.accepted,
            "not_accepted_reason": objection.not_accepted_reason,
            "lodged_at": moment.isoformat(),
            "files": stored,
        },
    )
    subject = _("【%(notice)s】收到异议 #%(id)s") % {"notice": notice.title, "id": objection.pk}
    body = _("针对：%(names)s。") % {"names": names}
    if not objection.accepted:
        body += _("该异议不予受理（%(reason)s），已记录在案。") % {"reason": _(objection.not_accepted_reason)}
    notify(
        _bureau_admins(notice.round),
        subject=subject,
        body=body,
        url=reverse("notice:objection_handle", args=[objection.pk]),
        application=applications[0] if len(applications) == 1 else None,
    )
    return objection


def _handling_snapshot(objection: Objection) -> dict[str, Any]:
    return {"investigation": objection.investigation, "outcome": objection.outcome, "reply": objection.reply}


@transaction.atomic
def objection_handle(
    *,
    objection: Objection,
    investigation: str,
    outcome: str,
    reply: str,
    by: Any,
    now: datetime | None = None,
) -> Objection:
    """Record the investigation, the outcome and the reply; e-mail the reply when the lodger gave an address."""
    moment = now or timezone.now()
    locked = Objection.objects.select_for_update().select_related("notice").get(pk=objection.pk)
    if not locked.accepted:
        raise NoticeError(
            _("该异议未予受理（%(reason)s），无需处理") % {"reason": _(locked.not_accepted_reason)}
        )
    if not investigation.strip():
        raise NoticeError(_("请填写调查核实情况"), "investigation")
    if outcome not in Objection.Outcome.values:
        raise NoticeError(_("请选择处理结论"), "outcome")
    if not reply.strip():
        raise NoticeError(_("请填写答复意见"), "reply")
    before = _handling_snapshot(locked) if locked.outcome else None
    locked.investigation, locked.outcome, locked.reply = investigation.strip(), outcome, reply.strip()
    locked.handled_at, locked.handled_by = moment, by
    if locked.email:
        locked.reply_sent_at = moment
        subject = _("关于您对“%(notice)s”所提异议的答复") % {"notice": locked.notice.title}
        text = f"{locked.lodger_name}：\n\n{locked.reply}\n\n{locked.notice.round.bureau.name}"
        address = locked.email
        transaction.on_commit(lambda: send_mail(subject, text, None, [address], fail_silently=True))
    locked.save()
    entries = list(locked.entries.select_related("application__space"))
    audit_record(
        action=Action.OBJECTION_HANDLED,
        actor=by,
        application=entries[0].application if len(entries) == 1 else None,
        space=entries[0].application.space if len(entries) == 1 else None,
        table="objection",
        row_id=locked.pk,
        summary=_("异议 #%(id)s：%(outcome)s") % {"id": locked.pk, "outcome": locked.get_outcome_display()},
        before=before,
        after={**_handling_snapshot(locked), "reply_sent": bool(locked.email)},
    )
    objection.refresh_from_db()
    return locked
