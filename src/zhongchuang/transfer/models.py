"""A background job (import, export, packet) and its progress, as the job page shows it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_path(job: Job, filename: str) -> str:
    # MEDIA_ROOT is never served directly: files leave only through the job's download view, and the
    # stored name is random so no user-chosen path reaches the file system.
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"transfer/{job.space_id or 'applications'}/{uuid.uuid4().hex}{suffix[:8]}"


class Job(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", _("导入工作簿")
        EXPORT = "export", _("导出工作簿")
        PACKET_PDF = "packet_pdf", _("申报材料 PDF")
        PACKET_DOCX = "packet_docx", _("申报材料 Word")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Stage(models.TextChoices):
        """An import is checked first (problems or a preview), then applied once the user confirms."""

        CHECK = "check", _("检查")
        PREVIEW = "preview", _("待确认")
        APPLY = "apply", _("写入")
        APPLIED = "applied", _("已导入")
        PROBLEMS = "problems", _("有错误")

    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    application = models.ForeignKey(
        "applications.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    version = models.ForeignKey(
        "applications.ApplicationVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    source = models.FileField(upload_to=private_path, blank=True)  # the uploaded workbook of an import
    source_name = models.CharField(max_length=255, blank=True)
    result = models.FileField(upload_to=private_path, blank=True)  # written only once the work is complete
    result_name = models.CharField(max_length=255, blank=True)
    # An import's outcome: {"problems": [...]} or {"data": facts, "plan": preview, "data_version": n}
    payload = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)  # dates, decimals → text
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.finished else 0)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
