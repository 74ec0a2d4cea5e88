"""A cache of parses keyed by the text parsed, bounded by how much text it holds.

Import asks for the parse of one file many times: each importer's detection, the
chosen importer's reading, the wikilink check, and between them the parses of every
heading and entry body it reads. A cache of the last few texts (``lru_cache(16)``)
lost the file's parse to those small ones, so a 16 KB note was parsed eight times.
This one keeps the most recently used parses up to a number of characters of text
(parsed forms take ~15 bytes of memory per character), so a file's parse outlives
the small ones in between while memory stays bounded whatever the input: by the
budget, or by the one text last parsed when that alone is bigger.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import update_wrapper
from typing import Generic, NamedTuple, TypeVar

R = TypeVar("R")

_MISSING = object()
SMALLEST = 256  # what a short text costs in the budget: its tokens outweigh its characters


class CacheInfo(NamedTuple):
    """As ``functools.lru_cache`` reports it; ``maxsize`` is the budget in characters."""

    hits: int
    misses: int
    maxsize: int
    currsize: int


class ByContent(Generic[R]):
    """``func(text)``, remembered for the most recently used texts up to ``chars``."""

    def __init__(self, func: Callable[[str], R], chars: int) -> None:
        self._func = func
        self._chars = chars
        self._held = 0
        self._hits = self._misses = 0
        self._results: OrderedDict[str, R] = OrderedDict()
        self._lock = threading.Lock()
        update_wrapper(self, func)

    def __call__(self, text: str) -> R:
        results = self._results
        with self._lock:  # export's pandoc threads may ask too
            found = results.get(text, _MISSING)
            if found is not _MISSING:
                results.move_to_end(text)
                self._hits += 1
                return found  # type: ignore[return-value]
            self._misses += 1
        result = self._func(text)
        with self._lock:
            if text not in results:
                results[text] = result
                self._held += max(len(text), SMALLEST)
            while self._held > self._chars and len(results) > 1:  # the newest always stays:
                old, _result = results.popitem(last=False)  # a text over the budget is
                self._held -= max(len(old), SMALLEST)  # asked again by the next importer
        return result

    def cache_info(self) -> CacheInfo:
        return CacheInfo(self._hits, self._misses, self._chars, self._held)

    def cache_clear(self) -> None:
        with self._lock:
            self._results.clear()
            self._held = self._hits = self._misses = 0


def by_content(chars: int) -> Callable[[Callable[[str], R]], ByContent[R]]:
    """Decorate a pure function of one text with a :class:`ByContent` cache."""

    def wrap(func: Callable[[str], R]) -> ByContent[R]:
        return ByContent(func, chars)

    return wrap
