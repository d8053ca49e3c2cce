"""Certificates (认定证书) with their numbers, status history, and the letters issued with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_PATTERN = "厦科众创〔{year}〕{seq:03d}号"


class CertificateSeries(models.Model):
    """The numbering of one round's certificates: a pattern and the next sequence value.

    Numbers are allocated with the row locked (select_for_update) and are unique in the table, so
    two officers certifying at the same moment never get the same number.
    """

    round = models.OneToOneField(
        "applications.Round", on_delete=models.PROTECT, related_name="certificate_series"
    )
    pattern = models.CharField(
        _("编号格式"),
        max_length=100,
        default=DEFAULT_PATTERN,
        help_text=_("{year} 为认定年份，{seq:03d} 为三位流水号，如 厦科众创〔{year}〕{seq:03d}号"),
    )
    next_value = models.PositiveIntegerField(_("下一个流水号"), default=1)

    class Meta:
        verbose_name = _("证书编号规则")
        verbose_name_plural = _("证书编号规则")


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        SUSPENDED = "suspended", _("暂停")
        REVOKED = "revoked", _("已撤销")

    number = models.CharField(_("证书编号"), max_length=100, unique=True)
    series = models.ForeignKey(CertificateSeries, on_delete=models.PROTECT, related_name="certificates")
    sequence = models.PositiveIntegerField()
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="certificate"
    )
    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="certificates")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="certificates"
    )
    bureau = models.ForeignKey("accounts.Bureau", on_delete=models.PROTECT, related_name="certificates")
    # the names as certified: the public page shows what was certified, even if the space is renamed later
    space_name = models.CharField(_("众创空间名称"), max_length=200)
    operator_name = models.CharField(_("运营机构"), max_length=200)
    type = models.CharField(_("类型"), max_length=40)
    issued_on = models.DateField(_("认定日期"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.VALID)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "sequence"], name="certificate_sequence_unique_in_series"
            )
        ]
        verbose_name = _("认定证书")
        verbose_name_plural = _("认定证书")

    def __str__(self) -> str:
        return self.number


class StatusChange(models.Model):
    """One suspension, reinstatement or revocation, with its reason."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Certificate.Status.choices)
    to_status = models.CharField(max_length=20, choices=Certificate.Status.choices)
    reason = models.TextField(_("理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]


class IssuedDocument(models.Model):
    """A letter as issued (PDF kept as generated, with its hash): the certificate, the decision letter
    (认定文件) or the rejection letter."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("认定证书")
        DECISION_LETTER = "decision_letter", _("认定文件")
        REJECTION_LETTER = "rejection_letter", _("不予认定告知书")

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    file = models.FileField(upload_to="letters/%Y/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="one_document_per_kind")]
