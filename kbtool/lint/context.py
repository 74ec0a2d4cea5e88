"""What a rule may know beyond its document: options, the whole-base index, targets.

``check(doc, context)`` rules see one document and must depend only on it and on
their options (their findings are cached by content). Rules that look at other
files define ``check_base(context)`` instead; the linter calls it once per run and
it reports problems only for ``context.targets``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from kbtool.config import Config
from kbtool.lint.config import LintSettings
from kbtool.lint.index import BaseIndex, FileRecord

T = TypeVar("T")


@dataclass(eq=False, repr=False)  # mutable: compared by identity
class LintContext:
    config: Config
    settings: LintSettings = field(default_factory=LintSettings)
    index: BaseIndex = field(default_factory=BaseIndex)
    targets: dict[str, FileRecord] = field(default_factory=dict)
    extra: dict[str, FileRecord | None] = field(default_factory=dict)
    # indexed files, not targets, that link into a target (see ``linter.linking_into``):
    # cross-file rules check those links too, so a renamed heading is caught
    incoming: dict[str, FileRecord] = field(default_factory=dict)
    # paths outside the index that findings depend on -> mtime or -1 (for the result cache)
    probes: dict[str, int] = field(default_factory=dict)
    # the folders given to ``kbtool lint`` (absolute, normalized): a vault's embeds are
    # found by name anywhere in the folder that holds the note
    roots: tuple[str, ...] = ()
    vaults: dict[str, str] = field(default_factory=dict)  # note's folder -> its vault
    vault_names: dict[str, set[str]] = field(default_factory=dict)  # vault -> file names
    listings: dict[str, dict[str, str]] = field(default_factory=dict)  # see letter_case
    case_blind: bool | None = None  # whether the file system ignores letter case
    # (note's folder, marks) -> whether an app's marks are there or above (see apps.py)
    apps: dict[tuple[str, tuple[str, ...]], bool] = field(default_factory=dict)
    _base_real: str | None = None

    def options(self, name: str, kind: type[T]) -> T:
        """Rule ``name``'s options, checked against its ``Options`` class ``kind``
        (the defaults when ``[tool.kbtool.lint.<name>]`` is absent)."""
        found = self.settings.options.get(name)
        return found if isinstance(found, kind) else kind()

    def target_records(self) -> Iterator[FileRecord]:
        return iter(self.targets.values())

    def record(self, path: Path | str) -> FileRecord | None:
        """Facts of any Markdown file: from the index, a target, or read on demand."""
        key = os.path.normpath(os.path.abspath(path))
        found = self.index.get(key) or self.targets.get(key)
        if found is not None:
            return found
        if key not in self.extra:
            from kbtool.lint.document import record_of

            # a file outside the base is never read: its headings would leak into
            # messages ("did you mean …") about files someone else wrote
            readable = self._inside_base(key) and self.probe(key) >= 0
            self.extra[key] = record_of(Path(key)) if readable else None
        return self.extra[key]

    def _inside_base(self, path: str) -> bool:
        from kbtool.paths import is_real_inside

        if self._base_real is None:
            self._base_real = os.path.realpath(self.config.notes)
        return is_real_inside(os.path.realpath(path), self._base_real)

    def probe(self, path: str) -> int:
        """mtime of ``path`` (-1: missing), remembered as something the findings depend on."""
        if path not in self.probes:
            from kbtool.lint.cache import probe

            self.probes[path] = probe(path)
        return self.probes[path]

    def exists(self, path: str) -> bool:
        """Whether a link target exists (indexed files need no system call), in the letter
        case written: GitHub tells ``A.png`` from ``a.png`` where macOS finds both."""
        if path in self.index or path in self.targets:
            return True
        if self.probe(path) < 0:
            return False
        from kbtool.lint.letter_case import exact

        return exact(self, path)
