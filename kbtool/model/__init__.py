"""Pydantic models: the entry (one question or concept) and the JSON documents we write."""

from kbtool.model.entry import Entry, EntryKind, EntryStatus, Source
from kbtool.model.slugs import SLUG_PATTERN, make_id

__all__ = ["SLUG_PATTERN", "Entry", "EntryKind", "EntryStatus", "Source", "make_id"]
