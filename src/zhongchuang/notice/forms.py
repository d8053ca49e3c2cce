from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhongchuang.accounts.validators import clean_contact_phone
from zhongchuang.notice.models import Objection, PublicNotice
from zhongchuang.notice.services import OBJECTION_FILE_MAX_BYTES, OBJECTION_MAX_FILES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PublishForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    start_date = forms.DateField(
        label=_("公示开始日期"),
        widget=DateInput(),
        help_text=_("开始日计为第1个工作日（如为节假日，从下一个工作日起算）"),
    )
    working_days = forms.IntegerField(label=_("公示期（工作日）"), min_value=1, max_value=30)
    body = forms.CharField(
        label=_("公示说明"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请填写咨询电话和异议受理电话"),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ObjectionForm(forms.Form):
    entries = forms.ModelMultipleChoiceField(
        label=_("异议针对的众创空间"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    lodger_name = forms.CharField(
        label=_("姓名或单位名称"), max_length=200, help_text=_("个人请署真实姓名，单位请填写全称")
    )
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("电子邮箱"), required=False, help_text=_("填写后，处理结果将发送至此邮箱")
    )
    reasons = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 8}))
    files = MultipleFileField(label=_("证明材料（可选）"), required=False)
    declared = forms.BooleanField(
        label=_("本人（本单位）承诺所提异议内容真实，并已署真实姓名（单位名称）"),
        error_messages={"required": _("请确认所提异议属实并已署名")},
    )

    def __init__(self, notice: PublicNotice, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = notice.entries.order_by("position")  # type: ignore[attr-defined]
        self.fields["entries"].label_from_instance = lambda entry: f"{entry.position}. {entry.space_name}"  # type: ignore[attr-defined]
        self.fields["entries"].error_messages["required"] = _("请选择异议针对的众创空间")
        # formatted here, not at import, so the text follows the page's language
        self.fields["files"].help_text = _(
            "PDF、JPEG 或 PNG，最多 %(n)d 个，每个不超过 %(mb)d MB；如页面提示错误，请重新选择附件"
        ) % {"n": OBJECTION_MAX_FILES, "mb": OBJECTION_FILE_MAX_BYTES // 1024 // 1024}

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return clean_contact_phone(raw) if raw else ""

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        if len(files) > OBJECTION_MAX_FILES:
            raise ValidationError(_("最多上传 %(n)d 个附件") % {"n": OBJECTION_MAX_FILES})
        for upload in files:
            if upload.size > OBJECTION_FILE_MAX_BYTES:  # refused before it is read
                raise ValidationError(
                    _("附件“%(name)s”超过大小上限（%(mb)d MB）")
                    % {"name": upload.name, "mb": OBJECTION_FILE_MAX_BYTES // 1024 // 1024}
                )
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error("phone", _("请至少填写联系电话或电子邮箱中的一项，以便答复"))
        return data


class HandleForm(forms.Form):
    investigation = forms.CharField(label=_("调查核实情况"), widget=forms.Textarea(attrs={"rows": 6}))
    outcome = forms.ChoiceField(
        label=_("处理结论"), choices=Objection.Outcome.choices, widget=forms.RadioSelect
    )
    reply = forms.CharField(
        label=_("答复意见"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("异议人留有电子邮箱的，保存后答复将发送至该邮箱"),
    )
