"""Exporter registry: format name -> implementing class, imported on first use.

A new format is one line here; ``kbtool export`` offers every name in this table and
``all`` writes every one of them.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from kbtool.lazy import instantiate

if TYPE_CHECKING:  # the table is read at start-up (`--help`): no exporter imported yet
    from kbtool.export.base import Exporter

EXPORTERS: dict[str, str] = {
    "pdf": "kbtool.export.pdf:PdfExporter",
    "anki": "kbtool.export.anki:AnkiExporter",
    "json": "kbtool.export.json_export:JsonExporter",
}


def names() -> tuple[str, ...]:
    """Every registered format, in the order ``all`` writes them."""
    return tuple(EXPORTERS)


@cache
def get(name: str) -> Exporter:
    """The exporter called ``name``; a clear usage error for an unknown one."""
    found: Exporter = instantiate(EXPORTERS, name, "export format")
    return found
