"""The incremental part of lint: which files need analysis, and who does it.

A file's :class:`~kbtool.lint.document.Record` comes from ``.kbtool-cache/`` while its
stat (or, failing that, its content digest) is unchanged; the rest are analyzed, on
every core when there are many. The base's file list comes from the cache when no
folder changed. The engine (:mod:`kbtool.lint.linter`) then runs the rules over these
records; nothing here knows what a rule finds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from kbtool.config import Config
from kbtool.lint import document
from kbtool.lint.cache import CachedFile, FactsCache
from kbtool.lint.config import LintSettings
from kbtool.lint.context import LintContext
from kbtool.lint.document import Record, record_of_plain
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
    jobs: list[Job], config: Config, lint_settings: LintSettings, workers: int
) -> list[Analyzed]:
    if workers > 1 and len(jobs) >= _PARALLEL_MIN:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            workers, initializer=_init_pool_worker, initargs=(os.getpid(), config, lint_settings)
        ) as pool:
            return list(pool.map(_analyze, jobs, chunksize=64))
    _init_worker(config, lint_settings)
    return [_analyze(job) for job in jobs]


def records(
    cache: FactsCache | None,
    files: dict[str, bool],
    config: Config,
    lint_settings: LintSettings,
    *,
    workers: int,
) -> dict[str, Record]:
    """Records of ``files`` (path -> must be an entry), from the cache when valid."""
    out: dict[str, Record] = {}
    todo: list[Job] = []
    no_cache: dict[str, tuple[int, int, tuple[Any, ...]]] = {}
    lookup = cache.lookup() if cache is not None else no_cache.get
    for name, expect_entry in files.items():
        key = f"{int(expect_entry)}:{name}"
        hit = lookup(key)
        if hit is None:
            todo.append(Job(name, expect_entry, None))
            continue
        mtime_ns, size, plain = hit
        record = record_of_plain(plain)
        try:
            stat = os.stat(name)
        except OSError:
            todo.append(Job(name, expect_entry, record.known))
            continue
        if (stat.st_mtime_ns, stat.st_size) != (mtime_ns, size):
            if _digest_file(name) != record.digest:
                todo.append(Job(name, expect_entry, record.known))
                continue
            assert cache is not None
            cache.put(key, CachedFile(stat.st_mtime_ns, stat.st_size, record))
        out[name] = record
    for done in _analyze_all(todo, config, lint_settings, workers):
        out[done.name] = done.record
        if cache is not None and done.record.read_error is None:
            key = f"{int(files[done.name])}:{done.name}"
            cache.put(key, CachedFile(done.mtime_ns, done.size, done.record))
    if cache is not None:
        cache.prune({f"{int(e)}:{n}" for n, e in files.items()})
    return out


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
    found: dict[str, Record],
    target_names: dict[str, str],
    codes: set[str],
    cache: FactsCache,
    cwd: str,
) -> str:
    """Everything a run's findings depend on, hashed: file contents, targets, rules, folders."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for part in (cwd, sorted(codes), sorted(target_names.items()), sorted(cache.folders().items())):
        digest.update(repr(part).encode())
    for name in sorted(found):
        digest.update(f"{name}\0{found[name].digest}\n".encode())
    return digest.hexdigest()


def cpus() -> int:
    return min(2, len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else 2
