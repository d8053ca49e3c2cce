"""Forms of the space pages: a new space, the profile (附件1) and evidence uploads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongchuang.facts.labels import document_label
from zhongchuang.spaces.models import Space
from zhongchuang.spaces.schema import CULTIVATION_COLUMNS, OPERATOR_COLUMNS, PROFILE_COLUMNS, SPACE_COLUMNS
from zhongchuang.spaces.tables import build_form_class, form_values

# The space-level evidence offered on the profile page.
SPACE_EVIDENCE_KINDS = (
    "business_licence",
    "financial_statement",
    "credit_report",
    "floor_plan",
    "introduction",
    "policy_admission",
    "policy_graduation_exit",
    "policy_mentoring",
    "policy_service_process",
    "cv",
    "international_plan",
    "brand_manual",
    "public_disclosure",
    "case_compilation",
    "platform_description",
)

PROFILE_SECTIONS = (
    ("operator", _("运营机构"), OPERATOR_COLUMNS),
    ("space", _("众创空间"), SPACE_COLUMNS),
    ("cultivation", _("上海培育"), CULTIVATION_COLUMNS),
)


class SpaceCreateForm(forms.Form):
    name = forms.CharField(
        label=_("众创空间名称"), max_length=200, error_messages={"required": _("请填写众创空间名称")}
    )


def profile_form_class(space: Space) -> type[forms.ModelForm[Any]]:
    return build_form_class(Space, PROFILE_COLUMNS, space)


def profile_values(form: forms.ModelForm[Any]) -> dict[str, Any]:
    return form_values(form, PROFILE_COLUMNS)


class EvidenceUploadForm(forms.Form):
    """One file for one of the offered kinds; its type is judged by the evidence store, by content."""

    kind = forms.ChoiceField(label=_("材料类别"))
    title = forms.CharField(
        label=_("材料名称"), max_length=200, required=False, help_text=_("留空则使用文件名")
    )
    file = forms.FileField(
        label=_("文件（PDF、JPEG、PNG 或 OFD）"),
        error_messages={"required": _("请选择文件"), "empty": _("文件为空")},
    )

    def __init__(self, *args: Any, kinds: tuple[str, ...], auto_id: str = "upload-%s", **kwargs: Any) -> None:
        super().__init__(*args, auto_id=auto_id, **kwargs)
        self.fields["kind"].choices = [(kind, document_label(kind)) for kind in kinds]  # type: ignore[attr-defined]
