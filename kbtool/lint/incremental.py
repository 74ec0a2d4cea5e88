"""The incremental part of lint: which files need analysis, and who does it.

A file's :class:`~kbtool.lint.document.Record` comes from ``.kbtool-cache/`` while its
stat (or, failing that, its content digest) is unchanged; the rest are analyzed, on
every core when there are many. The base's file list comes from the cache when no
folder changed. The engine (:mod:`kbtool.lint.linter`) then runs the rules over these
records; nothing here knows what a rule finds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from kbtool.config import Config
from kbtool.lint import document
from kbtool.lint.cache import CachedFile, FactsCache
from kbtool.lint.config import LintSettings
from kbtool.lint.context import LintContext
from kbtool.lint.document import Record
from kbtool.lint.rules import FILE_RULES
from kbtool.parallel import exit_with_parent
from kbtool.store.discover import discover, scan_folder

_PARALLEL_MIN = 200  # below this, starting worker processes costs more than it saves


class Job(NamedTuple):
    """One file to analyze: its absolute path, whether it must be an entry, and the
    front matter it had when it last validated (see ``document.KnownFrontMatter``)."""

    name: str
    expect_entry: bool
    known: document.KnownFrontMatter | None


class Analyzed(NamedTuple):
    name: str
    mtime_ns: int
    size: int
    record: Record


_WORKER: dict[str, Any] = {}


def _init_worker(config: Config, lint_settings: LintSettings) -> None:
    _WORKER["context"] = LintContext(config, lint_settings)


def _init_pool_worker(parent: int, config: Config, lint_settings: LintSettings) -> None:
    exit_with_parent(parent)  # a killed lint (a pre-commit run stopped hard) leaves no worker
    _init_worker(config, lint_settings)


def _analyze(job: Job) -> Analyzed:
    """Stat, read and analyze one file (in this process or a worker)."""
    path = Path(job.name)
    try:
        stat = path.stat()
        raw = path.read_bytes()
    except OSError:
        stat, raw = None, b""
    doc = document.load(path, job.name, expect_entry=job.expect_entry, known=job.known)
    record = document.analyze(doc, FILE_RULES, _WORKER["context"], document.digest_of(raw))
    return Analyzed(job.name, stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0, record)


def _analyze_all(
    jobs: list[Job], *, config: Config, lint_settings: LintSettings, workers: int
) -> list[Analyzed]:
    if not jobs:
        return []
    if workers > 1 and len(jobs) >= _PARALLEL_MIN:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            workers, initializer=_init_pool_worker, initargs=(os.getpid(), config, lint_settings)
        ) as pool:
            return list(pool.map(_analyze, jobs, chunksize=64))
    _init_worker(config, lint_settings)
    return [_analyze(job) for job in jobs]


class Records:
    """Every file's :class:`Record`: those analyzed this run or changed since the cache's
    main file was written (``fresh``), and the rest by their position in it, decoded
    only when a rule asks (a pre-commit run uses a handful of the base's records)."""

    def __init__(
        self,
        cache: FactsCache | None,
        files: dict[str, bool],
        analyze: Callable[[list[Job]], list[Analyzed]],
    ) -> None:
        self.cache = cache
        self.files = files  # every file of the run -> whether it must be an entry
        self.analyze = analyze
        self.fresh: dict[str, Record] = {}
        self.stored: dict[str, int] = {}  # name -> position in the cache's main file
        self.digests: dict[str, str] = {}

    def get(self, name: str) -> Record | None:
        found = self.fresh.get(name)
        if found is None and name in self.stored:
            assert self.cache is not None
            found = self.cache.stored(self.stored[name])
            if found is not None:
                self.fresh[name] = found
        return found

    def materialize(self) -> dict[str, Record]:
        """Every record, in file order (a run over the whole base needs them all)."""
        if self.cache is not None and any(name not in self.fresh for name in self.stored):
            every = self.cache.all_stored()
            again = []
            for name, i in self.stored.items():
                if name not in self.fresh:
                    if i in every:
                        self.fresh[name] = every[i]
                    else:  # not the bytes written: read the file again
                        again.append(Job(name, self.files[name], None))
            self.add(self.analyze(again))
        return {name: self.fresh[name] for name in self.digests}

    def add(self, analyzed: list[Analyzed]) -> None:
        """Records analyzed in this run (and cached, when readable)."""
        for done in analyzed:
            self.fresh[done.name] = done.record
            self.digests[done.name] = done.record.digest
            self.stored.pop(done.name, None)
            if self.cache is not None and done.record.read_error is None:
                key = f"{int(self.files[done.name])}:{done.name}"
                self.cache.put(key, CachedFile(done.mtime_ns, done.size, done.record))


def records(
    cache: FactsCache | None,
    files: dict[str, bool],
    config: Config,
    lint_settings: LintSettings,
    *,
    workers: int,
    wanted: Iterable[str] = (),
) -> Records:
    """Records of ``files`` (path -> must be an entry), from the cache when valid;
    ``wanted`` are decoded now, the rest when asked for (or all by ``materialize``)."""
    analyze = partial(_analyze_all, config=config, lint_settings=lint_settings, workers=workers)
    out = Records(cache, files, analyze)
    todo: list[Job] = []
    snapshot = cache.snapshot if cache is not None else None
    position = snapshot.position if snapshot is not None else {}
    stats = snapshot.stats if snapshot is not None else []
    digests = snapshot.digests if snapshot is not None else ()
    changed = cache.entries if cache is not None else {}
    removed = cache.removed if cache is not None else set()
    now_stats = cache.now_stats if cache is not None else None
    stat = os.stat
    seen = 0  # files found in the main file (fewer than it holds: some were removed)
    for name, expect_entry in files.items():
        key = ("1:" if expect_entry else "0:") + name
        i = position.get(key)
        if i is not None:
            seen += 1
            if key not in changed and key not in removed:
                # the usual case, kept short: 10,000 of these in a pre-commit run
                if now_stats is not None:  # stat-ed while the run started
                    mtime_ns, size = now_stats[2 * i], now_stats[2 * i + 1]
                else:
                    try:
                        now = stat(name)
                        mtime_ns, size = now.st_mtime_ns, now.st_size
                    except OSError:
                        mtime_ns = size = -1
                if mtime_ns == stats[2 * i] and size == stats[2 * i + 1]:
                    out.digests[name] = digests[i]
                    out.stored[name] = i
                    continue
                if mtime_ns < 0:  # gone, or unreadable
                    todo.append(Job(name, expect_entry, _known(cache, key)))
                    continue
        job = _check(cache, name, expect_entry, key, out)
        if job is not None:
            todo.append(job)
    for name in wanted:
        if name in out.stored and out.get(name) is None:  # not the bytes written: read again
            del out.digests[name], out.stored[name]
            todo.append(Job(name, files[name], None))
    out.add(out.analyze(todo))
    if cache is not None and (
        seen + len(removed & position.keys()) < len(position)
        or any(key[2:] not in files for key in changed)
    ):
        cache.prune({f"{int(e)}:{n}" for n, e in files.items()})
    return out


def _check(
    cache: FactsCache | None, name: str, expect_entry: bool, key: str, out: Records
) -> Job | None:
    """A file not simply unchanged in the main file: the job to analyze it, or None when
    its cached record (changed since the main file, or only touched) still holds."""
    hit = cache.stat_of(key) if cache is not None else None
    if hit is None:
        return Job(name, expect_entry, None)
    assert cache is not None
    mtime_ns, size, digest = hit
    try:
        now = os.stat(name)
    except OSError:
        return Job(name, expect_entry, _known(cache, key))
    found = None
    if now.st_mtime_ns != mtime_ns or now.st_size != size:
        if _digest_file(name) != digest:
            return Job(name, expect_entry, _known(cache, key))
        found = cache.get(key)
        if found is None:
            return Job(name, expect_entry, None)
        cache.put(key, CachedFile(now.st_mtime_ns, now.st_size, found.record))
    i = cache.in_snapshot(key)
    out.digests[name] = digest
    if i is not None:
        out.stored[name] = i
        return None
    found = found or cache.get(key)
    if found is None:
        del out.digests[name]
        return Job(name, expect_entry, None)
    out.fresh[name] = found.record
    return None


def _known(cache: FactsCache | None, key: str) -> document.KnownFrontMatter | None:
    """The front matter a file had when it last validated (skips validating it again)."""
    found = cache.get(key) if cache is not None else None
    return found.record.known if found is not None else None


def _digest_file(name: str) -> str:
    try:
        return document.digest_of(Path(name).read_bytes())
    except OSError:
        return ""


def base_files(config: Config, cache: FactsCache | None, paths: list[Path]) -> list[str]:
    """Absolute paths of every file in the base; from the cache when no folder changed."""
    from kbtool.lint.linter import targets

    if not config.notes.is_dir():
        if not paths:
            targets(config, paths)  # raises the usage error for a missing base
        return []
    base = Path(os.path.abspath(config.notes))
    if cache is not None:
        cached = cache.files(lambda folder: scan_folder(base, folder, config.exclude))
        if cached is not None:
            return cached
    folders: dict[str, int] = {}
    names = [str(p) for p in discover(base, config.exclude, folders=folders)]
    if cache is not None:
        cache.set_files(folders, names)
    return names


def state(
    found: Records,
    target_names: dict[str, str],
    codes: set[str],
    cache: FactsCache,
    cwd: str,
    roots: tuple[str, ...] = (),
) -> str:
    """Everything a run's findings depend on, hashed: file contents, targets, rules, folders
    (and the folders given, where a vault's embeds are looked up)."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    parts = (cwd, sorted(codes), sorted(target_names.items()), sorted(cache.folders().items()))
    for part in (*parts, sorted(roots)):
        digest.update(repr(part).encode())
    # in the run's file order (the base's listing, then files outside it: the same files
    # give the same order), with no sort of 10,000 names; names joined by NUL (which no
    # file name holds), then their digests (hex) in the same order
    digests = found.digests
    names = [name for name in found.files if name in digests]
    digest.update("\0".join(names).encode())
    digest.update(b"\0\0")
    digest.update("\n".join(map(digests.__getitem__, names)).encode())
    return digest.hexdigest()


def cpus() -> int:
    return min(2, len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else 2
