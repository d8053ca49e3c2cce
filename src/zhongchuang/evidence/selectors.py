"""Reads of evidence, scoped to the user's organisation: another organisation's files are not found."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from zhongchuang.evidence.models import Document
from zhongchuang.spaces.selectors import space_for


def documents_for(user: Any, space_id: int) -> QuerySet[Document]:
    """The documents of the user's own space (404 for any other space)."""
    space = space_for(user, space_id)
    return Document.objects.filter(space=space).select_related("uploaded_by").order_by("-uploaded_at", "-id")


def document_for(user: Any, space_id: int, document_id: int) -> Document:
    document = documents_for(user, space_id).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document
