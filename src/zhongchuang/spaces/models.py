"""Models generated from `schema`: one per table of the facts format, plus the space itself.

Generated rather than hand-written so the database cannot drift from the facts format: a new
facts field becomes a column with one `makemigrations`. Values the facts leave unknown (None)
are stored as NULL (or "" for text), never guessed.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongchuang.spaces.schema import PROFILE_COLUMNS, TABLES, Column, TableSpec

APP = "zhongchuang.spaces"


def model_field(column: Column) -> models.Field[Any, Any]:
    label = column.label_zh
    match column.kind:
        case "date":
            return models.DateField(label, null=True, blank=True)
        case "decimal":
            return models.DecimalField(label, max_digits=16, decimal_places=2, null=True, blank=True)
        case "int":
            return models.IntegerField(label, null=True, blank=True, default=column.default)
        case "bool":
            return models.BooleanField(label, null=True, blank=True, default=column.default)
        case "choice":
            return models.CharField(
                label, max_length=40, blank=True, choices=column.choices, default=column.default or ""
            )
        case "list":
            return models.JSONField(label, default=list, blank=True)
        case "link":
            target = next(t for t in TABLES if t.name == column.link)
            return models.ForeignKey(
                target.model_name,
                verbose_name=label,
                null=True,
                blank=True,
                on_delete=models.PROTECT,
                related_name="+",
            )
        case _:
            return models.CharField(label, max_length=500, blank=True, default=column.default or "")


class Space(models.Model):
    """One makerspace of an organisation, with the operator's and the space's own facts."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="spaces")
    evidence = models.ManyToManyField("evidence.Document", blank=True, related_name="+")
    data_version = models.PositiveIntegerField(default=0)  # bumped by every change; keys the self-check cache
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    locals().update({column.name: model_field(column) for column in PROFILE_COLUMNS})

    class Meta:
        verbose_name = _("众创空间")
        verbose_name_plural = _("众创空间")

    def __str__(self) -> str:
        return str(getattr(self, "space_name", "") or _("未命名众创空间"))


def build_row_model(table: TableSpec) -> type[models.Model]:
    attrs: dict[str, Any] = {
        "__module__": f"{APP}.models",
        "__doc__": f"{table.label_zh} / {table.label_en} ({table.attachment}), rows of facts `{'.'.join(table.location)}`.",
        "space": models.ForeignKey(Space, on_delete=models.CASCADE, related_name=table.name),
        "ref": models.CharField(_("编号"), max_length=64, blank=True),
        "evidence": models.ManyToManyField("evidence.Document", blank=True, related_name="+"),
        "created_at": models.DateTimeField(auto_now_add=True),
        "updated_at": models.DateTimeField(auto_now=True),
        "Meta": type(
            "Meta",
            (),
            {
                "ordering": ["id"],
                "verbose_name": table.label_zh,
                "verbose_name_plural": table.label_zh,
                "constraints": [
                    models.UniqueConstraint(
                        fields=["space", "ref"],
                        name=f"{table.name}_ref_unique_in_space",
                        condition=~models.Q(ref=""),
                    )
                ],
            },
        ),
    }
    if table.parent:
        parent = next(t for t in TABLES if t.name == table.parent)
        attrs[parent.model_name.lower()] = models.ForeignKey(
            parent.model_name, on_delete=models.CASCADE, related_name=table.name
        )
    for column in table.columns:
        attrs[column.name] = model_field(column)
    return type(table.model_name, (models.Model,), attrs)


ROW_MODELS: dict[str, type[models.Model]] = {table.name: build_row_model(table) for table in TABLES}
globals().update({model.__name__: model for model in ROW_MODELS.values()})
