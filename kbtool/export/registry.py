"""Exporter registry: format name -> implementing class, imported on first use.

A new format is one line here; ``kbtool export`` offers every name in this table and
``all`` writes those listed in ``IN_ALL``.
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
    "html": "kbtool.export.html:HtmlExporter",
}


# What `export all` writes: the printable sheet, the deck and the data. The html page
# is a study page of its own, exported by name.
IN_ALL = ("pdf", "anki", "json")


def names() -> tuple[str, ...]:
    """Every registered format."""
    return tuple(EXPORTERS)


def all_names() -> tuple[str, ...]:
    """The formats ``export all`` writes, in order."""
    return tuple(name for name in EXPORTERS if name in IN_ALL)


@cache
def get(name: str) -> Exporter:
    """The exporter called ``name``; a clear usage error for an unknown one."""
    found: Exporter = instantiate(EXPORTERS, name, "export format")
    return found
