"""The cross-file index: facts of every file in the base, however few are linted.

Built from cached per-file records, so that ``kbtool lint notes/x.md`` (pre-commit
mode) still checks links from ``x.md`` into every unchanged file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote

from kbtool.lint.facts import Facts, from_plain
from kbtool.paths import shown


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
    ) -> None:
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


@dataclass
class BaseIndex:
    root: Path | None = None  # the resolved notes folder
    files: dict[str, FileRecord] = field(default_factory=dict)  # by normalized absolute path

    def add(self, record: FileRecord) -> None:
        self.files[record.file] = record

    @cached_property
    def by_id(self) -> dict[str, list[FileRecord]]:
        out: dict[str, list[FileRecord]] = {}
        for record in self.files.values():
            if record.id:
                out.setdefault(record.id, []).append(record)
        return out

    @cached_property
    def by_name(self) -> dict[str, list[FileRecord]]:
        """Wikilink names: entry ids, file names with and without ``.md``, aliases."""
        out: dict[str, list[FileRecord]] = {}
        add = out.setdefault
        for record in self.files.values():
            name = record.file[record.file.rfind(os.sep) + 1 :].lower()
            add(name, []).append(record)
            if name.endswith(".md"):
                add(name[:-3], []).append(record)
            if record.id:
                add(record.id.lower(), []).append(record)
            for alias in record.aliases:
                add(alias.lower(), []).append(record)
        return out

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
        found = self.by_name.get(key) or self.by_name.get(key.rsplit("/", 1)[-1])
        return found[0] if found else None
