"""Forms of the collective decision; checks that need the database are the services' job."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongchuang.decisions.models import Attendee, Decision
from zhongchuang.decisions.selectors import Clause


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("会议地点"), max_length=200)
    chair = UserChoice(label=_("主持人"), queryset=None)  # type: ignore[arg-type]
    staff = UsersChoice(
        label=_("参会工作人员"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,  # type: ignore[arg-type]
    )
    experts = forms.CharField(
        label=_("外部专家"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一位，填写姓名（可附单位）"),
    )
    minutes = forms.CharField(label=_("会议记录"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = staff  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]

    def expert_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("experts", "").splitlines() if line.strip()]


class RecusalForm(forms.Form):
    attendee = forms.ModelChoiceField(label=_("回避人员"), queryset=Attendee.objects.none())
    application = forms.ModelChoiceField(label=_("申报"), queryset=None)  # type: ignore[arg-type]
    reason = forms.CharField(label=_("回避理由"), max_length=300)

    def __init__(self, *args: Any, attendees: Any, applications: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendee"].queryset = attendees  # type: ignore[attr-defined]
        self.fields["application"].queryset = applications  # type: ignore[attr-defined]
        self.fields["application"].label_from_instance = lambda application: str(application.space)  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("决定"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}))
    cited_clauses = forms.MultipleChoiceField(
        label=_("依据条款"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不予认定须至少引用一项未满足的条款"),
    )
    deciders = forms.ModelMultipleChoiceField(
        label=_("参与表决人员"), queryset=Attendee.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    votes_for = forms.IntegerField(label=_("同意票"), required=False, min_value=0)
    votes_against = forms.IntegerField(label=_("反对票"), required=False, min_value=0)
    votes_abstain = forms.IntegerField(label=_("弃权票"), required=False, min_value=0)

    def __init__(
        self,
        *args: Any,
        clauses: list[Clause],
        attendees: Any,
        fallback: bool,
        failing: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        flag = str(_("【自检未通过】"))
        self.fields["cited_clauses"].choices = [  # type: ignore[attr-defined]
            (
                clause.id,
                f"{clause.id} {clause.title}：“{clause.text}”" + (flag if clause.id in failing else ""),
            )
            for clause in clauses
        ]
        self.fields["deciders"].queryset = attendees  # type: ignore[attr-defined]
        if not fallback:  # only a policy with a fallback type may be approved as comprehensive
            self.fields["outcome"].choices = [  # type: ignore[attr-defined]
                choice
                for choice in Decision.Outcome.choices
                if choice[0] != Decision.Outcome.APPROVE_AS_COMPREHENSIVE
            ]

    def votes(self) -> tuple[int | None, int | None, int | None]:
        data = self.cleaned_data
        return (data.get("votes_for"), data.get("votes_against"), data.get("votes_abstain"))
