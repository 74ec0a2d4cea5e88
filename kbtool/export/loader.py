"""Read the base for an export: every entry that parses, filtered by the selection.

An entry that does not parse is skipped with a ``file:line`` warning and counted, so
one broken file never blocks an export of the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kbtool.errors import InputError
from kbtool.export.base import Selection
from kbtool.export.cache import ExportCache
from kbtool.export.render import relative
from kbtool.model.entry import Entry
from kbtool.store import entry_file
from kbtool.store.discover import discover
from kbtool.store.entry_file import EntryDocument


@dataclass
class LoadedBase:
    documents: list[EntryDocument]
    skipped: list[str] = field(default_factory=list)  # one warning per unreadable file
    all_ids: set[str] = field(default_factory=set)  # every entry read, selected or not


def load(
    base: Path,
    selection: Selection,
    exclude: Iterable[str] = (),
    cache: ExportCache | None = None,
) -> LoadedBase:
    """Entries in stable order (by topic, then id) that match ``selection``."""
    if not base.is_dir():
        raise InputError(
            "the knowledge base folder does not exist",
            path=str(base),
            hint="pass --notes DIR or set [tool.kbtool] notes",
        )
    loaded = LoadedBase(documents=[])
    seen: set[str] = set()
    owners: dict[str, str] = {}  # id -> file that has it
    for path in discover(base, exclude):
        display = _display(path, base)
        seen.add(os.path.abspath(path))
        try:
            doc = _read(path, display, cache)
        except InputError as exc:
            loaded.skipped.extend(f"skipped {line}" for line in str(exc).splitlines())
            continue
        first = owners.setdefault(doc.entry.id, display)
        if first != display:  # one id, one Anki note: never two notes with one GUID
            loaded.skipped.append(
                f"skipped {display}:2: id: {doc.entry.id!r} is already used by {first}; "
                "give this entry its own id"
            )
            continue
        loaded.all_ids.add(doc.entry.id)
        if selection.matches(doc):
            loaded.documents.append(doc)
    loaded.documents.sort(key=lambda d: (d.entry.topic, d.entry.id))
    if cache is not None:
        cache.keep_files(seen)
    return loaded


def _read(path: Path, display: str, cache: ExportCache | None) -> EntryDocument:
    """Parse the file, or take its parsed form from the cache when its stat is unchanged."""
    if cache is None:
        return entry_file.read(path, display)
    stat = path.stat()
    key = os.path.abspath(path)
    record = cache.get_file(key, stat.st_mtime_ns, stat.st_size)
    if record is not None:
        return EntryDocument(Entry.model_validate(record[2]), record[3], record[4], path)
    doc = entry_file.read(path, display)
    front_matter = doc.entry.model_dump(mode="json")
    cache.put_file(key, (stat.st_mtime_ns, stat.st_size, front_matter, doc.body, doc.body_line))
    return doc


def _display(path: Path, base: Path) -> str:
    return relative(path, base)
