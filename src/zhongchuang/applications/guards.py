"""Guards on submission, named in the workflow file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from zhongchuang.workflow.guards import guard


@guard("round_accepts_submissions")
def round_accepts_submissions(application: Any, now: datetime) -> str | None:
    from zhongchuang.applications.services import deadline_passed

    round_ = application.round
    if not round_.is_open:
        return _("该申报轮次已关闭，不能提交")
    if deadline_passed(round_, now):
        return _("已过申报截止时间（%(deadline)s 24:00，北京时间），不能提交") % {
            "deadline": round_.deadline.isoformat()
        }
    return None
