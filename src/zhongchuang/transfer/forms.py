from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

EXTENSIONS = (".xlsx", ".xls")


class ImportForm(forms.Form):
    workbook = forms.FileField(
        label=_("填好的工作簿"),
        help_text=_("Excel 工作簿（.xlsx 或 .xls），可先下载模板填写。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls"}),
    )

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("请上传 .xlsx 或 .xls 格式的 Excel 工作簿"))
        limit = settings.TRANSFER_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("文件过大（上限 %(limit)s）") % {"limit": filesizeformat(limit)})
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的"))
        return upload
