from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongchuang.applications.forms import DateInput
from zhongchuang.review.models import CriterionVerdict, ReviewItem
from zhongchuang.spaces.schema import TABLES

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ReceiptForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("收件时间"),
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
        help_text=_("北京时间；收件时段外或非工作日收件会提示，但不影响受理"),
    )
    postmark_date = forms.DateField(
        label=_("邮戳日期"), widget=DateInput(), required=False, help_text=_("以邮戳为准的轮次必填")
    )
    tracking_number = forms.CharField(label=_("快递单号"), max_length=60, required=False)
    carrier = forms.CharField(
        label=_("寄送方式"), max_length=60, required=False, help_text=_("如 EMS、顺丰、现场递交")
    )
    pages = forms.IntegerField(label=_("页数"), min_value=1, error_messages={"min_value": _("页数至少为 1")})
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("审核意见"), choices=CriterionVerdict.Verdict.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=_("改判时必填")
    )


class ReviewItemForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("核实结果"), choices=ReviewItem.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=_("不属实时必填")
    )


def table_choices() -> list[tuple[str, str]]:
    return [("", _("（不限）")), *((spec.name, spec.label_zh) for spec in TABLES)]


class CorrectionItemForm(forms.Form):
    text = forms.CharField(label=_("需补正的内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    criterion_id = forms.ChoiceField(label=_("涉及条件"), required=False)
    table = forms.ChoiceField(label=_("涉及数据表"), required=False, choices=table_choices)

    def __init__(self, *args: Any, criteria: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion_id"].choices = [("", _("（不限）")), *(criteria or [])]  # type: ignore[attr-defined]


CorrectionItemFormSet = forms.formset_factory(CorrectionItemForm, extra=5, max_num=30)


class CorrectionDueForm(forms.Form):
    due_date = forms.DateField(
        label=_("补正期限"), widget=DateInput(), help_text=_("含当日，北京时间24:00前提交有效；须晚于今天")
    )
