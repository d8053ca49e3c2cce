"""Writes of the site inspection: assign, declare, record findings and photos, sign. Each is atomic,
checks the application's state and the actor, and leaves an audit entry."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongchuang.accounts.models import BUREAU_ROLES
from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record
from zhongchuang.engine.policy import load_policy
from zhongchuang.evidence.services import sniff_mime
from zhongchuang.inspection.checklist import checklist_for
from zhongchuang.inspection.models import DECLARATION_TEXT, Assignment, FindingPhoto, Inspection, Item
from zhongchuang.notifications.services import notify

PHOTO_MIMES = ("image/jpeg", "image/png")


class InspectionError(Exception):
    """A refused inspection write; `message` is for the page, in the user's language."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def _audit(action: Action, by: Any, inspection: Inspection, summary: str, **changes: Any) -> None:
    application = inspection.application
    audit_record(
        action=action,
        actor=by,
        organisation=application.space.organisation,
        space=application.space,
        application=application,
        table="inspection",
        row_id=inspection.pk,
        summary=summary[:300],
        **changes,
    )


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def _require_state(application: Any) -> None:
    if application.status != "site_inspection":
        raise InspectionError(_("申报不在“现场核查中”状态，不能进行此操作"))


def _same_bureau(user: Any, application: Any) -> bool:
    membership = getattr(user, "membership", None)
    return bool(
        membership is not None
        and membership.role in BUREAU_ROLES
        and membership.bureau_id == application.round.bureau_id
    )


def _admin_of(user: Any, application: Any) -> bool:
    membership = getattr(user, "membership", None)
    return _same_bureau(user, application) and membership.role == "bureau_admin"


def _start(application: Any, *, planned_on: date, by: Any, now: datetime) -> Inspection:
    """Create the inspection and store its checklist, from the latest frozen submission."""
    version = application.versions.filter(withdrawn_at__isnull=True).order_by("-number").first()
    if version is None:
        raise InspectionError(_("该申报没有有效的提交版本"))
    policy = load_policy(application.round.policy_id)
    inspection = Inspection.objects.create(
        application=application,
        planned_on=planned_on,
        version_number=version.number,
        policy_id=policy.id,
        policy_version=policy.version,
        created_by=by,
        created_at=now,
    )
    Item.objects.bulk_create(
        Item(
            inspection=inspection,
            position=position,
            key=item.key,
            section=item.section,
            label=item.label[:300],
            detail=item.detail,
            ref=item.ref[:100],
            declared=item.declared,
            unit=item.unit,
        )
        for position, item in enumerate(checklist_for(policy, version.facts, seed=application.pk), start=1)
    )
    return inspection


@transaction.atomic
def inspection_assign(
    *, application: Any, inspectors: list[Any], planned_on: date, by: Any, now: datetime | None = None
) -> Inspection:
    """Send inspectors (staff of the application's bureau) to the site on `planned_on`; the first
    assignment starts the inspection and stores its checklist. Each inspector is told to declare."""
    from zhongchuang.applications.models import Application

    moment = now or timezone.now()
    application = (
        Application.objects.select_for_update().select_related("round", "space").get(pk=application.pk)
    )
    _require_state(application)
    if not _admin_of(by, application):
        raise InspectionError(_("只有本主管部门的管理员可以指派核查人员"))
    if not inspectors:
        raise InspectionError(_("请至少选择一名核查人员"), field="inspectors")
    for inspector in inspectors:
        if not _same_bureau(inspector, application):
            raise InspectionError(_("核查人员须为本主管部门的工作人员"), field="inspectors")
    inspection = Inspection.objects.filter(application=application).first()
    if inspection is None:
        inspection = _start(application, planned_on=planned_on, by=by, now=moment)
    elif inspection.frozen:
        raise InspectionError(_("核查报告已开始签署，不能再调整核查人员"))
    elif inspection.planned_on != planned_on:
        before = inspection.planned_on.isoformat()
        inspection.planned_on = planned_on
        inspection.save(update_fields=["planned_on"])
        _audit(
            Action.INSPECTION_ASSIGNED,
            by,
            inspection,
            _("调整计划核查日期：%(day)s") % {"day": planned_on.isoformat()},
            before={"planned_on": before},
            after={"planned_on": planned_on.isoformat()},
        )
    added = []
    for inspector in inspectors:
        assignment, created = Assignment.objects.get_or_create(
            inspection=inspection,
            inspector=inspector,
            defaults={"assigned_by": by, "assigned_at": moment},
        )
        if not created and assignment.status != Assignment.Status.REMOVED:
            continue  # already assigned: keep the declaration they made
        if not created:  # re-assigned after removal: a fresh declaration is needed
            assignment.status, assignment.declared_at, assignment.declaration_text = "pending", None, ""
            assignment.assigned_by, assignment.assigned_at = by, moment
            assignment.save()
        added.append(inspector)
    for inspector in added:
        _audit(
            Action.INSPECTION_ASSIGNED,
            by,
            inspection,
            _("指派核查人员：%(name)s，计划 %(day)s")
            % {"name": _name(inspector), "day": planned_on.isoformat()},
            after={"inspector": inspector.pk, "status": "pending", "planned_on": planned_on.isoformat()},
        )
    url = reverse("inspection:inspection", args=[application.pk])
    notify(
        added,
        subject=_("现场核查任务：%(space)s") % {"space": application.space},
        body=_("您被指派于 %(day)s 对“%(space)s”进行现场核查。请先作利害关系声明，再查看核查清单。")
        % {"day": planned_on.isoformat(), "space": application.space},
        url=url,
        application=application,
    )
    return inspection


@transaction.atomic
def inspection_unassign(*, assignment: Assignment, by: Any, now: datetime | None = None) -> None:
    """Withdraw an assignment (e.g. an inspector who never declared) before signing starts."""
    inspection = assignment.inspection
    if not _admin_of(by, inspection.application):
        raise InspectionError(_("只有本主管部门的管理员可以取消指派"))
    if inspection.frozen:
        raise InspectionError(_("核查报告已开始签署，不能再调整核查人员"))
    before = assignment.status
    assignment.status = Assignment.Status.REMOVED
    assignment.save(update_fields=["status"])
    _audit(
        Action.INSPECTION_ASSIGNED,
        by,
        inspection,
        _("取消指派核查人员：%(name)s") % {"name": assignment.display_name},
        before={"inspector": assignment.inspector_id, "status": before},
        after={"inspector": assignment.inspector_id, "status": "removed"},
    )


@transaction.atomic
def inspection_declare(
    *, assignment: Assignment, no_conflict: bool, note: str = "", by: Any, now: datetime | None = None
) -> Assignment:
    """The inspector's conflict-of-interest declaration. Declaring a conflict removes them from this
    inspection (recorded); declaring none opens the checklist to them."""
    moment = now or timezone.now()
    assignment = (
        Assignment.objects.select_for_update().select_related("inspection__application").get(pk=assignment.pk)
    )
    if assignment.inspector_id != by.pk:
        raise InspectionError(_("只能由被指派的核查人员本人声明"))
    if assignment.status != Assignment.Status.PENDING:
        raise InspectionError(_("您已作出声明"))
    _require_state(assignment.inspection.application)
    if not no_conflict and not note.strip():
        raise InspectionError(_("请说明存在的利害关系"), field="conflict_note")
    assignment.status = Assignment.Status.DECLARED if no_conflict else Assignment.Status.CONFLICT
    assignment.declaration_text = str(DECLARATION_TEXT) if no_conflict else ""
    assignment.conflict_note = "" if no_conflict else note.strip()[:300]
    assignment.declared_at = moment
    assignment.save()
    _audit(
        Action.INSPECTION_ASSIGNED,
        by,
        assignment.inspection,
        (_("声明与被核查单位无利害关系：%(name)s") if no_conflict else _("声明存在利害关系并回避：%(name)s"))
        % {"name": _name(by)},
        before={"inspector": by.pk, "status": "pending"},
        after={
            "inspector": by.pk,
            "status": assignment.status,
            "declared_at": moment.isoformat(),
            "conflict_note": assignment.conflict_note,
        },
    )
    if not no_conflict:  # the admin who sent them must send someone else
        application = assignment.inspection.application
        notify(
            [assignment.assigned_by],
            subject=_("核查人员申请回避：%(space)s") % {"space": application.space},
            body=_("%(name)s 声明与被核查单位存在利害关系，已回避：%(note)s")
            % {"name": _name(by), "note": assignment.conflict_note},
            url=reverse("inspection:inspection", args=[application.pk]),
            application=application,
        )
    return assignment


def _declared(inspection: Inspection, user: Any) -> Assignment:
    assignment = inspection.assignments.filter(inspector=user, status=Assignment.Status.DECLARED).first()
    if assignment is None:
        raise InspectionError(_("只有已声明无利害关系的核查人员可以填写核查发现"))
    return assignment


def _lock_item(item: Item, by: Any) -> Item:
    locked = Item.objects.select_for_update().select_related("inspection__application").get(pk=item.pk)
    inspection = locked.inspection
    _require_state(inspection.application)
    _declared(inspection, by)
    if inspection.frozen:
        raise InspectionError(_("核查报告已签署，核查发现不能再修改"))
    return locked


@transaction.atomic
def finding_record(
    *,
    item: Item,
    result: str,
    note: str = "",
    measured: Decimal | None = None,
    by: Any,
    now: datetime | None = None,
) -> Item:
    """The finding for one item: result, note and (for area items) the measured area."""
    moment = now or timezone.now()
    item = _lock_item(item, by)
    if result not in Item.Result.values:
        raise InspectionError(_("请选择核查结果"), field="result")
    if measured is not None and not item.measurable:
        measured = None  # only area items carry a measurement
    if measured is not None and measured < 0:
        raise InspectionError(_("实测面积不能为负数"), field="measured")
    if measured is not None:
        measured = measured.quantize(Decimal("0.01"))  # as stored, so the audit shows what the page shows
    before = {"result": item.result, "note": item.note, "measured": _text(item.measured)}
    item.result, item.note, item.measured = result, note.strip(), measured
    item.updated_by, item.updated_at = by, moment
    item.save(update_fields=["result", "note", "measured", "updated_by", "updated_at"])
    after = {"key": item.key, "result": result, "note": item.note, "measured": _text(measured)}
    _audit(
        Action.INSPECTION_FINDING,
        by,
        item.inspection,
        f"{item.label}：{item.get_result_display()}",
        before=before,
        after=after,
    )
    return item


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def photo_add(
    *, item: Item, content: bytes, filename: str, by: Any, now: datetime | None = None
) -> FindingPhoto:
    """A JPEG or PNG photo of the item, the type read from the bytes (the evidence app's sniffer)."""
    moment = now or timezone.now()
    item = _lock_item(item, by)
    if not content:
        raise InspectionError(_("文件为空"), field="photo")
    if len(content) > settings.EVIDENCE_MAX_BYTES:
        raise InspectionError(
            _("文件超过大小上限（%(limit)d MB）") % {"limit": settings.EVIDENCE_MAX_BYTES // 1024 // 1024},
            field="photo",
        )
    mime = sniff_mime(content[:512])
    if mime not in PHOTO_MIMES:
        raise InspectionError(_("只接受 JPEG 或 PNG 照片（按文件内容判断，与扩展名无关）"), field="photo")
    photo = FindingPhoto(
        item=item,
        mime=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=filename[:255],
        uploaded_by=by,
        uploaded_at=moment,
    )
    photo.file.save(photo.sha256, ContentFile(content), save=False)
    photo.save()
    _audit(
        Action.INSPECTION_FINDING,
        by,
        item.inspection,
        _("上传核查照片：%(label)s") % {"label": item.label},
        after={"key": item.key, "photo": photo.pk, "sha256": photo.sha256, "size": photo.size},
    )
    return photo


def signing_problems(inspection: Inspection) -> list[str]:
    """Why the report cannot be signed yet (empty when it can)."""
    problems = []
    missing = inspection.items.filter(result="").count()
    if missing:
        problems.append(_("尚有 %(n)d 项核查结果未填写") % {"n": missing})
    pending = [a.display_name for a in inspection.assignments.filter(status=Assignment.Status.PENDING)]
    if pending:
        problems.append(_("尚有核查人员未作利害关系声明：%(names)s") % {"names": "、".join(pending)})
    return problems


@transaction.atomic
def inspection_sign(
    *, inspection: Inspection, typed_name: str, confirmed: bool, by: Any, now: datetime | None = None
) -> Inspection:
    """One inspector's signature. The first freezes the findings; the last completes the report (PDF)."""
    from zhongchuang.inspection.pdf import report_pdf

    moment = now or timezone.now()
    inspection = (
        Inspection.objects.select_for_update().select_related("application__space").get(pk=inspection.pk)
    )
    _require_state(inspection.application)
    assignment = _declared(inspection, by)
    if assignment.signed_at is not None:
        raise InspectionError(_("您已签署本报告"))
    problems = signing_problems(inspection)
    if problems:
        raise InspectionError("；".join(problems))
    if not confirmed:
        raise InspectionError(_("请确认核查发现真实、准确"), field="confirmed")
    if typed_name.strip() != _name(by):
        raise InspectionError(_("请输入您的姓名“%(name)s”作为签名") % {"name": _name(by)}, field="typed_name")
    assignment.signed_name, assignment.signed_at = typed_name.strip(), moment
    assignment.save(update_fields=["signed_name", "signed_at"])
    remaining = inspection.assignments.filter(
        status=Assignment.Status.DECLARED, signed_at__isnull=True
    ).count()
    after: dict[str, Any] = {
        "inspector": by.pk,
        "signed_name": assignment.signed_name,
        "signed_at": moment.isoformat(),
    }
    if remaining == 0:
        inspection.signed_at = moment
        content = report_pdf(inspection)
        inspection.report_sha256 = hashlib.sha256(content).hexdigest()
        inspection.report.save("report.pdf", ContentFile(content), save=False)
        inspection.save(update_fields=["signed_at", "report", "report_sha256"])
        after["report_sha256"] = inspection.report_sha256
    _audit(
        Action.INSPECTION_SIGNED,
        by,
        inspection,
        _("签署核查报告：%(name)s") % {"name": assignment.signed_name}
        + (_("（全部签署完成）") if remaining == 0 else ""),
        after=after,
    )
    return inspection
