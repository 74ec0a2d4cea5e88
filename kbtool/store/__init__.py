"""Store: entry files on disk (read, validate, write canonically and atomically, discover)."""

from kbtool.store.discover import discover
from kbtool.store.entry_file import EntryDocument, parse, read, render, write

__all__ = ["EntryDocument", "discover", "parse", "read", "render", "write"]
