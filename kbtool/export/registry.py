"""Exporter registry: format name -> implementing class, imported on first use."""

from __future__ import annotations

from functools import cache

from kbtool.export.base import Exporter
from kbtool.lazy import instantiate

EXPORTERS: dict[str, str] = {
    "pdf": "kbtool.export.pdf:PdfExporter",
    "anki": "kbtool.export.anki:AnkiExporter",
    "json": "kbtool.export.json_export:JsonExporter",
    "html": "kbtool.export.html:HtmlExporter",
}


@cache
def get(name: str) -> Exporter:
    """The exporter called ``name``; a clear usage error for an unknown one."""
    found: Exporter = instantiate(EXPORTERS, name, "export format")
    return found
