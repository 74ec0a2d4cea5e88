"""A first export renders and sanitizes every entry on every core.

markdown-it-py (~1.3 ms an entry) and sanitizing with its URL checks (~0.4 ms) are
most of a first export. An entry's result depends only on its body, its file's place
in the base and the files its links and images point at, so worker processes can make
it and the exporters then find it in the cache; each cached result is rechecked
against the file system before use (:func:`kbtool.export.render.render_markdown`), so
prerendering never changes an export.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path

from kbtool.export.cache import ExportCache, RenderedRecord
from kbtool.export.pictures import media_name
from kbtool.export.render import ImageSrc, render_body
from kbtool.parallel import exit_with_parent
from kbtool.store.entry_file import EntryDocument

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
    workers = jobs or min(os.cpu_count() or 1, 8)
    tasks = [(doc.body, doc.path or base / "entry.md", doc.body_line) for doc in documents]
    if len(tasks) < PRERENDER_FROM or workers < 2 or not modes:
        return 0
    from concurrent.futures import ProcessPoolExecutor

    work = functools.partial(_render_one, base, tuple(modes))
    with ProcessPoolExecutor(
        max_workers=workers, initializer=exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        for records in pool.map(work, tasks, chunksize=64):
            for key, record in records:
                cache.put_rendered(key, record)
    return len(tasks)


_WORKER_CACHE: list[ExportCache] = []


def _render_one(base: Path, modes: tuple[str, ...], task: _Task) -> _Records:
    """Worker: the cache records of one document, one per mode."""
    if not _WORKER_CACHE:
        _WORKER_CACHE.append(ExportCache(None))  # its URL checks serve every task
    cache = _WORKER_CACHE[0]
    cache.raw.clear()
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
