"""The rules of a paper receipt: in time or late under the round's deadline rule, and when to warn.

Plain functions over dates and times (only the working-day calendar reads its override table),
so the boundaries are easy to test.
Messages are stored on the receipt and quoted in the workflow comment, so they are kept in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from zhongchuang.engine.context import SHANGHAI  # the one definition of the product's time zone

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Timeliness:
    in_time: bool
    reason: str  # why it is late ("" when in time)


def timeliness(*, rule: str, deadline: date, received_at: datetime, postmark_date: date | None) -> Timeliness:
    """Postmark rule: the postmark date counts; received rule: the Shanghai date the packet arrived."""
    if rule == "postmark":
        if postmark_date is None:
            raise ValueError("the postmark rule needs a postmark date")
        if postmark_date <= deadline:
            return Timeliness(True, "")
        return Timeliness(
            False, f"邮戳日期 {postmark_date.isoformat()} 晚于截止日期 {deadline.isoformat()}，逾期不予受理"
        )
    received_on = received_at.astimezone(SHANGHAI).date()
    if received_on <= deadline:
        return Timeliness(True, "")
    return Timeliness(
        False,
        f"收件日期 {received_on.isoformat()} 晚于截止日期 {deadline.isoformat()}（以收到为准），逾期不予受理",
    )


def parse_hours(spec: str) -> list[tuple[time, time]] | None:
    """ "09:00-12:00,13:00-17:00" → [(09:00, 12:00), (13:00, 17:00)]; None when it cannot be read."""
    spans = []
    try:
        for part in spec.split(","):
            start, end = (time.fromisoformat(bound.strip()) for bound in part.split("-"))
            if end <= start:
                return None
            spans.append((start, end))
    except ValueError:
        return None
    return spans or None


def _working_day(day: date) -> tuple[bool, str]:
    """Whether `day` is a working day, and a note when the statutory calendar could not say.

    Uses the statutory calendar with the administrators' overrides (newly announced years) when
    those are available; Monday to Friday only as a last resort, and then says so."""
    try:
        from zhongchuang.workdays import CalendarNotCovered, is_working_day
    except ImportError:  # the calendar module is not installed: weekdays only
        return day.weekday() < 5, ""
    try:
        from zhongchuang.notice.selectors import calendar_overrides

        overrides = calendar_overrides()
    except ImportError:
        overrides = None
    try:
        return is_working_day(day, overrides), ""
    except CalendarNotCovered:
        return day.weekday() < 5, f"{day.year} 年的法定节假日尚未收录，按周一至周五判断工作日"


def receiving_warnings(hours: str, received_at: datetime) -> list[str]:
    """Outside the receiving hours or on a non-working day: a warning for the record, never a refusal."""
    local = received_at.astimezone(SHANGHAI)
    warnings = []
    working, note = _working_day(local.date())
    if note:
        warnings.append(note)
    if not working:
        warnings.append(
            f"收件日期 {local.date().isoformat()}（星期{WEEKDAYS[local.weekday()]}）不是工作日，不在收件时间内"
        )
    spans = parse_hours(hours)
    if spans is None:
        warnings.append(f"本轮次收件时段“{hours}”无法识别，未核对收件时间")
    elif not any(start <= local.time() <= end for start, end in spans):
        warnings.append(f"收件时间 {local:%H:%M} 不在收件时段（{hours}）内")
    return warnings
