from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongchuang.certificates.models import DEFAULT_PATTERN


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("证书编号"), max_length=100)


class SeriesForm(forms.Form):
    pattern = forms.CharField(
        label=_("编号格式"),
        max_length=100,
        initial=DEFAULT_PATTERN,
        help_text=_("{year} 为认定年份，{seq:03d} 为三位流水号"),
    )
    next_value = forms.IntegerField(label=_("下一个流水号"), min_value=1)


STATUS_ACTIONS = (("suspend", _("暂停")), ("reinstate", _("恢复")), ("revoke", _("撤销")))


class StatusChangeForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), choices=STATUS_ACTIONS)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))
