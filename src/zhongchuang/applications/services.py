"""Writes for rounds and applications. Every write is atomic and audited.

An application's state changes only through `zhongchuang.workflow.services.transition`;
submission freezes an immutable `ApplicationVersion` (facts as of the round's reference date,
the evidence with hashes, the evaluation and the policy's version hash).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongchuang.applications.models import Application, ApplicationVersion, Round
from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record
from zhongchuang.bridge.services import space_facts_data
from zhongchuang.engine.context import SHANGHAI
from zhongchuang.engine.evaluate import evaluate
from zhongchuang.engine.policy import load_policy, policy_ids
from zhongchuang.errors import FactsError, Problem
from zhongchuang.evidence.models import Document
from zhongchuang.facts import parse_facts
from zhongchuang.workflow.services import TransitionRefused, refusals, transition

PLEDGE_TITLE = "申报单位承诺"
PLEDGE_TEXT = "本单位承诺所填报的信息及提供的材料真实、准确、完整，如有虚假，愿承担相应责任。"
ROUND_FIELDS = (
    "name",
    "policy_id",
    "notice_date",
    "deadline",
    "deadline_rule",
    "reference_date",
    "receiving_hours",
    "notice_working_days",
    "is_open",
)


class ApplicationError(Exception):
    """A write that cannot be done. `message` is shown to the user; `problems` lists data errors with paths."""

    def __init__(self, message: str, problems: list[Problem] | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.field = field  # the form field the message belongs next to, if any


# --- deadline --------------------------------------------------------------------------------------


def deadline_passed(round_: Round, now: datetime | None = None) -> bool:
    """The deadline is the whole deadline day in Asia/Shanghai: 23:59:59 is in time, 00:00:00 next day is not."""
    moment = now or timezone.now()
    return moment.astimezone(SHANGHAI).date() > round_.deadline


def accepts_submissions(round_: Round, now: datetime | None = None) -> bool:
    return round_.is_open and not deadline_passed(round_, now)


# --- rounds ----------------------------------------------------------------------------------------


def _round_snapshot(round_: Round) -> dict[str, Any]:
    return {
        name: (value.isoformat() if isinstance(value, date) else value)
        for name in ROUND_FIELDS
        for value in [getattr(round_, name)]
    }


def _validate_round(round_: Round) -> None:
    if round_.policy_id not in policy_ids():
        raise ApplicationError(_("未知的政策"), field="policy_id")
    if round_.deadline < round_.notice_date:
        raise ApplicationError(_("截止日期不能早于通知发布日期"), field="deadline")
    if not round_.name.strip():
        raise ApplicationError(_("请填写名称"), field="name")
    try:
        round_.receiving_periods()
    except ValueError as error:
        raise ApplicationError(str(error), field="receiving_hours") from None


@transaction.atomic
def round_open(
    *,
    bureau: Any,
    name: str,
    policy_id: str,
    notice_date: date,
    deadline: date,
    deadline_rule: str,
    reference_date: date,
    by: Any,
    receiving_hours: str = "09:00-12:00,13:00-17:00",
    notice_working_days: int = 5,
) -> Round:
    round_ = Round(
        bureau=bureau,
        name=name,
        policy_id=policy_id,
        notice_date=notice_date,
        deadline=deadline,
        deadline_rule=deadline_rule,
        reference_date=reference_date,
        receiving_hours=receiving_hours,
        notice_working_days=notice_working_days,
        is_open=True,
    )
    _validate_round(round_)
    round_.save()
    audit_record(
        action=Action.ROUND_OPENED,
        actor=by,
        table="round",
        row_id=round_.pk,
        summary=f"{bureau.name}：{name}",
        after=_round_snapshot(round_),
    )
    return round_


@transaction.atomic
def round_update(*, round: Round, values: dict[str, Any], by: Any) -> Round:
    """Change a round's fields, including closing (`is_open=False`) and reopening it."""
    unknown = set(values) - set(ROUND_FIELDS)
    if unknown:
        raise ApplicationError(_("不能修改这些字段：%(names)s") % {"names": "、".join(sorted(unknown))})
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    before = _round_snapshot(round_)
    if "policy_id" in values and values["policy_id"] != round_.policy_id and round_.applications.exists():
        raise ApplicationError(_("本轮次已有申报，不能更换政策"), field="policy_id")
    for name, value in values.items():
        setattr(round_, name, value)
    _validate_round(round_)
    round_.save()
    after = _round_snapshot(round_)
    if before != after:
        audit_record(
            action=Action.ROUND_UPDATED,
            actor=by,
            table="round",
            row_id=round_.pk,
            summary=round_.name,
            before=before,
            after=after,
        )
    round.refresh_from_db()
    return round_


# --- applications ----------------------------------------------------------------------------------


@transaction.atomic
def application_create(*, space: Any, round: Round, by: Any) -> Application:
    if not round.is_open:
        raise ApplicationError(_("该申报轮次已关闭"), field="round")
    try:
        with transaction.atomic():
            application = Application.objects.create(round=round, space=space, created_by=by)
    except IntegrityError:
        raise ApplicationError(_("该众创空间已在本轮次中创建了申报"), field="round") from None
    audit_record(
        action=Action.APPLICATION_CREATED,
        actor=by,
        organisation=space.organisation,
        space=space,
        application=application,
        summary=f"{space}：{round.name}",
        after={"round": round.name},
    )
    return application


def _evidence_refs(value: Any, found: set[str]) -> set[str]:
    """Every document id an `evidence` list anywhere in the facts refers to."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "evidence" and isinstance(item, list):
                found.update(ref for ref in item if isinstance(ref, str))
            else:
                _evidence_refs(item, found)
    elif isinstance(value, list):
        for item in value:
            _evidence_refs(item, found)
    return found


def frozen_evidence(space: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
    refs = _evidence_refs({k: v for k, v in data.items() if k != "documents"}, set())
    ids = sorted(int(ref[1:]) for ref in refs if ref.startswith("D") and ref[1:].isdigit())
    documents = Document.objects.filter(space=space, pk__in=ids).order_by("pk")
    return [
        {"ref": d.ref, "kind": d.kind, "title": d.title, "sha256": d.sha256, "size": d.size, "mime": d.mime}
        for d in documents
    ]


def facts_as_of(space: Any, as_of: date) -> tuple[dict[str, Any], Any]:
    """The strict facts of a submission, stamped with the reference date; FactsError lists every problem."""
    data = space_facts_data(space)
    data["as_of"] = as_of.isoformat()
    return data, parse_facts(data)


@transaction.atomic
def application_submit(
    *, application: Application, pledge_accepted: bool, by: Any, now: datetime | None = None
) -> ApplicationVersion:
    """Freeze the current data into version n+1, after the pledge, in time, and without data errors.

    A first submission (or one after withdrawal) is the workflow's `submit`, inside the round's
    deadline; the answer to a correction request is `resubmit`, due by the request's date instead.
    """
    moment = now or timezone.now()
    caller, application = (
        application,
        Application.objects.select_for_update()
        .select_related("round__bureau", "space__organisation")
        .get(pk=application.pk),
    )
    round_ = application.round
    if not pledge_accepted:
        raise ApplicationError(_("请阅读并勾选申报单位承诺后再提交"), field="pledge")
    step = "resubmit" if application.status == Application.Status.CORRECTION_REQUESTED else "submit"
    if step == "submit" and application.status not in (
        Application.Status.DRAFT,
        Application.Status.WITHDRAWN,
    ):
        raise ApplicationError(_("该申报已提交；如需修改，请先撤回"))
    reasons = refusals(application, step, by=by, now=moment)
    if reasons:
        raise ApplicationError("；".join(reasons))
    space = application.space
    try:
        data, facts = facts_as_of(space, round_.reference_date)
    except FactsError as error:
        raise ApplicationError(_("数据有错误，改正后才能提交"), problems=error.problems) from None
    policy = load_policy(round_.policy_id)
    result = evaluate(facts, policy, as_of=round_.reference_date)
    number = (application.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ApplicationVersion.objects.create(
        application=application,
        number=number,
        facts=facts.model_dump(mode="json"),
        evidence=frozen_evidence(space, data),
        evaluation=result.model_dump(mode="json"),
        verdict=result.verdict,
        policy_id=policy.id,
        policy_version=policy.version,
        pledge_text=f"{PLEDGE_TITLE}：{PLEDGE_TEXT}",
        submitted_by=by,
        submitted_at=moment,
    )
    transition(
        application,
        step,
        by=by,
        now=moment,
        details={"version": number, "verdict": result.verdict, "policy_version": policy.version},
    )
    caller.status = application.status
    return version


@transaction.atomic
def application_withdraw(
    *, application: Application, by: Any, now: datetime | None = None
) -> ApplicationVersion:
    """Mark the current version withdrawn; it stays readable, and a resubmission makes a new version."""
    moment = now or timezone.now()
    caller, application = (
        application,
        Application.objects.select_for_update()
        .select_related("round", "space__organisation")
        .get(pk=application.pk),
    )
    version = application.versions.order_by("-number").first()
    if version is None:
        raise ApplicationError(_("只有已提交的申报可以撤回"))
    try:
        transition(application, "withdraw", by=by, now=moment, details={"version": version.number})
    except TransitionRefused as refused:
        raise ApplicationError("；".join(refused.reasons)) from None
    version.withdrawn_at = moment
    version.save(update_fields=["withdrawn_at"])
    caller.status = application.status
    return version
