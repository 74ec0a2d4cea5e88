"""Texts that stand in for an answer not written yet: the one list lint and import share.

Lint (``KB201 missing-answer``) reports an ``answered`` question whose answer is only
one of these, and import makes such an entry a ``draft``; both must agree, or a base
fresh from import fails lint. ``kbtool new`` writes :data:`SCAFFOLD`, so it is here too.
"""

from __future__ import annotations

import re

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
# Emphasis, quote and list markers around the text, and closing punctuation.
_DECORATION = re.compile(r"^[\s>*_\-+]+|[\s*_:.!]+$")
# A to-do note on one line ("TODO: write the answer.", "TBD - ask Bob") is no answer.
_TODO_NOTE = re.compile(r"^(?:todo|tbd|fixme)\b\s*[:：—-][^\n]{0,80}$", re.I)
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")

ENOUGH = 200
"""Characters of content that are surely more than a placeholder."""


def is_placeholder(text: str, extra: frozenset[str] = frozenset()) -> bool:
    """True for text that stands in for an answer not written yet (empty text too).

    ``extra`` holds more placeholders, already case-folded.
    """
    value = " ".join(text.split())
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
    content = [line for line in body.split("\n") if line.strip() and not _HEADING.match(line)]
    text = "\n".join(content)
    return len(text) <= ENOUGH and is_placeholder(text, extra)
