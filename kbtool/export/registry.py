"""Exporter registry: format name -> implementing class, imported on first use."""

from __future__ import annotations

from functools import cache

from kbtool.errors import UsageError
from kbtool.export.base import Exporter
from kbtool.lazy import load_object

EXPORTERS: dict[str, str] = {
    "pdf": "kbtool.export.pdf:PdfExporter",
    "anki": "kbtool.export.anki:AnkiExporter",
    "json": "kbtool.export.json_export:JsonExporter",
}


@cache
def get(name: str) -> Exporter:
    try:
        target = EXPORTERS[name]
    except KeyError:
        known = ", ".join(EXPORTERS)
        raise UsageError(f'unknown export format "{name}"', hint=f"one of: {known}") from None
    exporter: Exporter = load_object(target)()
    return exporter
