"""The safety check of normalize, in the manner of mdformat: a step may change only
what it is for.

Each step names what it may change (``ALLOWED``); everything else a reader gets
from the rendered document — its words, code, math, link targets, HTML — is read
from markdown-it's tokens before and after the step (whitespace aside) and must be
equal. A step that would change anything else is skipped for that document and
reported as a :class:`Skipped` value; nothing is printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from markdown_it.token import Token


class Skipped(NamedTuple):
    """A step not applied to a document, and why."""

    step: str
    reason: str


# Math is compared by its characters without ``$ \ ( ) [ ]``: whether the parser
# takes ``$…$`` as math is what normalize_math fixes, so it may change for any step.
# What each step is for: "links" (link targets, link and wikilink text), "html"
# (inline and block HTML),
# "blocks" (block structure: an indented code block may become a list, a paragraph
# a table; block markers are not compared), "backslashes"
# (a backslash at a line end, literal or a hard break)
ALLOWED: dict[str, frozenset[str]] = {
    "strip_anchors": frozenset({"html"}),
    "convert_wikilinks": frozenset({"links"}),
    "reindent_lists": frozenset({"blocks"}),
    "blank_line_around_blocks": frozenset({"blocks"}),
    "strip_line_break_backslashes": frozenset({"backslashes"}),
}
_WHITESPACE = str.maketrans("", "", " \t\r\n\u00a0")
_MATH_DELIMITERS = str.maketrans("", "", "$\\()[]")
_BLOCK_PUNCTUATION = str.maketrans("", "", "|-*+>#=:")
_BLOCK_MARKER = re.compile(r"\d{1,9}[.)]")  # ordered list markers, in prose or not


@lru_cache(maxsize=32)
def reading(text: str, allowed: frozenset[str] = frozenset()) -> str:
    """What a reader gets of ``text``, whitespace removed, without what ``allowed`` names."""
    from kbtool.markdown.document import tokens

    parts: list[str] = []
    _read(tokens(text), allowed, parts, [0])
    return "".join(parts)


def _read(
    tokens: Sequence[Token], allowed: frozenset[str], parts: list[str], links: list[int]
) -> None:
    for token in tokens:
        kind = token.type
        if kind in {"text", "text_special"}:
            if not (links[0] and "links" in allowed):
                parts.append(_prose(token.content, allowed))
        elif kind == "code_block" and "blocks" in allowed:
            parts.append(_prose(token.content, allowed))
        elif kind in {"code_inline", "fence", "code_block"}:
            parts.append("\x00code:" + token.content.translate(_WHITESPACE) + "\x00")
        elif kind.startswith("math"):  # compared as text: dollars are read differently
            parts.append(_prose(token.content))  # by the parser and pandoc, and steps fix them
        elif kind in {"html_inline", "html_block"}:
            if "html" not in allowed:
                parts.append("\x00html:" + token.content.translate(_WHITESPACE) + "\x00")
        elif kind == "link_open":
            links[0] += 1
            if "links" not in allowed:
                parts.append("\x00link:" + str(token.attrGet("href")) + "\x00")
        elif kind == "link_close":
            links[0] -= 1
        elif kind == "image":
            if "links" in allowed:
                continue  # its alt text is a link label too
            parts.append("\x00image:" + str(token.attrGet("src")) + "\x00")
        if token.children:
            _read(token.children, allowed, parts, links)


def _prose(text: str, allowed: frozenset[str] = frozenset()) -> str:
    if "links" in allowed and "[[" in text:
        from kbtool.markdown.document import wikilink_free

        text = wikilink_free(text)
    text = text.translate(_MATH_DELIMITERS)
    if "backslashes" in allowed:
        text = text.replace("\\", "")
    if "blocks" in allowed:
        text = _BLOCK_MARKER.sub("", text).translate(_BLOCK_PUNCTUATION)
    return text.translate(_WHITESPACE)


def check(name: str, before: str, after: str) -> Skipped | None:
    """None when the step ``name`` turning ``before`` into ``after`` kept everything it
    is not for; else why it must be skipped."""
    if before == after:
        return None
    allowed = ALLOWED.get(name, frozenset())
    old, new = reading(before, allowed), reading(after, allowed)
    if old == new:
        return None
    at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
    at = min(len(old), len(new)) if at is None else at
    shown = old[max(0, at - 20) : at + 20].replace("\x00", " ")
    return Skipped(name, f"it would change what the document says near {shown!r}")
