"""Content-hash cache of per-file facts and per-file findings: ``.kbtool-cache/``.

One file under the project root, stored through :mod:`kbtool.store.signed_cache` like
export's caches (so a cache that came with a clone, not written by this user's
kbtool, is ignored and never unmarshalled: it can neither hide findings nor crash
the run), maps each base file to its stat
(mtime, size), content digest and analysis; a small delta file holds what later runs
changed, until it grows and the main file is rewritten. A file whose stat changed is
re-read and re-hashed; only a changed digest means re-analysis. The key covers the kbtool
version, the Python version and the lint settings, so any of those changing
invalidates everything. Deleting the folder is always safe.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from kbtool import __version__
from kbtool.lint.document import Record, record_of_plain
from kbtool.store import atomic, signed_cache

CACHE_DIR = ".kbtool-cache"
_FILE = "lint.marshal"
_DELTA = "lint.delta.marshal"  # what changed since lint.marshal was written
_DELTA_MAX = 200  # changed files kept in the delta before the whole cache is rewritten
_FORMAT = 5  # 5: records know the files they link into (a heading renamed there)


class CachedFile(NamedTuple):
    """A base file's stat when it was analyzed, and its analysis."""

    mtime_ns: int
    size: int
    record: Record


# on disk (marshal: plain tuples only): (mtime_ns, size, plain record)
_Plain = tuple[int, int, tuple[Any, ...]]


def _code_stamp() -> int:
    """Newest change to the lint code or the entry model: an edited rule (or a changed
    model, which decides what front matter is valid) invalidates the cache too."""
    here = Path(__file__).parent
    model = here.parent / "model"
    files = (*here.glob("*.py"), *here.glob("rules/*.py"), *model.glob("*.py"))
    stamps = [p.stat().st_mtime_ns for p in files]
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
        self.entries: dict[str, _Plain] = {}
        # the base's file list and the mtime of every folder in it: unchanged folders
        # mean no file was added, removed or renamed, so the walk can be skipped
        self.listing: tuple[dict[str, int], list[str]] | None = None
        # the last run's findings: (state key, plain problems, probes of files outside the
        # index -> mtime or -1); reused when nothing at all changed (warm re-run)
        self.result: tuple[str, list[Any], dict[str, int]] | None = None
        self.dirty = False
        # A run that changed a few records writes only those to the delta file (a
        # pre-commit run would otherwise spend more time rewriting 10,000 records than
        # linting); ``token`` ties a delta to the one main file it extends.
        self.token = ""
        self.changed: set[str] = set()
        self.removed: set[str] = set()
        self.listing_changed = False

    def _read(self, name: str) -> Any:
        return signed_cache.load(self.folder / name)

    def load(self) -> None:
        main = self._read(_FILE)
        if not (isinstance(main, tuple) and len(main) == 5 and main[0] == self.key):
            return
        _key, self.token, self.entries, self.listing, self.result = main
        delta = self._read(_DELTA)
        if isinstance(delta, tuple) and len(delta) == 6 and delta[:2] == (self.key, self.token):
            _key, _token, changed, removed, listing, self.result = delta
            self.entries.update(changed)
            for key in removed:
                self.entries.pop(key, None)
            self.changed, self.removed = set(changed), set(removed)
            if listing is not None:
                self.listing, self.listing_changed = listing, True

    def files(self, scan: Callable[[str], tuple[list[str], list[str]]]) -> list[str] | None:
        """The cached file list, refreshed in the folders whose mtime changed.

        ``scan(folder)`` gives a folder's entry files and walked subfolders. Saving a
        file by rename (editors, git, ``sed -i``) changes its folder's mtime; only
        that folder is read again. None (walk the base) when a folder appeared or went.
        """
        if self.listing is None:
            return None
        folders, names = self.listing
        changed: dict[str, int] = {}
        for folder, mtime in folders.items():
            try:
                now = os.stat(folder).st_mtime_ns
            except OSError:
                return None
            if now != mtime:
                changed[folder] = now  # taken before the folder is read again
        if not changed:
            return names
        fresh = [name for name in names if os.path.dirname(name) not in changed]
        for folder in changed:
            files, subfolders = scan(folder)
            if any(sub not in folders for sub in subfolders):
                return None
            fresh.extend(files)
        fresh.sort(key=lambda name: name.split(os.sep))
        self.listing = ({**folders, **changed}, fresh)
        self.dirty = self.listing_changed = True
        return fresh

    def set_files(self, folders: dict[str, int], names: list[str]) -> None:
        """The base's files and the mtime of every folder walked to find them."""
        self.listing = (folders, names)
        self.dirty = self.listing_changed = True

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

    def get(self, key: str) -> CachedFile | None:
        found = self.entries.get(key)
        if found is None:
            return None
        mtime_ns, size, plain = found
        return CachedFile(mtime_ns, size, record_of_plain(plain))

    def lookup(self) -> Callable[[str], _Plain | None]:
        """``get`` for a loop over the whole base: the entry as stored, (mtime_ns, size,
        plain record); the caller makes the record with ``document.record_of_plain``."""
        return self.entries.get

    def put(self, key: str, entry: CachedFile) -> None:
        self.entries[key] = (entry.mtime_ns, entry.size, entry.record.plain())
        self.changed.add(key)
        self.removed.discard(key)
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        gone = set(self.entries) - keep
        for key in gone:
            del self.entries[key]
        self.removed |= gone
        self.changed -= gone
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
            if self.token and len(self.changed) + len(self.removed) <= _DELTA_MAX:
                changed = {key: self.entries[key] for key in self.changed}
                listing = self.listing if self.listing_changed else None
                delta = (self.key, self.token, changed, sorted(self.removed), listing, self.result)
                _write(self.folder / _DELTA, delta)
            else:
                self.token = os.urandom(8).hex()
                main = (self.key, self.token, self.entries, self.listing, self.result)
                _write(self.folder / _FILE, main)
                (self.folder / _DELTA).unlink(missing_ok=True)
                self.changed, self.removed, self.listing_changed = set(), set(), False
        except OSError:
            return
        self.dirty = False


def _write(path: Path, data: Any) -> None:
    # a cache: an empty file after a power cut just means a cold run
    signed_cache.save(path, data)
