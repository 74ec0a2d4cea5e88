"""Objects named ``"module:attr"``, imported on first use.

The importer, exporter and schema registries name their members this way so that
listing them costs nothing at start-up and a stage is imported only when it runs.
"""

from __future__ import annotations

import importlib
from typing import Any


def load_object(target: str) -> Any:
    """``"kbtool.export.pdf:PdfExporter"`` -> the class ``PdfExporter``."""
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)
