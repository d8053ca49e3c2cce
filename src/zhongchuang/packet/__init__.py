"""The printable application packet: one A4 PDF in the official order of the Xiamen notice, and a Word copy.

    source = packet_source_for_version(version)      # or packet_source_for_draft(application)
    pdf = packet_pdf(source, progress=callback)      # bytes
    docx = packet_docx(source)                       # bytes

The names are importable from this package; they are loaded on first use so that Django can import
the app before its models are ready.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "EvidenceFile",
    "PacketSource",
    "packet_docx",
    "packet_pdf",
    "packet_source_for_draft",
    "packet_source_for_version",
]

_HOMES = {
    "EvidenceFile": "zhongchuang.packet.source",
    "PacketSource": "zhongchuang.packet.source",
    "packet_source_for_version": "zhongchuang.packet.source",
    "packet_source_for_draft": "zhongchuang.packet.source",
    "packet_pdf": "zhongchuang.packet.pdf",
    "packet_docx": "zhongchuang.packet.word",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)
