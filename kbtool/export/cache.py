"""Export cache: ``.kbtool-cache/export.marshal`` under the project root.

Parsing front matter (YAML + schema) and Markdown (markdown-it) and sanitizing are
most of an export's time. So we keep, per file, its stat and its parsed front matter
and body; and per rendering the sanitized
result with the file checks it relied on (real paths of link targets, whether they
exist, image media names), reused only while those checks give the same answers, so
the cache never changes an export; and per base and Anki note the hash of its content
and the modification time last exported. The file is stored through
:mod:`kbtool.store.signed_cache`: keyed by the code version (kbtool, Python, a hash of
the sources) and signed with a per-user key, so a cache that came with a repository
is ignored instead of trusted. Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kbtool.parallel import fork_available, in_background
from kbtool.store import atomic, signed_cache

CACHE_DIR = ".kbtool-cache"
_FILE = "export.marshal"
_FORMAT = 6

# absolute path -> (mtime_ns, size, front matter as JSON data, body, body line)
FileRecord = tuple[int, int, dict[str, Any], str, int]
# sanitized HTML, links, image paths, warnings, (lexical, real, is file) checked, image
# srcs, links to files that keep only their text (file:line, URL, real target)
RenderedRecord = tuple[
    str,
    list[str],
    list[str],
    list[str],
    list[tuple[str, str, bool]],
    list[str],
    list[tuple[str, str, str]],
]


class ExportCache:
    def __init__(self, root: Path | None) -> None:
        self.path = root / CACHE_DIR / _FILE if root is not None else None
        self.key = f"{_FORMAT}:{signed_cache.code_version()}"
        self.files: dict[str, FileRecord] = {}
        # base folder -> entry id -> (content hash, mod): see :meth:`anki_notes_of`
        self.anki_notes: dict[str, dict[str, tuple[str, int]]] = {}
        self.tokens: dict[str, Any] = {}  # the last body's hash -> its tokens (render.py)
        self.rendered: dict[str, RenderedRecord] = {}
        self._used_rendered: set[str] = set()
        self._fresh: set[str] = set()  # rendered in this run: nothing to recheck
        self.urls: dict[str, Any] = {}  # URL checks of this run (render.py)
        self._typst: dict[str, Any] | None = None  # loaded by the PDF export only
        self._typst_dirty = False
        self._pdf: tuple[str, bytes, list[str]] | None = None
        self.dirty = False
        self._saving: tuple[Callable[[], Path | None], set[str]] | None = None
        self._load()

    def _load(self) -> None:
        if self.path is None:
            return
        data = signed_cache.load(self.path)
        if isinstance(data, tuple) and len(data) == 4 and data[0] == self.key:
            self.files, self.rendered, self.anki_notes = data[1], data[2], data[3]

    def get_file(self, rel: str, mtime_ns: int, size: int) -> FileRecord | None:
        record = self.files.get(rel)
        if record is not None and record[0] == mtime_ns and record[1] == size:
            return record
        return None

    def put_file(self, rel: str, record: FileRecord) -> None:
        self.files[rel] = record
        self.dirty = True

    def keep_files(self, keep: set[str]) -> None:
        gone = set(self.files) - keep
        for rel in gone:
            del self.files[rel]
        self.dirty = self.dirty or bool(gone)

    def typst_pieces(self) -> dict[str, Any]:
        """Cached typst of sheet pieces (``typst_source.TypstRecord`` by piece key), in
        their own file: only a PDF export pays for reading them."""
        if self._typst is None:
            data = signed_cache.load(self._side("typst")) if self.path else None
            self._typst = {}
            if isinstance(data, tuple) and len(data) == 2 and data[0] == self.key:
                self._typst = data[1]
        return self._typst

    def keep_typst_pieces(self, pieces: dict[str, Any]) -> None:
        """What the last sheet was made of: the only pieces worth keeping."""
        self._typst = pieces
        self._typst_dirty = True

    def last_pdf(self, key: str) -> tuple[bytes, list[str]] | None:
        """The PDF (and its warnings) last compiled from the typst source ``key``."""
        if self._pdf is None and self.path is not None:
            data = signed_cache.load(self._side("pdf"))
            if isinstance(data, tuple) and len(data) == 4 and data[0] == self.key:
                self._pdf = (data[1], data[2], data[3])
        if self._pdf is not None and self._pdf[0] == key:
            return self._pdf[1], self._pdf[2]
        return None

    def put_pdf(self, key: str, pdf: bytes, warnings: list[str]) -> None:
        self._pdf = (key, pdf, warnings)
        if self.path is not None:
            signed_cache.save(self._side("pdf"), (self.key, key, pdf, warnings))

    def _side(self, name: str) -> Path:
        assert self.path is not None
        return self.path.with_name(f"export-{name}.marshal")

    def anki_notes_of(self, base: Path) -> dict[str, tuple[str, int]]:
        """What was exported to Anki from ``base``: one project can hold several bases
        (``make demo`` imports into a second one), and the notes exported from one are
        not missing from the other (exporting a second base said that each of the
        first's 847 notes was "no longer in the base; delete its note in Anki")."""
        return self.anki_notes.setdefault(str(base.resolve()), {})

    def put_anki_note(self, base: Path, entry_id: str, digest: str, mod: int) -> None:
        notes = self.anki_notes_of(base)
        if notes.get(entry_id) != (digest, mod):
            notes[entry_id] = (digest, mod)
            self.dirty = True

    def forget_anki_notes(self, base: Path, still_there: set[str]) -> list[str]:
        """Ids exported to Anki from ``base`` before that are no longer in it (reported
        once)."""
        notes = self.anki_notes_of(base)
        gone = sorted(set(notes) - still_there)
        for entry_id in gone:
            del notes[entry_id]
        self.dirty = self.dirty or bool(gone)
        return gone

    def tokens_of(self, body: str, parse: Any) -> Any:
        """``parse(body)`` (markdown-it's tokens), shared by the renderings of one body
        in a row (its modes). Only the last body's are kept: a token list is a few
        hundred objects, and a run renders thousands of bodies."""
        key = self.raw_key(body)
        cached = self.tokens.get(key)
        if cached is None:
            cached = parse(body)
            self.tokens = {key: cached}
        return cached

    @staticmethod
    def raw_key(body: str) -> str:
        return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()

    def mostly_cold(self, entries: int) -> bool:
        """True when most of ``entries`` have no cached rendering (a first export)."""
        return len(self.rendered) < entries // 2

    @staticmethod
    def key_of(*parts: str) -> str:
        joined = "\0".join(parts).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(joined, digest_size=16).hexdigest()

    def is_fresh(self, key: str) -> bool:
        return key in self._fresh

    def get_rendered(self, key: str) -> RenderedRecord | None:
        self._used_rendered.add(key)
        return self.rendered.get(key)

    def put_rendered(self, key: str, record: RenderedRecord, fresh: bool = False) -> None:
        """Keep ``record``; ``fresh`` when it was made in this run from the file system
        as it is now (another process prerendered it)."""
        if fresh:
            self._fresh.add(key)
        self._used_rendered.add(key)
        self.rendered[key] = record
        self.dirty = True

    def save_started(self) -> None:
        """Start writing what the cache holds now in the background (a forked child),
        so that a first export's cache (over 100 MB for 10,000 entries) is marshalled,
        hashed and written while the exporters run. It is written beside the cache
        file: :meth:`save` puts it in place (or writes anew if the cache changed
        meanwhile), :meth:`discard_started` removes it (a failed or interrupted export
        leaves no file behind)."""
        if self.path is None or not self.dirty or self._saving is not None:
            return
        path, umask = self.path, atomic.current_umask()
        kept = self._used_rendered & self.rendered.keys()
        if fork_available():  # the child sees the cache as it is now
            value = self._value
        else:  # a thread sees it change: hand it a copy
            notes = {base: dict(ids) for base, ids in self.anki_notes.items()}
            copied = (self.key, dict(self.files), self._rendered_used(), notes)
            value = lambda: copied  # noqa: E731
        wait = in_background(lambda: signed_cache.save_aside(path, value(), umask))
        self._saving = (wait, kept)
        self.dirty = False

    def _rendered_used(self) -> dict[str, RenderedRecord]:
        return {k: v for k, v in self.rendered.items() if k in self._used_rendered}

    def _value(self) -> tuple[Any, ...]:
        """What the cache file holds."""
        return (self.key, self.files, self._rendered_used(), self.anki_notes)

    def discard_started(self) -> None:
        """Remove what :meth:`save_started` wrote, if :meth:`save` did not use it."""
        aside = self._wait()
        if aside is not None:
            atomic.discard(aside)

    def _wait(self) -> Path | None:
        """The file :meth:`save_started` wrote (after waiting for it), or None."""
        if self._saving is None:
            return None
        wait, kept = self._saving
        self._saving = None
        # a record from an earlier run used after the snapshot is not in it
        self.dirty = self.dirty or not self._used_rendered <= kept
        return wait()

    def save(self) -> None:
        """Write atomically what this run used; no cache if read-only.

        Parsed tokens stay in memory only: the sanitized result is what later runs
        reuse.
        """
        if self.path is not None and self._typst_dirty:
            signed_cache.save(self._side("typst"), (self.key, self._typst))
            self._typst_dirty = False
        aside = self._wait()
        if aside is not None and self.path is not None:
            if self.dirty:
                atomic.discard(aside)
            else:
                with contextlib.suppress(OSError):
                    atomic.put_in_place(aside, self.path)
        if self.path is None or not self.dirty:
            return
        signed_cache.save(self.path, self._value())
        self.dirty = False
