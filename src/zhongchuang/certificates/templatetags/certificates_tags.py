from __future__ import annotations

from typing import Any

from django import template

from zhongchuang.certificates.selectors import certificate_of, documents_of, rejection_of
from zhongchuang.decisions.selectors import type_label

register = template.Library()


@register.filter
def certificate_type(code: str) -> str:
    return type_label(code)


@register.simple_tag
def certificate_summary(application: Any) -> dict[str, Any]:
    """The certificate and letters of an application, or why it was rejected (for the panels)."""
    certificate = certificate_of(application)
    rejection = rejection_of(application) if certificate is None else None
    return {
        "certificate": certificate,
        "type_label": type_label(certificate.type) if certificate else "",
        "documents": documents_of(application),
        "rejected": rejection is not None,
        "rejection": rejection,
    }
