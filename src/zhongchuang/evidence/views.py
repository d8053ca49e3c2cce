"""The document list of a space and the only way to a stored file: a download checked per request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from zhongchuang.evidence.selectors import document_for, documents_for
from zhongchuang.spaces.selectors import space_for


@login_required
def document_list(request: HttpRequest, space_id: int) -> HttpResponse:
    space = space_for(request.user, space_id)
    return render(
        request,
        "evidence/document_list.html",
        {"space": space, "documents": documents_for(request.user, space.pk)},
    )


@login_required
def download(request: HttpRequest, space_id: int, doc_id: int) -> FileResponse:
    """The file, to members of the owning organisation only (404 to everyone else)."""
    document = document_for(request.user, space_id, doc_id)
    extension = {
        "application/pdf": ".pdf",
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "application/ofd": ".ofd",
    }.get(document.mime, "")
    name = document.original_name or f"{document.ref}{extension}"
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=name, content_type=document.mime
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
