"""Guards on intake, formal review and corrections, named in the workflow file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from zhongchuang.review.intake import SHANGHAI
from zhongchuang.workflow.guards import guard


def _ids(ids: list[str], limit: int = 5) -> str:
    shown = "、".join(ids[:limit])
    return shown + ("等" if len(ids) > limit else "")


@guard("receipt_accepted")
def receipt_accepted(application: Any, now: datetime) -> str | None:
    from zhongchuang.review.selectors import latest_receipt

    receipt = latest_receipt(application)
    if receipt is None:
        return _("尚未登记纸质材料收件")
    if not receipt.accepted:
        return _("最近一次登记的纸质材料逾期，不予受理")
    return None


@guard("receipt_late")
def receipt_late(application: Any, now: datetime) -> str | None:
    from zhongchuang.review.selectors import latest_receipt

    receipt = latest_receipt(application)
    if receipt is None:
        return _("尚未登记纸质材料收件")
    if receipt.accepted:
        return _("最近一次登记的纸质材料在截止日期前寄出，应予受理")
    return None


@guard("every_criterion_reviewed")
def every_criterion_reviewed(application: Any, now: datetime) -> str | None:
    from zhongchuang.review.selectors import review_sheet

    sheet = review_sheet(application)
    if sheet is None:
        return _("尚未提交申报")
    open_ids = sheet.criteria_open
    if open_ids:
        return _("尚有 %(n)s 项条件未给出审核意见（%(ids)s）") % {"n": len(open_ids), "ids": _ids(open_ids)}
    return None


@guard("every_review_item_resolved")
def every_review_item_resolved(application: Any, now: datetime) -> str | None:
    from zhongchuang.review.selectors import review_sheet

    sheet = review_sheet(application)
    if sheet is None:
        return _("尚未提交申报")
    open_ids = sheet.items_open
    if open_ids:
        return _("尚有 %(n)s 项待审核事项未处理（%(ids)s）") % {"n": len(open_ids), "ids": _ids(open_ids)}
    return None


@guard("correction_request_open")
def correction_request_open(application: Any, now: datetime) -> str | None:
    """A request with items, made in this formal review (after it started, on the latest version)."""
    from zhongchuang.review.selectors import open_correction_request

    request = open_correction_request(application)
    started = application.status_changed_at
    if request is None or (started is not None and request.created_at < started):
        return _("请先填写需补正的事项和补正期限")
    if not request.items.exists():
        return _("补正通知中没有需补正的事项")
    return None


@guard("correction_not_overdue")
def correction_not_overdue(application: Any, now: datetime) -> str | None:
    """The due date counts in full: 23:59:59 Shanghai time is in time, 00:00:00 the next day is late.

    Looks at the latest request whether or not answered: submission freezes the new version
    before it takes the step."""
    from zhongchuang.review.selectors import latest_correction_request

    request = latest_correction_request(application)
    if request is not None and now.astimezone(SHANGHAI).date() > request.due_date:
        return _("补正期限（%(due)s 24:00，北京时间）已过，不能再提交补正材料") % {
            "due": request.due_date.isoformat()
        }
    return None
