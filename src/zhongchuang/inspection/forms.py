"""Forms of the site inspection pages (labels and errors in Chinese, translated through i18n)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongchuang.inspection.models import DECLARATION_TEXT, Item


class AssignForm(forms.Form):
    inspectors = forms.ModelMultipleChoiceField(
        label=_("核查人员"),
        queryset=None,  # set per bureau
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名核查人员")},
    )
    planned_on = forms.DateField(
        label=_("计划核查日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写计划核查日期"), "invalid": _("请输入有效日期，如 2025-04-15")},
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["inspectors"]
        field.queryset = staff
        field.label_from_instance = lambda user: (  # type: ignore[attr-defined]
            f"{user.get_full_name() or user.username}（{user.membership.get_role_display()}）"
        )


class DeclarationForm(forms.Form):
    no_conflict = forms.BooleanField(label=DECLARATION_TEXT, required=False)
    conflict_note = forms.CharField(
        label=_("如存在利害关系，请说明（将回避本次核查）"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("no_conflict") and not (data.get("conflict_note") or "").strip():
            raise forms.ValidationError(_("请勾选无利害关系声明，或说明存在的利害关系"))
        return data


class FindingForm(forms.Form):
    result = forms.ChoiceField(
        label=_("核查结果"),
        choices=Item.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择核查结果")},
    )
    measured = forms.DecimalField(
        label=_("实测面积（㎡）"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("请输入数字，如 715.5"),
            "min_value": _("实测面积不能为负数"),
            "max_decimal_places": _("最多保留两位小数"),
        },
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, measurable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not measurable:
            del self.fields["measured"]


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("照片（JPEG 或 PNG）"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        error_messages={"required": _("请选择或拍摄一张照片"), "empty": _("文件为空")},
    )


class SignForm(forms.Form):
    typed_name = forms.CharField(label=_("签名（请输入您的姓名）"), max_length=50)
    confirmed = forms.BooleanField(
        label=_("本人确认以上核查发现真实、准确，签署后核查发现不可修改"),
        error_messages={"required": _("请确认核查发现真实、准确")},
    )
