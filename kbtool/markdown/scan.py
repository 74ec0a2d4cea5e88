"""Fast line-level view of Markdown for lint rules.

Parsing every file with markdown-it is too slow for a 10,000-entry base on every
commit, and most rules only need to know which text is prose. ``mask_code``
blanks fenced and indented code blocks, inline code spans and HTML comments
(keeping every newline and column), so rules can search the result with simple
patterns and report exact positions.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask_code(text: str) -> str:
    """``text`` with code and HTML comments replaced by spaces; same length and lines."""
    lines = text.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(2)[0] * len(match.group(2))
                lines[i] = " " * len(line)
        else:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                fence = None
            lines[i] = " " * len(line)
    masked = "\n".join(lines)
    masked = _COMMENT.sub(_blank, masked)
    return _INLINE_CODE.sub(_blank, masked)


def line_starts(text: str) -> list[int]:
    """Offsets at which each line starts (index 0 is line 1)."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def position(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, given :func:`line_starts`."""
    from bisect import bisect_right

    index = bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1
