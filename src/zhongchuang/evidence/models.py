from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongchuang.facts.labels import DOCUMENT_KIND_LABELS

KIND_CHOICES = [(kind, label) for kind, label in DOCUMENT_KIND_LABELS.items()]


def evidence_path(document: Document, filename: str) -> str:
    # The stored name is the hash: no user-chosen path ever reaches the file system.
    return f"evidence/{document.space_id}/{document.sha256}"


class Document(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类别"), max_length=40, choices=KIND_CHOICES)
    title = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=255)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    issued_on = models.DateField(_("出具日期"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    @property
    def ref(self) -> str:
        return f"D{self.pk}"

    def __str__(self) -> str:
        return self.title
