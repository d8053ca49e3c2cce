"""The collective decision (集体研究): a meeting of the bureau, who attended, who stood aside, what was decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    """One meeting of the bureau deciding on applications of one round."""

    bureau = models.ForeignKey("accounts.Bureau", on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey("applications.Round", on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("主持人")
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("集体研究会议")
        verbose_name_plural = _("集体研究会议")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.place}"


class Attendee(models.Model):
    """A person at the meeting: a staff user of the bureau, or an external expert known by name."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=100)
    external = models.BooleanField(_("外部专家"), default=False)

    class Meta:
        ordering = ["external", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="attendee_named_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{_('外部专家')}）" if self.external else self.name


class Recusal(models.Model):
    """An attendee who takes no part in one application's decision (conflict of interest…)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recusals")
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="recusals")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("回避理由"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attendee", "application"], name="recused_once_per_application")
        ]


class Decision(models.Model):
    """The meeting's decision on one application, with reasons and the clauses they rest on."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("通过，拟认定")
        REJECT = "reject", _("不予认定")
        # 通知 五、注意事项: a specialized applicant that fails a specialized condition but meets the
        # comprehensive ones is certified as a comprehensive space
        APPROVE_AS_COMPREHENSIVE = "approve_as_comprehensive", _("按综合型认定")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("决定"), max_length=30, choices=Outcome.choices)
    reasons = models.TextField(_("理由"))
    cited_clauses = models.JSONField(_("依据条款"), default=list)  # criterion or check ids of the policy
    deciders = models.ManyToManyField(Attendee, related_name="decisions", verbose_name=_("参与表决人员"))
    votes_for = models.PositiveSmallIntegerField(_("同意票"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反对票"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权票"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("集体研究决定")
        verbose_name_plural = _("集体研究决定")

    @property
    def approves(self) -> bool:
        return self.outcome != self.Outcome.REJECT
