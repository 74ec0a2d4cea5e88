"""Read the base for an export: every entry that parses, filtered by the selection.

An entry that does not parse is skipped with a ``file:line`` warning and counted, so
one broken file never blocks an export of the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from kbtool.errors import InputError
from kbtool.export.base import Selection
from kbtool.export.cache import ExportCache, FileRecord
from kbtool.export.formula_images import as_math
from kbtool.export.render import relative
from kbtool.model.entry import Entry
from kbtool.parallel import split_map
from kbtool.paths import shown
from kbtool.store import entry_file
from kbtool.store.discover import discover
from kbtool.store.entry_file import EntryDocument


@dataclass
class LoadedBase:
    documents: list[EntryDocument]
    skipped: list[str] = field(default_factory=list)  # one warning per unreadable file
    all_ids: set[str] = field(default_factory=set)  # every entry read, selected or not
    topics: set[str] = field(default_factory=set)  # of every entry read: filters are checked
    tags: set[str] = field(default_factory=set)  # against these
    # every entry read, selected or not: absolute path -> (id, status), so an export
    # can say why a link to one leads nowhere (:mod:`kbtool.export.dead_links`)
    entries: dict[str, tuple[str, str]] = field(default_factory=dict)


def load(
    base: Path,
    selection: Selection,
    exclude: Iterable[str] = (),
    cache: ExportCache | None = None,
    render_modes: Sequence[str] = (),
) -> LoadedBase:
    """Entries in stable order (by topic, then id) that match ``selection``.

    With ``render_modes`` and a ``cache``, a first export also renders each selected
    entry in those modes while reading it (:mod:`kbtool.export.prerender`)."""
    if not base.is_dir():
        raise InputError(
            "the knowledge base folder does not exist",
            path=shown(base),
            hint="pass --notes DIR or set [tool.kbtool] notes",
        )
    loaded = LoadedBase(documents=[])
    seen: set[str] = set()
    owners: dict[str, str] = {}  # id -> file that has it
    paths = list(discover(base, exclude))
    reads = _read_all(paths, base, cache, selection, render_modes)
    for path, display, read in zip(paths, *reads, strict=True):
        where = os.path.abspath(path)
        seen.add(where)
        if isinstance(read, str):  # the file's problems, one per line
            loaded.skipped.extend(f"skipped {line}" for line in read.splitlines())
            continue
        # a picture of a formula is printed as the formula by every format
        doc = EntryDocument(Entry.model_validate(read[2]), as_math(read[3]), read[4], path)
        first = owners.setdefault(doc.entry.id, display)
        if first != display:  # one id, one Anki note: never two notes with one GUID
            loaded.skipped.append(
                f"skipped {display}:2: id: {doc.entry.id!r} is already used by {first}; "
                "give this entry its own id"
            )
            continue
        loaded.all_ids.add(doc.entry.id)
        loaded.entries[where] = (doc.entry.id, str(doc.entry.status))
        loaded.topics.add(doc.entry.topic)
        loaded.tags.update(doc.entry.tags)
        if selection.matches(doc):
            loaded.documents.append(doc)
    loaded.documents.sort(key=lambda d: (d.entry.topic, d.entry.id))
    if cache is not None:
        cache.keep_files(seen)
    return loaded


def _read_all(
    paths: list[Path],
    base: Path,
    cache: ExportCache | None,
    selection: Selection,
    render_modes: Sequence[str],
) -> tuple[list[str], list[FileRecord | str]]:
    """Display names, and for each file its record (from the cache when its stat is
    unchanged) or its problems as text. Files the cache lacks are parsed on both cores:
    YAML and the model (and the JSON Schema for what the model refuses) for every file
    are most of a first export's reading. When most of them are new and there is HTML
    to make, worker processes render each entry as they read it: the body never
    travels to a worker and back a second time."""
    displays = [_display(path, base) for path in paths]
    reads: list[FileRecord | str | None] = [_cached(path, cache) for path in paths]
    todo = [i for i, read in enumerate(reads) if read is None]
    items = [(paths[i], displays[i]) for i in todo]
    parsed: Iterable[FileRecord | str]
    first = len(todo) * 2 >= len(paths) > 0  # most files new: a first export
    if cache is not None and render_modes and first and cache.mostly_cold(len(paths)):
        from kbtool.export.prerender import read_and_render

        parsed = read_and_render(items, cache, base, selection, render_modes)
    else:
        parsed = split_map(parse_file, items)
    for index, read in zip(todo, parsed, strict=True):
        reads[index] = read
        if cache is not None and not isinstance(read, str):
            cache.put_file(os.path.abspath(paths[index]), read)
    return displays, cast("list[FileRecord | str]", reads)


def _cached(path: Path, cache: ExportCache | None) -> FileRecord | None:
    if cache is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None  # parsing says why
    return cache.get_file(os.path.abspath(path), stat.st_mtime_ns, stat.st_size)


def parse_file(item: tuple[Path, str]) -> FileRecord | str:
    """A file's record (its stat before reading, front matter as JSON data, body), or
    its problems as text: plain data, cheap to send back from a forked child."""
    return read_entry(item)[0]


def read_entry(item: tuple[Path, str]) -> tuple[FileRecord | str, EntryDocument | None]:
    """:func:`parse_file`'s answer and the entry it read (None when it has problems)."""
    path, display = item
    try:
        stat = path.stat()
        doc = entry_file.read(path, display)
    except InputError as exc:
        return str(exc), None
    except OSError as exc:
        return str(InputError(f"cannot read the file: {exc.strerror}", path=display)), None
    front_matter = doc.entry.model_dump(mode="json")
    return (stat.st_mtime_ns, stat.st_size, front_matter, doc.body, doc.body_line), doc


def _display(path: Path, base: Path) -> str:
    return relative(path, base)
