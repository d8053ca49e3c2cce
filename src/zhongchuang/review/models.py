"""Intake and formal review: paper receipts, verdicts per criterion, review items, correction requests.

Nothing here replaces the frozen evaluation of a version: verdicts and resolutions sit beside it,
each tied to the version number it was given on (a resubmission is reviewed afresh).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaperReceipt(models.Model):
    """One paper packet logged by staff. Kept for ever, including packets refused as late."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="receipts"
    )
    received_at = models.DateTimeField(_("收件时间"))
    postmark_date = models.DateField(_("邮戳日期"), null=True, blank=True)
    tracking_number = models.CharField(_("快递单号"), max_length=60, blank=True)
    carrier = models.CharField(_("寄送方式"), max_length=60, blank=True)
    pages = models.PositiveIntegerField(_("页数"))
    note = models.TextField(_("备注"), blank=True)
    accepted = models.BooleanField(_("受理"))
    refusal_reason = models.CharField(_("不予受理理由"), max_length=300, blank=True)
    warnings = models.JSONField(default=list)  # ["收件时间 12:30 不在收件时段…"]: shown, never a refusal
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField()

    class Meta:
        ordering = ["application", "-logged_at", "-id"]
        verbose_name = _("纸质材料收件")
        verbose_name_plural = _("纸质材料收件")


class CriterionVerdict(models.Model):
    """The reviewer's verdict on one criterion of one version, beside the engine's status (never instead)."""

    class Verdict(models.TextChoices):
        AGREE = "agree", _("同意自检结果")
        OVERRIDE_PASS = "override_pass", _("改判为符合")
        OVERRIDE_FAIL = "override_fail", _("改判为不符合")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="criterion_verdicts"
    )
    version_number = models.PositiveIntegerField()
    criterion_id = models.CharField(max_length=40)
    engine_status = models.CharField(max_length=20)  # copied from the frozen evaluation
    verdict = models.CharField(_("审核意见"), max_length=20, choices=Verdict.choices)
    reason = models.TextField(_("理由"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["application", "version_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "version_number", "criterion_id"], name="one_verdict_per_criterion"
            )
        ]

    @property
    def is_override(self) -> bool:
        return self.verdict != self.Verdict.AGREE


class ReviewItem(models.Model):
    """The resolution of one `needs_review` check (kind J/M) of one version."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("经核实属实")
        NOT_CONFIRMED = "not_confirmed", _("经核实不属实")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="review_items"
    )
    version_number = models.PositiveIntegerField()
    criterion_id = models.CharField(max_length=40)
    check_id = models.CharField(max_length=40)
    outcome = models.CharField(_("核实结果"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["application", "version_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "version_number", "check_id"], name="one_resolution_per_check"
            )
        ]


class CorrectionRequest(models.Model):
    """What the operator must fix, by when. Answered once a version newer than `version_number` exists."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="correction_requests"
    )
    version_number = models.PositiveIntegerField()  # the version under review when corrections were asked
    due_date = models.DateField(_("补正截止日期"))  # inclusive, to 24:00 Asia/Shanghai
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["application", "-created_at", "-id"]
        verbose_name = _("补正通知")
        verbose_name_plural = _("补正通知")


class CorrectionItem(models.Model):
    request = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("需补正的内容"))
    criterion_id = models.CharField(_("涉及条件"), max_length=40, blank=True)
    table = models.CharField(_("涉及数据表"), max_length=40, blank=True)

    class Meta:
        ordering = ["request", "position"]
