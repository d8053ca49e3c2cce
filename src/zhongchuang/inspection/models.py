"""A site inspection: who goes (and their declarations), the stored checklist, findings, photos, signatures.

Signing rule (decided here): every assigned person who declared no conflict of interest signs the
report; the first signature freezes the findings (so every signer signs the same content), and the
last one completes the report and produces the PDF. Signing cannot start while someone assigned has
not yet declared: the bureau admin waits for the declaration or removes the assignment.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongchuang.inspection.checklist import SECTION_LABELS, area_difference

DECLARATION_TEXT = _(
    "本人与被核查单位不存在利害关系，未在该单位及其关联单位任职、持股或领取报酬，与其负责人及主要管理人员"
    "无近亲属关系；本人将客观、公正地开展现场核查，对核查中知悉的信息保密。如存在利害关系，本人将主动申请回避。"
)


def photo_path(photo: FindingPhoto, filename: str) -> str:
    # never served from MEDIA_URL: `inspection:photo` checks the viewer first
    return f"inspection/{photo.item.inspection_id}/{photo.sha256}{photo.extension}"


def report_path(inspection: Inspection, filename: str) -> str:
    return f"inspection/{inspection.pk}/report-{inspection.report_sha256[:16]}.pdf"


class Inspection(models.Model):
    """The site inspection of one application (the workflow passes through site_inspection once)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="inspection"
    )
    planned_on = models.DateField(_("计划核查日期"))
    version_number = models.PositiveIntegerField(_("核查依据的申报版本"))
    policy_id = models.CharField(max_length=60)
    policy_version = models.CharField(max_length=32)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    signed_at = models.DateTimeField(_("报告签署完成时间"), null=True, blank=True)
    report = models.FileField(upload_to=report_path, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("现场核查")
        verbose_name_plural = _("现场核查")

    @property
    def frozen(self) -> bool:
        """Findings cannot change once anyone has signed."""
        return self.assignments.filter(signed_at__isnull=False).exists()


class Assignment(models.Model):
    """One person sent to inspect, with the conflict-of-interest declaration and the signature."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待声明")
        DECLARED = "declared", _("已声明无利害关系")
        CONFLICT = "conflict", _("存在利害关系，已回避")
        REMOVED = "removed", _("已取消指派")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="assignments")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    declaration_text = models.TextField(blank=True)  # the text as the inspector saw it
    declared_at = models.DateTimeField(null=True, blank=True)
    conflict_note = models.CharField(_("利害关系说明"), max_length=300, blank=True)
    signed_name = models.CharField(_("签名"), max_length=50, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "inspector"], name="one_assignment_per_inspector")
        ]

    @property
    def display_name(self) -> str:
        return self.inspector.get_full_name() or self.inspector.username


class Item(models.Model):
    """A checklist item as stored when the inspection started, with the inspector's finding."""

    class Result(models.TextChoices):
        CONFORMS = "conforms", _("符合")
        NONCONFORMING = "nonconforming", _("不符合")
        NOT_APPLICABLE = "not_applicable", _("不适用")
        UNVERIFIED = "unverified", _("未核实")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=200)
    section = models.CharField(max_length=20)
    label = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    ref = models.CharField(max_length=100, blank=True)
    declared = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=10, blank=True)
    result = models.CharField(_("核查结果"), max_length=20, choices=Result.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    measured = models.DecimalField(
        _("实测面积（㎡）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["inspection", "key"], name="item_key_unique")]

    @property
    def section_label(self) -> str:
        return SECTION_LABELS.get(self.section, self.section)

    @property
    def measurable(self) -> bool:
        return self.declared is not None

    @property
    def difference(self) -> tuple[Decimal, Decimal] | None:
        return area_difference(self.declared, self.measured)


class FindingPhoto(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path)
    mime = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    @property
    def extension(self) -> str:
        return ".png" if self.mime == "image/png" else ".jpg"
