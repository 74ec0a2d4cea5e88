"""Store: entry files on disk (read, validate, write canonically and atomically, discover).

Submodules are imported on first use: the linter runs as a pre-commit hook, and
``from kbtool.store import atomic`` must not pull in jsonschema and pydantic.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "discover": "kbtool.store.discover",
    "EntryDocument": "kbtool.store.entry_file",
    "parse": "kbtool.store.entry_file",
    "read": "kbtool.store.entry_file",
    "render": "kbtool.store.entry_file",
    "write": "kbtool.store.entry_file",
}

__all__ = ["EntryDocument", "discover", "parse", "read", "render", "write"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kbtool.store' has no attribute {name!r}")
