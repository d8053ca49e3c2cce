"""The notice window as people write it, and the data of the staff case panel."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhongchuang.notice import selectors

register = template.Library()


def _day(day: date, with_year: bool) -> str:
    if (get_language() or "").startswith("en"):
        return day.isoformat()
    return f"{day.year}年{day.month}月{day.day}日" if with_year else f"{day.month}月{day.day}日"


@register.simple_tag
def notice_window(notice: Any) -> str:
    """公示期：2025年11月3日至11月9日（5个工作日）— both dates included."""
    return _("公示期：%(start)s至%(end)s（%(n)s个工作日）") % {
        "start": _day(notice.start_date, True),
        "end": _day(notice.end_date, notice.end_date.year != notice.start_date.year),
        "n": notice.working_days,
    }


@register.simple_tag
def window_state(notice: Any) -> str:
    return selectors.window_state(notice, timezone.now())


@register.simple_tag
def notice_case(application: Any) -> dict[str, Any]:
    """What the staff case page shows of the notice: the entry, the window, the objections."""
    entry = selectors.notice_entry_of(application)
    if entry is None:
        return {"entry": None}
    return {
        "entry": entry,
        "notice": entry.notice,
        "state": selectors.window_state(entry.notice, timezone.now()),
        "objections": list(selectors.objections_on(application)),
    }
