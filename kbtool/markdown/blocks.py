"""Block facts an exporter needs before another CommonMark reader (pandoc) gets a text:
the code fence a text leaves open, and how deep its lists and quotes nest.

Both are read from markdown-it's block tokens, never from line patterns, so they are
the blocks pandoc's ``commonmark_x`` reader sees too: ```` ``` ``` ```` is a code span,
not a fence; a ``` ``` ``` indented by four spaces does not close one; a ``> `` line
inside a fence is code, not a quote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbtool.markdown.parser import block_parser, nesting_block_parser

if TYPE_CHECKING:
    from markdown_it.token import Token

_CONTAINERS = frozenset({"bullet_list_open", "ordered_list_open", "blockquote_open"})
_ENDS = frozenset({"bullet_list_close", "ordered_list_close", "blockquote_close"})


def unclosed_fence(text: str) -> str | None:
    """The opening run (```` ``` ````, ``~~~~``, …) of a code fence outside any
    container that runs to the end of ``text`` without its closing line, or None.

    Only such a fence can swallow what is appended after the text: a fence inside a
    list item or quote ends with its container at the next unindented line.
    """
    if "```" not in text and "~~~" not in text:
        return None  # no run of three backticks or tildes: no fence at all
    last: Token | None = None
    for token in block_parser().parse(text):
        if token.type == "fence" and token.level == 0:
            last = token
    if last is None or last.map is None:
        return None
    return last.markup if _open(last) else None


def _open(fence: Token) -> bool:
    """Whether ``fence`` took no closing line: its content holds every line after the
    opening one (markdown-it maps a closed fence's closing line too)."""
    assert fence.map is not None
    content = fence.content
    lines = content.count("\n") + (0 if content.endswith("\n") or not content else 1)
    return lines == fence.map[1] - fence.map[0] - 1


def container_depth(text: str, limit: int) -> int:
    """How many lists and block quotes nest at the deepest point of ``text``, counted
    exactly up to ``limit + 1`` (a deeper text gives ``limit + 1``: more than ``limit``).

    markdown-it stops nesting at its ``maxNesting`` and leaves the rest unread, so a
    thousand levels cost no more than ``limit + 1``; a list counts two token levels
    (the list and its item), so the cap is set to see ``limit + 1`` lists.
    """
    deepest = depth = 0
    for token in nesting_block_parser(2 * (limit + 1)).parse(text):
        if token.type in _CONTAINERS:
            depth += 1
            deepest = max(deepest, depth)
        elif token.type in _ENDS:
            depth -= 1
    return min(deepest, limit + 1)
