"""Texts that stand in for an answer not written yet: the one list lint and import share.

Lint (``KB201 missing-answer``) reports an ``answered`` question whose answer is only
one of these, and import makes such an entry a ``draft``; both must agree, or a base
fresh from import fails lint. ``kbtool new`` writes :data:`SCAFFOLD`, so it is here too.

An answer is compared as a reader sees it: quote, list and heading markers are the
parser's (``- TBD``, ``> TODO`` and ``1. TODO`` hold a placeholder; ``-TODO`` is a
paragraph), and the headings :func:`is_unanswered` skips are the document's section
headings, the ones lint skips too (not a ``# comment`` line in fenced code).
"""

from __future__ import annotations

import re

from kbtool.markdown.document import parse
from kbtool.markdown.parser import block_parser

SCAFFOLD = "TODO: write the answer."
"""The answer ``kbtool new`` writes into a fresh entry."""

PLACEHOLDERS = frozenset(
    {
        "todo",
        "tbd",
        "tba",
        "fixme",
        "wip",
        "answer",
        "answer here",
        "your answer",
        "your answer here",
        "write the answer",
        "write the answer here",
        "ответ",
        "ответ здесь",
        "ваш ответ",
        "ответ тут",
        "написать ответ",
        "…",
        "...",
    }
)
"""Whole answers (compared case-insensitively after decoration is trimmed)."""

# An unfilled template slot: <answer>, {{answer}}, [answer].
_TEMPLATE = re.compile(r"^(?:<[^<>\n]{1,40}>|\{\{[^{}\n]{0,40}\}\}|\[[^\[\]\n]{0,40}\])$")
# A label before the placeholder: "Ответ: TODO", "A: …".
_LABEL = re.compile(r"^(?:answer|ответ|a|о)\s*[:：—-]\s*", re.I)
# Emphasis markers around the text, and closing punctuation.
_DECORATION = re.compile(r"^[\s*_]+|[\s*_:.!]+$")
# A to-do note on one line ("TODO: write the answer.", "TBD - ask Bob") is no answer.
_TODO_NOTE = re.compile(r"^(?:todo|tbd|fixme)\b\s*[:：—-][^\n]{0,80}$", re.I)
# A line starting with one of these may open a block other than a paragraph (a quote,
# list, heading, rule, setext underline, table, fence, HTML or math block, definition).
_BLOCK_STARTS = frozenset(">-*+#=_~`<|:[$0123456789")

ENOUGH = 200
"""Characters of content that are surely more than a placeholder."""


def is_placeholder(text: str, extra: frozenset[str] = frozenset()) -> bool:
    """True for text that stands in for an answer not written yet (empty text too).

    ``extra`` holds more placeholders, already case-folded.
    """
    if _too_many_letters(text, extra):
        return False
    value = " ".join(_reading(text).split())
    if not value:
        return True
    if text.strip() in {"…", "..."}:
        return True
    for _ in range(2):
        value = _DECORATION.sub("", value)
        value = _LABEL.sub("", value)
    if value in {"…", "...", ""}:
        return True
    if _TEMPLATE.match(value) or _TODO_NOTE.match(value):
        return True
    folded = value.casefold()
    return folded in PLACEHOLDERS or folded in extra


def is_unanswered(body: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when a Markdown answer holds nothing but headings and a placeholder.

    Used by import on entries it made; lint reads headings through its own masked
    text (code blocks cannot hold headings there) and calls :func:`is_placeholder`.
    """
    if len(body) > ENOUGH * 2:
        return False
    headings = parse(body).section_headings
    lines = body.split("\n")
    content = [line for n, line in enumerate(lines, 1) if line.strip() and n not in headings]
    text = "\n".join(content)
    return len(text) <= ENOUGH and is_placeholder(text, extra)


# Letters a placeholder can have: a to-do note (5 + 80), after two labels ("Ответ:").
_MOST_LETTERS = 100
_NOT_A_LETTER = re.compile(r"[\W\d_]+")


def _too_many_letters(text: str, extra: frozenset[str]) -> bool:
    """More letters than any placeholder has, so no reading of ``text`` is one: reading
    the structure only takes markers away, and no marker is a letter. The exceptions
    leave text out, so this says False where they may be: a reference definition, a
    table row with more cells than its header."""
    most = _MOST_LETTERS + max(map(len, extra), default=0)
    head = text[: most * 20]
    if "]:" in head or "|" in head:
        return False
    return len(_NOT_A_LETTER.sub("", head)) > most


def _reading(text: str) -> str:
    """``text`` as a reader sees its structure: the inline source of paragraphs, list
    items, quotes, headings and table cells without their block markers; code, HTML and
    math blocks as written; rules as nothing."""
    lines = _LINE_END.split(text)
    return text if plain(lines) else parsed_reading(text, lines)


def plain(lines: list[str]) -> bool:
    """No line starts with a block marker or is indented: every line is paragraph text,
    so the text is its own reading (the tests compare this with the parse)."""
    for line in lines:
        if line[:1] in " \t" and line.strip():
            return False
        if line.lstrip()[:1] in _BLOCK_STARTS:
            return False
    return True


def parsed_reading(text: str, lines: list[str]) -> str:
    """:func:`_reading` from the parser's tokens (``lines`` split as the parser does)."""
    parts: list[str] = []
    for token in block_parser().parse(text):
        if token.type == "inline":
            parts.append(token.content)
        elif token.type in _AS_WRITTEN and token.map is not None:
            parts.extend(lines[token.map[0] : token.map[1]])
    return "\n".join(parts)


_AS_WRITTEN = frozenset({"fence", "code_block", "html_block", "math_block", "math_block_label"})
_LINE_END = re.compile(r"\r\n?|\n")
