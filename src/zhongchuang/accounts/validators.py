"""Field validators for accounts: 统一社会信用代码 and contact phone numbers (DOMAIN.md §6.1, §6.3)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhongchuang.identifiers import InvalidUSCC, validate_uscc

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
COUNTRY_PREFIXES = ("+86", "0086", "86")


def clean_uscc(raw: str) -> str:
    """The normalised code, or a ValidationError carrying the exact reason (in the page's language)."""
    try:
        return validate_uscc(raw)
    except InvalidUSCC as problem:
        english = (get_language() or "").startswith("en")
        raise ValidationError(problem.reason_en if english else problem.reason_zh, code="uscc") from problem


def normalize_phone(raw: str) -> str:
    """A mobile as 11 digits; a landline as typed minus spaces (its hyphens carry the area code split)."""
    text = raw.strip().replace("\u3000", "").replace(" ", "").replace("（", "(").replace("）", ")")
    text = re.sub(r"^\((0\d{2,3})\)", r"\1-", text)  # (0592)2031315 → 0592-2031315
    mobile = text.replace("-", "")
    for prefix in COUNTRY_PREFIXES:
        if mobile.startswith(prefix) and MOBILE.match(mobile[len(prefix) :]):
            return mobile[len(prefix) :]
    if MOBILE.match(mobile):
        return mobile
    return text


def clean_contact_phone(raw: str) -> str:
    """Accept a mainland mobile (^1[3-9]\\d{9}$) or a landline with area code (0592-2031315, extension allowed)."""
    phone = normalize_phone(raw)
    if MOBILE.match(phone) or LANDLINE.match(phone):
        return phone
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("1"):
        raise ValidationError(_("手机号码应为以 13–19 开头的11位数字，例如 13800000000"), code="phone")
    if len(digits) in (7, 8):
        raise ValidationError(_("固定电话请加区号，例如 0592-2031315"), code="phone")
    raise ValidationError(
        _("请填写有效的手机号码（如 13800000000）或带区号的固定电话（如 0592-2031315）"), code="phone"
    )
