"""Offsets to positions: the one place that turns a character offset into a 1-based
line and column (Markdown structure itself is read by :mod:`kbtool.markdown.document`)."""

from __future__ import annotations

from bisect import bisect_right

from kbtool.markdown.document import line_starts

__all__ = ["line_starts", "position"]


def position(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, given :func:`line_starts`."""
    index = bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1
