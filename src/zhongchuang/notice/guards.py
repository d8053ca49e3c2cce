"""Guards on the public notice, named in the workflow file: no certification while the window is
open or an accepted objection has no outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from zhongchuang.workflow.guards import guard


@guard("notice_published")
def notice_published(application: Any, now: datetime) -> str | None:
    from zhongchuang.notice.selectors import notice_entry_of

    if notice_entry_of(application) is None:
        return _("尚未列入已发布的公示名单")
    return None


@guard("notice_window_closed")
def notice_window_closed(application: Any, now: datetime) -> str | None:
    from zhongchuang.notice.selectors import notice_entry_of, window_state

    entry = notice_entry_of(application)
    if entry is None:
        return _("尚未列入已发布的公示名单")
    if window_state(entry.notice, now) != "closed":
        return _("公示期至 %(end)s 24:00（北京时间）结束，公示期内不能认定") % {
            "end": entry.notice.end_date.isoformat()
        }
    return None


@guard("objections_resolved")
def objections_resolved(application: Any, now: datetime) -> str | None:
    from zhongchuang.notice.selectors import unresolved_objections_on

    pending = list(unresolved_objections_on(application).values_list("pk", flat=True))
    if pending:
        return _("有 %(n)d 件已受理的异议尚未处理（%(ids)s）") % {
            "n": len(pending),
            "ids": "、".join(f"#{pk}" for pk in pending),
        }
    return None
