"""Reads for rounds and applications, always scoped to what the user may see (others' ids are 404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from zhongchuang.applications.models import Application, ApplicationVersion, Round
from zhongchuang.applications.services import facts_as_of
from zhongchuang.audit.models import AuditEntry
from zhongchuang.bridge.services import lenient_facts, space_facts_data
from zhongchuang.engine.evaluate import evaluate
from zhongchuang.engine.policy import load_policy
from zhongchuang.engine.results import EvaluationResult
from zhongchuang.errors import FactsError, Problem


def _membership(user: Any) -> Any:
    return getattr(user, "membership", None) if getattr(user, "is_authenticated", False) else None


def is_operator(user: Any) -> bool:
    membership = _membership(user)
    return membership is not None and membership.is_operator


def is_bureau(user: Any) -> bool:
    membership = _membership(user)
    return membership is not None and membership.is_bureau


def is_bureau_admin(user: Any) -> bool:
    membership = _membership(user)
    return membership is not None and membership.role == "bureau_admin"


# --- rounds ----------------------------------------------------------------------------------------


def rounds_for(user: Any) -> QuerySet[Round]:
    """Bureau staff: their bureau's rounds. Operators: the open rounds of every bureau."""
    membership = _membership(user)
    if membership is None:
        return Round.objects.none()
    if membership.is_bureau:
        return Round.objects.filter(bureau_id=membership.bureau_id).select_related("bureau")
    return Round.objects.filter(is_open=True).select_related("bureau")


def bureau_round_for(user: Any, round_id: int) -> Round:
    """A round of the user's own bureau, or 404."""
    membership = _membership(user)
    if membership is None or not membership.is_bureau:
        raise Http404
    round_ = (
        Round.objects.filter(pk=round_id, bureau_id=membership.bureau_id).select_related("bureau").first()
    )
    if round_ is None:
        raise Http404
    return round_


def round_history(round_: Round) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(table="round", row_id=round_.pk).select_related("actor")


# --- applications ----------------------------------------------------------------------------------


def _with_latest(query: QuerySet[Application]) -> QuerySet[Application]:
    latest = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    return query.select_related("round__bureau", "space").annotate(
        latest_number=Subquery(latest.values("number")[:1]),
        latest_verdict=Subquery(latest.values("verdict")[:1]),
        latest_submitted_at=Subquery(latest.values("submitted_at")[:1]),
    )


def applications_for(user: Any) -> QuerySet[Application]:
    """The organisation's applications (operators) or those received in the bureau's rounds (bureau staff)."""
    membership = _membership(user)
    if membership is None:
        return Application.objects.none()
    if membership.is_operator:
        query = Application.objects.filter(space__organisation_id=membership.organisation_id)
    else:
        # the bureau sees what was submitted to it, never an operator's drafts
        query = Application.objects.filter(
            round__bureau_id=membership.bureau_id, versions__isnull=False
        ).distinct()
    return _with_latest(query).order_by("-created_at", "-id")


def round_applications(round_: Round) -> QuerySet[Application]:
    query = Application.objects.filter(round=round_, versions__isnull=False).distinct()
    return _with_latest(query).order_by("space__space_name", "id")


def application_for(user: Any, application_id: int) -> Application:
    application = applications_for(user).filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def operator_application_for(user: Any, application_id: int) -> Application:
    """An application the user may change: only its own organisation's, and only for operators."""
    if not is_operator(user):
        raise Http404
    return application_for(user, application_id)


def versions_of(application: Application) -> QuerySet[ApplicationVersion]:
    return application.versions.select_related("submitted_by").order_by("-number")


def version_for(application: Application, number: int) -> ApplicationVersion:
    version = application.versions.select_related("submitted_by").filter(number=number).first()
    if version is None:
        raise Http404
    return version


def application_history(application: Application) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(application=application).select_related("actor").order_by("-at", "-id")


# --- the submission preview ------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionCheck:
    """What the submit page shows: the evaluation at the round's reference date and the blocking errors."""

    result: EvaluationResult | None
    errors: list[Problem]  # strict validation: every problem blocks submission
    set_aside: list[Problem]  # rows the shown evaluation had to leave out (only when there are errors)

    @property
    def blocked(self) -> bool:
        return bool(self.errors)


def submission_check(application: Application) -> SubmissionCheck:
    """Evaluate the current data against the round's policy at its reference date, cached by data version."""
    space, round_ = application.space, application.round
    policy = load_policy(round_.policy_id)
    key = (
        f"submission:{space.pk}:{space.data_version}:{policy.id}:{policy.version}:"
        f"{round_.reference_date.isoformat()}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    try:
        _, facts = facts_as_of(space, round_.reference_date)
        check = SubmissionCheck(evaluate(facts, policy, as_of=round_.reference_date), [], [])
    except FactsError as error:
        try:
            facts, set_aside = lenient_facts(space_facts_data(space))
            check = SubmissionCheck(
                evaluate(facts, policy, as_of=round_.reference_date), error.problems, set_aside
            )
        except FactsError:
            check = SubmissionCheck(None, error.problems, [])
    cache.set(key, check, timeout=3600)
    return check


def frozen_result(version: ApplicationVersion) -> EvaluationResult:
    return EvaluationResult.model_validate(version.evaluation)
