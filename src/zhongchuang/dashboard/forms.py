"""The dashboard's search and filter form (GET): a wrong value is reported beside its field and the
other filters still apply."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongchuang.applications.models import Round
from zhongchuang.dashboard.selectors import Filters, bureau_policies, dashboard_states, state_label

QUEUE_CHOICES = [
    ("", _("全部")),
    ("review", _("形式审核待办")),
    ("inspection", _("现场核查待办")),
    ("decision", _("集体研究与公示")),
]
SORT_CHOICES = [
    ("waiting", _("当前状态停留最久")),
    ("recent", _("最近变更")),
    ("deadline", _("截止日期最近")),
]


class DashboardFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        help_text=_("众创空间名称、运营机构名称或统一社会信用代码"),
    )
    round = forms.ModelChoiceField(
        label=_("申报轮次"),
        queryset=Round.objects.none(),
        required=False,
        empty_label=_("全部"),
        error_messages={"invalid_choice": _("请选择本部门的申报轮次")},
    )
    state = forms.ChoiceField(label=_("状态"), required=False)
    policy = forms.ChoiceField(label=_("政策"), required=False)
    queue = forms.ChoiceField(label=_("待办"), required=False, choices=QUEUE_CHOICES)
    mine = forms.BooleanField(label=_("只看我经办的"), required=False)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: Any, *, bureau_id: int) -> None:
        super().__init__(data)
        self.fields["round"].queryset = Round.objects.filter(bureau_id=bureau_id)
        self.fields["state"].choices = [("", _("全部"))] + [
            (state.id, state_label(state.id)) for state in dashboard_states()
        ]
        self.fields["policy"].choices = [("", _("全部"))] + [(p, p) for p in bureau_policies(bureau_id)]
        for name in ("state", "policy", "queue", "sort"):
            self.fields[name].error_messages["invalid_choice"] = _("没有这个选项，请重新选择")

    def filters(self) -> Filters:
        """The valid part of the query: an invalid field is left out (and shown with its error)."""
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            q=data.get("q") or "",
            round=data.get("round"),
            state=data.get("state") or "",
            policy=data.get("policy") or "",
            queue=data.get("queue") or "",
            mine=bool(data.get("mine")),
        )

    def sort_order(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or "waiting"
