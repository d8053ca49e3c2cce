"""Writes of the collective decision: meetings, recusals, decisions, and taking the decided step.

Each write is atomic and audited. The decision itself never changes the application's state: the
bureau admin then takes `propose` or `decide_reject` through the one workflow service, whose guards
(`decision_approves`, `decision_rejects`) read the decision recorded here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongchuang.applications.models import Application, Round
from zhongchuang.applications.services import ApplicationError
from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record
from zhongchuang.decisions.models import Attendee, Decision, Meeting, Recusal
from zhongchuang.decisions.selectors import clauses_by_id
from zhongchuang.engine.policy import load_policy
from zhongchuang.workflow.services import Done, transition


class DecisionError(ApplicationError):
    """A meeting or decision that cannot be recorded; `field` names the form field."""


def _display_name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def _check_staff(round_: Round, users: Iterable[Any], field: str) -> None:
    for user in users:
        membership = getattr(user, "membership", None)
        if membership is None or membership.bureau_id != round_.bureau_id:
            raise DecisionError(_("%(name)s 不是本部门工作人员") % {"name": _display_name(user)}, field=field)


def _meeting_record(meeting: Meeting) -> dict[str, Any]:
    return {
        "round": meeting.round_id,
        "held_on": meeting.held_on.isoformat(),
        "place": meeting.place,
        "chair": _display_name(meeting.chair),
        "attendees": [str(attendee) for attendee in meeting.attendees.all()],
        "minutes": meeting.minutes,
    }


def _audit_meeting(meeting: Meeting, by: Any, summary: str, before: dict[str, Any] | None) -> None:
    audit_record(
        action=Action.MEETING_RECORDED,
        actor=by,
        table="meeting",
        row_id=meeting.pk,
        summary=summary,
        before=before,
        after=_meeting_record(meeting),
    )


def _set_attendees(meeting: Meeting, staff: list[Any], experts: list[str]) -> None:
    """Staff by account, experts by name; an attendee already recused or deciding stays."""
    wanted = {_display_name(user): (user, False) for user in staff}
    for name in experts:
        wanted.setdefault(name, (None, True))
    for attendee in meeting.attendees.all():
        if attendee.name not in wanted:
            if attendee.recusals.exists() or attendee.decisions.exists():
                raise DecisionError(
                    _("%(name)s 已有回避或表决记录，不能移出参会人员") % {"name": attendee.name},
                    field="staff",
                )
            attendee.delete()
    present = set(meeting.attendees.values_list("name", flat=True))
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, user=user, name=name, external=external)
        for name, (user, external) in wanted.items()
        if name not in present
    )


def _clean_experts(experts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(name.strip() for name in experts if name.strip()))


@transaction.atomic
def meeting_create(
    *,
    round: Round,
    held_on: date,
    place: str,
    chair: Any,
    staff: list[Any],
    experts: Iterable[str] = (),
    minutes: str = "",
    by: Any,
) -> Meeting:
    _check_staff(round, [chair], "chair")
    _check_staff(round, staff, "staff")
    if not place.strip():
        raise DecisionError(_("请填写会议地点"), field="place")
    meeting = Meeting.objects.create(
        bureau_id=round.bureau_id,
        round=round,
        held_on=held_on,
        place=place.strip(),
        chair=chair,
        minutes=minutes.strip(),
        created_by=by,
    )
    _set_attendees(meeting, [chair, *[user for user in staff if user != chair]], _clean_experts(experts))
    _audit_meeting(meeting, by, _("召开集体研究会议：%(meeting)s") % {"meeting": meeting}, None)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    held_on: date,
    place: str,
    chair: Any,
    staff: list[Any],
    experts: Iterable[str] = (),
    minutes: str = "",
    by: Any,
) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_staff(meeting.round, [chair], "chair")
    _check_staff(meeting.round, staff, "staff")
    if not place.strip():
        raise DecisionError(_("请填写会议地点"), field="place")
    before = _meeting_record(meeting)
    meeting.held_on, meeting.place, meeting.chair, meeting.minutes = (
        held_on,
        place.strip(),
        chair,
        minutes.strip(),
    )
    meeting.save()
    _set_attendees(meeting, [chair, *[user for user in staff if user != chair]], _clean_experts(experts))
    _audit_meeting(meeting, by, _("修改集体研究会议：%(meeting)s") % {"meeting": meeting}, before)
    return meeting


def _check_application(meeting: Meeting, application: Application) -> None:
    if application.round_id != meeting.round_id:
        raise DecisionError(_("该申报不属于本次会议研究的申报轮次"), field="application")
    if application.status != Application.Status.COLLECTIVE_DECISION:
        raise DecisionError(_("只有“待集体研究”的申报才能记录回避或决定"), field="application")


@transaction.atomic
def recusal_record(
    *,
    meeting: Meeting,
    attendee: Attendee,
    application: Application,
    reason: str,
    by: Any,
    now: datetime | None = None,
) -> Recusal:
    if attendee.meeting_id != meeting.pk:
        raise DecisionError(_("该人员未参加本次会议"), field="attendee")
    _check_application(meeting, application)
    if not reason.strip():
        raise DecisionError(_("请填写回避理由"), field="reason")
    if Recusal.objects.filter(attendee=attendee, application=application).exists():
        raise DecisionError(_("%(name)s 已就该申报回避") % {"name": attendee.name}, field="attendee")
    decision = Decision.objects.filter(application=application, deciders=attendee).first()
    if decision is not None:
        raise DecisionError(
            _("%(name)s 已记录为该申报的表决人员，请先修改决定") % {"name": attendee.name}, field="attendee"
        )
    recusal = Recusal.objects.create(
        meeting=meeting,
        attendee=attendee,
        application=application,
        reason=reason.strip(),
        recorded_by=by,
        recorded_at=now or timezone.now(),
    )
    audit_record(
        action=Action.MEETING_RECORDED,
        actor=by,
        organisation=application.space.organisation,
        space=application.space,
        application=application,
        table="recusal",
        row_id=recusal.pk,
        summary=_("%(name)s 回避：%(reason)s") % {"name": attendee.name, "reason": recusal.reason},
        after={"meeting": meeting.pk, "attendee": attendee.name, "reason": recusal.reason},
    )
    return recusal


def _decision_record(decision: Decision) -> dict[str, Any]:
    return {
        "meeting": decision.meeting_id,
        "outcome": decision.outcome,
        "reasons": decision.reasons,
        "cited_clauses": list(decision.cited_clauses),
        "deciders": sorted(attendee.name for attendee in decision.deciders.all()),
        "votes": [decision.votes_for, decision.votes_against, decision.votes_abstain],
    }


def _validate_decision(
    meeting: Meeting,
    application: Application,
    outcome: str,
    reasons: str,
    cited: list[str],
    deciders: list[Attendee],
    votes: tuple[int | None, int | None, int | None],
) -> None:
    _check_application(meeting, application)
    if outcome not in Decision.Outcome.values:
        raise DecisionError(_("请选择决定"), field="outcome")
    policy_id = application.round.policy_id
    if outcome == Decision.Outcome.APPROVE_AS_COMPREHENSIVE and not load_policy(policy_id).fallback:
        raise DecisionError(_("本轮次的政策没有可转评的类型，不能“按综合型认定”"), field="outcome")
    if not reasons.strip():
        raise DecisionError(_("请填写理由"), field="reasons")
    known = clauses_by_id(policy_id)
    unknown = [clause for clause in cited if clause not in known]
    if unknown:
        raise DecisionError(
            _("政策中没有这些条款：%(ids)s") % {"ids": "、".join(unknown)}, field="cited_clauses"
        )
    if outcome == Decision.Outcome.REJECT and not cited:
        raise DecisionError(_("不予认定须至少引用一项未满足的条款"), field="cited_clauses")
    if not deciders:
        raise DecisionError(_("请选择参与表决的人员"), field="deciders")
    strangers = [attendee.name for attendee in deciders if attendee.meeting_id != meeting.pk]
    if strangers:
        raise DecisionError(
            _("未参加本次会议：%(names)s") % {"names": "、".join(strangers)}, field="deciders"
        )
    recused = Recusal.objects.filter(application=application, attendee__in=deciders).select_related(
        "attendee"
    )
    if recused:
        names = "、".join(recusal.attendee.name for recusal in recused)
        raise DecisionError(_("%(names)s 已就该申报回避，不能参与表决") % {"names": names}, field="deciders")
    if any(vote is not None for vote in votes) and sum(vote or 0 for vote in votes) > len(deciders):
        raise DecisionError(
            _("票数合计（%(votes)s）超过参与表决人数（%(people)s）")
            % {"votes": sum(vote or 0 for vote in votes), "people": len(deciders)},
            field="votes_for",
        )


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    application: Application,
    outcome: str,
    reasons: str,
    cited_clauses: list[str],
    deciders: list[Attendee],
    votes: tuple[int | None, int | None, int | None] = (None, None, None),
    by: Any,
    now: datetime | None = None,
) -> Decision:
    """Record (or correct, while the application still awaits the decision) the meeting's decision."""
    application = (
        Application.objects.select_for_update()
        .select_related("round", "space__organisation")
        .get(pk=application.pk)
    )
    cited = list(dict.fromkeys(cited_clauses))
    _validate_decision(meeting, application, outcome, reasons, cited, deciders, votes)
    existing = Decision.objects.filter(application=application).first()
    before = _decision_record(existing) if existing else None
    decision = existing or Decision(application=application)
    decision.meeting, decision.outcome, decision.reasons = meeting, outcome, reasons.strip()
    decision.cited_clauses = cited
    decision.votes_for, decision.votes_against, decision.votes_abstain = votes
    decision.recorded_by, decision.recorded_at = by, now or timezone.now()
    decision.save()
    decision.deciders.set(deciders)
    audit_record(
        action=Action.DECISION_RECORDED,
        actor=by,
        organisation=application.space.organisation,
        space=application.space,
        application=application,
        table="decision",
        row_id=decision.pk,
        summary=_("集体研究决定：%(outcome)s") % {"outcome": decision.get_outcome_display()},
        before=before,
        after=_decision_record(decision),
    )
    return decision


def decision_take_step(*, application: Application, by: Any, now: datetime | None = None) -> Done:
    """Take the step the recorded decision calls for: `propose`, or `decide_reject` with the reasons."""
    decision = Decision.objects.filter(application=application).first()
    if decision is None or decision.outcome != Decision.Outcome.REJECT:
        return transition(application, "propose", by=by, now=now, details=_step_details(decision))
    return transition(
        application,
        "decide_reject",
        by=by,
        comment=decision.reasons,
        now=now,
        details=_step_details(decision),
    )


def _step_details(decision: Decision | None) -> dict[str, Any]:
    if decision is None:
        return {}
    return {
        "decision": decision.pk,
        "outcome": decision.outcome,
        "cited_clauses": list(decision.cited_clauses),
    }
