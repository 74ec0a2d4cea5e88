"""A first export renders and sanitizes every entry on every core.

markdown-it-py (~1.4 ms an entry) and sanitizing with its URL checks (~0.4 ms) are
most of a first export. An entry's result depends only on its body, its file's place
in the base and the files its links and images point at, so other processes can make
it and the exporters then find it in the cache. A result made in this run is used as
it is; one from an earlier run is rechecked against the file system before use
(:func:`kbtool.export.render.render_markdown`), so prerendering never changes an
export.

Two ways in: :func:`read_and_render` when the files themselves are new (a first
export: each worker reads, validates and renders its share, so a body crosses a pipe
once, as HTML), :func:`prerender` when the files were cached but their HTML was not
(the last export was a PDF).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kbtool.export.base import Selection
from kbtool.export.cache import ExportCache, FileRecord, RenderedRecord
from kbtool.export.formula_images import as_math
from kbtool.export.loader import read_entry
from kbtool.export.pictures import media_name
from kbtool.export.render import ImageSrc, render_body
from kbtool.parallel import exit_with_parent, fork_available
from kbtool.store.entry_file import EntryDocument

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

PRERENDER_FROM = 200  # below this, worker start-up costs more than it saves
# One document to render: (body, file, line of the body's first line)
_Task = tuple[str, Path, int]
_Records = list[tuple[str, RenderedRecord]]


def prerender(
    cache: ExportCache,
    documents: Sequence[EntryDocument],
    base: Path,
    modes: Sequence[str],
    jobs: int | None = None,
) -> int:
    """Fill ``cache`` with the sanitized HTML of ``documents`` in each of ``modes``:
    ``"path"`` (images as paths, JSON) and ``"media"`` (Anki media names).

    Returns how many documents were rendered (0 when too few to be worth workers).
    """
    workers = jobs or _WORKERS
    tasks = [(doc.body, doc.path or base / "entry.md", doc.body_line) for doc in documents]
    if len(tasks) < PRERENDER_FROM or workers < 2 or not modes:
        return 0
    work = functools.partial(_render_one, base, tuple(modes))
    with _pool(workers) as pool:
        for records in pool.map(work, tasks, chunksize=64):
            for key, record in records:
                cache.put_rendered(key, record, fresh=True)
    return len(tasks)


def read_and_render(
    items: Sequence[tuple[Path, str]],
    cache: ExportCache,
    base: Path,
    selection: Selection,
    modes: Sequence[str],
) -> Iterator[FileRecord | str]:
    """:func:`kbtool.export.loader.parse_file`'s answer for each (file, display name),
    in order; meanwhile each entry ``selection`` takes is rendered in every one of
    ``modes`` into ``cache``. Worker processes do both from :data:`PRERENDER_FROM`
    items on."""
    if len(items) < PRERENDER_FROM or _WORKERS < 2 or not fork_available():
        checks = ExportCache(None)  # this run's URL checks, for every entry
        work = functools.partial(_read_and_render_one, base, tuple(modes), selection, checks)
        yield from _keep(map(work, items), cache)
        return
    work = functools.partial(_read_and_render_one, base, tuple(modes), selection, None)
    with _pool(_WORKERS) as pool:
        yield from _keep(pool.map(work, items, chunksize=32), cache)


def _keep(
    results: Iterator[tuple[FileRecord | str, _Records]], cache: ExportCache
) -> Iterator[FileRecord | str]:
    for read, records in results:
        for key, record in records:
            cache.put_rendered(key, record, fresh=True)
        yield read


_WORKERS = min(os.cpu_count() or 1, 8)
# In a worker process: its URL checks (real paths, file tests), kept across its tasks.
# Tasks are pickled to the workers in chunks, so a cache passed with them would start
# empty for every chunk.
_CHECKS: list[ExportCache] = []


def _pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork" if fork_available() else "spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )


def _start_worker(parent: int) -> None:
    exit_with_parent(parent)
    _CHECKS[:] = [ExportCache(None)]


def _read_and_render_one(
    base: Path,
    modes: tuple[str, ...],
    selection: Selection,
    checks: ExportCache | None,
    item: tuple[Path, str],
) -> tuple[FileRecord | str, _Records]:
    read, doc = read_entry(item)
    if doc is None or not selection.matches(doc):
        return read, []
    # the body as the loader gives it to exporters: pictures of formulas as formulas
    body = as_math(doc.body)
    return read, _records(checks or _CHECKS[0], base, modes, (body, item[0], doc.body_line))


def _render_one(base: Path, modes: tuple[str, ...], task: _Task) -> _Records:
    """Worker: the cache records of one document, one per mode."""
    return _records(_CHECKS[0], base, modes, task)


def _records(cache: ExportCache, base: Path, modes: tuple[str, ...], task: _Task) -> _Records:
    """The cache records of one document, one per mode, made with ``cache``'s URL
    checks."""
    cache.rendered.clear()
    body, path, body_line = task
    for mode in modes:
        image_src: ImageSrc | None = _media_src if mode == "media" else None
        media = mode == "media"  # Anki's: pictures as media, links to files as text
        render_body(
            body, path, body_line, base, image_src=image_src, cache=cache, file_links=not media
        )
    return list(cache.rendered.items())


def _media_src(path: Path) -> str:
    return media_name(path, path.read_bytes())
