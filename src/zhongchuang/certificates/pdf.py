"""Letters and certificates as A4 PDFs: WeasyPrint with Noto CJK (as the packet), and a QR code.

The HTML names no external resource: the only URLs WeasyPrint may read are the `data:` URIs of the
QR images, everything else is refused (no file or network access while printing).
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def verification_url(number: str) -> str:
    """The public page that confirms a certificate, as printed and encoded in the QR code."""
    return settings.ZC_SITE_URL.rstrip("/") + reverse("certificates:verify", args=[number])


def qr_data_uri(url: str) -> str:
    """A PNG QR code (error correction M) of the URL; tests re-create it to check what is printed."""
    return str(segno.make(url, error="m", micro=False).png_data_uri(scale=QR_SCALE, border=QR_BORDER))


QR_SCALE, QR_BORDER = 4, 2


def html_to_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render `template` (Chinese, whatever the request's language: these are official documents)."""
    import weasyprint

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
        css = render_to_string("certificates/letter.css", {})
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetcher)]))
