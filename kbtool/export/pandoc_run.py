"""Run pandoc on text, bounded, and say which input was too much for it.

pandoc is started directly (the binary pypandoc-binary ships), as a child of
:mod:`kbtool.children`: it dies with kbtool, Ctrl-C stops it at once, and it has
two bounds, because some notes make pandoc's CommonMark reader superlinear (2,000
links in one paragraph took 9 s and 540 MB; 30,000 took minutes and 12 GB):

- memory: its heap is capped by the caller's ``+RTS -M...`` arguments; over the cap
  pandoc stops with "Heap exhausted";
- time: CPU seconds are limited to :data:`CPU_BASE` plus :data:`CPU_PER_MB` per
  megabyte of input, about four times what a normal input of that size takes.

Either way :class:`PandocTooBig` is raised; :func:`each_alone` then converts the
items of a failed batch one by one, so the item that is too big is named and the
others go on.
"""

from __future__ import annotations

import importlib.util
import os
import signal
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar

from kbtool import children
from kbtool.errors import InputError

# A batch that hits the limit is not lost: its items are converted one by one, each with
# its own limit, so the limit can be tight (about 4x what normal notes need: they convert
# at about 0.5 MB/s, so 1.8 MB of them in 3.3 s, and start in 0.05 s).
CPU_BASE = 2  # seconds
CPU_PER_MB = 8  # seconds per MB of input
ALONE_FROM = 64_000  # bytes: an item this big is converted on its own (see each_alone)
HEAP_EXHAUSTED = "Heap exhausted"  # what the GHC runtime prints over its -M cap

T = TypeVar("T")
R = TypeVar("R")


class PandocTooBig(InputError):
    """pandoc gave up on its input: over its memory cap or its CPU-time limit."""


@cache
def pandoc_path() -> str:
    """The pandoc pypandoc-binary ships, the one kbtool's filter and tests are made for.

    Found next to pypandoc without importing it: ``pypandoc.get_pandoc_path()`` runs
    ``pandoc --version`` on every candidate to pick the newest, about 60 ms of each PDF
    export. ``PYPANDOC_PANDOC`` (pypandoc's own override) and a pypandoc without the
    binary still go through pypandoc."""
    spec = None if os.environ.get("PYPANDOC_PANDOC") else importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        bundled = Path(folder) / "files" / ("pandoc.exe" if os.name == "nt" else "pandoc")
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    import pypandoc

    path: str = pypandoc.get_pandoc_path()
    return path


def cpu_limit(size: int) -> int:
    """CPU seconds allowed for ``size`` bytes of input."""
    return CPU_BASE + (CPU_PER_MB * size) // 1_000_000


def convert(text: str, to: str, source_format: str, args: Sequence[str] = ()) -> str:
    """``text`` (in ``source_format``) converted by pandoc to ``to``.

    Raises :class:`PandocTooBig` when pandoc runs out of memory or time, and
    :class:`~kbtool.errors.InputError` when it fails otherwise (or cannot start).
    """
    data = text.encode("utf-8", "surrogatepass")
    seconds = cpu_limit(len(data))
    command = [pandoc_path(), f"--from={source_format}", f"--to={to}", *args]
    try:
        with children.start(command, cpu_seconds=seconds) as process:
            out, err = process.communicate(data)
    except OSError as exc:  # no pandoc: not the user's notes
        raise InputError(
            f"pandoc could not be started: {exc.strerror or exc}",
            hint="reinstall pypandoc-binary (it ships pandoc)",
        ) from None
    except children.Stopped:
        raise InputError("interrupted before pandoc started") from None
    code = process.returncode
    if code < 0 and children.stopping():  # Ctrl-C or SIGTERM: the command unwinds
        raise InputError("pandoc was stopped: the command was interrupted")
    message = err.decode("utf-8", "replace").strip()
    if HEAP_EXHAUSTED in message:
        cap = next((_heap_shown(a[2:]) for a in args if a.startswith("-M")), "its cap")
        raise PandocTooBig(f"pandoc needs more than {cap} of memory for it")
    if code in (-signal.SIGXCPU, -signal.SIGKILL):  # RLIMIT_CPU: soft, then hard
        raise PandocTooBig(f"pandoc needs more than {seconds} s of CPU time for it")
    if code != 0:
        first = message.splitlines()[0] if message else f"exit code {code}"
        raise InputError(
            f"pandoc could not convert the entries to {to}: {first}",
            hint="reinstall pypandoc-binary (it ships pandoc) if this repeats",
        )
    return out.decode("utf-8", "replace")


def _heap_shown(size: str) -> str:
    """A GHC ``-M`` size as people write it: ``1024m`` -> ``1 GB``, ``64m`` -> ``64 MB``."""
    number, unit = size[:-1], size[-1:].lower()
    if not number.isdigit() or unit not in {"k", "m", "g"}:
        return size
    megabytes = int(number) * {"k": 1 / 1024, "m": 1, "g": 1024}[unit]
    if megabytes >= 1024:
        return f"{megabytes / 1024:g} GB"
    return f"{megabytes:g} MB"


def each_alone(
    convert_batch: Callable[[list[T]], list[R]],
    items: list[T],
    stand_in: Callable[[T, PandocTooBig], R],
    size: Callable[[T], int] | None = None,
) -> list[R]:
    """``convert_batch(items)``; when pandoc gives up on the batch, each item alone, and
    ``stand_in(item, error)`` for an item pandoc gives up on by itself.

    Only a failed batch pays for the second pass (one pandoc run per item). With
    ``size``, items of :data:`ALONE_FROM` bytes or more are converted alone from the
    start: the big ones are those pandoc may give up on, and one that fails then
    fails once, not once in its batch and again alone.
    """
    if size is not None and len(items) > 1:
        alone = {i for i, item in enumerate(items) if size(item) >= ALONE_FROM}
        if alone:
            rest = [item for i, item in enumerate(items) if i not in alone]
            converted = iter(each_alone(convert_batch, rest, stand_in) if rest else [])
            return [
                each_alone(convert_batch, [item], stand_in)[0] if i in alone else next(converted)
                for i, item in enumerate(items)
            ]
    try:
        return convert_batch(items)
    except PandocTooBig as error:
        if len(items) == 1:
            return [stand_in(items[0], error)]
    return [result for item in items for result in each_alone(convert_batch, [item], stand_in)]
