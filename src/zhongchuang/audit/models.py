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


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.CASCADE, related_name="+"
    )
    space = models.ForeignKey("spaces.Space", null=True, on_delete=models.SET_NULL, related_name="+")
    application = models.ForeignKey(
        "applications.Application", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    table = models.CharField(max_length=40, blank=True)  # the space table of a row change
    row_id = models.BigIntegerField(null=True)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["table", "row_id"]), models.Index(fields=["application", "at"])]

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        return [
            (key, before.get(key), after.get(key))
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        ]
