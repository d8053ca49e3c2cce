"""The one service that changes an application's state.

Views, the API, admin actions and scheduled jobs all call `transition`. It locks the application,
then checks, in order: the step exists and starts from the current state; the actor's role may take
it and the actor belongs to the application's organisation or the round's bureau; a required comment
is there; every guard holds. Only then does the state change, with an audit entry and a message to the
operator. A refusal raises `TransitionRefused` with every reason, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongchuang.accounts.models import OPERATOR_ROLES
from zhongchuang.accounts.permissions import membership_of
from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record
from zhongchuang.workflow.definition import Step, certification_workflow
from zhongchuang.workflow.guards import guard_problems

SYSTEM = "system"
STEP_ACTIONS = {"submit": Action.APPLICATION_SUBMITTED, "withdraw": Action.APPLICATION_WITHDRAWN}


class TransitionRefused(Exception):
    """The step cannot be taken now; `reasons` lists why, in Chinese, for the page."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("；".join(reasons))
        self.reasons = reasons


def workflow_role(user: Any) -> str | None:
    """The workflow's name for what the user is: operator, reviewer, inspector, bureau_admin, or None."""
    membership = membership_of(user)
    if membership is None:
        return None
    return "operator" if membership.role in OPERATOR_ROLES else membership.role


def _in_scope(user: Any, role: str, application: Any) -> bool:
    membership = user.membership
    if role == "operator":
        return bool(membership.organisation_id == application.space.organisation_id)
    return bool(membership.bureau_id == application.round.bureau_id)


def _refusals(application: Any, step: Step, by: Any, comment: str, now: datetime) -> list[str]:
    workflow = certification_workflow()
    if application.status not in step.sources:
        state = workflow.states[application.status]
        return [
            _("当前状态（%(state)s）不能执行“%(step)s”")
            % {"state": _(state.staff_label), "step": _(step.label)}
        ]
    role = SYSTEM if by == SYSTEM else workflow_role(by)
    if role not in step.roles or (role != SYSTEM and not _in_scope(by, role, application)):
        return [_("您无权执行“%(step)s”") % {"step": _(step.label)}]
    reasons = []
    if step.comment_required and not comment.strip():
        reasons.append(_("请填写意见或理由"))
    return reasons + guard_problems(step.guards, application, now)


def refusals(
    application: Any, step_id: str, *, by: Any, comment: str = "", now: datetime | None = None
) -> list[str]:
    """Why `step_id` cannot be taken now (empty when it can), without taking it."""
    step = certification_workflow().steps[step_id]
    return _refusals(application, step, by, comment, now or timezone.now())


def steps_for(application: Any, user: Any, now: datetime | None = None) -> list[tuple[Step, list[str]]]:
    """The steps the user's role may take from the current state, each with the reasons it is blocked."""
    moment = now or timezone.now()
    role = workflow_role(user)
    if role is None or not _in_scope(user, role, application):
        return []
    return [
        (step, guard_problems(step.guards, application, moment))
        for step in certification_workflow().steps_from(application.status)
        if role in step.roles
    ]


@dataclass(frozen=True)
class Done:
    step: Step
    source: str
    at: datetime


@transaction.atomic
def transition(
    application: Any,
    step_id: str,
    *,
    by: Any,
    comment: str = "",
    now: datetime | None = None,
    details: dict[str, Any] | None = None,
) -> Done:
    """Take one step of the workflow. `by` is a user, or `SYSTEM` for scheduled jobs."""
    from zhongchuang.applications.models import Application
    from zhongchuang.notifications.services import notify_transition

    moment = now or timezone.now()
    step = certification_workflow().steps.get(step_id)
    if step is None:
        raise TransitionRefused([_("未知的操作：%(step)s") % {"step": step_id}])
    locked = (
        Application.objects.select_for_update()
        .select_related("round__bureau", "space__organisation")
        .get(pk=application.pk)
    )
    reasons = _refusals(locked, step, by, comment, moment)
    if reasons:
        raise TransitionRefused(reasons)
    source = locked.status
    locked.status, locked.status_changed_at = step.target, moment
    locked.save(update_fields=["status", "status_changed_at"])
    application.status, application.status_changed_at = locked.status, moment
    audit_record(
        action=STEP_ACTIONS.get(step.id, Action.APPLICATION_TRANSITION),
        actor=None if by == SYSTEM else by,
        organisation=locked.space.organisation,
        space=locked.space,
        application=locked,
        summary=f"{step.label}" + (f"：{comment.strip()}" if comment.strip() else ""),
        before={"status": source},
        after={"status": step.target, "step": step.id, "comment": comment.strip(), **(details or {})},
    )
    notify_transition(locked, step, comment=comment.strip())
    return Done(step, source, moment)
