"""Writes for intake and formal review: each atomic, validated and audited; state changes go
through `workflow.services.transition` only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongchuang.applications.models import Application
from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record
from zhongchuang.review import selectors
from zhongchuang.review.intake import SHANGHAI, receiving_warnings, timeliness
from zhongchuang.review.models import (
    CorrectionItem,
    CorrectionRequest,
    CriterionVerdict,
    PaperReceipt,
    ReviewItem,
)
from zhongchuang.workflow.services import TransitionRefused, transition, workflow_role

STAFF_ROLES = ("reviewer", "bureau_admin")


class ReviewError(Exception):
    """A write that cannot be done; `field` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("round__bureau", "space__organisation")
        .get(pk=application.pk)
    )


def _require_staff(application: Application, by: Any) -> None:
    """Reviewers and bureau admins of the round's bureau only (views already 404 everyone else)."""
    if workflow_role(by) not in STAFF_ROLES or by.membership.bureau_id != application.round.bureau_id:
        raise ReviewError(_("您无权审核该申报"))


def _require_state(application: Application, *states: str) -> None:
    if application.status not in states:
        raise ReviewError(
            _("申报当前状态为“%(state)s”，不能进行此操作") % {"state": application.get_status_display()}
        )


def _audit(application: Application, action: Action, by: Any, **kwargs: Any) -> None:
    audit_record(
        action=action,
        actor=by,
        organisation=application.space.organisation,
        space=application.space,
        application=application,
        **kwargs,
    )


# --- intake ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptOutcome:
    receipt: PaperReceipt
    step: str  # "receive" or "refuse_late"


@transaction.atomic
def receipt_log(
    application: Application,
    *,
    received_at: datetime,
    postmark_date: date | None,
    tracking_number: str,
    pages: int,
    by: Any,
    carrier: str = "",
    note: str = "",
    now: datetime | None = None,
) -> ReceiptOutcome:
    """Log a paper packet, decide in time or late, keep the record either way, and take the step."""
    moment = now or timezone.now()
    caller, application = application, _locked(application)
    _require_staff(application, by)
    _require_state(application, Application.Status.SUBMITTED)
    round_ = application.round
    if timezone.is_naive(received_at):
        raise ReviewError(_("收件时间须带时区"), field="received_at")
    today = moment.astimezone(SHANGHAI).date()
    received_on = received_at.astimezone(SHANGHAI).date()
    if received_at > moment:
        raise ReviewError(_("收件时间不能晚于现在"), field="received_at")
    if postmark_date is None and round_.deadline_rule == "postmark":
        raise ReviewError(_("本轮次以邮戳日期为准，请填写邮戳日期"), field="postmark_date")
    if postmark_date is not None and postmark_date > today:
        raise ReviewError(_("邮戳日期不能晚于今天"), field="postmark_date")
    if postmark_date is not None and postmark_date > received_on:
        raise ReviewError(_("邮戳日期不能晚于收件日期"), field="postmark_date")
    if pages < 1:
        raise ReviewError(_("页数至少为 1"), field="pages")
    decided = timeliness(
        rule=round_.deadline_rule,
        deadline=round_.deadline,
        received_at=received_at,
        postmark_date=postmark_date,
    )
    receipt = PaperReceipt.objects.create(
        application=application,
        received_at=received_at,
        postmark_date=postmark_date,
        tracking_number=tracking_number.strip(),
        carrier=carrier.strip(),
        pages=pages,
        note=note.strip(),
        accepted=decided.in_time,
        refusal_reason=decided.reason,
        warnings=receiving_warnings(round_.receiving_hours, received_at),
        logged_by=by,
        logged_at=moment,
    )
    after = {
        "received_at": received_at.astimezone(SHANGHAI).isoformat(),
        "postmark_date": postmark_date.isoformat() if postmark_date else None,
        "tracking_number": receipt.tracking_number,
        "carrier": receipt.carrier,
        "pages": pages,
        "accepted": decided.in_time,
        "refusal_reason": decided.reason,
        "warnings": receipt.warnings,
    }
    _audit(
        application,
        Action.RECEIPT_LOGGED if decided.in_time else Action.RECEIPT_REFUSED,
        by,
        table="paper_receipt",
        row_id=receipt.pk,
        summary=(
            f"登记收件：{receipt.tracking_number}，{pages}页"
            + ("" if decided.in_time else f"；{decided.reason}")
        )[:300],
        after=after,
    )
    step = "receive" if decided.in_time else "refuse_late"
    try:
        transition(
            application, step, by=by, comment=decided.reason, now=moment, details={"receipt": receipt.pk}
        )
    except TransitionRefused as refused:
        raise ReviewError("；".join(refused.reasons)) from None
    caller.status = application.status
    return ReceiptOutcome(receipt, step)


# --- formal review ---------------------------------------------------------------------------------


def _latest_for_review(application: Application) -> Any:
    version = selectors.latest_version(application)
    if version is None:
        raise ReviewError(_("尚未提交申报"))
    return version


@transaction.atomic
def criterion_verdict_give(
    application: Application,
    *,
    criterion_id: str,
    verdict: str,
    reason: str,
    by: Any,
    now: datetime | None = None,
) -> CriterionVerdict:
    """Agree with the engine on a criterion, or override it with a reason; the engine's status is kept."""
    moment = now or timezone.now()
    application = _locked(application)
    _require_staff(application, by)
    _require_state(application, Application.Status.FORMAL_REVIEW)
    version = _latest_for_review(application)
    criterion = next((c for c in selectors.frozen_result(version).criteria if c.id == criterion_id), None)
    if criterion is None:
        raise ReviewError(_("第%(n)s版中没有条件 %(id)s") % {"n": version.number, "id": criterion_id})
    if verdict not in CriterionVerdict.Verdict.values:
        raise ReviewError(_("请选择审核意见"), field="verdict")
    if verdict != CriterionVerdict.Verdict.AGREE and not reason.strip():
        raise ReviewError(_("改判须填写理由"), field="reason")
    existing = CriterionVerdict.objects.filter(
        application=application, version_number=version.number, criterion_id=criterion_id
    ).first()
    before = _verdict_snapshot(existing) if existing else None
    row = existing or CriterionVerdict(
        application=application, version_number=version.number, criterion_id=criterion_id
    )
    row.engine_status, row.verdict, row.reason, row.by, row.at = (
        criterion.status,
        verdict,
        reason.strip(),
        by,
        moment,
    )
    row.save()
    label = CriterionVerdict.Verdict(verdict).label
    _audit(
        application,
        Action.REVIEW_VERDICT if verdict == CriterionVerdict.Verdict.AGREE else Action.REVIEW_OVERRIDE,
        by,
        table="criterion_verdict",
        row_id=row.pk,
        summary=f"第{version.number}版 {criterion_id}：{label}" + (f"：{row.reason}" if row.reason else ""),
        before=before,
        after=_verdict_snapshot(row),
    )
    return row


def _verdict_snapshot(row: CriterionVerdict) -> dict[str, Any]:
    return {
        "version": row.version_number,
        "criterion": row.criterion_id,
        "engine_status": row.engine_status,
        "verdict": row.verdict,
        "reason": row.reason,
    }


@transaction.atomic
def review_item_resolve(
    application: Application,
    *,
    check_id: str,
    outcome: str,
    note: str,
    by: Any,
    now: datetime | None = None,
) -> ReviewItem:
    """Resolve one `needs_review` check of the latest version: confirmed, or not confirmed with a note."""
    moment = now or timezone.now()
    application = _locked(application)
    _require_staff(application, by)
    _require_state(application, Application.Status.FORMAL_REVIEW)
    version = _latest_for_review(application)
    found = [
        (criterion, check)
        for criterion in selectors.frozen_result(version).criteria
        for check in selectors.review_checks(criterion)
        if check.id == check_id
    ]
    if not found:
        raise ReviewError(_("第%(n)s版中没有待审核事项 %(id)s") % {"n": version.number, "id": check_id})
    if outcome not in ReviewItem.Outcome.values:
        raise ReviewError(_("请选择核实结果"), field="outcome")
    if outcome == ReviewItem.Outcome.NOT_CONFIRMED and not note.strip():
        raise ReviewError(_("核实不属实时须填写说明"), field="note")
    criterion, _check = found[0]
    existing = ReviewItem.objects.filter(
        application=application, version_number=version.number, check_id=check_id
    ).first()
    before = _item_snapshot(existing) if existing else None
    row = existing or ReviewItem(
        application=application, version_number=version.number, check_id=check_id, criterion_id=criterion.id
    )
    row.outcome, row.note, row.by, row.at = outcome, note.strip(), by, moment
    row.save()
    _audit(
        application,
        Action.REVIEW_ITEM_RESOLVED,
        by,
        table="review_item",
        row_id=row.pk,
        summary=f"第{version.number}版 {check_id}：{ReviewItem.Outcome(outcome).label}"
        + (f"：{row.note}" if row.note else ""),
        before=before,
        after=_item_snapshot(row),
    )
    return row


def _item_snapshot(row: ReviewItem) -> dict[str, Any]:
    return {"version": row.version_number, "check": row.check_id, "outcome": row.outcome, "note": row.note}


# --- corrections -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorrectionEntry:
    text: str
    criterion_id: str = ""
    table: str = ""


def correction_summary(items: list[CorrectionEntry], due_date: date) -> str:
    """The workflow comment (and the operator's message): every item, and the due date."""
    from zhongchuang.spaces.schema import TABLES_BY_NAME

    lines = []
    for n, item in enumerate(items, start=1):
        table = TABLES_BY_NAME[item.table].label_zh if item.table in TABLES_BY_NAME else item.table
        where = " / ".join(x for x in (item.criterion_id, table) if x)
        lines.append(f"{n}. " + (f"[{where}] " if where else "") + item.text.strip())
    return f"请于 {due_date.isoformat()}（含当日，北京时间24:00前）提交补正材料：\n" + "\n".join(lines)


@transaction.atomic
def correction_request_create(
    application: Application,
    *,
    items: list[CorrectionEntry],
    due_date: date,
    by: Any,
    now: datetime | None = None,
) -> CorrectionRequest:
    """Record what must be fixed and by when, then take `request_correction` with the list as comment."""
    moment = now or timezone.now()
    caller, application = application, _locked(application)
    _require_staff(application, by)
    _require_state(application, Application.Status.FORMAL_REVIEW)
    items = [item for item in items if item.text.strip()]
    if not items:
        raise ReviewError(_("请至少填写一项需补正的内容"), field="items")
    if due_date <= moment.astimezone(SHANGHAI).date():
        raise ReviewError(_("补正期限须晚于今天"), field="due_date")
    version = _latest_for_review(application)
    request = CorrectionRequest.objects.create(
        application=application,
        version_number=version.number,
        due_date=due_date,
        created_by=by,
        created_at=moment,
    )
    CorrectionItem.objects.bulk_create(
        CorrectionItem(
            request=request,
            position=n,
            text=item.text.strip(),
            criterion_id=item.criterion_id.strip(),
            table=item.table.strip(),
        )
        for n, item in enumerate(items, start=1)
    )
    comment = correction_summary(items, due_date)
    _audit(
        application,
        Action.CORRECTION_REQUESTED,
        by,
        table="correction_request",
        row_id=request.pk,
        summary=f"要求补正（{len(items)}项），期限 {due_date.isoformat()}",
        after={
            "version": version.number,
            "due_date": due_date.isoformat(),
            "items": [{"text": i.text, "criterion": i.criterion_id, "table": i.table} for i in items],
        },
    )
    try:
        transition(
            application,
            "request_correction",
            by=by,
            comment=comment,
            now=moment,
            details={"correction_request": request.pk, "due_date": due_date.isoformat()},
        )
    except TransitionRefused as refused:
        raise ReviewError("；".join(refused.reasons)) from None
    caller.status = application.status
    return request
