"""The cross-file index: facts of every file in the base, however few are linted.

Built from cached per-file records, so that ``kbtool lint notes/x.md`` (pre-commit
mode) still checks links from ``x.md`` into every unchanged file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from kbtool.lint.facts import Facts, from_plain
from kbtool.paths import shown

if TYPE_CHECKING:
    from kbtool.lint.cache import Snapshot
    from kbtool.lint.document import Record
    from kbtool.lint.incremental import Records


def wikilink_names(path: str, entry_id: str | None, aliases: Iterable[str]) -> list[str]:
    """What ``[[…]]`` may call a file: its file name with and without ``.md``, its id and
    aliases, lower-cased (the index and the cache's searchable text agree on this)."""
    base = path[path.rfind(os.sep) + 1 :].lower()
    out = [base]
    if base.endswith(".md"):
        out.append(base[:-3])
    if entry_id:
        out.append(entry_id.lower())
    out.extend(alias.lower() for alias in aliases)
    return out


class FileRecord:
    """What the cross-file rules know about one file; ``facts`` are decoded on first use
    (pre-commit mode touches the facts of a handful of the 10,000 indexed files)."""

    __slots__ = (
        "_display",
        "_facts",
        "_path",
        "_plain",
        "aliases",
        "file",
        "id",
        "is_entry",
        "links_into",
        "question",
        "title",
        "title_line",
    )

    def __init__(
        self,
        path: Path | str,
        display: str | None,
        is_entry: bool,
        id: str | None,
        title: str | None,
        aliases: tuple[str, ...],
        facts: Facts | bytes,
        title_line: int = 1,
        question: str = "",
        links_into: tuple[str, ...] = (),
    ) -> None:
        self.links_into = links_into  # see ``Record.links_into``
        self.question = question  # normalized title (see facts.question_key)
        self.file = str(path)  # absolute, normalized
        self._path = path if isinstance(path, Path) else None
        self._display = display
        self.is_entry = is_entry
        self.id = id
        self.title = title
        self.aliases = aliases
        self.title_line = title_line
        self._facts = facts if isinstance(facts, Facts) else None
        self._plain = None if isinstance(facts, Facts) else facts

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self.file)
        return self._path

    @property
    def folder(self) -> str:
        return os.path.dirname(self.file)

    @property
    def display(self) -> str:
        """The path as shown in messages (relative to the working folder when inside it)."""
        if self._display is None:
            self._display = shown(self.file)
        return self._display

    @property
    def facts(self) -> Facts:
        if self._facts is None:
            assert self._plain is not None
            self._facts = from_plain(self._plain)
            self._plain = None
        return self._facts

    @classmethod
    def of(cls, name: str, display: str | None, record: Record) -> FileRecord:
        """The index's view of a cached or fresh :class:`~kbtool.lint.document.Record`."""
        assert record.facts is not None  # records with facts are the readable files
        return cls(
            name,
            display,
            record.is_entry,
            record.id,
            record.title,
            tuple(record.aliases),
            record.facts,
            record.title_line,
            record.question,
            record.links_into,
        )


class StoredFiles:
    """The files of the index still as they are in the cache's main file: found through
    its searchable texts, their records decoded only when a rule asks for one."""

    def __init__(self, records: Records, snapshot: Snapshot, base: str) -> None:
        self.records = records
        self.snapshot = snapshot
        inside = base + os.sep
        # in the base, unchanged since the main file was written (records never cached
        # with a read error, so all of these are readable)
        self.positions = {n: i for n, i in records.stored.items() if n.startswith(inside)}
        self.made: dict[str, FileRecord | None] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.positions

    def __len__(self) -> int:
        return len(self.positions)

    def get(self, name: str) -> FileRecord | None:
        if name not in self.positions:
            return None
        if name not in self.made:
            record = self.records.get(name)
            if record is not None:
                self.made[name] = FileRecord.of(name, None, record)
            else:  # its stored bytes are not the ones written: read the file itself
                from kbtool.lint.document import record_of

                self.made[name] = record_of(Path(name), shown(name))
        return self.made[name]

    def _current(self, positions: Iterable[int]) -> list[str]:
        keys = self.snapshot.keys
        out = []
        for i in positions:
            name = keys[i][2:]
            if self.positions.get(name) == i:
                out.append(name)
        return out

    def with_name(self, name: str) -> list[str]:
        return self._current(self.snapshot.with_name(name))

    def linking_into(self, wanted: set[str]) -> list[str]:
        return self._current(sorted(self.snapshot.linking_into(wanted)))

    def question_keys(self) -> list[str]:
        """The question key of every file in the main file, "" for no entry; may hold
        keys of files changed or removed since (``asking`` checks)."""
        return self.snapshot.question_keys()

    def asking(self, question: str) -> list[str]:
        """The files here whose question key is ``question``."""
        return self._current(self.snapshot.asking(question))

    def questions_near(self, key: str, threshold: float) -> list[str]:
        """Question keys here that may score ``threshold`` against ``key`` (a superset,
        found by the keys' lengths and letters signatures; may hold keys of files changed or
        removed since, as ``question_keys`` does)."""
        return self.snapshot.questions_near(key, threshold)


@dataclass(eq=False, repr=False)  # mutable: compared by identity
class BaseIndex:
    """Every readable file of the base: ``files`` in memory (all of them, in a run over
    the whole base), ``stored`` the rest, read from the cache only where a rule looks."""

    root: Path | None = None  # the resolved notes folder
    files: dict[str, FileRecord] = field(default_factory=dict)  # by normalized absolute path
    stored: StoredFiles | None = None
    order: dict[str, bool] | None = None  # the run's files in order (ties between names)

    def add(self, record: FileRecord) -> None:
        self.files[record.file] = record

    def __contains__(self, name: str) -> bool:
        return name in self.files or (self.stored is not None and name in self.stored)

    def __len__(self) -> int:
        return len(self.files) + (len(self.stored) if self.stored is not None else 0)

    def get(self, name: str) -> FileRecord | None:
        found = self.files.get(name)
        if found is None and self.stored is not None:
            found = self.stored.get(name)
        return found

    def _records(self, names: Iterable[str]) -> list[FileRecord]:
        return [r for r in map(self.get, names) if r is not None]

    def _ordered(self, found: list[FileRecord]) -> list[FileRecord]:
        if len(found) > 1 and self.order is not None:
            rank = {name: i for i, name in enumerate(self.order)}
            found.sort(key=lambda r: rank.get(r.file, len(rank)))
        return found

    @cached_property
    def by_id(self) -> dict[str, list[FileRecord]]:
        """Files in memory by id (see :meth:`with_id` for all)."""
        out: dict[str, list[FileRecord]] = {}
        for record in self.files.values():
            if record.id:
                out.setdefault(record.id, []).append(record)
        return out

    def with_id(self, entry_id: str) -> list[FileRecord]:
        """Every file whose front matter says ``id: entry_id``."""
        found = list(self.by_id.get(entry_id, []))
        if self.stored is not None:
            for record in self._records(self.stored.with_name(entry_id.lower())):
                if record.id == entry_id:
                    found.append(record)
        return self._ordered(found)

    @cached_property
    def by_name(self) -> dict[str, list[FileRecord]]:
        """Wikilink names of the files in memory: ids, file names with and without
        ``.md``, aliases (see :meth:`named` for all)."""
        out: dict[str, list[FileRecord]] = {}
        add = out.setdefault
        for record in self.files.values():
            for name in wikilink_names(record.file, record.id, record.aliases):
                add(name, []).append(record)
        return out

    def named(self, name: str) -> list[FileRecord]:
        """Every file ``[[name]]`` may mean (``name`` lower-cased)."""
        found = list(dict.fromkeys(self.by_name.get(name, [])))
        if self.stored is not None:
            found.extend(self._records(self.stored.with_name(name)))
        return self._ordered(found)

    @cached_property
    def _questions(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for record in self.files.values():
            if record.is_entry and record.question:
                out.setdefault(record.question, []).append(record.file)
        return out

    def question_keys(self) -> list[str]:
        """Every entry's question key (see ``facts.question_key``), and perhaps more:
        ``asking`` tells which entries ask one."""
        keys = list(self._questions)
        if self.stored is not None:
            keys.extend(self.stored.question_keys())
        return keys

    def questions_near(self, key: str, threshold: float) -> list[str]:
        """Every question key that may score ``threshold`` against ``key``, and perhaps
        more (as :meth:`question_keys`): all keys in memory, the stored ones that pass
        the length and letters bounds (see ``similar.may_reach_signed``)."""
        keys = list(self._questions)
        if self.stored is not None:
            keys.extend(self.stored.questions_near(key, threshold))
        return keys

    def asking(self, question: str) -> list[str]:
        """The entries (files) whose question key is ``question``."""
        found = list(self._questions.get(question, ()))
        if self.stored is not None:
            found.extend(self.stored.asking(question))
        return found

    def linking_into(self, wanted: set[str]) -> list[FileRecord]:
        """Files whose links with a ``#fragment`` land in one of ``wanted`` (normalized
        paths, and ``[[name`` for wikilinks; ``Record.links_into``)."""
        found = [r for r in self.files.values() if not wanted.isdisjoint(r.links_into)]
        if self.stored is not None:
            found.extend(self._records(self.stored.linking_into(wanted)))
        return found

    @cached_property
    def asset_names(self) -> dict[str, list[Path]]:
        """Every file in the base by lower-case name (Obsidian resolves embeds by name)."""
        out: dict[str, list[Path]] = {}
        if self.root is None or not self.root.is_dir():
            return out
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                out.setdefault(name.lower(), []).append(Path(folder) / name)
        return out

    def wikilink(self, name: str) -> FileRecord | None:
        """The file ``[[name]]`` names (``name`` without ``#heading`` and ``|alias``)."""
        key = unquote(name).strip().lower()
        found = self.named(key) or self.named(key.rsplit("/", 1)[-1])
        return found[0] if found else None
