"""Content-hash cache of per-file facts and per-file findings: ``.kbtool-cache/``.

Stored through :mod:`kbtool.store.signed_cache` like export's caches, so a cache that
came with a clone, not written by this user's kbtool, is ignored and never
unmarshalled: it can neither hide findings nor crash the run. The key covers the
kbtool version, the Python version and the lint settings, so any of those changing
invalidates everything. Deleting the folder is always safe.

Three files, so that a pre-commit run (one changed file in a base of 10,000) reads
only what it needs:

* ``lint.marshal`` (signed, read by every run): per file its cache key, stat (mtime,
  size) and content digest as columns, the cross-file facts every run needs as three
  texts searched in C (wikilink names, the files each file links into with a
  ``#fragment``, question keys; see :class:`Snapshot`), the base's file list and the
  last run's findings. A file whose stat changed is re-read and re-hashed; only a
  changed digest means re-analysis.
* ``lint.records``: each file's whole :class:`~kbtool.lint.document.Record`
  marshal-ed, at an offset; ``lint.marshal`` holds the BLAKE2b hash of each, so a
  record is unmarshalled only when its bytes are the ones this user's kbtool wrote.
  A run decodes only the records it uses.
* ``lint.delta.marshal`` (signed): what later runs changed, until it grows and the
  other two are rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from kbtool import __version__
from kbtool.lint.document import Record, record_of_plain
from kbtool.store import atomic, signed_cache

CACHE_DIR = ".kbtool-cache"
_FILE = "lint.marshal"
_RECORDS = "lint.records"
_DELTA = "lint.delta.marshal"  # what changed since lint.marshal was written
_DELTA_MAX = 200  # changed files kept in the delta before the whole cache is rewritten
_FORMAT = 7  # 7: where each question key starts, its letters signature (see similar.py)
_HASH = 16  # bytes of BLAKE2b per stored record


class CachedFile(NamedTuple):
    """A base file's stat when it was analyzed, and its analysis."""

    mtime_ns: int
    size: int
    record: Record


# in the delta (marshal: plain tuples only): (mtime_ns, size, plain record)
_Plain = tuple[int, int, tuple[Any, ...]]


def _code_stamp() -> int:
    """Newest change to the lint code, the Markdown reading, the entry model or the
    modules rules share with import (privacy, placeholders, titles): an edited rule (or a
    changed reading or model, which decide what a file holds and what front matter is
    valid) invalidates the cache too."""
    here = Path(__file__).parent
    folders = (here, here / "rules", here.parent / "model", here.parent / "markdown")
    files = [path for folder in folders for path in folder.glob("*.py")]
    # what rules read outside the lint package: private lines, placeholders, titles
    files += [here.parent / name for name in ("privacy.py", "placeholders.py", "titles.py")]
    stamps = [p.stat().st_mtime_ns for p in files]
    return max(stamps, default=0)


LISTING = "listing\0"  # a probe key: the names in a folder, not its mtime


def probe(path: str) -> int:
    """A path's mtime, or -1 when it does not exist (what a finding depended on); for
    ``LISTING + folder``, :func:`listing_stamp` of the folder's names."""
    if path.startswith(LISTING):
        folder = path[len(LISTING) :]
        try:
            return listing_stamp(os.listdir(folder))
        except OSError:
            return -1
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def listing_stamp(names: Iterable[str]) -> int:
    """A number that changes when a name is added to or removed from a folder. A folder's
    mtime also changes when a file is made and removed again (an editor's swap file
    beside a README), which says nothing about the names a finding looked up."""
    joined = "\0".join(sorted(names)).encode("utf-8", "surrogateescape")
    return int.from_bytes(hashlib.blake2b(joined, digest_size=7).digest(), "big")


# ----------------------------------------------------------------------------- texts

# A column of short strings per file, joined into one text: every item is followed by
# "\n" and the text starts with one, so "\nITEM\n" finds an item with str.find (in C)
# and ``starts`` (offset of each file's first item) gives its file by bisection.
# Decoding one text costs a fraction of decoding 10,000 tuples of strings.


def _join(pieces: Iterable[Iterable[str]]) -> tuple[str, array[int]] | None:
    parts = ["\n"]
    starts = array("q")
    at = 1
    for items in pieces:
        starts.append(at)
        for item in items:
            if "\n" in item:
                return None  # cannot be searched this way: the run reads the records
            parts.append(item + "\n")
            at += len(item) + 1
    starts.append(at)
    return "".join(parts), starts


def _files_holding(text: str, starts: list[int], item: str) -> list[int]:
    """Positions of the files whose items include ``item``."""
    from bisect import bisect_right

    needle = "\n" + item + "\n"
    found: list[int] = []
    at = text.find(needle)
    while at >= 0:
        position = bisect_right(starts, at + 1) - 1
        if not found or found[-1] != position:
            found.append(position)
        at = text.find(needle, at + 1)
    return found


class Snapshot:
    """The columns of ``lint.marshal``: file ``i`` is ``keys[i]`` ("1:/abs/path"); its
    stat, digest, record location and hash; and three texts: wikilink names, files
    linked into with a ``#fragment``, the question key (entries only, else empty)."""

    def __init__(self, data: tuple[Any, ...]) -> None:
        keys, stats, digests, hashes, offsets, names, links, questions = data
        self.keys: tuple[str, ...] = keys
        self.stats: list[int] = _ints(stats)
        self.digests: tuple[str, ...] = digests
        self.hashes: bytes = hashes
        self.offsets: list[int] = _ints(offsets)
        self.names: tuple[str, list[int]] | None = (names[0], _ints(names[1])) if names else None
        self.links: tuple[str, list[int]] | None = (links[0], _ints(links[1])) if links else None
        # the question keys' text, where each key starts in it, each key's signature
        self.questions: str | None = questions[0] if questions else None
        self.question_starts: list[int] = _ints(questions[1]) if questions else []
        self.question_signatures: tuple[int, ...] = questions[2] if questions else ()
        self.position = dict(zip(keys, range(len(keys)), strict=True))  # in C: 10,000 keys

    def with_name(self, name: str) -> list[int]:
        assert self.names is not None
        return _files_holding(*self.names, name)

    def linking_into(self, wanted: Iterable[str]) -> set[int]:
        assert self.links is not None
        found: set[int] = set()
        for item in wanted:
            found.update(_files_holding(*self.links, item))
        return found

    def question_keys(self) -> list[str]:
        assert self.questions is not None
        return self.questions[1:-1].split("\n") if len(self.keys) else []

    def asking(self, question: str) -> list[int]:
        """Positions of the files whose question key is ``question``."""
        assert self.questions is not None
        return _files_holding(self.questions, self.question_starts, question)

    def questions_near(self, key: str, threshold: float) -> list[str]:
        """The non-empty question keys that pass ``similar.may_reach_signed``."""
        from kbtool.lint.similar import may_reach_signed

        assert self.questions is not None
        text, starts = self.questions, self.question_starts
        near = may_reach_signed(key, self.question_signatures, starts, threshold)
        return [q for q in (text[starts[i] : starts[i + 1] - 1] for i in near) if q]

    @property
    def searchable(self) -> bool:
        return self.names is not None and self.links is not None and self.questions is not None


def _ints(data: bytes) -> list[int]:
    found = array("q")
    found.frombytes(data)
    return found.tolist()


def _snapshot(entries: dict[str, _Plain]) -> tuple[tuple[Any, ...], list[bytes]]:
    """Columns and record blobs of ``entries``, in their order."""
    from kbtool.lint.index import wikilink_names
    from kbtool.lint.similar import letters_signature

    keys = tuple(entries)
    stats = array("q")
    digests: list[str] = []
    hashes: list[bytes] = []
    offsets = array("q", [0])
    blobs: list[bytes] = []
    names: list[list[str]] = []
    links: list[tuple[str, ...]] = []
    questions: list[str] = []
    for key, (mtime_ns, size, plain) in entries.items():
        record = record_of_plain(plain)
        stats.extend((mtime_ns, size))
        digests.append(record.digest)
        blob = marshal.dumps(plain)
        blobs.append(blob)
        hashes.append(hashlib.blake2b(blob, digest_size=_HASH).digest())
        offsets.append(offsets[-1] + len(blob))
        names.append(wikilink_names(key[2:], record.id, record.aliases))
        links.append(record.links_into)
        questions.append(record.question if record.is_entry else "")
    joined_names = _join(names)
    joined_links = _join(links)
    joined_questions = _join([q] for q in questions)
    columns = (
        keys,
        stats.tobytes(),
        tuple(digests),
        b"".join(hashes),
        offsets.tobytes(),
        (joined_names[0], joined_names[1].tobytes()) if joined_names else None,
        (joined_links[0], joined_links[1].tobytes()) if joined_links else None,
        (
            joined_questions[0],
            joined_questions[1].tobytes(),
            tuple(letters_signature(q) for q in questions),
        )
        if joined_questions
        else None,
    )
    return columns, blobs


def listed_stats(root: Path) -> tuple[str, bytes] | None:
    """The token of the ``lint.marshal`` under ``root`` and, in its order, the stat of
    each file it lists as it is now (mtime_ns, size; -1, -1 when it cannot be stat-ed),
    as an ``array("q")``'s bytes; None without a readable main file. What
    :mod:`kbtool.lint.prestat`'s child answers."""
    main = signed_cache.load(root / CACHE_DIR / _FILE)
    if not (isinstance(main, tuple) and len(main) == 5 and isinstance(main[2], tuple)):
        return None
    token, keys = main[1], main[2][0]
    now = array("q")
    stat = os.stat
    for key in keys:
        try:
            found = stat(key[2:])
        except OSError:
            now.extend((-1, -1))
            continue
        now.append(found.st_mtime_ns)
        now.append(found.st_size)
    return token, now.tobytes()


# ----------------------------------------------------------------------------- the cache


class FactsCache:
    def __init__(self, root: Path, fingerprint: str) -> None:
        self.folder = root / CACHE_DIR
        self.key = f"{_FORMAT}:{__version__}:{sys.version_info[:2]}:{fingerprint}:{_code_stamp()}"
        self.snapshot: Snapshot | None = None  # the columns of lint.marshal
        # files changed since lint.marshal was written (the delta, then this run's puts)
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
        # linting); ``token`` ties a delta and the records file to the one main file.
        self.token = ""
        self.changed: set[str] = set()
        self.removed: set[str] = set()
        self.listing_changed = False
        self._records_fd: int | None = None
        # the stat of each file of the main file taken while the run started (see
        # kbtool.lint.prestat), in its order like ``snapshot.stats``; None: stat them
        self.now_stats: list[int] | None = None

    def _read(self, name: str) -> Any:
        return signed_cache.load(self.folder / name)

    def load(self) -> None:
        # made before the run looks at anything: making it later changes the project
        # folder, which the findings may depend on (a vault's root), and the next run
        # would find them stale
        with contextlib.suppress(OSError):
            self.folder.mkdir(exist_ok=True)
        main = self._read(_FILE)
        if not (isinstance(main, tuple) and len(main) == 5 and main[0] == self.key):
            return
        _key, token, columns, listing, result = main
        if not self._open_records(token):
            return
        self.token, self.listing, self.result = token, listing, result
        self.snapshot = Snapshot(columns)
        from kbtool.lint import prestat

        self.now_stats = prestat.collect(token)
        delta = self._read(_DELTA)
        if isinstance(delta, tuple) and len(delta) == 6 and delta[:2] == (self.key, self.token):
            _key, _token, changed, removed, listing, self.result = delta
            self.entries.update(changed)
            self.changed, self.removed = set(changed), set(removed)
            if listing is not None:
                self.listing, self.listing_changed = listing, True

    def _open_records(self, token: str) -> bool:
        try:
            fd = os.open(self.folder / _RECORDS, os.O_RDONLY)
        except OSError:
            return False
        if os.pread(fd, len(token), 0) != token.encode():
            os.close(fd)
            return False
        self._records_fd = fd
        return True

    def close(self) -> None:
        if self._records_fd is not None:
            os.close(self._records_fd)
            self._records_fd = None

    # ------------------------------------------------------------------- reading

    def stat_of(self, key: str) -> tuple[int, int, str] | None:
        """(mtime_ns, size, digest) of a cached file, or None."""
        found = self.entries.get(key)
        if found is not None:
            return found[0], found[1], found[2][0]
        if self.snapshot is None or key in self.removed:
            return None
        i = self.snapshot.position.get(key)
        if i is None:
            return None
        stats = self.snapshot.stats
        return stats[2 * i], stats[2 * i + 1], self.snapshot.digests[i]

    def in_snapshot(self, key: str) -> int | None:
        """The file's position in lint.marshal when its record there is current."""
        if self.snapshot is None or key in self.entries or key in self.removed:
            return None
        return self.snapshot.position.get(key)

    def get(self, key: str) -> CachedFile | None:
        found = self.entries.get(key)
        if found is not None:
            return CachedFile(found[0], found[1], record_of_plain(found[2]))
        i = self.in_snapshot(key)
        if i is None:
            return None
        record = self.stored(i)
        if record is None:
            return None
        assert self.snapshot is not None
        stats = self.snapshot.stats
        return CachedFile(stats[2 * i], stats[2 * i + 1], record)

    def stored(self, i: int) -> Record | None:
        """The record at position ``i`` of lint.records; None when its bytes are not the
        ones written (then the caller reads the file itself)."""
        assert self.snapshot is not None
        if self._records_fd is None:
            return None
        start, end = self.snapshot.offsets[i], self.snapshot.offsets[i + 1]
        try:
            blob = os.pread(self._records_fd, end - start, len(self.token) + start)
        except OSError:
            return None
        return self._verified(i, blob)

    def all_stored(self) -> dict[int, Record]:
        """Every record of lint.records, read at once (a run over the whole base)."""
        if self.snapshot is None or self._records_fd is None:
            return {}
        offsets = self.snapshot.offsets
        head = len(self.token)
        try:
            data = os.pread(self._records_fd, offsets[-1], head)
        except OSError:
            return {}
        out: dict[int, Record] = {}
        view = memoryview(data)
        for i in range(len(self.snapshot.keys)):
            record = self._verified(i, view[offsets[i] : offsets[i + 1]])
            if record is not None:
                out[i] = record
        return out

    def _verified(self, i: int, blob: bytes | memoryview) -> Record | None:
        assert self.snapshot is not None
        want = self.snapshot.hashes[i * _HASH : (i + 1) * _HASH]
        if hashlib.blake2b(blob, digest_size=_HASH).digest() != want:
            return None
        try:
            return record_of_plain(marshal.loads(blob))
        except (EOFError, ValueError, TypeError):
            return None

    # ------------------------------------------------------------------- listing

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
        """Keep a run's findings with what they depended on. The probes count too: a
        probed folder that changed but left the findings as they were (the first run
        made ``.kbtool-cache/`` in the project folder) would otherwise fail every later
        run's :meth:`cached_result`, and each unchanged re-run lint the base again."""
        if self.result != (state, problems, probes):
            self.result = (state, problems, probes)
            self.dirty = True

    # ------------------------------------------------------------------- writing

    def put(self, key: str, entry: CachedFile) -> None:
        self.entries[key] = (entry.mtime_ns, entry.size, entry.record.plain())
        self.changed.add(key)
        self.removed.discard(key)
        self.dirty = True

    def prune(self, keep: Iterable[str] | set[str]) -> None:
        """Forget the files not in ``keep`` (removed from the base)."""
        keep = keep if isinstance(keep, set) else set(keep)
        stored = self.snapshot.position if self.snapshot is not None else {}
        gone = {key for key in (*stored, *self.entries) if key not in keep} - self.removed
        for key in gone:
            self.entries.pop(key, None)
            self.changed.discard(key)
        self.removed |= {key for key in gone if key in stored}
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        """Write atomically; a read-only tree just goes without a cache."""
        if not self.dirty:
            self.close()
            return
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                atomic.write_text(ignore, "# created by kbtool lint; safe to delete\n*\n")
            if self.snapshot is not None and len(self.changed) + len(self.removed) <= _DELTA_MAX:
                changed = {key: self.entries[key] for key in self.changed}
                listing = self.listing if self.listing_changed else None
                delta = (self.key, self.token, changed, sorted(self.removed), listing, self.result)
                signed_cache.save(self.folder / _DELTA, delta)
            else:
                self._rewrite()
        except OSError:
            return
        finally:
            self.close()
        self.dirty = False

    def _rewrite(self) -> None:
        """lint.records, then lint.marshal that names it (a crash between the two leaves
        a main file whose token no records file carries: a cold run, never wrong data)."""
        entries: dict[str, _Plain] = {}
        if self.snapshot is not None:
            stored = self.all_stored()
            stats = self.snapshot.stats
            for key, i in self.snapshot.position.items():
                if key in self.removed or key in self.entries or i not in stored:
                    continue
                entries[key] = (stats[2 * i], stats[2 * i + 1], stored[i].plain())
        entries.update(self.entries)
        self.token = os.urandom(8).hex()
        columns, blobs = _snapshot(entries)
        atomic.write_bytes(
            self.folder / _RECORDS, self.token.encode() + b"".join(blobs), durable=False
        )
        main = (self.key, self.token, columns, self.listing, self.result)
        signed_cache.save(self.folder / _FILE, main)
        (self.folder / _DELTA).unlink(missing_ok=True)
        self.changed, self.removed, self.listing_changed = set(), set(), False
