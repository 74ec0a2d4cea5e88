"""On which lines of a note a URL is used, for warnings that name the line.

A URL is counted where it stands whole: ``../ml/`` is not used on a line that only
links ``../ml/gradient-descent.md``, and ``a.md`` not where only ``a.md#x`` is (the
warning about a link to a folder named the line of a link to a note in it). The
Markdown was parsed before; this only finds the written text again, so a URL written
in another form than the one read (percent-encoded, an entity) falls back to any
occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote

_CACHE: dict[str, re.Pattern[str]] = {}


def url_lines(lines: Sequence[str], url: str, first: int = 0, whole: bool = True) -> list[int]:
    """Numbers (from ``first``) of ``lines``, once per use of ``url`` on the line;
    ``whole=False`` counts every occurrence (a character, not a URL)."""
    if not whole:
        return _anywhere(lines, url, first)
    pattern = _CACHE.get(url)
    if pattern is None:
        # not inside a longer URL: nothing URL-like right before or after it
        pattern = _CACHE[url] = re.compile(
            r"(?<![^\s(<\"'=\[\]])" + re.escape(url) + r"(?![^\s)>\"'\]])"
        )
    found = [n for n, line in enumerate(lines, first) for _ in pattern.finditer(line)]
    if not found and "%" in url and unquote(url) != url:  # as written: `C:\\x`, not `C:%5Cx`
        return url_lines(lines, unquote(url), first, whole)
    return found if found or not url else _anywhere(lines, url, first)


def _anywhere(lines: Sequence[str], text: str, first: int) -> list[int]:
    return [n for n, line in enumerate(lines, first) for _ in range(line.count(text))]
