from __future__ import annotations

import re
from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def parse_receiving_hours(text: str) -> list[tuple[time, time]]:
    """'09:00-12:00,13:00-17:00' → [(09:00, 12:00), (13:00, 17:00)]; ValueError (Chinese) names the bad part."""
    periods = []
    for part in text.replace("，", ",").replace(" ", "").split(","):
        match = HOURS.match(part)
        if not match:
            raise ValueError(f"“{part}”不是“09:00-12:00”这样的时段")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
            raise ValueError(f"时段“{part}”无效：开始须早于结束")
        periods.append((time(h1, m1), time(h2, m2)))
    return periods


class Round(models.Model):
    """A call for applications of one bureau under one policy (e.g. Xiamen 2025, comprehensive type)."""

    class DeadlineRule(models.TextChoices):
        POSTMARK = "postmark", _("以寄出邮戳为准")
        RECEIVED = "received", _("以收到为准")

    bureau = models.ForeignKey("accounts.Bureau", on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("名称"), max_length=200)
    policy_id = models.CharField(_("政策"), max_length=60)
    notice_date = models.DateField(_("通知发布日期"))
    deadline = models.DateField(_("截止日期"))
    deadline_rule = models.CharField(
        _("截止规则"), max_length=20, choices=DeadlineRule.choices, default=DeadlineRule.POSTMARK
    )
    reference_date = models.DateField(_("基准日"))
    receiving_hours = models.CharField(
        _("收件时间"),
        max_length=100,
        default="09:00-12:00,13:00-17:00",
        help_text=_("工作日的收件时段，用逗号分隔，如 09:00-12:00,13:00-17:00"),
    )
    notice_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    is_open = models.BooleanField(_("开放申报"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline", "name"]
        verbose_name = _("申报轮次")
        verbose_name_plural = _("申报轮次")

    def __str__(self) -> str:
        return self.name

    def receiving_periods(self) -> list[tuple[time, time]]:
        return parse_receiving_hours(self.receiving_hours)


class Application(models.Model):
    """One space's application in one round; its submissions are immutable versions."""

    class Status(models.TextChoices):
        """The states of `workflow/certification.yaml` (a test keeps the two in step); labels as staff see them."""

        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已在线提交，待收件")
        RECEIVED = "received", _("已收件，待形式审核")
        FORMAL_REVIEW = "formal_review", _("形式审核中")
        CORRECTION_REQUESTED = "correction_requested", _("待申报单位补正")
        RESUBMITTED = "resubmitted", _("已补正，待复核")
        SITE_INSPECTION = "site_inspection", _("现场核查中")
        COLLECTIVE_DECISION = "collective_decision", _("待集体研究")
        PROPOSED = "proposed", _("拟认定，待公示")
        PUBLIC_NOTICE = "public_notice", _("公示中")
        CERTIFIED = "certified", _("已认定")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "space"], name="one_application_per_space_and_round")
        ]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")

    @property
    def operator_status_label(self) -> str:
        """The state in the operator's words (internal steps such as 拟认定 stay hidden until published)."""
        from django.utils.translation import gettext

        from zhongchuang.workflow.definition import certification_workflow

        return gettext(certification_workflow().states[self.status].operator_label)


class ApplicationVersion(models.Model):
    """A frozen submission: the facts, the evidence (with hashes), the evaluation and the policy version."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    facts = models.JSONField()
    evidence = models.JSONField()  # [{ref, kind, title, sha256, size, mime}]
    evaluation = models.JSONField()
    verdict = models.CharField(max_length=20)
    policy_id = models.CharField(max_length=60)
    policy_version = models.CharField(max_length=32)
    pledge_text = models.TextField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="version_numbers_unique")
        ]
