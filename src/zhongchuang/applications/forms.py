from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongchuang.applications.models import Round, parse_receiving_hours
from zhongchuang.engine.policy import load_policy, policy_ids


def policy_choices() -> list[tuple[str, str]]:
    return [(policy_id, f"{load_policy(policy_id).title.zh}（{policy_id}）") for policy_id in policy_ids()]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    policy_id = forms.ChoiceField(label=_("政策"), choices=policy_choices)
    notice_date = forms.DateField(label=_("通知发布日期"), widget=DateInput())
    deadline = forms.DateField(
        label=_("截止日期"), widget=DateInput(), help_text=_("截止日当天24:00（北京时间）前提交有效")
    )
    deadline_rule = forms.ChoiceField(label=_("截止规则"), choices=Round.DeadlineRule.choices)
    reference_date = forms.DateField(
        label=_("基准日"), widget=DateInput(), help_text=_("按此日期计算“近一年”等条件")
    )
    receiving_hours = forms.CharField(
        label=_("收件时间"),
        max_length=100,
        initial="09:00-12:00,13:00-17:00",
        help_text=_("工作日的收件时段，用逗号分隔，如 09:00-12:00,13:00-17:00"),
    )
    notice_working_days = forms.IntegerField(
        label=_("公示期（工作日）"), min_value=1, max_value=30, initial=5
    )

    def clean_receiving_hours(self) -> str:
        text = self.cleaned_data["receiving_hours"]
        try:
            parse_receiving_hours(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return text.replace("，", ",").replace(" ", "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        notice, deadline = data.get("notice_date"), data.get("deadline")
        if notice and deadline and deadline < notice:
            self.add_error("deadline", _("截止日期不能早于通知发布日期"))
        return data


class ApplicationCreateForm(forms.Form):
    space = forms.ModelChoiceField(label=_("众创空间"), queryset=None, empty_label=_("请选择"))  # type: ignore[arg-type]
    round = forms.ModelChoiceField(label=_("申报轮次"), queryset=None, empty_label=_("请选择"))  # type: ignore[arg-type]

    def __init__(self, *args: Any, spaces: Any, rounds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces  # type: ignore[attr-defined]
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["round"].label_from_instance = lambda r: (
            f"{r.bureau.name}：{r.name}（截止 {r.deadline:%Y-%m-%d}）"
        )  # type: ignore[attr-defined]


class SubmitForm(forms.Form):
    pledge = forms.BooleanField(label=_("我已阅读并同意以上申报单位承诺"), required=False)
