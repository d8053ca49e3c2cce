from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Bureau(models.Model):
    """A science and technology bureau running its own rounds (厦门市科学技术局, 上海市科学技术委员会…)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    city = models.CharField(_("城市"), max_length=50)

    class Meta:
        verbose_name = _("主管部门")
        verbose_name_plural = _("主管部门")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An operator (运营机构) identified by its 统一社会信用代码."""

    name = models.CharField(_("运营机构名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    contact_email = models.EmailField(_("联系邮箱"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("运营机构")
        verbose_name_plural = _("运营机构")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OPERATOR_MEMBER = "operator_member", _("运营机构成员")
    OPERATOR_ADMIN = "operator_admin", _("运营机构管理员")
    REVIEWER = "reviewer", _("审核人员")
    INSPECTOR = "inspector", _("现场核查人员")
    BUREAU_ADMIN = "bureau_admin", _("主管部门管理员")


OPERATOR_ROLES = {Role.OPERATOR_MEMBER, Role.OPERATOR_ADMIN}
BUREAU_ROLES = {Role.REVIEWER, Role.INSPECTOR, Role.BUREAU_ADMIN}


class Membership(models.Model):
    """A user's place: one organisation or one bureau, with a role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    bureau = models.ForeignKey(
        Bureau, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    email_confirmed = models.BooleanField(_("邮箱已确认"), default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_in_exactly_one_place",
                condition=(
                    models.Q(organisation__isnull=False, bureau__isnull=True)
                    | models.Q(organisation__isnull=True, bureau__isnull=False)
                ),
            )
        ]

    @property
    def is_operator(self) -> bool:
        return self.role in OPERATOR_ROLES

    @property
    def is_bureau(self) -> bool:
        return self.role in BUREAU_ROLES


class Invitation(models.Model):
    """An invitation for a colleague to join an organisation, accepted through a one-time token."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("邮箱"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.OPERATOR_MEMBER)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
