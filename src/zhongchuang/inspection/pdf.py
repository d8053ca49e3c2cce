"""The signed inspection report as an A4 PDF (WeasyPrint, Noto Sans CJK SC, like the packet).

Photos are embedded from storage through a private `photo:<id>` URL scheme: the HTML names no
file path or network address, and any other URL is refused.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from zhongchuang.inspection.models import Assignment, FindingPhoto, Inspection


def _fetcher(inspection: Inspection) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PhotoFetcher(URLFetcher):  # type: ignore[misc]
        """Only this inspection's photos; WeasyPrint fails the render on anything else."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("photo:") and url[6:].isdigit():
                photo = FindingPhoto.objects.filter(pk=int(url[6:]), item__inspection=inspection).first()
                if photo is not None:
                    with photo.file.open("rb") as handle:
                        return URLFetcherResponse(url, handle.read(), {"Content-Type": photo.mime})
            raise ValueError(f"refused: {url}")

    return PhotoFetcher(fail_on_errors=True)


def report_pdf(inspection: Inspection) -> bytes:
    import weasyprint

    items = list(inspection.items.prefetch_related("photos").select_related("updated_by"))
    application = inspection.application
    with translation.override("zh-hans"):
        html = render_to_string(
            "inspection/report.html",
            {
                "inspection": inspection,
                "application": application,
                "organisation": application.space.organisation,
                "version": application.versions.filter(number=inspection.version_number).first(),
                "assignments": inspection.assignments.select_related("inspector").exclude(
                    status=Assignment.Status.REMOVED
                ),
                "sections": [
                    (label, list(group)) for label, group in groupby(items, key=lambda i: i.section_label)
                ],
                "generated_at": timezone.localtime(),
            },
        )
        css = render_to_string("inspection/report.css", {})
    fetch = _fetcher(inspection)
    document = weasyprint.HTML(string=html, url_fetcher=fetch).render(
        stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetch)]
    )
    return bytes(document.write_pdf())
