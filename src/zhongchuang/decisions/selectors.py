"""Reads for meetings and decisions, scoped to the user's bureau (others' ids are 404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from zhongchuang.applications.models import Application, Round
from zhongchuang.decisions.models import Decision, Meeting, Recusal
from zhongchuang.engine.policy import load_policy

# The certified type, from the policy's id (xiamen-2025-specialized → specialized).
TYPE_LABELS = {
    "comprehensive": _("综合型"),
    "specialized": _("专业化"),
    "branded": _("品牌化"),
    "international": _("国际化"),
}


@dataclass(frozen=True)
class Clause:
    """A citable piece of the policy: a criterion or one of its checks, with the clause quoted."""

    id: str
    title: str
    text: str
    cite: str


def policy_clauses(policy_id: str) -> list[Clause]:
    """Every criterion and check of the policy, in the policy's order (an id shared by both listed once)."""
    policy = load_policy(policy_id)
    clauses: dict[str, Clause] = {}
    for criterion in policy.criteria:
        clauses.setdefault(
            criterion.id, Clause(criterion.id, criterion.title.zh, criterion.clause, criterion.cite)
        )
        for check in criterion.checks:
            clauses.setdefault(check.id, Clause(check.id, check.label.zh, check.clause, criterion.cite))
    return list(clauses.values())


def clauses_by_id(policy_id: str) -> dict[str, Clause]:
    return {clause.id: clause for clause in policy_clauses(policy_id)}


def type_of_policy(policy_id: str) -> str:
    kind = policy_id.rsplit("-", 1)[-1]
    return kind if kind in TYPE_LABELS else policy_id


def type_label(kind: str) -> str:
    return str(TYPE_LABELS.get(kind, kind))


def decision_of(application: Application) -> Decision | None:
    return Decision.objects.filter(application=application).select_related("meeting").first()


def certified_type(application: Application) -> str:
    """ "comprehensive", "specialized" (or the Shanghai track): the round's type, or the fallback's when
    the meeting decided to approve as comprehensive (通知 五、注意事项)."""
    decision = decision_of(application)
    policy_id = application.round.policy_id
    if decision is not None and decision.outcome == Decision.Outcome.APPROVE_AS_COMPREHENSIVE:
        return type_of_policy(load_policy(policy_id).fallback or "comprehensive")
    return type_of_policy(policy_id)


def _bureau_id(user: Any) -> int:
    membership = getattr(user, "membership", None) if getattr(user, "is_authenticated", False) else None
    if membership is None or not membership.is_bureau:
        raise Http404
    return int(membership.bureau_id)


def meetings_of_round(round_: Round) -> QuerySet[Meeting]:
    return Meeting.objects.filter(round=round_).select_related("chair").prefetch_related("attendees")


def meeting_for(user: Any, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.filter(pk=meeting_id, bureau_id=_bureau_id(user))
        .select_related("round", "chair", "bureau")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def awaiting_decision(round_: Round) -> QuerySet[Application]:
    """The round's applications waiting for the collective decision, with their decision if recorded."""
    return (
        Application.objects.filter(round=round_, status=Application.Status.COLLECTIVE_DECISION)
        .select_related("space", "decision")
        .order_by("space__space_name", "id")
    )


def decided_in(meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.select_related("application__space").prefetch_related("deciders").order_by("id")


def recusals_of(meeting: Meeting) -> QuerySet[Recusal]:
    return meeting.recusals.select_related("attendee", "application__space").order_by("id")


def recusals_for_application(application: Application) -> QuerySet[Recusal]:
    return (
        Recusal.objects.filter(application=application).select_related("attendee", "meeting").order_by("id")
    )


def bureau_staff(round_: Round) -> QuerySet[Any]:
    """Who may attend or chair: the active staff of the round's bureau."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(membership__bureau_id=round_.bureau_id, is_active=True)
        .order_by("username")
    )
