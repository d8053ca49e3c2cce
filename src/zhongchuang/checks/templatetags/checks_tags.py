"""Chinese labels for statuses and verdicts: status is always shown as text, colour only adds to it."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS_LABELS = {
    "pass": _("符合"),
    "fail": _("不符合"),
    "needs_review": _("待审核"),
    "missing_data": _("数据或材料不全"),
}
VERDICT_LABELS = {
    "eligible": _("符合条件"),
    "ineligible": _("不符合条件"),
    "incomplete": _("数据或材料不全"),
    "needs_review": _("自动检查通过，待审核"),
}


@register.filter
def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


@register.filter
def verdict_label(code: str) -> str:
    return str(VERDICT_LABELS.get(code, code))
