"""Content-hash cache of per-file facts and per-file findings: ``.kbtool-cache/``.

One :mod:`marshal` file under the project root maps each base file to its stat
(mtime, size), content digest and analysis. A file whose stat changed is re-read and
re-hashed; only a changed digest means re-analysis. The key covers the kbtool
version, the Python version and the lint settings, so any of those changing
invalidates everything. Deleting the folder is always safe.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Any

from kbtool import __version__
from kbtool.store import atomic

CACHE_DIR = ".kbtool-cache"
_FILE = "lint.marshal"
_FORMAT = 1

Entry = tuple[int, int, tuple[Any, ...]]  # mtime_ns, size, plain record


def _code_stamp() -> int:
    """Newest change to the lint code itself: an edited rule invalidates the cache too."""
    here = Path(__file__).parent
    stamps = [p.stat().st_mtime_ns for p in (*here.glob("*.py"), *here.glob("rules/*.py"))]
    return max(stamps, default=0)


def probe(path: str) -> int:
    """A path's mtime, or -1 when it does not exist (what a finding depended on)."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


class FactsCache:
    def __init__(self, root: Path, fingerprint: str) -> None:
        self.folder = root / CACHE_DIR
        self.key = f"{_FORMAT}:{__version__}:{sys.version_info[:2]}:{fingerprint}:{_code_stamp()}"
        self.entries: dict[str, Entry] = {}
        # the base's file list and the mtime of every folder in it: unchanged folders
        # mean no file was added, removed or renamed, so the walk can be skipped
        self.listing: tuple[dict[str, int], list[str]] | None = None
        # the last run's findings: (state key, plain problems, probes of files outside the
        # index -> mtime or -1); reused when nothing at all changed (warm re-run)
        self.result: tuple[str, list[Any], dict[str, int]] | None = None
        self.dirty = False

    def load(self) -> None:
        try:
            data = marshal.loads((self.folder / _FILE).read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if isinstance(data, tuple) and len(data) == 4 and data[0] == self.key:
            self.entries = data[1]
            self.listing = data[2]
            self.result = data[3]

    def files(self) -> list[str] | None:
        """The cached file list when no folder of the base changed since it was made."""
        if self.listing is None:
            return None
        folders, names = self.listing
        for folder, mtime in folders.items():
            try:
                if os.stat(folder).st_mtime_ns != mtime:
                    return None
            except OSError:
                return None
        return names

    def set_files(self, base: str, names: list[str]) -> None:
        folders: dict[str, int] = {}
        for folder, dirs, _files in os.walk(base):
            dirs[:] = [d for d in dirs if d not in {".git", CACHE_DIR}]
            try:
                folders[folder] = os.stat(folder).st_mtime_ns
            except OSError:
                return
        self.listing = (folders, names)
        self.dirty = True

    def folders(self) -> dict[str, int]:
        return self.listing[0] if self.listing else {}

    def cached_result(self, state: str) -> list[Any] | None:
        """The last findings, when the state matches and no probed path changed."""
        if self.result is None or self.result[0] != state:
            return None
        for path, stamp in self.result[2].items():
            if probe(path) != stamp:
                return None
        return self.result[1]

    def set_result(self, state: str, problems: list[Any], probes: dict[str, int]) -> None:
        if self.result is None or self.result[:2] != (state, problems):
            self.result = (state, problems, probes)
            self.dirty = True

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def put(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        gone = set(self.entries) - keep
        for key in gone:
            del self.entries[key]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        """Write atomically; a read-only tree just goes without a cache."""
        if not self.dirty:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                atomic.write_text(ignore, "# created by kbtool lint; safe to delete\n*\n")
            atomic.write_bytes(
                self.folder / _FILE,
                marshal.dumps((self.key, self.entries, self.listing, self.result)),
            )
        except OSError:
            return
        self.dirty = False
