"""Storing evidence: the type is read from the content, never from the file name."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record
from zhongchuang.evidence.models import Document

# Magic bytes of the accepted formats. OFD (the national e-document format) is a ZIP whose
# first entry is OFD.xml.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


class EvidenceError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sniff_mime(head: bytes) -> str | None:
    for signature, mime in SIGNATURES:
        if head.startswith(signature):
            return mime
    if head.startswith(b"PK\x03\x04") and b"OFD.xml" in head[:200]:
        return "application/ofd"
    return None


@transaction.atomic
def document_store(*, space: Any, kind: str, title: str, content: bytes, filename: str, by: Any) -> Document:
    """Check type and size, hash, store; raise EvidenceError with a reason in the user's language."""
    if len(content) > settings.EVIDENCE_MAX_BYTES:
        raise EvidenceError(
            _("文件超过大小上限（%(limit)d MB）") % {"limit": settings.EVIDENCE_MAX_BYTES // 1024 // 1024}
        )
    if not content:
        raise EvidenceError(_("文件为空"))
    mime = sniff_mime(content[:512])
    if mime is None:
        raise EvidenceError(_("只接受 PDF、JPEG、PNG 或 OFD 文件（按文件内容判断，与扩展名无关）"))
    digest = hashlib.sha256(content).hexdigest()
    pages = (
        content.count(b"/Type /Page") - content.count(b"/Type /Pages") if mime == "application/pdf" else None
    )
    document = Document(
        space=space,
        kind=kind,
        title=title or filename,
        original_name=filename[:255],
        mime=mime,
        size=len(content),
        sha256=digest,
        pages=pages if pages and pages > 0 else None,
        uploaded_by=by,
    )
    document.file.save(digest, ContentFile(content), save=False)
    document.save()
    audit_record(
        action=Action.EVIDENCE_UPLOADED,
        actor=by,
        organisation=space.organisation,
        space=space,
        table="documents",
        row_id=document.pk,
        summary=f"{document.get_kind_display()} {document.title}",
        after={"kind": kind, "title": document.title, "sha256": digest, "size": len(content)},
    )
    from zhongchuang.spaces.services import touch_space

    touch_space(space)
    return document
