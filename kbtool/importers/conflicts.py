"""Entries a person edited since import wrote them, when the source changed too.

Import never overwrites such an entry on its own. It says so, can show what the source
would change (a unified diff, ``--diff``), and takes the source's version only for the
ids the user names (``--take-source ID``); the person's version is then kept next to
the entry as ``<file>.orig``, so nothing the user wrote is lost without a copy.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from kbtool.store import atomic

BACKUP_SUFFIX = ".orig"


@dataclass(frozen=True)
class Conflict:
    """One edited entry the source would change: ``yours`` is the file as it is,
    ``source`` the text import would write; ``taken`` when the user asked for the
    source's version, ``backup`` where the person's version was then saved."""

    id: str
    path: Path
    shown: str  # the entry's path as messages show it
    yours: str
    source: str
    taken: bool = False
    backup: Path | None = None

    def diff(self) -> str:
        """What taking the source's version would change, as a unified diff."""
        lines = difflib.unified_diff(
            self.yours.splitlines(keepends=True),
            self.source.splitlines(keepends=True),
            fromfile=f"{self.shown} (yours)",
            tofile=f"{self.shown} (source)",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def backup_path(path: Path) -> Path:
    """``x.md.orig``, or ``x.md.orig2``, ... : the first name no earlier backup holds."""
    candidate, number = path.with_name(path.name + BACKUP_SUFFIX), 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}{BACKUP_SUFFIX}{number}")
    return candidate


def keep_backup(path: Path, text: str) -> Path:
    """Save the person's version ``text`` of ``path`` next to it; return where."""
    target = backup_path(path)
    atomic.write_text(target, text)
    return target
