"""Public notice (公示) of the proposed list, the objections lodged against it, and the working-day
calendar overrides that the notice's end date is computed with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- the working-day calendar -----------------------------------------------------------------------


class CalendarOverride(models.Model):
    """One day whose status differs from chinesecalendar's, or a day of a year it does not know yet."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是工作日"), help_text=_("勾选：调休上班日；不勾选：放假"))
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：2027年春节"))
    note = models.CharField(_("依据或备注"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")

    def __str__(self) -> str:
        kind = _("上班") if self.is_working_day else _("放假")
        return f"{self.date.isoformat()} {self.name}（{kind}）"


class CoveredYear(models.Model):
    """A year whose whole holiday schedule has been entered as overrides: other days follow Mon–Fri."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    note = models.CharField(_("依据"), max_length=300, blank=True, help_text=_("如：国务院办公厅通知文号"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("声明时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("已完整录入的年份")
        verbose_name_plural = _("已完整录入的年份")

    def __str__(self) -> str:
        return str(self.year)


# --- the notice ------------------------------------------------------------------------------------


class PublicNotice(models.Model):
    """The proposed list of a round, published for `working_days` working days (the first day counts)."""

    round = models.ForeignKey("applications.Round", on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("公示说明"), help_text=_("含咨询、异议受理的联系电话"))
    start_date = models.DateField(_("公示开始日期"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    end_date = models.DateField(_("公示截止日期"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")

    def __str__(self) -> str:
        return self.title


class NoticeEntry(models.Model):
    """One application on a notice, as published: the public text is frozen at publication."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="notice_entry"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    space_name = models.CharField(_("众创空间名称"), max_length=200)
    operator_name = models.CharField(_("运营主体"), max_length=200)
    certified_type = models.CharField(_("拟认定类型"), max_length=100)
    address = models.CharField(_("地址"), max_length=300, blank=True)

    class Meta:
        ordering = ["notice", "position"]
        verbose_name = _("公示名单条目")
        verbose_name_plural = _("公示名单条目")

    def __str__(self) -> str:
        return self.space_name


class Objection(models.Model):
    """An objection from anyone. Late ones are kept, marked not accepted (超过公示期的异议不予受理)."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("异议成立")
        NOT_UPHELD = "not_upheld", _("异议不成立")
        PARTLY = "partly", _("部分成立")

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    entries = models.ManyToManyField(NoticeEntry, related_name="objections", verbose_name=_("异议对象"))
    lodger_name = models.CharField(_("姓名或单位名称"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    reasons = models.TextField(_("异议理由"))
    declared = models.BooleanField(_("已声明属实并署名"))
    lodged_at = models.DateTimeField(_("提交时间"))
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    accepted = models.BooleanField(_("已受理"))
    not_accepted_reason = models.CharField(_("不予受理原因"), max_length=200, blank=True)
    investigation = models.TextField(_("调查核实情况"), blank=True)
    outcome = models.CharField(_("处理结论"), max_length=20, choices=Outcome.choices, blank=True)
    reply = models.TextField(_("答复意见"), blank=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_sent_at = models.DateTimeField(_("答复发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-lodged_at", "-id"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self) -> str:
        return f"#{self.pk} {self.lodger_name}"

    @property
    def resolved(self) -> bool:
        return not self.accepted or bool(self.outcome)


def objection_file_path(instance: ObjectionFile, filename: str) -> str:
    # the stored name is the hash: nothing the lodger typed reaches the file system
    return f"objections/{instance.objection_id}/{instance.sha256}"


class ObjectionFile(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=objection_file_path)
    original_name = models.CharField(max_length=255)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("异议附件")
        verbose_name_plural = _("异议附件")

    def __str__(self) -> str:
        return self.original_name
