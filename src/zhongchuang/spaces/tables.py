"""The table pages' vocabulary: labels in the active language, forms built from a TableSpec, and
the facts-level warnings of a saved draft row.

Forms check only types (a date must be a date, a number a number, a link must point into the same
space): those block a save. What the facts format requires on top (required fields, a valid 统一社会
信用代码, ranges in order) is checked by the facts row model after saving, and shown as warnings: a
draft may be incomplete, only submission needs it whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from zhongchuang.facts.load import problems_from_validation
from zhongchuang.spaces.models import ROW_MODELS, Space
from zhongchuang.spaces.schema import TABLES, TABLES_BY_NAME, Column, TableSpec

PAGE_SIZE = 50
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
SHOWN_COLUMNS = 8

# The official attachments, in order; a table joins the group of the first attachment it names.
ATTACHMENTS: tuple[tuple[str, str, str], ...] = (
    ("附件1", "附件1 基本信息（认定信息表）", "Annex 1 Basic information"),
    ("附件2", "附件2 孵化场地", "Annex 2 Sites"),
    ("附件3", "附件3 专职管理人员", "Annex 3 Management staff"),
    ("附件4", "附件4 在孵创业团队和企业", "Annex 4 Incubatees"),
    ("附件5", "附件5 活动", "Annex 5 Activities"),
    ("附件6", "附件6 专业技术服务", "Annex 6 Technical services"),
    ("附件7", "附件7 投融资服务", "Annex 7 Investment and financing"),
    ("附件8", "附件8 孵化绩效", "Annex 8 Incubation results"),
    ("附件9", "附件9 创业导师", "Annex 9 Mentors"),
    ("上海", "上海培育", "Shanghai cultivation"),
)
# Where the official form's title differs from the table's own label.
OFFICIAL_TITLES_ZH = {"incubatees": "在孵创业团队和企业汇总表"}


def choice_label(column: Column, value: str) -> str:
    if english():
        return value.replace("_", " ")  # the facts values are English words
    return dict(column.choices).get(value, value)


def choice_options(column: Column) -> list[tuple[str, str]]:
    return [(value, choice_label(column, value)) for value, _label in column.choices]


def english() -> bool:
    return (get_language() or "").startswith("en")


def column_label(column: Column) -> str:
    return column.label_en if english() else column.label_zh


def table_label(spec: TableSpec) -> str:
    return spec.label_en if english() else spec.label_zh


def attachment_group(spec: TableSpec) -> str:
    return spec.attachment.split("/")[0]


def table_heading(spec: TableSpec) -> str:
    """ "附件4 在孵创业团队和企业汇总表" / "Annex 4 Incubatees"."""
    if english():
        return f"{spec.attachment.replace('附件', 'Annex ').replace('上海', 'Shanghai')} {spec.label_en}"
    return f"{spec.attachment} {OFFICIAL_TITLES_ZH.get(spec.name, spec.label_zh)}"


def shown_columns(spec: TableSpec) -> tuple[Column, ...]:
    """The columns a table page lists: the first few, which the facts format orders by importance."""
    return spec.columns[:SHOWN_COLUMNS]


def parent_field(spec: TableSpec) -> str | None:
    """The foreign key of a child table to its parent row (leases → `site`)."""
    return ROW_MODELS[spec.parent].__name__.lower() if spec.parent else None


def child_tables(spec: TableSpec) -> list[TableSpec]:
    return [table for table in TABLES if table.parent == spec.name]


def display(row: models.Model, column: Column) -> str:
    """A cell as text: choice labels, 是/否, list items joined, links by their 编号."""
    value = getattr(row, column.name)
    if value is None or value == "" or value == []:
        return ""
    if column.kind == "choice":
        return choice_label(column, value)
    if column.kind == "bool":
        return str(_("是") if value else _("否"))
    if column.kind == "list":
        return "、".join(str(item) for item in value)
    if column.kind == "link":
        return str(getattr(value, "ref", "") or value.pk)
    if column.kind == "date":
        return value.isoformat()
    return str(value)


class ListField(forms.CharField):
    """A list of short values typed as text, separated by commas (全角或半角) or new lines."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return [str(item) for item in value]
        text = str(value or "")
        for separator in ("，", "、", "\n", ";", "；"):
            text = text.replace(separator, ",")
        return [item.strip() for item in text.split(",") if item.strip()]


class LinkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = getattr(obj, "name", "") or getattr(obj, "address", "") or getattr(obj, "company_name", "")
        return f"{obj.ref} {name}".strip()


def form_field(column: Column, model_field: models.Field[Any, Any], space: Space) -> forms.Field:
    label = column_label(column)
    help_text = str(_("必填（提交申报时）")) if column.required else ""
    if column.kind == "list":
        return ListField(label=label, required=False, help_text=str(_("多项用逗号分隔")))
    if column.kind == "link":
        queryset = ROW_MODELS[column.link or ""].objects.filter(space=space).order_by("id")  # type: ignore[attr-defined]
        return LinkChoiceField(queryset=queryset, label=label, required=False, help_text=help_text)
    if column.kind == "date":
        # A text input, not type=date: what the operator typed (or pasted from a spreadsheet) is kept
        # on an error, and the common Chinese spellings of a date are read.
        return forms.DateField(
            label=label,
            required=False,
            help_text=help_text,
            input_formats=DATE_FORMATS,
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"placeholder": "YYYY-MM-DD"}),
            error_messages={"invalid": _("请输入有效日期，格式 YYYY-MM-DD")},
        )
    if column.kind == "text" and column.name.split("_")[-1] in ("background", "description"):
        return forms.CharField(
            label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": 3})
        )
    field = model_field.formfield(label=label, required=False, help_text=help_text)
    assert field is not None
    if column.kind == "choice":
        field.choices = [("", "——"), *choice_options(column)]  # type: ignore[attr-defined]
    elif column.kind == "decimal":
        field.error_messages["invalid"] = _("请输入数字")
        field.widget = forms.TextInput(attrs={"inputmode": "decimal"})  # keeps what was typed on an error
    elif column.kind == "int":
        field.error_messages["invalid"] = _("请输入整数")
        field.widget = forms.TextInput(attrs={"inputmode": "numeric"})
    return field


class RowForm(forms.ModelForm):  # type: ignore[type-arg]
    """Marks invalid fields for assistive technology and ties each error text to its field."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            field_id = self.auto_id % name if isinstance(self.auto_id, str) else name
            described = [f"{field_id}-error", *([f"{field_id}_helptext"] if field.help_text else [])]
            field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})


def build_form_class(
    model: type[models.Model],
    columns: tuple[Column, ...],
    space: Space,
    extra: dict[str, forms.Field] | None = None,
) -> type[forms.ModelForm[Any]]:
    fields: dict[str, Any] = {
        column.name: form_field(column, model._meta.get_field(column.name), space)  # type: ignore[arg-type]
        for column in columns
    }
    fields.update(extra or {})
    meta = type(
        "Meta", (), {"model": model, "fields": [*(extra or {}), *(column.name for column in columns)]}
    )
    return type(f"{model.__name__}Form", (RowForm,), {"Meta": meta, **fields})


def row_form_class(spec: TableSpec, space: Space) -> type[forms.ModelForm[Any]]:
    """A ModelForm over the table's columns; links offer only this space's rows."""
    extra: dict[str, forms.Field] = {}
    parent = parent_field(spec)
    if parent:
        parent_spec = TABLES_BY_NAME[spec.parent or ""]
        extra[parent] = LinkChoiceField(
            queryset=ROW_MODELS[parent_spec.name].objects.filter(space=space).order_by("id"),  # type: ignore[attr-defined]
            label=table_label(parent_spec),
            required=True,
            error_messages={"required": _("请选择所属的%(table)s") % {"table": table_label(parent_spec)}},
        )
    return build_form_class(ROW_MODELS[spec.name], spec.columns, space, extra)


def form_values(form: forms.ModelForm[Any], columns: tuple[Column, ...]) -> dict[str, Any]:
    """The cleaned values a service stores: the columns (a child row's parent is passed apart)."""
    return {column.name: _stored(column, form.cleaned_data.get(column.name)) for column in columns}


def _stored(column: Column, value: Any) -> Any:
    if value is None and column.kind in ("text", "choice"):
        return ""
    if value is None and column.kind == "list":
        return []
    return value


@dataclass(frozen=True)
class RowWarning:
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}：{self.message}" if self.label else self.message


def _label_for(columns: tuple[Column, ...], where: str) -> str:
    path = tuple(
        part for part in where.replace("[", ".").replace("]", "").split(".") if part and not part.isdigit()
    )
    for length in range(len(path), 0, -1):
        for column in columns:
            if column.path == path[:length] or (column.kind == "link" and column.path == path[:length]):
                return column_label(column)
    return where


def row_warnings(spec: TableSpec, row: models.Model) -> list[RowWarning]:
    """What the facts format would refuse in this row; no queries if links and evidence are loaded."""
    from zhongchuang.bridge.services import _row  # the one mapping from rows to facts

    data = _row(spec, row)
    if spec.parent:
        data.pop("id")  # leases are identified by their contract number
    try:
        spec.item.model_validate(data)
    except ValidationError as error:
        return [
            RowWarning(_label_for(spec.columns, problem.where), problem.en if english() else problem.zh)
            for problem in problems_from_validation(error)
        ]
    return []
