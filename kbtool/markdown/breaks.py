"""Where a document has single newlines inside paragraphs (markdown-it's ``softbreak``).

CommonMark renders such a newline as a space; Obsidian (with "Strict line breaks" off,
its default) and Telegram show it as a line break. To keep a note as its app shows it,
import writes a hard break there, so this module says exactly which line ends are soft
breaks, as the parser reads them: never a newline inside code, math, a link's target,
an inline HTML element or an image's alt text, and never one in a heading or a table.

Inline tokens carry no lines, so the line of each soft break is counted from the
newlines before it: every newline of a paragraph's content is a soft or hard break, or
lies inside a construct whose source span :mod:`kbtool.markdown.positions` recorded
(code span, math, inline HTML, link, image).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from kbtool.markdown.document import tokens

if TYPE_CHECKING:
    from markdown_it.token import Token

_SPANNED = frozenset({"code_inline", "math_inline", "math_inline_double", "html_inline", "image"})
# HTML elements that hold no content: an opening tag of one of these opens nothing
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>$", re.S)


class SoftBreak(NamedTuple):
    """A single newline in a paragraph: ``line`` is the 1-based line it ends.

    ``where`` is empty when a hard break may replace it, else why not: ``html`` (inside an
    inline HTML element, or right after a ``<br>`` that breaks the line already)."""

    line: int
    where: str


def soft_breaks(text: str) -> tuple[SoftBreak, ...]:
    """Every soft break of ``text`` in paragraphs, in document order."""
    found: list[SoftBreak] = []
    stream = tokens(text)
    for index, token in enumerate(stream):
        if token.type != "inline" or token.map is None or not token.children:
            continue
        if index == 0 or stream[index - 1].type != "paragraph_open":
            continue  # headings and table cells: a newline there is not a line of text
        found.extend(_in_paragraph(token.content, token.children, token.map[0]))
    return tuple(found)


def _in_paragraph(content: str, children: Sequence[Token], first: int) -> Iterator[SoftBreak]:
    newlines = 0  # newlines of ``content`` before the current child
    links: list[tuple[int, int]] = []  # (newlines before the link, its source newlines)
    open_html = 0
    previous: Token | None = None
    for child in children:
        kind = child.type
        if kind == "softbreak":
            where = "html" if open_html or _is_br(previous) else ""
            yield SoftBreak(first + newlines + 1, where)
            newlines += 1
        elif kind == "hardbreak":
            newlines += 1
        elif kind in _SPANNED:
            newlines += _spanned(content, child)
            if kind == "html_inline":
                open_html = max(0, open_html + _opens(child.content))
        elif kind == "link_open":
            links.append((newlines, _spanned(content, child)))
        elif kind == "link_close" and links:
            before, total = links.pop()
            newlines = before + total  # its label's breaks, and newlines in its target
        previous = child


def _spanned(content: str, child: Token) -> int:
    """Newlines in the source of a construct the position plugin located."""
    pos = child.meta.get("pos") if child.meta else None
    if pos is None:
        return child.content.count("\n") if child.type != "code_inline" else 0
    start, end = pos
    return content.count("\n", start, end)


def _opens(tag: str) -> int:
    """+1 for an opening tag of an element with content, -1 for a closing tag, else 0."""
    match = _TAG.match(tag.strip())
    if match is None:
        return 0
    closing, name, self_closing = match.groups()
    if closing:
        return -1
    return 0 if self_closing or name.lower() in _VOID else 1


def _is_br(token: Token | None) -> bool:
    if token is None or token.type != "html_inline":
        return False
    match = _TAG.match(token.content.strip())
    return match is not None and not match.group(1) and match.group(2).lower() == "br"
