"""Objects named ``"module:attr"``, imported on first use.

The importer, exporter and schema registries name their members this way so that
listing them costs nothing at start-up and a stage is imported only when it runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from kbtool.errors import UsageError


def load_object(target: str) -> Any:
    """``"kbtool.export.pdf:PdfExporter"`` -> the class ``PdfExporter``."""
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def instantiate(table: Mapping[str, str], name: str, what: str) -> Any:
    r"""An instance of the class ``table`` names ``name``; a usage error naming the
    known ``what``\ s (e.g. "format") for an unknown name."""
    try:
        target = table[name]
    except KeyError:
        known = ", ".join(table)
        raise UsageError(f'unknown {what} "{name}"', hint=f"one of: {known}") from None
    return load_object(target)()
