from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """One vocabulary of dotted action names, shared by history pages and notifications."""

    ROW_CREATED = "space.row_created", _("新增")
    ROW_UPDATED = "space.row_updated", _("修改")
    ROW_DELETED = "space.row_deleted", _("删除")
    PROFILE_UPDATED = "space.profile_updated", _("修改基本信息")
    EVIDENCE_UPLOADED = "evidence.uploaded", _("上传佐证材料")
    EVIDENCE_DELETED = "evidence.deleted", _("删除佐证材料")
    APPLICATION_CREATED = "application.created", _("创建申报")
    APPLICATION_SUBMITTED = "application.submitted", _("提交申报")
    APPLICATION_WITHDRAWN = "application.withdrawn", _("撤回申报")
    ROUND_OPENED = "round.opened", _("开启申报轮次")
    ROUND_UPDATED = "round.updated", _("修改申报轮次")
    MEMBER_INVITED = "member.invited", _("邀请成员")
    MEMBER_JOINED = "member.joined", _("成员加入")
    APPLICATION_TRANSITION = "application.transition", _("流程变更")
    RECEIPT_LOGGED = "receipt.logged", _("登记收件")
    RECEIPT_REFUSED = "receipt.refused", _("逾期不予受理")
    REVIEW_VERDICT = "review.verdict", _("审核意见")
    REVIEW_OVERRIDE = "review.override", _("改判")
    REVIEW_ITEM_RESOLVED = "review.item_resolved", _("待审核事项处理")
    CORRECTION_REQUESTED = "correction.requested", _("要求补正")
    INSPECTION_ASSIGNED = "inspection.assigned", _("指派核查人员")
    INSPECTION_FINDING = "inspection.finding", _("核查发现")
    INSPECTION_SIGNED = "inspection.signed", _("签署核查报告")
    MEETING_RECORDED = "meeting.recorded", _("集体研究会议")
    DECISION_RECORDED = "decision.recorded", _("集体研究决定")
    NOTICE_PUBLISHED = "notice.published", _("发布公示")
    OBJECTION_LODGED = "objection.lodged", _("收到异议")
    OBJECTION_HANDLED = "objection.handled", _("异议处理")
    CERTIFICATE_ISSUED = "certificate.issued", _("颁发认定证书")
    CERTIFICATE_SUSPENDED = "certificate.suspended", _("暂停认定")
    CERTIFICATE_REVOKED = "certificate.revoked", _("撤销认定")
    CERTIFICATE_REINSTATED = "certificate.reinstated", _("恢复认定")
    DOCUMENT_ISSUED = "document.issued", _("生成文书")
    CALENDAR_OVERRIDE = "calendar.override", _("工作日历调整")


UNCHAINED = ""  # no link: never used by a saved entry


class AuditEntry(models.Model):
    """One append-only entry. `hash` chains it to the entry before (`prev_hash`), so any edit,
    deletion or insertion breaks the chain at the first changed entry (`audit.chain.verify_chain`).

    The links to users, organisations, spaces and applications are plain ids (no database
    constraint, nothing done on delete): deleting a space must never rewrite its history.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    space = models.ForeignKey(
        "spaces.Space", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    table = models.CharField(
        max_length=40, blank=True
    )  # the space table of a row change, or "round", "certificate"…
    row_id = models.BigIntegerField(null=True)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64, default=UNCHAINED)
    hash = models.CharField(max_length=64, default=UNCHAINED, unique=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["table", "row_id"]), models.Index(fields=["application", "at"])]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnly("audit entries are never changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit entries are never deleted")

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        return [
            (key, before.get(key), after.get(key))
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        ]


class AppendOnly(Exception):
    """An attempt to change or delete an audit entry."""


class AuditHead(models.Model):
    """The single row holding the last link: appends lock it, so two writers never fork the chain,
    and the count catches an entry removed from the end."""

    hash = models.CharField(max_length=64, default=UNCHAINED)
    count = models.BigIntegerField(default=0)
